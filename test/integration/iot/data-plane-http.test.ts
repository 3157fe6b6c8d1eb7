// The IoT Data Plane HTTP API of the local IoT Core, driven by the real @aws-sdk/client-iot-data-plane.
import {
  ConflictException,
  DeleteThingShadowCommand,
  GetThingShadowCommand,
  InvalidRequestException,
  type IoTDataPlaneClient,
  ListNamedShadowsForThingCommand,
  PublishCommand,
  RequestEntityTooLargeException,
  ResourceNotFoundException,
  UnsupportedDocumentEncodingException,
  UpdateThingShadowCommand,
} from '@aws-sdk/client-iot-data-plane';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectService,
  dataPlaneClient,
  decode,
  type InboxClient,
  json,
  startTestIotCore,
  type TestIotCore,
} from './iot-fixture.ts';

let core: TestIotCore;
let sdk: IoTDataPlaneClient;
let app: InboxClient;

beforeAll(async () => {
  core = await startTestIotCore();
  sdk = dataPlaneClient(core.iot);
  app = await connectService(core.iot);
});

afterAll(async () => {
  sdk?.destroy();
  await core?.dispose();
});

let counter = 0;
const newThing = () => `http-lock-${++counter}-${Date.now()}`;
const encode = (value: unknown) => new TextEncoder().encode(json(value));

describe('UpdateThingShadow and GetThingShadow', () => {
  it('updates a named shadow and answers with the accepted document', async () => {
    const thingName = newThing();
    const answer = await sdk.send(
      new UpdateThingShadowCommand({
        thingName,
        shadowName: 'codes',
        payload: encode({ state: { desired: { codes: { g1: { hash: 'h' } } } }, clientToken: 'api' }),
      }),
    );
    expect(decode(answer.payload)).toMatchObject({
      state: { desired: { codes: { g1: { hash: 'h' } } } },
      metadata: { desired: { codes: { g1: { hash: { timestamp: expect.any(Number) } } } } },
      version: 1,
      clientToken: 'api',
    });

    const read = await sdk.send(new GetThingShadowCommand({ thingName, shadowName: 'codes' }));
    expect(decode(read.payload)).toMatchObject({
      state: { desired: { codes: { g1: { hash: 'h' } } }, delta: { codes: { g1: { hash: 'h' } } } },
      version: 1,
    });
  });

  it('keeps classic and named shadows of a thing apart', async () => {
    const thingName = newThing();
    await sdk.send(
      new UpdateThingShadowCommand({ thingName, payload: encode({ state: { reported: { c: 1 } } }) }),
    );
    await sdk.send(
      new UpdateThingShadowCommand({
        thingName,
        shadowName: 'state',
        payload: encode({ state: { reported: { n: 1 } } }),
      }),
    );
    const classic = decode((await sdk.send(new GetThingShadowCommand({ thingName }))).payload);
    expect(classic.state).toEqual({ reported: { c: 1 } });
  });

  it('publishes update/accepted, update/delta and update/documents over MQTT for an HTTP update', async () => {
    const thingName = newThing();
    const prefix = `$aws/things/${thingName}/shadow/name/commands`;
    await app.mqtt.subscribeAsync(`${prefix}/update/+`);
    await sdk.send(
      new UpdateThingShadowCommand({
        thingName,
        shadowName: 'commands',
        payload: encode({ state: { desired: { unlock: { id: 'cmd-1' } } }, clientToken: 'http' }),
      }),
    );
    expect((await app.next(`${prefix}/update/accepted`)).json).toMatchObject({
      version: 1,
      clientToken: 'http',
    });
    expect((await app.next(`${prefix}/update/delta`)).json).toMatchObject({
      state: { unlock: { id: 'cmd-1' } },
    });
    expect((await app.next(`${prefix}/update/documents`)).json).toMatchObject({ current: { version: 1 } });
  });

  it('raises ResourceNotFoundException for a shadow that does not exist', async () => {
    const error = await sdk
      .send(new GetThingShadowCommand({ thingName: newThing(), shadowName: 'none' }))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect((error as ResourceNotFoundException).message).toBe("No shadow exists with name: 'none'");
    expect((error as ResourceNotFoundException).$metadata.httpStatusCode).toBe(404);
  });

  it('raises ConflictException for a stale version and leaves the shadow as it was', async () => {
    const thingName = newThing();
    const update = (payload: unknown) =>
      sdk.send(new UpdateThingShadowCommand({ thingName, shadowName: 's', payload: encode(payload) }));
    await update({ state: { reported: { a: 1 } } });
    await update({ state: { reported: { a: 2 } }, version: 1 });
    const error = await update({ state: { reported: { a: 3 } }, version: 1 }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ConflictException);
    expect((error as ConflictException).message).toBe('Version conflict');
    const read = decode((await sdk.send(new GetThingShadowCommand({ thingName, shadowName: 's' }))).payload);
    expect(read).toMatchObject({ state: { reported: { a: 2 } }, version: 2 });
  });

  it.each([
    ['malformed JSON', new TextEncoder().encode('{"state"'), InvalidRequestException, 'Invalid JSON'],
    ['no state', encode({ version: 1 }), InvalidRequestException, 'Missing required node: state'],
    [
      'a document over 8 KB',
      encode({ state: { desired: { blob: 'x'.repeat(9000) } } }),
      RequestEntityTooLargeException,
      'The payload exceeds the maximum size allowed',
    ],
    [
      'a payload that is not UTF-8',
      new Uint8Array([0x7b, 0xc3, 0x28, 0x7d]),
      UnsupportedDocumentEncodingException,
      'Unsupported documented encoding; supported encoding is UTF-8',
    ],
  ])('raises the matching exception for %s', async (_case, payload, exceptionClass, message) => {
    const thingName = newThing();
    const error = await sdk
      .send(new UpdateThingShadowCommand({ thingName, payload }))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(exceptionClass);
    expect((error as Error).message).toBe(message);
    const missing = await sdk
      .send(new GetThingShadowCommand({ thingName }))
      .catch((caught: unknown) => caught);
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
  });

  it('raises InvalidRequestException for an invalid thing name', async () => {
    const error = await sdk
      .send(new GetThingShadowCommand({ thingName: 'has space' }))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidRequestException);
  });

  it('does not publish update/rejected for an HTTP error', async () => {
    const thingName = newThing();
    const prefix = `$aws/things/${thingName}/shadow`;
    await app.mqtt.subscribeAsync(`${prefix}/update/+`);
    await sdk
      .send(new UpdateThingShadowCommand({ thingName, payload: encode({ nope: 1 }) }))
      .catch(() => undefined);
    // A later successful update proves every earlier notification has been delivered (one broker, in order).
    await sdk.send(
      new UpdateThingShadowCommand({ thingName, payload: encode({ state: {}, clientToken: 'ok' }) }),
    );
    await app.next(`${prefix}/update/accepted`);
    expect(app.inbox.pending.filter((message) => message.topic === `${prefix}/update/rejected`)).toEqual([]);
  });
});

