import { describe, expect, it } from 'vitest';
import {
  canonicalTimeZone,
  instantSchema,
  inZone,
  localDateAt,
  localDateSchema,
  localTimeSchema,
  timeZoneSchema,
  zonedInstant,
} from '#shared/domain/local-time.ts';

describe('property time zones', () => {
  it.each([
    ['Europe/Berlin', 'Europe/Berlin'],
    ['america/new_york', 'America/New_York'],
    ['US/Eastern', 'America/New_York'],
    ['UTC', 'UTC'],
  ])('accepts %s as the IANA zone %s', (given, canonical) => {
    expect(timeZoneSchema.parse(given)).toBe(canonical);
  });

  it.each(['Mars/Olympus', '+02:00', 'UTC+2', 'GMT-5', '', ' Europe/Berlin', 'CEST'])(
    'refuses %j',
    (given) => {
      expect(canonicalTimeZone(given)).toBeUndefined();
      const parsed = timeZoneSchema.safeParse(given);
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.message).toMatch(/IANA time zone/);
    },
  );
});

describe('local dates and times as hosts type them', () => {
  it.each(['15:00', '00:00', '23:59', '09:30'])('accepts the time %s', (time) => {
    expect(localTimeSchema.safeParse(time).success).toBe(true);
  });

  it.each(['24:00', '9:30', '15:60', '3pm', '15:00:00'])('refuses the time %j', (time) => {
    expect(localTimeSchema.safeParse(time).success).toBe(false);
  });

  it.each(['2026-02-30', '2026-13-01', '24-10-2026', '2026-10-24T00:00'])('refuses the date %j', (date) => {
    expect(localDateSchema.safeParse(date).success).toBe(false);
  });

  it('reads instants with an offset and keeps them in UTC', () => {
    expect(instantSchema.parse('2026-10-24T15:00:00+02:00')).toBe('2026-10-24T13:00:00.000Z');
    expect(instantSchema.safeParse('2026-10-24T15:00:00').success).toBe(false);
  });
});

describe('wall-clock times at a property become instants', () => {
  it('15:00 in Berlin is 13:00 UTC in summer and 14:00 UTC in winter', () => {
    const summer = zonedInstant({
      date: '2026-10-24',
      time: '15:00',
      timeZone: 'Europe/Berlin',
      disambiguation: 'earlier',
    });
    const winter = zonedInstant({
      date: '2026-10-26',
      time: '15:00',
      timeZone: 'Europe/Berlin',
      disambiguation: 'earlier',
    });
    expect(summer).toBe('2026-10-24T13:00:00.000Z');
    expect(winter).toBe('2026-10-26T14:00:00.000Z');
  });

  it('a time skipped by the spring change reads as just before the jump (earlier) or just after (later)', () => {
    const at = { date: '2026-03-29', time: '02:30', timeZone: 'Europe/Berlin' } as const;
    expect(zonedInstant({ ...at, disambiguation: 'earlier' })).toBe('2026-03-29T00:30:00.000Z');
    expect(zonedInstant({ ...at, disambiguation: 'later' })).toBe('2026-03-29T01:30:00.000Z');
  });

  it('a time repeated by the autumn change reads as its first (earlier) or second (later) occurrence', () => {
    const at = { date: '2026-11-01', time: '01:30', timeZone: 'America/New_York' } as const;
    expect(zonedInstant({ ...at, disambiguation: 'earlier' })).toBe('2026-11-01T05:30:00.000Z');
    expect(zonedInstant({ ...at, disambiguation: 'later' })).toBe('2026-11-01T06:30:00.000Z');
  });

  it('shows an instant as the property clocks show it, with their offset', () => {
    expect(inZone({ instant: '2026-10-24T13:00:00.000Z', timeZone: 'Europe/Berlin' })).toBe(
      '2026-10-24T15:00:00+02:00',
    );
    expect(inZone({ instant: '2026-10-26T14:00:00.000Z', timeZone: 'Europe/Berlin' })).toBe(
      '2026-10-26T15:00:00+01:00',
    );
    expect(localDateAt({ instant: '2026-10-24T23:30:00.000Z', timeZone: 'Europe/Berlin' })).toBe(
      '2026-10-25',
    );
  });
});
