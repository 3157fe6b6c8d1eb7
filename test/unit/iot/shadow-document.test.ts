// The device shadow semantics of the local IoT Core, as AWS IoT Core documents them, without a broker.
import { describe, expect, it } from 'vitest';
import {
  applyShadowUpdate,
  assertValidShadowRef,
  computeDelta,
  defaultShadowLimits,
  type JsonObject,
  parseShadowPayload,
  readRequestToken,
  rejectionDocument,
  type ShadowDocument,
  ShadowRequestError,
  shadowDeleteDocument,
  shadowGetDocument,
} from '#infra/local/iot/shadow-document.ts';

const t1 = 1_700_000_000;
const t2 = 1_700_000_100;
const t3 = 1_700_000_200;

const bytes = (request: unknown) => Buffer.from(JSON.stringify(request));

/** Applies updates in order, each one second... apart in the given timestamps, and returns the last result. */
function updates(...steps: Array<[unknown, number]>) {
  let current: ShadowDocument | undefined;
  let result: ReturnType<typeof applyShadowUpdate> | undefined;
  for (const [request, timestamp] of steps) {
    result = applyShadowUpdate({ current, payload: bytes(request), timestamp });
    current = result.document;
  }
  if (result === undefined) throw new Error('no update');
  return result;
}

function refusalOf(action: () => unknown): ShadowRequestError {
  try {
    action();
  } catch (error) {
    if (error instanceof ShadowRequestError) return error;
    throw error;
  }
  throw new Error('expected the request to be refused');
}

