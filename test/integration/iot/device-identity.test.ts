// Who may connect to the local IoT Core's mutual-TLS listener, and what each lock may touch once connected.
import { X509Certificate } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAtomicFileWriter } from '#infra/local/iot/atomic-file.ts';
import { openCertificateAuthority } from '#infra/local/iot/certificate-authority.ts';
import type { IssuedDeviceCertificate } from '#infra/local/iot/index.ts';
import {
  attemptConnection,
  closedByBroker,
  connectDevice,
  connectService,
  deviceOptions,
  type InboxClient,
  json,
  startTestIotCore,
  type TestIotCore,
} from './iot-fixture.ts';

let core: TestIotCore;
let app: InboxClient;
let lock1: IssuedDeviceCertificate;
let lock2: IssuedDeviceCertificate;

beforeAll(async () => {
  core = await startTestIotCore();
  app = await connectService(core.iot);
  lock1 = await core.iot.issueDeviceCertificate({ thingName: 'lock-1' });
  lock2 = await core.iot.issueDeviceCertificate({ thingName: 'lock-2' });
});

afterAll(async () => {
  await core?.dispose();
});

describe('device certificates', () => {
  it('are issued by the local CA for the thing, with an AWS-style certificate id', () => {
    const certificate = new X509Certificate(lock1.certificatePem);
    expect(certificate.subject).toBe('CN=lock-1');
    expect(certificate.checkIssued(new X509Certificate(core.iot.endpoints.caPem))).toBe(true);
    expect(lock1.certificateId).toMatch(/^[0-9a-f]{64}$/);
    expect(lock1.certificateId).toBe(certificate.fingerprint256.replaceAll(':', '').toLowerCase());
    expect(lock1.caPem).toBe(core.iot.endpoints.caPem);
  });
});

