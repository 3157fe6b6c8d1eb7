import { describe, expect, it } from 'vitest';
import type { PropertyDay, Stay } from '#shared/overview/today.ts';
import { describeTimeZone } from '../../../web/console/src/time.ts';
import { byDay, dayLabel, describeAlert } from '../../../web/console/src/today/today-view.ts';

const property = (id: string, today: string): PropertyDay => ({
  id,
  name: id,
  timeZone: 'UTC',
  today,
  until: today,
});

const stay = (bookingId: string, propertyId: string, arrivalDate: string): Stay => ({
  bookingId,
  propertyId,
  guestName: bookingId,
  arrivalDate,
  departureDate: '2026-12-31',
  checkInAt: `${arrivalDate}T15:00:00.000Z`,
  checkOutAt: '2026-12-31T11:00:00.000Z',
});

describe('the Today page’s words', () => {
  it('names days relative to the property’s own today', () => {
    expect(dayLabel({ date: '2026-11-26', today: '2026-11-26' })).toBe('Today');
    expect(dayLabel({ date: '2026-11-27', today: '2026-11-26' })).toBe('Tomorrow');
    expect(dayLabel({ date: '2026-11-28', today: '2026-11-26', locale: 'en-GB' })).toBe('Sat 28 Nov');
  });

  it('groups stays by their day at their own property, so one date can be today here and tomorrow there', () => {
    const groups = byDay({
      stays: [stay('berlin', 'berlin', '2026-11-27'), stay('tokyo', 'tokyo', '2026-11-27')],
      properties: [property('berlin', '2026-11-26'), property('tokyo', '2026-11-27')],
      dateOf: (candidate) => candidate.arrivalDate,
    });

    expect(groups.map(({ label, stays }) => [label, stays.map(({ bookingId }) => bookingId)])).toEqual([
      ['Tomorrow', ['berlin']],
      ['Today', ['tokyo']],
    ]);
  });

  it('tells alerts as sentences, and an unknown one by its action', () => {
    expect(describeAlert({ action: 'lock.battery-low', details: { percent: 9 } })).toBe(
      'Battery low (9%): replace the batteries soon.',
    );
    expect(
      describeAlert({
        action: 'alert.firmware-outdated',
        details: { firmware: '1.0.0', minimumFirmwareVersion: '1.2.0' },
      }),
    ).toMatch(/firmware 1\.0\.0, older than the minimum 1\.2\.0/);
    expect(describeAlert({ action: 'alert.code-not-ready', details: { fallback: 'offline-code' } })).toMatch(
      /offline code was issued/,
    );
    expect(describeAlert({ action: 'alert.door-left-open', details: {} })).toBe('alert door left open');
  });

  it('names a property’s zone as it is now, not as it was in 1970 (Lisbon then kept Central European time)', () => {
    expect(
      describeTimeZone({ timeZone: 'Europe/Lisbon', locale: 'en-GB', at: new Date('2026-11-26T12:00:00Z') }),
    ).toMatch(/^Western European (Standard )?Time \(Europe\/Lisbon\)$/);
  });
});