describe('updating a shadow', () => {
  it('creates the shadow at version 1 with a timestamp per leaf', () => {
    const { document } = updates([{ state: { desired: { locked: true, battery: { level: 80 } } } }, t1]);
    expect(document).toEqual({
      state: { desired: { locked: true, battery: { level: 80 } } },
      metadata: { desired: { locked: { timestamp: t1 }, battery: { level: { timestamp: t1 } } } },
      version: 1,
    });
  });

  it('changes only the fields given and keeps the others with their timestamps', () => {
    const { document } = updates(
      [{ state: { reported: { locked: true, battery: 80, firmware: '1.0.0' } } }, t1],
      [{ state: { reported: { battery: 75 } } }, t2],
    );
    expect(document.state.reported).toEqual({ locked: true, battery: 75, firmware: '1.0.0' });
    expect(document.metadata.reported).toEqual({
      locked: { timestamp: t1 },
      battery: { timestamp: t2 },
      firmware: { timestamp: t1 },
    });
    expect(document.version).toBe(2);
  });

  it('merges nested objects key by key', () => {
    const { document } = updates(
      [{ state: { desired: { codes: { a: { window: 1 }, b: { window: 2 } } } } }, t1],
      [{ state: { desired: { codes: { b: { window: 3 }, c: { window: 4 } } } } }, t2],
    );
    expect(document.state.desired).toEqual({
      codes: { a: { window: 1 }, b: { window: 3 }, c: { window: 4 } },
    });
    expect(document.metadata.desired).toEqual({
      codes: {
        a: { window: { timestamp: t1 } },
        b: { window: { timestamp: t2 } },
        c: { window: { timestamp: t2 } },
      },
    });
  });

  it('deletes a key given as null, with its metadata', () => {
    const { document } = updates(
      [{ state: { desired: { unlock: 'cmd-1', mode: 'auto' } } }, t1],
      [{ state: { desired: { unlock: null } } }, t2],
    );
    expect(document.state.desired).toEqual({ mode: 'auto' });
    expect(document.metadata.desired).toEqual({ mode: { timestamp: t1 } });
  });

  it('removes a whole section given as null', () => {
    const { document } = updates(
      [{ state: { desired: { a: 1 }, reported: { a: 2 } } }, t1],
      [{ state: { desired: null } }, t2],
    );
    expect(document.state).toEqual({ reported: { a: 2 } });
    expect(document.metadata).toEqual({ reported: { a: { timestamp: t1 } } });
  });

  it('drops a section left empty by deletions', () => {
    const { document } = updates(
      [{ state: { desired: { a: 1 } } }, t1],
      [{ state: { desired: { a: null } } }, t2],
    );
    expect(document.state).toEqual({});
    expect(document.metadata).toEqual({});
  });

  it('does not add a new key whose value holds only nulls', () => {
    const { document } = updates([{ state: { reported: { a: 1, b: { c: null }, d: null } } }, t1]);
    expect(document.state.reported).toEqual({ a: 1 });
  });

  it('stores a new empty object as it is', () => {
    const { document } = updates([{ state: { reported: { a: 1, sensors: {} } } }, t1]);
    expect(document.state.reported).toEqual({ a: 1, sensors: {} });
  });

  it('replaces arrays whole and gives each element its own timestamp', () => {
    const { document, accepted } = updates(
      [{ state: { reported: { methods: ['pin', 'card', 'key'] } } }, t1],
      [{ state: { reported: { methods: ['pin'] } } }, t2],
    );
    expect(document.state.reported).toEqual({ methods: ['pin'] });
    expect(document.metadata.reported).toEqual({ methods: [{ timestamp: t2 }] });
    expect(accepted.metadata).toEqual({ reported: { methods: [{ timestamp: t2 }] } });
  });

  it('refuses an array holding null', () => {
    const refusal = refusalOf(() => updates([{ state: { reported: { methods: ['pin', null] } } }, t1]));
    expect(refusal.code).toBe(400);
  });

  it('replaces a scalar by an object and an object by a scalar', () => {
    const { document } = updates(
      [{ state: { reported: { door: 'closed', battery: { level: 3 } } } }, t1],
      [{ state: { reported: { door: { closed: true }, battery: 80 } } }, t2],
    );
    expect(document.state.reported).toEqual({ door: { closed: true }, battery: 80 });
    expect(document.metadata.reported).toEqual({
      door: { closed: { timestamp: t2 } },
      battery: { timestamp: t2 },
    });
  });

  it('clears both sections with state null, keeps the shadow and counts a version', () => {
    const result = updates(
      [{ state: { desired: { a: 1 }, reported: { a: 1 } } }, t1],
      [{ state: null, clientToken: 'clear' }, t2],
    );
    expect(result.document).toEqual({ state: {}, metadata: {}, version: 2 });
    expect(result.accepted).toEqual({
      state: null,
      metadata: { timestamp: t2 },
      version: 2,
      timestamp: t2,
      clientToken: 'clear',
    });
    expect(result.delta).toBeUndefined();
    expect(
      shadowGetDocument({ ref: { thingName: 'lock-1' }, current: result.document, timestamp: t3 }),
    ).toEqual({
      state: {},
      metadata: {},
      version: 2,
      timestamp: t3,
    });
  });

  it('counts a version for an update that changes nothing', () => {
    const { document } = updates(
      [{ state: { reported: { a: 1 } } }, t1],
      [{ state: { reported: { a: 1 } } }, t2],
    );
    expect(document.version).toBe(2);
  });

  it('ignores top-level keys other than state, version and clientToken', () => {
    const { document } = updates([
      { state: { reported: { a: 1 } }, metadata: { forged: true }, extra: 1 },
      t1,
    ]);
    expect(document.state).toEqual({ reported: { a: 1 } });
    expect(document.metadata).toEqual({ reported: { a: { timestamp: t1 } } });
  });

  it('never clears desired on its own when reported catches up', () => {
    const { document, delta } = updates(
      [{ state: { desired: { locked: false } } }, t1],
      [{ state: { reported: { locked: false } } }, t2],
    );
    expect(document.state.desired).toEqual({ locked: false });
    expect(delta).toBeUndefined();
  });
});

describe('the update/accepted document', () => {
  it('echoes the request state, nulls included, with metadata mirroring it, the version and the clientToken', () => {
    const { accepted } = updates(
      [{ state: { desired: { color: 'blue', engine: 'on' } } }, t1],
      [
        { state: { desired: { color: 'red', engine: null, lights: { front: true } } }, clientToken: 'abc' },
        t2,
      ],
    );
    expect(accepted).toEqual({
      state: { desired: { color: 'red', engine: null, lights: { front: true } } },
      metadata: {
        desired: {
          color: { timestamp: t2 },
          engine: { timestamp: t2 },
          lights: { front: { timestamp: t2 } },
        },
      },
      version: 2,
      timestamp: t2,
      clientToken: 'abc',
    });
  });

  it('leaves clientToken out when the request had none', () => {
    const { accepted } = updates([{ state: { reported: { a: 1 } } }, t1]);
    expect(accepted).not.toHaveProperty('clientToken');
  });
});

