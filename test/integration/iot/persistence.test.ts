// What the local IoT Core keeps across a restart: shadows, versions, deletions, its CA and the certificates.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DeleteThingShadowCommand,
  GetThingShadowCommand,
  ResourceNotFoundException,
  UpdateThingShadowCommand,
} from '@aws-sdk/client-iot-data-plane';
import { afterEach, describe, expect, it } from 'vitest';
import {
  attemptConnection,
  connectDevice,
  dataPlaneClient,
  decode,
  deviceOptions,
  json,
  startTestIotCore,
  type TestIotCore,
} from './iot-fixture.ts';

let core: TestIotCore | undefined;

afterEach(async () => {
  await core?.dispose();
  core = undefined;
});

const encode = (value: unknown) => new TextEncoder().encode(json(value));

async function withSdk<T>(
  running: TestIotCore,
  use: (sdk: ReturnType<typeof dataPlaneClient>) => Promise<T>,
) {
  const sdk = dataPlaneClient(running.iot);
  try {
    return await use(sdk);
  } finally {
    sdk.destroy();
  }
}

describe('a restart of the local IoT Core', () => {
  it('keeps every shadow with its state, metadata and version, and continues counting', async () => {
    core = await startTestIotCore();
    const before = await withSdk(core, async (sdk) => {
      await sdk.send(
        new UpdateThingShadowCommand({
          thingName: 'lock-1',
          shadowName: 'codes',
          payload: encode({ state: { desired: { codes: { g1: { hash: 'a' } } } } }),
        }),
      );
      await sdk.send(
        new UpdateThingShadowCommand({
          thingName: 'lock-1',
          payload: encode({ state: { reported: { on: true } } }),
        }),
      );
      return decode(
        (await sdk.send(new GetThingShadowCommand({ thingName: 'lock-1', shadowName: 'codes' }))).payload,
      );
    });

    core = await core.restart();

    await withSdk(core, async (sdk) => {
      const after = decode(
        (await sdk.send(new GetThingShadowCommand({ thingName: 'lock-1', shadowName: 'codes' }))).payload,
      );
      expect(after.state).toEqual(before.state);
      expect(after.metadata).toEqual(before.metadata);
      expect(after.version).toBe(1);
      const classic = decode((await sdk.send(new GetThingShadowCommand({ thingName: 'lock-1' }))).payload);
      expect(classic.state).toEqual({ reported: { on: true } });
      const next = await sdk.send(
        new UpdateThingShadowCommand({
          thingName: 'lock-1',
          shadowName: 'codes',
          payload: encode({ state: { desired: { codes: { g2: { hash: 'b' } } } }, version: 1 }),
        }),
      );
      expect(decode(next.payload).version).toBe(2);
    });
  });

  it('keeps a deleted shadow deleted', async () => {
    core = await startTestIotCore();
    await withSdk(core, async (sdk) => {
      await sdk.send(
        new UpdateThingShadowCommand({
          thingName: 'lock-2',
          shadowName: 's',
          payload: encode({ state: {} }),
        }),
      );
      await sdk.send(new DeleteThingShadowCommand({ thingName: 'lock-2', shadowName: 's' }));
    });
    core = await core.restart();
    await withSdk(core, async (sdk) => {
      const error = await sdk
        .send(new GetThingShadowCommand({ thingName: 'lock-2', shadowName: 's' }))
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ResourceNotFoundException);
    });
  });

  it('keeps its CA and registry: a certificate issued before still connects, a revoked one still does not', async () => {
    core = await startTestIotCore();
    const caBefore = core.iot.endpoints.caPem;
    const kept = await core.iot.issueDeviceCertificate({ thingName: 'lock-3' });
    const revoked = await core.iot.issueDeviceCertificate({ thingName: 'lock-4' });
    await core.iot.revokeCertificate(revoked.certificateId);

    core = await core.restart();

    expect(core.iot.endpoints.caPem).toBe(caBefore);
    const device = await connectDevice(core.iot, kept, { clientId: 'lock-3' });
    expect(device.mqtt.connected).toBe(true);
    await device.end();
    expect(
      await attemptConnection(core.iot.endpoints.mqtts, deviceOptions(revoked, { clientId: 'lock-4' })),
    ).toMatch(/^refused/);
  });

  it('keeps shadows in one JSON file each, and never a half-written one', async () => {
    core = await startTestIotCore();
    await withSdk(core, (sdk) =>
      sdk.send(
        new UpdateThingShadowCommand({
          thingName: 'lock-5',
          shadowName: 'state',
          payload: encode({ state: { reported: { a: 1 } } }),
        }),
      ),
    );
    await core.iot.idle();
    const dir = join(core.dataDir, 'shadows', 'lock-5', 'named');
    const files = await readdir(dir);
    expect(files).toEqual(['state.json']);
    const stored = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8'));
    expect(stored).toMatchObject({ thingName: 'lock-5', shadowName: 'state', document: { version: 1 } });
  });
});
