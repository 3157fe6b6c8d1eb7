// What the cloud receives from locks through the IoT rules, read against the device contract.
import { describe, expect, it } from 'vitest';
import { readLockEvents, readShadowDocuments } from '#shared/devices/documents.ts';

const reportedState = {
  contract: 1,
  firmware: '1.0.0',
  connectivity: 'wifi',
  bolt: 'unlocked',
  door: 'closed',
  battery: 80,
  pinLength: 6,
  capacity: 20,
  codes: 1,
  keyVersions: [1],
  keypad: { wrongEntries: 0, lockedOutUntil: 0 },
  methods: ['keypad'],
  clock: 1_795_705_200,
};

const documents = (shadowName: string, current: unknown, previous?: unknown) => ({
  ...(previous !== undefined ? { previous } : {}),
  current,
  timestamp: 1_795_705_201,
  thingName: 'lockstay-l1',
  shadowName,
});

describe('reading shadow documents from the rule', () => {
  it('gives each shadow its sections, typed, with versions', () => {
    const reading = readShadowDocuments(
      documents(
        'access-codes',
        { state: { reported: { applied: { code0001: { v: 3, status: 'set' } } } }, metadata: {}, version: 5 },
        { state: {}, metadata: {}, version: 4 },
      ),
    );
    expect(reading).toEqual({
      ok: true,
      value: {
        thingName: 'lockstay-l1',
        shadow: 'access-codes',
        previous: { version: 4, desired: undefined, reported: undefined },
        current: {
          version: 5,
          desired: undefined,
          reported: { applied: { code0001: { v: 3, status: 'set' } } },
        },
        timestamp: 1_795_705_201,
      },
    });
    const state = readShadowDocuments(documents('state', { state: { reported: reportedState }, version: 1 }));
    expect(state).toMatchObject({ ok: true, value: { shadow: 'state', previous: undefined } });
  });

  it('refuses a report outside the contract, a desired state section, and an unknown shadow', () => {
    const bad = readShadowDocuments(
      documents('state', { state: { reported: { ...reportedState, battery: 140 } }, version: 2 }),
    );
    expect(bad).toEqual({
      ok: false,
      problems: ['current.reported.battery: Too big: expected number to be <=100'],
    });
    expect(
      readShadowDocuments(documents('state', { state: { desired: { bolt: 'unlocked' } }, version: 2 })).ok,
    ).toBe(false);
    expect(readShadowDocuments(documents('firmware-update', { state: {}, version: 1 })).ok).toBe(false);
    expect(readShadowDocuments({ current: 'x' }).ok).toBe(false);
  });
});

describe('reading lock events from the rule', () => {
  it('gives the thing and its events, and refuses a message outside the contract', () => {
    const event = { id: 'evt-00000001', seq: 1, at: 1, type: 'unlocked', method: 'key' };
    expect(readLockEvents({ contract: 1, events: [event], thingName: 'lockstay-l1' })).toEqual({
      ok: true,
      value: { thingName: 'lockstay-l1', events: [event] },
    });
    expect(
      readLockEvents({ contract: 1, events: [{ ...event, method: 'magic' }], thingName: 'lockstay-l1' }).ok,
    ).toBe(false);
    expect(readLockEvents({ contract: 1, events: [event] }).ok).toBe(false);
  });
});