describe('the update/documents document', () => {
  it('holds the previous and current documents without delta', () => {
    const { documents } = updates(
      [{ state: { desired: { a: 1 } } }, t1],
      [{ state: { reported: { a: 2 } }, clientToken: 'tok' }, t2],
    );
    expect(documents).toEqual({
      previous: { state: { desired: { a: 1 } }, metadata: { desired: { a: { timestamp: t1 } } }, version: 1 },
      current: {
        state: { desired: { a: 1 }, reported: { a: 2 } },
        metadata: { desired: { a: { timestamp: t1 } }, reported: { a: { timestamp: t2 } } },
        version: 2,
      },
      timestamp: t2,
      clientToken: 'tok',
    });
  });

  it('has no previous document when the update created the shadow', () => {
    const { documents } = updates([{ state: { reported: { a: 1 } } }, t1]);
    expect(documents).not.toHaveProperty('previous');
    expect(documents.current).toMatchObject({ version: 1 });
  });
});

describe('versions and optimistic locking', () => {
  it('accepts an update carrying the current version', () => {
    const first = updates([{ state: { reported: { a: 1 } } }, t1]);
    const second = applyShadowUpdate({
      current: first.document,
      payload: bytes({ state: { reported: { a: 2 } }, version: 1 }),
      timestamp: t2,
    });
    expect(second.document.version).toBe(2);
  });

  it('refuses an update carrying another version with 409 Version conflict, changing nothing', () => {
    const first = updates([{ state: { reported: { a: 1 } } }, t1]);
    const refusal = refusalOf(() =>
      applyShadowUpdate({
        current: first.document,
        payload: bytes({ state: { reported: { a: 2 } }, version: 7, clientToken: 'c1' }),
        timestamp: t2,
      }),
    );
    expect(refusal).toMatchObject({ code: 409, message: 'Version conflict', clientToken: 'c1' });
    expect(first.document.state.reported).toEqual({ a: 1 });
  });

  it('continues from the version of a shadow deleted recently', () => {
    const { document } = applyShadowUpdate({
      current: undefined,
      previousVersion: 12,
      payload: bytes({ state: { reported: { a: 1 } } }),
      timestamp: t1,
    });
    expect(document.version).toBe(13);
  });

  it('refuses a version that is not a non-negative integer', () => {
    for (const version of [-1, 1.5, '3', null]) {
      const refusal = refusalOf(() => updates([{ state: { reported: { a: 1 } }, version }, t1]));
      expect(refusal).toMatchObject({ code: 400, message: 'Invalid version' });
    }
  });
});

describe('the delta', () => {
  const deltaOf = (state: ShadowDocument['state']) => computeDelta(state);

  it('holds desired keys missing from reported', () => {
    expect(deltaOf({ desired: { a: 1, b: 2 }, reported: { a: 1 } })).toEqual({ b: 2 });
  });

  it('ignores keys only in reported', () => {
    expect(deltaOf({ desired: { a: 1 }, reported: { a: 1, battery: 80 } })).toBeUndefined();
  });

  it('is the whole of desired when nothing is reported, and nothing when nothing is desired', () => {
    expect(deltaOf({ desired: { a: 1, b: { c: 2 } } })).toEqual({ a: 1, b: { c: 2 } });
    expect(deltaOf({ reported: { a: 1 } })).toBeUndefined();
  });

  it('compares by type: true is not 1 and "1" is not 1', () => {
    expect(deltaOf({ desired: { a: true, b: '1', c: 0 }, reported: { a: 1, b: 1, c: false } })).toEqual({
      a: true,
      b: '1',
      c: 0,
    });
  });

  it('recurses into nested objects keeping the full path, without empty sub-objects', () => {
    expect(
      deltaOf({
        desired: { config: { relock: { seconds: 5 }, sound: { volume: 3 } }, mode: 'x' },
        reported: { config: { relock: { seconds: 10 }, sound: { volume: 3 } }, mode: 'x' },
      }),
    ).toEqual({ config: { relock: { seconds: 5 } } });
  });

  it('compares arrays whole', () => {
    expect(deltaOf({ desired: { m: [1, 2] }, reported: { m: [1, 2] } })).toBeUndefined();
    expect(deltaOf({ desired: { m: [1, 2] }, reported: { m: [2, 1] } })).toEqual({ m: [1, 2] });
    expect(deltaOf({ desired: { m: [{ a: 1, b: 2 }] }, reported: { m: [{ b: 2, a: 1 }] } })).toBeUndefined();
  });

  it('takes the whole desired value when reported has another type there', () => {
    expect(deltaOf({ desired: { door: { closed: true } }, reported: { door: 'closed' } })).toEqual({
      door: { closed: true },
    });
  });

  it('is published after an update with every out-of-sync key, the desired timestamps and the clientToken', () => {
    const { delta } = updates(
      [{ state: { desired: { locked: true, relock: 5 } } }, t1],
      [{ state: { reported: { relock: 5 } }, clientToken: 'r1' }, t2],
    );
    expect(delta).toEqual({
      state: { locked: true },
      metadata: { locked: { timestamp: t1 } },
      version: 2,
      timestamp: t2,
      clientToken: 'r1',
    });
  });

  it('is not published when desired and reported agree', () => {
    const { delta } = updates([{ state: { desired: { a: 1 }, reported: { a: 1 } } }, t1]);
    expect(delta).toBeUndefined();
  });

  it('carries nested metadata along the delta paths only', () => {
    const { delta } = updates(
      [{ state: { desired: { config: { relock: 5, volume: 3 } } } }, t1],
      [{ state: { desired: { config: { relock: 7 } } } }, t2],
      [{ state: { reported: { config: { relock: 5, volume: 3 } } } }, t3],
    );
    expect(delta?.state).toEqual({ config: { relock: 7 } });
    expect(delta?.metadata).toEqual({ config: { relock: { timestamp: t2 } } });
  });
});

