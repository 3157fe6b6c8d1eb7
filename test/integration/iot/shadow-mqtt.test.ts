// Conformance of the local IoT Core's Device Shadow service over MQTT with AWS IoT Core's documented behaviour.
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closedByBroker,
  connectService,
  type InboxClient,
  json,
  startTestIotCore,
  type TestIotCore,
} from './iot-fixture.ts';

let core: TestIotCore;
let app: InboxClient;

beforeAll(async () => {
  core = await startTestIotCore();
  app = await connectService(core.iot);
});

afterAll(async () => {
  await core?.dispose();
});

let counter = 0;
/** A fresh thing per test, so tests do not share shadows. */
const newThing = () => `lock-${++counter}-${Date.now()}`;

async function watch(thingName: string, shadowName?: string) {
  const prefix =
    shadowName === undefined
      ? `$aws/things/${thingName}/shadow`
      : `$aws/things/${thingName}/shadow/name/${shadowName}`;
  await app.mqtt.subscribeAsync(`${prefix}/#`, { qos: 1 });
  return {
    prefix,
    send: (operation: string, payload: unknown) =>
      app.mqtt.publishAsync(`${prefix}/${operation}`, typeof payload === 'string' ? payload : json(payload)),
    next: (suffix: string, clientToken?: string) =>
      app.next(
        `${prefix}/${suffix}`,
        (message) => clientToken === undefined || message.json?.clientToken === clientToken,
      ),
  };
}

describe('update over MQTT', () => {
  it('answers on update/accepted with the request state, metadata, version 1 and the clientToken', async () => {
    const shadow = await watch(newThing(), 'state');
    await shadow.send('update', { state: { reported: { locked: true, battery: 80 } }, clientToken: 'u1' });
    const accepted = await shadow.next('update/accepted', 'u1');
    expect(accepted.json).toMatchObject({
      state: { reported: { locked: true, battery: 80 } },
      metadata: {
        reported: { locked: { timestamp: expect.any(Number) }, battery: { timestamp: expect.any(Number) } },
      },
      version: 1,
      timestamp: expect.any(Number),
      clientToken: 'u1',
    });
  });

  it('merges partial updates, deletes null keys and replaces arrays whole', async () => {
    const shadow = await watch(newThing(), 'state');
    await shadow.send('update', {
      state: { reported: { locked: true, methods: ['pin', 'card'], firmware: '1.0' } },
      clientToken: 'a',
    });
    await shadow.next('update/accepted', 'a');
    await shadow.send('update', { state: { reported: { locked: false, methods: ['pin'], firmware: null } } });
    await shadow.send('get', { clientToken: 'g' });
    const got = await shadow.next('get/accepted', 'g');
    expect(got.json?.state).toEqual({ reported: { locked: false, methods: ['pin'] } });
    expect(got.json?.version).toBe(2);
  });

  it('publishes update/documents with previous and current documents', async () => {
    const shadow = await watch(newThing(), 'state');
    await shadow.send('update', { state: { desired: { relock: 5 } }, clientToken: 'd1' });
    const first = await shadow.next('update/documents', 'd1');
    expect(first.json).not.toHaveProperty('previous');
    await shadow.send('update', { state: { desired: { relock: 7 } }, clientToken: 'd2' });
    const second = await shadow.next('update/documents', 'd2');
    expect(second.json).toMatchObject({
      previous: { state: { desired: { relock: 5 } }, version: 1 },
      current: { state: { desired: { relock: 7 } }, version: 2 },
      clientToken: 'd2',
    });
  });

  it('delivers requests to other subscribers of the request topic too', async () => {
    const shadow = await watch(newThing());
    await shadow.send('update', { state: { reported: { a: 1 } }, clientToken: 'r' });
    const request = await shadow.next('update', 'r');
    expect(request.json).toEqual({ state: { reported: { a: 1 } }, clientToken: 'r' });
  });
});

