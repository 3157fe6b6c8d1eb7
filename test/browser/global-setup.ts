/**
 * Starts the local cloud for the browser tests exactly as the integration tests do (their setup, reused), and
 * makes sure it serves the host console at `/console/`. Until the local cloud builds the console itself, this
 * builds it into the cloud's page folder, which its gateway already serves.
 */
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import type { Endpoints } from '#infra/local/endpoints.ts';
import { buildConsole } from '../../web/console/build.ts';
import { setup as startLocalCloud, teardown as stopLocalCloud } from '../integration/global-setup.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the console's page on the local gateway. */
    consoleUrl: string;
  }
}

export async function setup(project: TestProject) {
  await startLocalCloud(project);
  const { endpoints, stateDir } = project.getProvidedContext();
  project.provide('consoleUrl', endpoints.pages.console ?? (await buildConsoleFor(endpoints, stateDir)));
}

async function buildConsoleFor(endpoints: Endpoints, stateDir: string): Promise<string> {
  await buildConsole({
    outDir: join(stateDir, 'pages', 'console'),
    config: {
      apiUrl: endpoints.api,
      region: endpoints.region,
      cognito: {
        endpoint: endpoints.services.cognito ?? '',
        userPoolId: endpoints.cognito.userPoolId,
        clientId: endpoints.cognito.clientId,
      },
      environmentName: 'local',
    },
  });
  return `${endpoints.api}/console/`;
}

export const teardown = stopLocalCloud;
