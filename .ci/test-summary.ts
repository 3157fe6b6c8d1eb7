/**
 * Prints vitest's JSON reports (one per vitest process) as one plain line, `N passed, N failed, N skipped`,
 * and exits non-zero when any test failed or any test file failed to run.
 */
import { readFileSync } from 'node:fs';

interface VitestJsonReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numFailedTestSuites: number;
  success: boolean;
}

const files = process.argv.slice(2);
const reports = (files.length > 0 ? files : ['test-results/vitest.json']).map(
  (file) => JSON.parse(readFileSync(file, 'utf8')) as VitestJsonReport,
);
const sum = (count: (report: VitestJsonReport) => number) =>
  reports.reduce((total, report) => total + count(report), 0);
const passed = sum((report) => report.numPassedTests);
const skipped = sum((report) => report.numPendingTests + report.numTodoTests);
const failedTests = sum((report) => report.numFailedTests);
const failed = failedTests + (failedTests === 0 ? sum((report) => report.numFailedTestSuites) : 0);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || reports.some((report) => !report.success) ? 1 : 0);
