// The state a lock reports and the events it publishes, as the contract's schemas read them.
import { describe, expect, it } from 'vitest';
import { lockEventsTopic, shadowTopic, thingNameSchema } from '#shared/devices/contract.ts';
import { lockEventSchema, lockEventsMessageSchema } from '#shared/devices/events.ts';
import { lockStateReportedSchema, lockStateReportUpdateSchema } from '#shared/devices/state.ts';

const state = {
  contract: 1,
  firmware: '1.4.2',
  connectivity: 'wifi',
  bolt: 'locked',
  door: 'closed',
  battery: 87,
  pinLength: 6,
  capacity: 20,
  codes: 3,
  keyVersions: [1],
  keypad: { wrongEntries: 0, lockedOutUntil: 0 },
  methods: ['keypad', 'rfid', 'key'],
  clock: 1_767_366_000,
};

const event = { id: 'evt-0000000001', seq: 1, at: 1_767_366_000 };

describe('the state a lock reports', () => {
  it('reads as the contract says', () => {
    expect(lockStateReportedSchema.safeParse(state).success).toBe(true);
    expect(
      lockStateReportUpdateSchema.safeParse({ state: { reported: state }, clientToken: 's-1' }).success,
    ).toBe(true);
  });

  it('refuses impossible or missing values', () => {
    for (const broken of [
      { ...state, battery: 101 },
      { ...state, bolt: 'ajar' },
      { ...state, firmware: 'latest' },
      { ...state, connectivity: 'zigbee' },
      { ...state, keyVersions: [] },
      { ...state, pin: '482916' },
      (({ clock: _, ...rest }) => rest)(state),
    ]) {
      expect(lockStateReportedSchema.safeParse(broken).success).toBe(false);
    }
  });
});

describe('the events a lock publishes', () => {
  it('attribute every unlock to its method and credential', () => {
    for (const unlocked of [
      { method: 'keypad', codeId: 'code0001' },
      { method: 'offline-code', offlineCode: { keyVersion: 1, startHour: 490_000, durationClass: 6 } },
      { method: 'fingerprint', credentialId: 'fp-1' },
      { method: 'rfid', credentialId: '04A1B2C3' },
      { method: 'face', credentialId: 'face-1' },
      { method: 'key' },
      { method: 'remote', commandId: 'cmd0001' },
    ]) {
      expect(lockEventSchema.safeParse({ ...event, type: 'unlocked', ...unlocked }).success).toBe(true);
    }
  });

  it('refuse an unlock without its attribution, or a refusal carrying what was typed', () => {
    expect(lockEventSchema.safeParse({ ...event, type: 'unlocked', method: 'keypad' }).success).toBe(false);
    expect(lockEventSchema.safeParse({ ...event, type: 'unlocked', method: 'remote' }).success).toBe(false);
    expect(
      lockEventSchema.safeParse({
        ...event,
        type: 'access-denied',
        method: 'keypad',
        reason: 'unknown-code',
        pin: '482916',
      }).success,
    ).toBe(false);
  });

  it('travel in messages of 1 to 20 events with distinct ids', () => {
    const events = Array.from({ length: 21 }, (_, index) => ({
      ...event,
      id: `evt-${String(index).padStart(10, '0')}`,
      seq: index + 1,
      type: 'battery-low',
      percent: 19,
    }));
    expect(lockEventsMessageSchema.safeParse({ contract: 1, events: events.slice(0, 20) }).success).toBe(
      true,
    );
    expect(lockEventsMessageSchema.safeParse({ contract: 1, events }).success).toBe(false);
    expect(lockEventsMessageSchema.safeParse({ contract: 1, events: [] }).success).toBe(false);
    const twice = [events[0], events[0]];
    expect(lockEventsMessageSchema.safeParse({ contract: 1, events: twice }).success).toBe(false);
  });
});

describe('topics and names', () => {
  it('put each concern in its own named shadow and events on their own topic', () => {
    expect(shadowTopic('lockstay-l1', 'access-codes', 'update', 'delta')).toBe(
      '$aws/things/lockstay-l1/shadow/name/access-codes/update/delta',
    );
    expect(shadowTopic('lockstay-l1', 'commands', 'get')).toBe(
      '$aws/things/lockstay-l1/shadow/name/commands/get',
    );
    expect(lockEventsTopic('lockstay-l1')).toBe('lockstay/things/lockstay-l1/events');
  });

  it('accept thing names as AWS IoT does', () => {
    expect(thingNameSchema.safeParse('lockstay-01hx0000000000000000000001').success).toBe(true);
    expect(thingNameSchema.safeParse('lock/1').success).toBe(false);
    expect(thingNameSchema.safeParse('').success).toBe(false);
  });
});
