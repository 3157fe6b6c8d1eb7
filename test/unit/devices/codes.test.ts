// Access codes in the device contract: keyed PIN hashes, the access-codes shadow documents and their size.
import { describe, expect, it } from 'vitest';
import {
  accessCodesCapacity,
  accessCodesDesiredSchema,
  accessCodesDesiredUpdate,
  accessCodesDesiredUpdateSchema,
  accessCodesReport,
  accessCodesReportedSchema,
  accessCodesReportUpdateSchema,
  codePut,
  fitsAccessCodesShadow,
  hashPin,
  orderCodeChanges,
  projectedAccessCodesBytes,
} from '#shared/devices/codes.ts';
import { maxShadowDocumentBytes, shadowStateBytes } from '#shared/devices/contract.ts';
import { generateDeviceKey, parseDeviceKey } from '#shared/devices/device-key.ts';

const key = parseDeviceKey({ version: 1, key: generateDeviceKey() });
const otherKey = parseDeviceKey({ version: 1, key: generateDeviceKey() });
const thingName = 'lockstay-01hx0000000000000000000001';
const codeId = (n: number) => `code${String(n).padStart(22, '0')}`;

describe('the keyed hash of a PIN', () => {
  it('is the same on both sides for the same lock, key and PIN', () => {
    expect(hashPin({ key, thingName, pin: '482916' })).toBe(hashPin({ key, thingName, pin: '482916' }));
  });

  it('is 22 base64url characters that contain nothing of the PIN', () => {
    const hash = hashPin({ key, thingName, pin: '482916' });
    expect(hash).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(hash).not.toContain('482916');
  });

  it('differs for another PIN, another lock and another key', () => {
    const hash = hashPin({ key, thingName, pin: '482916' });
    expect(hashPin({ key, thingName, pin: '482917' })).not.toBe(hash);
    expect(hashPin({ key, thingName: 'lockstay-other', pin: '482916' })).not.toBe(hash);
    expect(hashPin({ key: otherKey, thingName, pin: '482916' })).not.toBe(hash);
  });

  it('refuses anything that is not a PIN of 4 to 8 digits', () => {
    for (const pin of ['123', '123456789', '12a456', '', ' 123456']) {
      expect(() => hashPin({ key, thingName, pin })).toThrow();
    }
  });
});

describe('the desired access codes the cloud writes', () => {
  const window = { from: 1_767_366_000, to: 1_767_600_000 };

  it('carry the hash, window, key version and revision, never the PIN', () => {
    const entry = codePut({ key, thingName, pin: '482916', revision: 3, ...window });
    expect(entry).toEqual({
      v: 3,
      op: 'put',
      key: 1,
      hash: hashPin({ key, thingName, pin: '482916' }),
      ...window,
    });
    expect(JSON.stringify(entry)).not.toContain('482916');
  });

  it('replace an entry whole: fields a put lacks and every field of a removal are sent as null', () => {
    const permanent = codePut({ key, thingName, pin: '482916', revision: 4, from: window.from });
    const update = accessCodesDesiredUpdate({
      put: [{ codeId: codeId(1), entry: permanent }],
      remove: [{ codeId: codeId(2), revision: 7 }],
      clear: [codeId(3)],
    });
    expect(update.state.desired.codes[codeId(1)]).toEqual({ ...permanent, to: null, once: null });
    expect(update.state.desired.codes[codeId(2)]).toEqual({
      v: 7,
      op: 'remove',
      key: null,
      hash: null,
      from: null,
      to: null,
      once: null,
    });
    expect(update.state.desired.codes[codeId(3)]).toBeNull();
    expect(accessCodesDesiredUpdateSchema.safeParse(update).success).toBe(true);
  });

  it('refuse malformed entries', () => {
    const good = codePut({ key, thingName, pin: '482916', revision: 3, ...window });
    const malformed = [
      { ...good, hash: 'short' },
      { ...good, to: good.from },
      { ...good, v: 0 },
      { ...good, pin: '482916' },
      { ...good, op: 'replace' },
      { v: 2, op: 'remove', extra: true },
    ];
    for (const entry of malformed) {
      expect(accessCodesDesiredSchema.safeParse({ codes: { [codeId(1)]: entry } }).success).toBe(false);
    }
    expect(accessCodesDesiredSchema.safeParse({ codes: { 'bad id!': good } }).success).toBe(false);
    expect(accessCodesDesiredSchema.safeParse({ codes: { [codeId(1)]: good } }).success).toBe(true);
  });
});

