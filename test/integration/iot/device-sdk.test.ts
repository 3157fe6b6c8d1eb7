// A real AWS IoT device SDK (aws-iot-device-sdk v1, its thingShadow client) against the local IoT Core, with a
// certificate from the local CA: what a lock maker's firmware built on it would do.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type IoTDataPlaneClient, UpdateThingShadowCommand } from '@aws-sdk/client-iot-data-plane';
import awsIot from 'aws-iot-device-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssuedDeviceCertificate } from '#infra/local/iot/index.ts';
import { dataPlaneClient, json, RecordedInbox, startTestIotCore, type TestIotCore } from './iot-fixture.ts';

interface ShadowEvent {
  readonly kind: 'status' | 'delta' | 'foreignStateChange';
  readonly thingName: string;
  readonly status?: string;
  readonly clientToken?: string;
  readonly document: Record<string, unknown>;
}

const thingName = 'lock-sdk';
let core: TestIotCore;
let certificate: IssuedDeviceCertificate;
let sdk: IoTDataPlaneClient;
/** Where the lock keeps its key and certificates, as files, the way the SDK's examples load them. */
let credentialsDir: string;
let device: awsIot.thingShadow | undefined;
const events = new RecordedInbox<ShadowEvent>();

beforeAll(async () => {
  core = await startTestIotCore();
  certificate = await core.iot.issueDeviceCertificate({ thingName });
  credentialsDir = await mkdtemp(join(tmpdir(), 'lockstay-device-'));
  await writeFile(join(credentialsDir, 'private.pem.key'), certificate.privateKeyPem, { mode: 0o600 });
  await writeFile(join(credentialsDir, 'certificate.pem.crt'), certificate.certificatePem);
  await writeFile(join(credentialsDir, 'root-ca.pem'), certificate.caPem);
  sdk = dataPlaneClient(core.iot);
});

afterAll(async () => {
  await new Promise<void>((resolve) => (device ? device.end(true, () => resolve()) : resolve()));
  sdk?.destroy();
  await core?.dispose();
  if (credentialsDir) await rm(credentialsDir, { recursive: true, force: true });
});

describe('aws-iot-device-sdk thingShadow', () => {
  it('connects over mutual TLS with a certificate from the local CA and syncs its shadow', async () => {
    const shadows = new awsIot.thingShadow({
      host: 'localhost',
      port: core.iot.ports.mqtts,
      protocol: 'mqtts',
      clientId: thingName,
      keyPath: join(credentialsDir, 'private.pem.key'),
      certPath: join(credentialsDir, 'certificate.pem.crt'),
      caPath: join(credentialsDir, 'root-ca.pem'),
      keepalive: 30,
      // The SDK gives up on an unanswered request after this; a busy machine may take seconds to answer.
      operationTimeout: 30_000,
    });
    device = shadows;
    shadows.on(
      'status',
      (name: string, status: string, clientToken: string, document: Record<string, unknown>) =>
        events.add({ kind: 'status', thingName: name, status, clientToken, document }),
    );
    shadows.on('delta', (name: string, document: Record<string, unknown>) =>
      events.add({ kind: 'delta', thingName: name, document }),
    );
    shadows.on('error', (error: Error) =>
      events.add({ kind: 'status', thingName, status: 'error', document: { error: error.message } }),
    );

    await new Promise<void>((resolve) => shadows.once('connect', () => resolve()));
    await new Promise<void>((resolve, reject) =>
      shadows.register(thingName, { persistentSubscribe: true }, (error) =>
        error ? reject(error) : resolve(),
      ),
    );

    // The lock reports its state; the SDK matches the answer by clientToken.
    const reportToken = shadows.update(thingName, { state: { reported: { locked: true, battery: 90 } } });
    expect(reportToken).toEqual(expect.any(String));
    const reported = await events.next(
      (event) => event.kind === 'status' && event.clientToken === reportToken,
    );
    expect(reported.status).toBe('accepted');
    expect(reported.document).toMatchObject({
      state: { reported: { locked: true, battery: 90 } },
      version: 1,
    });

    // The cloud asks for a change through the Data Plane API; the lock hears it as a delta.
    await sdk.send(
      new UpdateThingShadowCommand({
        thingName,
        payload: new TextEncoder().encode(json({ state: { desired: { locked: false } } })),
      }),
    );
    const delta = await events.next((event) => event.kind === 'delta');
    expect(delta.document).toMatchObject({ state: { locked: false }, version: 2 });

    // The lock applies it and reports; the SDK now sends the version it knows, which must be accepted.
    const applyToken = shadows.update(thingName, { state: { reported: { locked: false } } });
    const applied = await events.next((event) => event.kind === 'status' && event.clientToken === applyToken);
    expect(applied.status).toBe('accepted');
    expect(applied.document).toMatchObject({ version: 3 });

    const getToken = shadows.get(thingName);
    const got = await events.next((event) => event.kind === 'status' && event.clientToken === getToken);
    expect(got.status).toBe('accepted');
    expect(got.document).toMatchObject({
      state: { desired: { locked: false }, reported: { locked: false, battery: 90 } },
      version: 3,
    });
    expect((got.document.state as Record<string, unknown>).delta).toBeUndefined();
  });
});
