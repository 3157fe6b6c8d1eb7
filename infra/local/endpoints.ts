/**
 * `.lockstay/endpoints.json`: where each part of a running local cloud answers, for people (the start command
 * prints it) and for tests, benchmarks and scripts (they read it).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DemoLock } from './demo-locks.ts';

export interface DemoHost {
  readonly tenantId: string;
  readonly userId: string;
  readonly username: string;
  readonly password: string;
  readonly totpSecret: string;
  readonly otpauthUrl: string;
  readonly propertyId: string;
}

export interface Endpoints {
  readonly api: string;
  readonly health: string;
  readonly emailViewer: string;
  readonly pages: Readonly<Record<string, string>>;
  readonly region: string;
  readonly tableName: string;
  readonly services: {
    readonly dynamodb: string;
    readonly cognito: string;
    readonly ses: string;
    readonly scheduler: string;
    readonly iotDataPlane: string;
    readonly mqtt: string;
    readonly mqtts: string;
  };
  /** The CA that signs the local IoT Core's broker and device certificates. */
  readonly iotCaPath: string;
  readonly cognito: {
    readonly userPoolId: string;
    readonly clientId: string;
    readonly issuer: string;
    readonly jwksUri: string;
  };
  readonly demo?: DemoHost;
  /** The demo property's locks, run by the reference firmware, with their local control APIs. */
  readonly demoLocks?: readonly DemoLock[];
}

export const endpointsFile = (stateDir: string): string => join(stateDir, 'endpoints.json');

export async function writeEndpoints(stateDir: string, endpoints: Endpoints): Promise<void> {
  await writeFile(endpointsFile(stateDir), `${JSON.stringify(endpoints, null, 2)}\n`);
}

export async function readEndpoints(stateDir: string): Promise<Endpoints> {
  return JSON.parse(await readFile(endpointsFile(stateDir), 'utf8')) as Endpoints;
}