describe('delta over MQTT', () => {
  it('publishes what desired asks that reported does not show, and nothing once they agree', async () => {
    const shadow = await watch(newThing(), 'commands');
    await shadow.send('update', {
      state: { desired: { unlock: { id: 'c1' }, relock: 5 } },
      clientToken: 'w',
    });
    const delta = await shadow.next('update/delta', 'w');
    expect(delta.json).toMatchObject({
      state: { unlock: { id: 'c1' }, relock: 5 },
      metadata: {
        unlock: { id: { timestamp: expect.any(Number) } },
        relock: { timestamp: expect.any(Number) },
      },
      version: 1,
      clientToken: 'w',
    });

    await shadow.send('update', { state: { reported: { relock: 5 } }, clientToken: 'partial' });
    const remaining = await shadow.next('update/delta', 'partial');
    expect(remaining.json?.state).toEqual({ unlock: { id: 'c1' } });

    await shadow.send('update', { state: { reported: { unlock: { id: 'c1' } } }, clientToken: 'sync' });
    await shadow.next('update/documents', 'sync');
    await shadow.send('get', { clientToken: 'after' });
    const got = await shadow.next('get/accepted', 'after');
    expect(got.json?.state).not.toHaveProperty('delta');
    expect(app.inbox.pending.filter((message) => message.topic === `${shadow.prefix}/update/delta`)).toEqual(
      [],
    );
  });

  it('compares by type, so a reported 1 does not satisfy a desired true', async () => {
    const shadow = await watch(newThing());
    await shadow.send('update', {
      state: { desired: { locked: true }, reported: { locked: 1 } },
      clientToken: 't',
    });
    const delta = await shadow.next('update/delta', 't');
    expect(delta.json?.state).toEqual({ locked: true });
  });
});

describe('get and delete over MQTT', () => {
  it('answers get/rejected 404 naming the shadow when it does not exist', async () => {
    const thing = newThing();
    const shadow = await watch(thing, 'codes');
    await shadow.send('get', { clientToken: 'missing' });
    const rejected = await shadow.next('get/rejected', 'missing');
    expect(rejected.json).toMatchObject({
      code: 404,
      message: "No shadow exists with name: 'codes'",
      clientToken: 'missing',
    });
  });

  it('names the thing in the 404 of a classic shadow and accepts an empty get payload', async () => {
    const thing = newThing();
    const shadow = await watch(thing);
    await shadow.send('get', '');
    const rejected = await shadow.next('get/rejected');
    expect(rejected.json).toMatchObject({ code: 404, message: `No shadow exists with name: '${thing}'` });
  });

  it('deletes a shadow, answering its last version, after which get is 404', async () => {
    const shadow = await watch(newThing(), 'state');
    await shadow.send('update', { state: { reported: { a: 1 } } });
    await shadow.send('update', { state: { reported: { a: 2 } }, clientToken: 'second' });
    await shadow.next('update/accepted', 'second');
    await shadow.send('delete', { clientToken: 'del' });
    const deleted = await shadow.next('delete/accepted', 'del');
    expect(deleted.json).toMatchObject({ version: 2, clientToken: 'del', timestamp: expect.any(Number) });
    await shadow.send('get', { clientToken: 'gone' });
    expect((await shadow.next('get/rejected', 'gone')).json?.code).toBe(404);
    await shadow.send('delete', { clientToken: 'again' });
    expect((await shadow.next('delete/rejected', 'again')).json?.code).toBe(404);
  });

  it('continues the version of a shadow re-created soon after its deletion', async () => {
    const shadow = await watch(newThing(), 'state');
    await shadow.send('update', { state: { reported: { a: 1 } } });
    await shadow.send('update', { state: { reported: { a: 2 } } });
    await shadow.send('delete', { clientToken: 'del' });
    await shadow.next('delete/accepted', 'del');
    await shadow.send('update', { state: { reported: { a: 3 } }, clientToken: 'new' });
    const accepted = await shadow.next('update/accepted', 'new');
    expect(accepted.json?.version).toBe(3);
    const documents = await shadow.next('update/documents', 'new');
    expect(documents.json).not.toHaveProperty('previous');
  });
});

describe('versions over MQTT', () => {
  it('accepts an update with the current version and refuses a stale one with 409, changing nothing', async () => {
    const shadow = await watch(newThing(), 'codes');
    await shadow.send('update', { state: { desired: { codes: { a: 1 } } }, clientToken: 'v1' });
    await shadow.next('update/accepted', 'v1');
    await shadow.send('update', { state: { desired: { codes: { b: 2 } } }, version: 1, clientToken: 'v2' });
    expect((await shadow.next('update/accepted', 'v2')).json?.version).toBe(2);

    await shadow.send('update', { state: { desired: { codes: null } }, version: 1, clientToken: 'stale' });
    const rejected = await shadow.next('update/rejected', 'stale');
    expect(rejected.json).toMatchObject({ code: 409, message: 'Version conflict', clientToken: 'stale' });

    await shadow.send('get', { clientToken: 'check' });
    const got = await shadow.next('get/accepted', 'check');
    expect(got.json).toMatchObject({ state: { desired: { codes: { a: 1, b: 2 } } }, version: 2 });
  });
});