describe('DeleteThingShadow', () => {
  it('deletes, answers the last version, and publishes delete/accepted', async () => {
    const thingName = newThing();
    const prefix = `$aws/things/${thingName}/shadow/name/state`;
    await app.mqtt.subscribeAsync(`${prefix}/delete/accepted`);
    await sdk.send(
      new UpdateThingShadowCommand({
        thingName,
        shadowName: 'state',
        payload: encode({ state: { reported: {} } }),
      }),
    );
    await sdk.send(
      new UpdateThingShadowCommand({
        thingName,
        shadowName: 'state',
        payload: encode({ state: { reported: { a: 1 } } }),
      }),
    );
    const deleted = await sdk.send(new DeleteThingShadowCommand({ thingName, shadowName: 'state' }));
    expect(decode(deleted.payload)).toMatchObject({ version: 2, timestamp: expect.any(Number) });
    expect((await app.next(`${prefix}/delete/accepted`)).json).toMatchObject({ version: 2 });
    const again = await sdk
      .send(new DeleteThingShadowCommand({ thingName, shadowName: 'state' }))
      .catch((caught: unknown) => caught);
    expect(again).toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('ListNamedShadowsForThing', () => {
  it('lists the named shadows, not the classic one, page by page', async () => {
    const thingName = newThing();
    for (const shadowName of [undefined, 'state', 'codes', 'commands']) {
      await sdk.send(
        new UpdateThingShadowCommand({
          thingName,
          shadowName,
          payload: encode({ state: { reported: { a: 1 } } }),
        }),
      );
    }
    const first = await sdk.send(new ListNamedShadowsForThingCommand({ thingName, pageSize: 2 }));
    expect(first.results).toEqual(['codes', 'commands']);
    expect(first.nextToken).toBeDefined();
    const second = await sdk.send(
      new ListNamedShadowsForThingCommand({ thingName, pageSize: 2, nextToken: first.nextToken }),
    );
    expect(second.results).toEqual(['state']);
    expect(second.nextToken).toBeUndefined();
  });

  it('lists nothing for an unknown thing and no deleted shadow', async () => {
    const thingName = newThing();
    expect((await sdk.send(new ListNamedShadowsForThingCommand({ thingName }))).results).toEqual([]);
    await sdk.send(
      new UpdateThingShadowCommand({
        thingName,
        shadowName: 'gone',
        payload: encode({ state: { reported: {} } }),
      }),
    );
    await sdk.send(new DeleteThingShadowCommand({ thingName, shadowName: 'gone' }));
    expect((await sdk.send(new ListNamedShadowsForThingCommand({ thingName }))).results).toEqual([]);
  });

  it('refuses a page size outside 1 to 100', async () => {
    const error = await sdk
      .send(new ListNamedShadowsForThingCommand({ thingName: newThing(), pageSize: 101 }))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidRequestException);
  });
});

describe('Publish', () => {
  it('publishes a message to MQTT subscribers', async () => {
    await app.mqtt.subscribeAsync('lockstay/test/+');
    await sdk.send(
      new PublishCommand({ topic: 'lockstay/test/hello', qos: 1, payload: encode({ hi: true }) }),
    );
    expect((await app.next('lockstay/test/hello')).json).toEqual({ hi: true });
  });

  it('updates a shadow when published to its update topic, as AWS IoT does', async () => {
    const thingName = newThing();
    const prefix = `$aws/things/${thingName}/shadow/name/state`;
    await app.mqtt.subscribeAsync(`${prefix}/update/accepted`);
    await sdk.send(
      new PublishCommand({
        topic: `${prefix}/update`,
        payload: encode({ state: { reported: { a: 1 } }, clientToken: 'p' }),
      }),
    );
    expect((await app.next(`${prefix}/update/accepted`)).json).toMatchObject({
      version: 1,
      clientToken: 'p',
    });
  });

  it('refuses a retained message on a reserved topic', async () => {
    const error = await sdk
      .send(
        new PublishCommand({
          topic: `$aws/things/${newThing()}/shadow/update`,
          retain: true,
          payload: encode({}),
        }),
      )
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidRequestException);
  });
});
