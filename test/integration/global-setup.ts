/**
 * Starts the local cloud once for the integration tests: its own ports (free ones, so a running `npm start` is
 * left alone), its own state folder, DynamoDB in memory, and the demo tenant seeded. The tests read where each
 * service answers with `inject('endpoints')`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { type LocalCloud, startLocalCloud } from '#infra/local/cloud.ts';
import type { Endpoints } from '#infra/local/endpoints.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    endpoints: Endpoints;
    stateDir: string;
  }
}

let cloud: LocalCloud | undefined;
let stateDir: string | undefined;

export async function setup(project: TestProject) {
  stateDir = await mkdtemp(join(tmpdir(), 'lockstay-test-'));
  cloud = await startLocalCloud({
    projectRoot: process.cwd(),
    stateDir,
    ports: { api: 0, dynamodb: 0, cognito: 0, mail: 0, scheduler: 0, mqtt: 0, mqtts: 0, iot: 0 },
    inMemory: true,
    fresh: true,
  });
  await cloud.warmed;
  project.provide('endpoints', cloud.endpoints);
  project.provide('stateDir', stateDir);
}

export async function teardown() {
  await cloud?.stop();
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
}