describe('connecting', () => {
  it('lets a lock connect with its certificate and its thing name as client id', async () => {
    expect(
      await attemptConnection(core.iot.endpoints.mqtts, deviceOptions(lock1, { clientId: 'lock-1' })),
    ).toBe('connected');
  });

  it("refuses a lock whose client id is not its thing name, another lock's included", async () => {
    for (const clientId of ['lock-2', 'someone-else']) {
      const outcome = await attemptConnection(core.iot.endpoints.mqtts, deviceOptions(lock1, { clientId }));
      expect(outcome).toMatch(/^refused/);
    }
  });

  it('refuses a client without a certificate on the TLS listener', async () => {
    const outcome = await attemptConnection(core.iot.endpoints.mqtts, {
      clientId: 'lock-1',
      ca: core.iot.endpoints.caPem,
    });
    expect(outcome).toMatch(/^refused/);
  });

  it('refuses a certificate from another CA, even for a registered thing name', async () => {
    const dir = join(tmpdir(), `lockstay-foreign-ca-${process.pid}-${Date.now()}`);
    try {
      const foreign = await openCertificateAuthority({ dir, writer: createAtomicFileWriter() });
      const impostor = await foreign.issueDeviceCertificate({ thingName: 'lock-1' });
      const outcome = await attemptConnection(
        core.iot.endpoints.mqtts,
        deviceOptions({ ...impostor, caPem: core.iot.endpoints.caPem }, { clientId: 'lock-1' }),
      );
      expect(outcome).toMatch(/^refused/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a revoked certificate and closes the connections made with it', async () => {
    const spare = await core.iot.issueDeviceCertificate({ thingName: 'lock-9' });
    const device = await connectDevice(core.iot, spare, { clientId: 'lock-9' });
    const closed = closedByBroker(device.mqtt);

    expect(await core.iot.revokeCertificate(spare.certificateId)).toBe(true);
    await closed;
    const outcome = await attemptConnection(
      core.iot.endpoints.mqtts,
      deviceOptions(spare, { clientId: 'lock-9' }),
    );
    expect(outcome).toMatch(/^refused/);
    expect(await core.iot.revokeCertificate('0'.repeat(64))).toBe(false);
  });
});

describe("a lock and another lock's shadow", () => {
  it('may update and read its own shadows', async () => {
    const device = await connectDevice(core.iot, lock1, { clientId: 'lock-1' });
    const prefix = '$aws/things/lock-1/shadow/name/state';
    await device.mqtt.subscribeAsync([`${prefix}/update/accepted`, `${prefix}/get/+`]);
    await device.mqtt.publishAsync(
      `${prefix}/update`,
      json({ state: { reported: { locked: true } }, clientToken: 'o' }),
    );
    expect((await device.next(`${prefix}/update/accepted`)).json).toMatchObject({ clientToken: 'o' });
    await device.end();
  });

  it("is disconnected when it publishes to another lock's shadow, which stays untouched", async () => {
    const device = await connectDevice(core.iot, lock1, { clientId: 'lock-1' });
    const closed = closedByBroker(device.mqtt);
    const target = '$aws/things/lock-2/shadow/name/commands';
    await app.mqtt.subscribeAsync(`${target}/#`);
    device.mqtt.publish(`${target}/update`, json({ state: { desired: { unlock: { id: 'forged' } } } }), {
      qos: 1,
    });
    await closed;

    await app.mqtt.publishAsync(`${target}/get`, json({ clientToken: 'check' }));
    expect((await app.next(`${target}/get/rejected`)).json).toMatchObject({ code: 404 });
    expect(app.inbox.pending.filter((message) => message.topic === `${target}/update`)).toEqual([]);
  });

  it("may not subscribe to another lock's shadow topics", async () => {
    const device = await connectDevice(core.iot, lock1, { clientId: 'lock-1' });
    const granted = await device.mqtt
      .subscribeAsync(['$aws/things/lock-2/shadow/name/commands/update/delta'])
      .catch((error: { packet?: { granted?: number[] } }) => error.packet?.granted);
    expect(granted).toEqual([128]);
    const wide = await device.mqtt
      .subscribeAsync(['$aws/things/+/shadow/#'])
      .catch((error: { packet?: { granted?: number[] } }) => error.packet?.granted);
    expect(wide).toEqual([128]);
    await device.end();
  });

  it("never receives another lock's shadow messages", async () => {
    const device = await connectDevice(core.iot, lock1, { clientId: 'lock-1' });
    await device.mqtt.subscribeAsync('$aws/things/lock-1/shadow/#');
    await app.mqtt.publishAsync(
      '$aws/things/lock-2/shadow/name/commands/update',
      json({ state: { desired: { unlock: { id: 'c2' } } } }),
    );
    // Its own update afterwards proves the broker has delivered everything published before it.
    await app.mqtt.publishAsync(
      '$aws/things/lock-1/shadow/update',
      json({ state: {}, clientToken: 'barrier' }),
    );
    await device.next(
      '$aws/things/lock-1/shadow/update/accepted',
      (message) => message.json?.clientToken === 'barrier',
    );
    expect(device.inbox.pending.filter((message) => message.topic.includes('lock-2'))).toEqual([]);
    await device.end();
  });

  it('may not publish outside its shadow topics nor subscribe to presence events', async () => {
    const device = await connectDevice(core.iot, lock2, { clientId: 'lock-2' });
    const granted = await device.mqtt
      .subscribeAsync(['$aws/events/presence/connected/+'])
      .catch((error: { packet?: { granted?: number[] } }) => error.packet?.granted);
    expect(granted).toEqual([128]);
    const closed = closedByBroker(device.mqtt);
    device.mqtt.publish('lockstay/anything', 'x', { qos: 1 });
    await closed;
  });
});

describe('presence events', () => {
  it('announces a connection and a disconnection with AWS fields', async () => {
    await app.mqtt.subscribeAsync('$aws/events/presence/+/lock-1');
    const device = await connectDevice(core.iot, lock1, { clientId: 'lock-1' });
    const connected = await app.next('$aws/events/presence/connected/lock-1');
    expect(connected.json).toEqual({
      clientId: 'lock-1',
      timestamp: expect.any(Number),
      eventType: 'connected',
      sessionIdentifier: expect.any(String),
      principalIdentifier: lock1.certificateId,
      ipAddress: '127.0.0.1',
      versionNumber: expect.any(Number),
    });

    await device.end();
    // This connection's, not a late announcement of an earlier test's connection of lock-1.
    const disconnected = await app.next(
      '$aws/events/presence/disconnected/lock-1',
      (message) => message.json?.sessionIdentifier === connected.json?.sessionIdentifier,
    );
    expect(disconnected.json).toEqual({
      clientId: 'lock-1',
      timestamp: expect.any(Number),
      eventType: 'disconnected',
      sessionIdentifier: connected.json?.sessionIdentifier,
      principalIdentifier: lock1.certificateId,
      clientInitiatedDisconnect: true,
      disconnectReason: 'CLIENT_INITIATED_DISCONNECT',
      versionNumber: connected.json?.versionNumber,
    });
    expect(disconnected.json?.timestamp as number).toBeGreaterThanOrEqual(
      connected.json?.timestamp as number,
    );
  });

  it('reports a lost connection and a duplicate client id', async () => {
    await app.mqtt.subscribeAsync('$aws/events/presence/disconnected/lock-2');
    const first = await connectDevice(core.iot, lock2, { clientId: 'lock-2' });
    const second = await connectDevice(core.iot, lock2, { clientId: 'lock-2' });
    expect((await app.next('$aws/events/presence/disconnected/lock-2')).json).toMatchObject({
      disconnectReason: 'DUPLICATE_CLIENTID',
      clientInitiatedDisconnect: false,
    });
    second.mqtt.stream.destroy();
    expect((await app.next('$aws/events/presence/disconnected/lock-2')).json).toMatchObject({
      disconnectReason: 'CONNECTION_LOST',
    });
    await Promise.allSettled([first.end(), second.end()]);
  });
});

describe('topic rules', () => {
  it('hand shadow update documents to the device events target with the thing and shadow names', async () => {
    await app.mqtt.publishAsync(
      '$aws/things/lock-1/shadow/name/state/update',
      json({ state: { reported: { battery: 42 } }, clientToken: 'rule' }),
    );
    const match = await core.ruleMatches.next(
      (candidate) => candidate.rule === 'namedShadowDocuments' && candidate.payload.clientToken === 'rule',
    );
    expect(match.topic).toBe('$aws/things/lock-1/shadow/name/state/update/documents');
    expect(match.definition.target).toBe('handleDeviceEvent');
    expect(match.payload).toMatchObject({
      thingName: 'lock-1',
      shadowName: 'state',
      current: { state: { reported: { battery: 42 } } },
    });
  });

  it('hand presence events to the device events target', async () => {
    const device = await connectDevice(core.iot, lock2, { clientId: 'lock-2' });
    const match = await core.ruleMatches.next(
      (candidate) =>
        candidate.rule === 'presenceEvents' &&
        candidate.payload.clientId === 'lock-2' &&
        candidate.payload.eventType === 'connected',
    );
    expect(match.payload).toMatchObject({ principalIdentifier: lock2.certificateId });
    await device.end();
  });
});