describe('refused updates over MQTT', () => {
  it.each([
    ['malformed JSON', '{"state": {', 400, 'Invalid JSON'],
    ['no state', json({ clientToken: 'x' }), 400, 'Missing required node: state'],
    [
      'a desired that is not an object',
      json({ state: { desired: 'open' } }),
      400,
      'Desired node must be an object',
    ],
    ['a delta node', json({ state: { delta: {} } }), 400, "State contains an invalid node: 'delta'"],
    ['a long clientToken', json({ state: {}, clientToken: 'x'.repeat(65) }), 400, 'Invalid clientToken'],
    [
      'too many levels',
      json({ state: { reported: { a: { b: { c: { d: { e: { f: { g: 1 } } } } } } } } }),
      400,
      'JSON contains too many levels of nesting; maximum is 6',
    ],
    [
      'a document over 8 KB',
      json({ state: { reported: { blob: 'x'.repeat(8200) } } }),
      413,
      'The payload exceeds the maximum size allowed',
    ],
  ])('refuses %s on update/rejected with %i', async (_case, payload, code, message) => {
    const shadow = await watch(newThing(), 'state');
    await shadow.send('update', payload);
    const rejected = await shadow.next('update/rejected');
    expect(rejected.json).toMatchObject({ code, message });
    await shadow.send('get', { clientToken: 'nothing-stored' });
    expect((await shadow.next('get/rejected', 'nothing-stored')).json?.code).toBe(404);
  });

  it('echoes the clientToken of a refused update', async () => {
    const shadow = await watch(newThing());
    await shadow.send('update', { state: 'on', clientToken: 'bad-state' });
    const rejected = await shadow.next('update/rejected', 'bad-state');
    expect(rejected.json).toMatchObject({ code: 400, message: 'State node must be an object' });
  });

  it('refuses an invalid shadow name', async () => {
    const thing = newThing();
    const prefix = `$aws/things/${thing}/shadow/name/${'x'.repeat(65)}`;
    await app.mqtt.subscribeAsync(`${prefix}/update/rejected`);
    await app.mqtt.publishAsync(`${prefix}/update`, json({ state: { reported: { a: 1 } } }));
    expect((await app.next(`${prefix}/update/rejected`)).json).toMatchObject({
      code: 400,
      message: 'Invalid shadow name',
    });
  });
});

describe('reserved topics', () => {
  it('disconnects a client publishing to a shadow response topic', async () => {
    const intruder = await connectService(core.iot);
    const closed = closedByBroker(intruder.mqtt);
    intruder.mqtt.publish(`$aws/things/${newThing()}/shadow/update/accepted`, json({ state: {} }), {
      qos: 1,
    });
    await closed;
    expect(core.logs.some((line) => line.includes('reserved topic'))).toBe(true);
  });

  it('disconnects a client publishing a retained message to a shadow request topic', async () => {
    const thing = newThing();
    const intruder = await connectService(core.iot);
    const closed = closedByBroker(intruder.mqtt);
    intruder.mqtt.publish(`$aws/things/${thing}/shadow/update`, json({ state: { reported: { a: 1 } } }), {
      qos: 1,
      retain: true,
    });
    await closed;
    const shadow = await watch(thing);
    await shadow.send('get', { clientToken: 'r' });
    expect((await shadow.next('get/rejected', 'r')).json?.code).toBe(404);
  });

  it('ignores a Last Will aimed at a reserved topic', async () => {
    const thing = newThing();
    const clientId = `will-${thing}`;
    await app.mqtt.subscribeAsync(`$aws/events/presence/disconnected/${clientId}`);
    const dying = await mqtt.connectAsync(core.iot.endpoints.mqtt, {
      clientId,
      reconnectPeriod: 0,
      will: {
        topic: `$aws/things/${thing}/shadow/update`,
        payload: Buffer.from(json({ state: { reported: { a: 1 } } })),
        qos: 1,
        retain: false,
      },
    });
    dying.stream.destroy();
    // The will would be published before the disconnection is announced.
    await app.next(`$aws/events/presence/disconnected/${clientId}`);
    const shadow = await watch(thing);
    await shadow.send('get', { clientToken: 'w' });
    expect((await shadow.next('get/rejected', 'w')).json?.code).toBe(404);
    dying.end(true);
  });
});
