/**
 * Starts the local cloud once for the integration tests: its own ports (free ones, so a running `npm start` is
 * left alone), its own state folder, DynamoDB in memory, and the demo tenant seeded. The tests read where each
 * service answers with `inject('endpoints')`.
 */
import type { TestProject } from 'vitest/node';
import { startScratchLocalCloud } from '#infra/local/cloud.ts';
import type { Endpoints } from '#infra/local/endpoints.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    endpoints: Endpoints;
    stateDir: string;
  }
}

let cloud: Awaited<ReturnType<typeof startScratchLocalCloud>> | undefined;

export async function setup(project: TestProject) {
  cloud = await startScratchLocalCloud({ projectRoot: process.cwd(), label: 'test' });
  project.provide('endpoints', cloud.endpoints);
  project.provide('stateDir', cloud.stateDir);
}

export async function teardown() {
  await cloud?.stop();
}