describe('getting and deleting a shadow', () => {
  const ref = { thingName: 'lock-1', shadowName: 'state' };

  it('returns desired, reported, the delta when there is one, metadata, version and clientToken', () => {
    const { document } = updates([{ state: { desired: { a: 1 }, reported: { a: 2, b: 3 } } }, t1]);
    expect(shadowGetDocument({ ref, current: document, timestamp: t2, clientToken: 'g' })).toEqual({
      state: { desired: { a: 1 }, reported: { a: 2, b: 3 }, delta: { a: 1 } },
      metadata: {
        desired: { a: { timestamp: t1 } },
        reported: { a: { timestamp: t1 }, b: { timestamp: t1 } },
      },
      version: 1,
      timestamp: t2,
      clientToken: 'g',
    });
  });

  it('answers 404 naming the shadow when it does not exist, the thing for a classic shadow', () => {
    expect(refusalOf(() => shadowGetDocument({ ref, current: undefined, timestamp: t1 }))).toMatchObject({
      code: 404,
      message: "No shadow exists with name: 'state'",
    });
    expect(
      refusalOf(() =>
        shadowDeleteDocument({ ref: { thingName: 'lock-1' }, current: undefined, timestamp: t1 }),
      ),
    ).toMatchObject({ code: 404, message: "No shadow exists with name: 'lock-1'" });
  });

  it('answers a delete with the deleted version and the clientToken', () => {
    const { document } = updates(
      [{ state: { reported: { a: 1 } } }, t1],
      [{ state: { reported: { a: 2 } } }, t2],
    );
    expect(shadowDeleteDocument({ ref, current: document, timestamp: t3, clientToken: 'd' })).toEqual({
      version: 2,
      timestamp: t3,
      clientToken: 'd',
    });
  });

  it('reads the clientToken of a get or delete request, whose body may be empty', () => {
    expect(readRequestToken({ payload: new Uint8Array() })).toBeUndefined();
    expect(readRequestToken({ payload: bytes({ clientToken: 'abc' }) })).toBe('abc');
  });
});

describe('refused requests', () => {
  const refuse = (payload: Uint8Array | unknown) =>
    refusalOf(() =>
      applyShadowUpdate({
        current: undefined,
        payload: payload instanceof Uint8Array ? payload : bytes(payload),
        timestamp: t1,
      }),
    );

  it.each([
    ['malformed JSON', Buffer.from('{"state":'), 'Invalid JSON'],
    ['a JSON array', [], 'Invalid JSON'],
    ['no state', { clientToken: 'x' }, 'Missing required node: state'],
    ['a state that is not an object', { state: 'on' }, 'State node must be an object'],
    ['a desired that is not an object', { state: { desired: [1] } }, 'Desired node must be an object'],
    ['a reported that is not an object', { state: { reported: 5 } }, 'Reported node must be an object'],
    ['a delta in the state', { state: { delta: { a: 1 } } }, "State contains an invalid node: 'delta'"],
    ['a clientToken that is not a string', { state: {}, clientToken: 5 }, 'Invalid clientToken'],
    ['a clientToken over 64 bytes', { state: {}, clientToken: 'x'.repeat(65) }, 'Invalid clientToken'],
  ])('refuses %s with 400', (_case, payload, message) => {
    expect(refuse(payload)).toMatchObject({ code: 400, message });
  });

  it('accepts a clientToken of exactly 64 bytes', () => {
    const { accepted } = updates([{ state: {}, clientToken: 'x'.repeat(64) }, t1]);
    expect(accepted.clientToken).toBe('x'.repeat(64));
  });

  it('echoes a valid clientToken in the refusal', () => {
    expect(refuse({ state: 'on', clientToken: 'mine' })).toMatchObject({ clientToken: 'mine' });
  });

  it('refuses a payload that is not UTF-8 with 415', () => {
    expect(refuse(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))).toMatchObject({
      code: 415,
      message: 'Unsupported documented encoding; supported encoding is UTF-8',
    });
  });

  it('builds the rejected document with code, message, timestamp and clientToken', () => {
    const error = new ShadowRequestError(409, 'Version conflict', 'c9');
    expect(rejectionDocument({ error, timestamp: t1 })).toEqual({
      code: 409,
      message: 'Version conflict',
      timestamp: t1,
      clientToken: 'c9',
    });
  });
});

