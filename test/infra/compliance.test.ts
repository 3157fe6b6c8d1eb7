/**
 * What `npm run synth` promises beyond the templates' shape: cdk-nag's AwsSolutions rules pass with every
 * acknowledgement justified, and every function bundles into an ES module that loads and exports its handler.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Validations } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionNames, functions } from '#infra/functions.ts';
import { resourceVariables } from '#shared/config.ts';
import { removeSynthesizedApps, type SynthesizedLockstay, synthLockstay } from './lockstay-fixture.ts';

afterAll(removeSynthesizedApps);

interface ValidationReport {
  readonly pluginReports: { pluginName: string; violations: { ruleName: string }[] }[];
}

const violationsIn = ({ assembly }: SynthesizedLockstay): string[] => {
  const report = JSON.parse(
    readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8'),
  ) as ValidationReport;
  return report.pluginReports.flatMap(({ pluginName, violations }) =>
    violations.map(({ ruleName }) => `${pluginName}: ${ruleName}`),
  );
};

const acknowledgementsUnder = (root: IConstruct): { path: string; id: string; reason: unknown }[] =>
  root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, unknown>).map(([id, reason]) => ({
          path: construct.node.path,
          id,
          reason,
        })),
      ),
  );

describe('cdk-nag AwsSolutions checks', () => {
  // Synthesis itself fails on an unacknowledged finding; the report then says which.
  it.each([
    ['in an environment-agnostic synth', undefined],
    ['in a synth for one account and region', { account: '123456789012', region: 'eu-west-1' }],
  ])('leave no finding unacknowledged %s, nor does CloudFormation validation', (_, env) => {
    const lockstay = synthLockstay({ cloudFormationValidation: true, ...(env === undefined ? {} : { env }) });

    expect(violationsIn(lockstay)).toEqual([]);
  });

  it('give every acknowledgement a one-line reason', () => {
    const { app } = synthLockstay();
    const acknowledgements = acknowledgementsUnder(app);

    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const { reason } of acknowledgements) {
      expect(reason).toEqual(expect.stringMatching(/^[^\n]{20,120}$/));
    }
  });

  it('are live: a queue that accepts plain HTTP stops synthesis', () => {
    expect(() =>
      synthLockstay({
        extend: ({ stateless }) => {
          new Queue(stateless, 'InsecureQueue', { enforceSSL: false });
        },
      }),
    ).toThrow(/AwsSolutions-SQS4/);
  });
});

describe('function bundles', () => {
  let lockstay: SynthesizedLockstay;
  beforeAll(() => {
    lockstay = synthLockstay({ bundlingStacks: ['LockstayStateless'] });
  });

  const bundleDirectoryOf = (name: (typeof functionNames)[number]): string => {
    const fn = lockstay.stateless.handlers.functions[name].node.defaultChild as CfnFunction;
    const { s3Key } = lockstay.stateless.resolve(fn.code) as { s3Key: string };
    return join(lockstay.assembly.directory, `asset.${s3Key.replace(/\.zip$/, '')}`);
  };

  it.each(functionNames)(
    '%s is built from its handler module, with every subpath import resolved',
    (name) => {
      const directory = bundleDirectoryOf(name);
      const sourceMap = JSON.parse(readFileSync(join(directory, 'index.mjs.map'), 'utf8')) as {
        sources: string[];
      };
      const code = readFileSync(join(directory, 'index.mjs'), 'utf8');

      expect(sourceMap.sources.some((source) => source.endsWith(functions[name].entry))).toBe(true);
      expect(code).toMatch(/export\s*\{[^}]*\bas handler\b[^}]*\}/);
      expect(code).not.toMatch(/["']#(shared|functions|infra)\//);
    },
  );

  it.each(functionNames)('%s loads as an ES module on Node.js 24 and exports a handler function', (name) => {
    const entry = pathToFileURL(join(bundleDirectoryOf(name), 'index.mjs')).href;
    // The handler modules read their configuration when loaded, as they do on a cold start.
    const configuration = Object.fromEntries(
      Object.values(resourceVariables).map((variable) => [variable, 'x']),
    );

    const exported = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(entry)}); console.log(typeof m.handler);`,
      ],
      { env: { ...process.env, ...configuration }, encoding: 'utf8' },
    );

    expect(exported.trim()).toBe('function');
  });
});