describe('the applied set a lock reports', () => {
  it('accepts set, removed and failed outcomes with their revision', () => {
    const reported = {
      applied: {
        [codeId(1)]: { v: 3, status: 'set' },
        [codeId(2)]: { v: 4, status: 'set', used: 1_767_366_100 },
        [codeId(3)]: { v: 5, status: 'removed' },
        [codeId(4)]: { v: 1, status: 'failed', reason: 'lock-full' },
      },
    };
    expect(accessCodesReportedSchema.safeParse(reported).success).toBe(true);
  });

  it('refuses a failure without a known reason and a status outside the contract', () => {
    for (const outcome of [
      { v: 1, status: 'failed' },
      { v: 1, status: 'failed', reason: 'tired' },
      { v: 1, status: 'setting' },
      { v: 1, status: 'set', hash: 'x' },
    ]) {
      expect(accessCodesReportedSchema.safeParse({ applied: { [codeId(1)]: outcome } }).success).toBe(false);
    }
  });

  it('is reported with whole entries, and nulls for the tombstones the lock drops', () => {
    const report = accessCodesReport({ [codeId(1)]: { v: 5, status: 'removed' }, [codeId(2)]: null });
    expect(report.state.reported.applied).toEqual({
      [codeId(1)]: { v: 5, status: 'removed', used: null, reason: null },
      [codeId(2)]: null,
    });
    expect(accessCodesReportUpdateSchema.safeParse(report).success).toBe(true);
  });
});

describe('the order in which a lock applies changes', () => {
  it('removes first, then puts the soonest-starting codes first', () => {
    const put = (from: number) => codePut({ key, thingName, pin: '482916', revision: 1, from });
    const order = orderCodeChanges({
      [codeId(1)]: put(300),
      [codeId(2)]: { v: 2, op: 'remove' },
      [codeId(3)]: put(100),
      [codeId(4)]: { v: 2, op: 'remove' },
    });
    expect(order.map((change) => change.codeId)).toEqual([codeId(2), codeId(4), codeId(3), codeId(1)]);
  });
});

describe('the size of the access-codes shadow', () => {
  const manyPuts = (count: number) => {
    const codes: Record<string, ReturnType<typeof codePut>> = {};
    for (let n = 0; n < count; n += 1) {
      codes[codeId(n)] = codePut({
        key,
        thingName,
        pin: String(100_000 + n * 7919).slice(0, 6),
        revision: 12,
        from: 1_767_366_000,
        to: 1_767_600_000,
      });
    }
    return codes;
  };

  it('holds at least 32 codes pending with their answers, and 85 once applied, at the widest entries', () => {
    expect(accessCodesCapacity()).toEqual({ whilePending: 32, onceApplied: 85 });
  });

  it('counts, before the cloud writes, the answers the lock will add', () => {
    const codes = manyPuts(40);
    const now = shadowStateBytes({ desired: { codes } });
    expect(now).toBeLessThan(maxShadowDocumentBytes);
    expect(projectedAccessCodesBytes({ desired: { codes } })).toBeGreaterThan(now);
  });

  it('refuses a change set that would outgrow 8 KB once answered, and accepts one that fits', () => {
    expect(fitsAccessCodesShadow({ desired: { codes: manyPuts(32) } })).toBe(true);
    expect(fitsAccessCodesShadow({ desired: { codes: manyPuts(60) } })).toBe(false);
  });

  it('refuses more desired changes than a document can hold', () => {
    expect(accessCodesDesiredSchema.safeParse({ codes: manyPuts(65) }).success).toBe(false);
  });
});