describe('limits', () => {
  const nested = (levels: number): JsonObject => {
    let value: JsonObject = { leaf: 1 };
    for (let level = 1; level < levels; level++) value = { next: value };
    return value;
  };

  it('accepts 6 levels of nesting in a section, counting the section itself', () => {
    const { document } = updates([{ state: { desired: nested(6) } }, t1]);
    expect(document.version).toBe(1);
  });

  it('refuses 7 levels with 400', () => {
    expect(refusalOf(() => updates([{ state: { desired: nested(7) } }, t1]))).toMatchObject({
      code: 400,
      message: 'JSON contains too many levels of nesting; maximum is 6',
    });
  });

  it('counts arrays as levels too', () => {
    expect(refusalOf(() => updates([{ state: { reported: { a: [[[[[[1]]]]]] } } }, t1])).code).toBe(400);
  });

  it('refuses with 413 an update whose merged desired and reported exceed 8 KB, and changes nothing', () => {
    const first = updates([{ state: { reported: { a: 'x'.repeat(5000) } } }, t1]);
    const refusal = refusalOf(() =>
      applyShadowUpdate({
        current: first.document,
        payload: bytes({ state: { desired: { b: 'y'.repeat(4000) } } }),
        timestamp: t2,
      }),
    );
    expect(refusal).toMatchObject({ code: 413, message: 'The payload exceeds the maximum size allowed' });
    expect(first.document.state).toEqual({ reported: { a: 'x'.repeat(5000) } });
  });

  it('accepts a document of exactly 8192 bytes, metadata not counted', () => {
    const overhead = JSON.stringify({ reported: { a: '' } }).length;
    const { document } = updates([{ state: { reported: { a: 'x'.repeat(8192 - overhead) } } }, t1]);
    expect(Buffer.byteLength(JSON.stringify(document.state))).toBe(8192);
  });

  it('lets an update that deletes keys bring a large document back under the limit', () => {
    const { document } = updates(
      [{ state: { reported: { a: 'x'.repeat(6000) } } }, t1],
      [{ state: { reported: { a: null, b: 'y'.repeat(6000) } } }, t2],
    );
    expect(document.state.reported).toEqual({ b: 'y'.repeat(6000) });
  });

  it('refuses a request payload above the MQTT message limit with 413 before reading it', () => {
    const huge = new Uint8Array(defaultShadowLimits.maxRequestBytes + 1);
    expect(refusalOf(() => parseShadowPayload({ payload: huge })).code).toBe(413);
  });

  it('accepts thing names of 1 to 128 characters of [a-zA-Z0-9:_-]', () => {
    expect(() => assertValidShadowRef({ thingName: 'a' })).not.toThrow();
    expect(() => assertValidShadowRef({ thingName: `Lock:1_a-${'x'.repeat(119)}` })).not.toThrow();
    for (const thingName of ['', 'x'.repeat(129), 'lock 1', 'lock/1', 'lock$1', 'lock+1']) {
      expect(refusalOf(() => assertValidShadowRef({ thingName })).code).toBe(400);
    }
  });

  it('accepts shadow names of 1 to 64 characters of [$a-zA-Z0-9:_-]', () => {
    expect(() => assertValidShadowRef({ thingName: 'lock', shadowName: '$state:1_a-b' })).not.toThrow();
    expect(() => assertValidShadowRef({ thingName: 'lock', shadowName: 'x'.repeat(64) })).not.toThrow();
    for (const shadowName of ['', 'x'.repeat(65), 'access codes', 'a/b', 'a#']) {
      expect(refusalOf(() => assertValidShadowRef({ thingName: 'lock', shadowName })).code).toBe(400);
    }
  });
});
