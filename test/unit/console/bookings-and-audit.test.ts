/**
 * The logic of the bookings and audit pages: the audit filters as the API's query (days at the property sent
 * as instants, the last day included), a long CSV export joined from its parts, the booking bodies the forms
 * send, and audit events in a host's words.
 */
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '#shared/domain/audit.ts';
import {
  auditQuery,
  fileNameOf,
  joinCsvParts,
  nextPartOf,
  noFilters,
} from '../../../web/console/src/audit/audit-query.ts';
import { changeBody, createBody, emptyDraft } from '../../../web/console/src/bookings/booking-form.tsx';
import { grantBody, grantsNotice } from '../../../web/console/src/bookings/grants.tsx';
import { eventWords } from '../../../web/console/src/ui/audit-words.ts';
import { addDays, localDate, startOfLocalDay } from '../../../web/console/src/ui/local-day.ts';

const query = (path: string) => new URL(path, 'https://api.example').searchParams;

describe('days at a place', () => {
  it('begin at the zone’s midnight, summer and winter', () => {
    expect(startOfLocalDay({ date: '2026-07-01', timeZone: 'Europe/Lisbon' })).toBe(
      '2026-06-30T23:00:00.000Z',
    );
    expect(startOfLocalDay({ date: '2026-12-01', timeZone: 'Europe/Lisbon' })).toBe(
      '2026-12-01T00:00:00.000Z',
    );
    expect(startOfLocalDay({ date: '2026-12-01', timeZone: 'Pacific/Auckland' })).toBe(
      '2026-11-30T11:00:00.000Z',
    );
    expect(startOfLocalDay({ date: '2026-03-08', timeZone: 'America/Los_Angeles' })).toBe(
      '2026-03-08T08:00:00.000Z',
    );
    expect(startOfLocalDay({ date: '2026-03-09', timeZone: 'America/Los_Angeles' })).toBe(
      '2026-03-09T07:00:00.000Z',
    );
  });

  it('are counted in the zone, not the viewer’s', () => {
    const at = new Date('2026-11-26T23:30:00.000Z');
    expect(localDate({ at, timeZone: 'Europe/Lisbon' })).toBe('2026-11-26');
    expect(localDate({ at, timeZone: 'Europe/Berlin' })).toBe('2026-11-27');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });
});

describe('the audit filters as a query', () => {
  it('send a lock instead of its property, and the dates as the instants their days begin, the last included', () => {
    const path = auditQuery({
      filters: {
        ...noFilters,
        propertyId: 'prp_azul',
        lockId: 'lck_front',
        userId: 'usr_ana',
        method: 'keypad',
        fromDate: '2026-07-01',
        toDate: '2026-07-02',
      },
      timeZone: 'Europe/Lisbon',
      cursor: 'abc',
    });

    const sent = query(path);
    expect(sent.get('lockId')).toBe('lck_front');
    expect(sent.has('propertyId')).toBe(false);
    expect(sent.get('userId')).toBe('usr_ana');
    expect(sent.get('method')).toBe('keypad');
    expect(sent.get('from')).toBe('2026-06-30T23:00:00.000Z');
    expect(sent.get('to')).toBe('2026-07-02T23:00:00.000Z');
    expect(sent.get('cursor')).toBe('abc');
    expect(sent.get('limit')).toBe('50');
  });

  it('leave out what is not chosen, and ask for CSV without a page size', () => {
    const sent = query(auditQuery({ filters: noFilters, timeZone: 'Europe/Lisbon', format: 'csv' }));

    expect([...sent.keys()]).toEqual(['format']);
    expect(sent.get('format')).toBe('csv');
  });
});

describe('a long CSV export', () => {
  it('follows the `next` link and keeps the header row once', () => {
    expect(nextPartOf('</audit?format=csv&cursor=xyz>; rel="next"')).toBe('/audit?format=csv&cursor=xyz');
    expect(nextPartOf(null)).toBeUndefined();
    expect(joinCsvParts(['a,b\r\n1,2\r\n', 'a,b\r\n3,4\r\n'])).toBe('a,b\r\n1,2\r\n3,4\r\n');
    expect(fileNameOf('attachment; filename="lockstay-audit-2026-11-26.csv"')).toBe(
      'lockstay-audit-2026-11-26.csv',
    );
    expect(fileNameOf(null)).toBe('lockstay-audit.csv');
  });
});

describe('the booking forms', () => {
  const draft = {
    ...emptyDraft,
    guestName: 'Ana',
    guestEmail: ' ana@example.com ',
    arrivalDate: '2026-12-01',
    departureDate: '2026-12-03',
  };

  it('enter a booking without the optional fields left empty, so the property’s defaults apply', () => {
    expect(createBody('prp_azul', draft)).toEqual({
      propertyId: 'prp_azul',
      guest: { name: 'Ana', email: 'ana@example.com' },
      arrivalDate: '2026-12-01',
      departureDate: '2026-12-03',
    });
  });

  it('change only what changed, a cleared time back to the default, for the version shown', () => {
    const before = { ...draft, checkInTime: '16:00' };
    const after = { ...before, departureDate: '2026-12-04', checkInTime: '' };

    expect(changeBody(before, after, 3)).toEqual({
      departureDate: '2026-12-04',
      checkInTime: null,
      expectedVersion: 3,
    });
  });

  it('give each kind of access what it needs', () => {
    const base = {
      label: 'DHL',
      durationHours: '',
      staffUserId: 'usr_clara',
      afterBookingId: 'bkg_1',
      contactName: 'Rui',
      contactPhone: '',
      reason: 'Flood',
    };
    expect(grantBody('prp_azul', { ...base, kind: 'delivery', durationHours: '3' })).toEqual({
      kind: 'delivery',
      propertyId: 'prp_azul',
      label: 'DHL',
      durationHours: 3,
    });
    expect(grantBody('prp_azul', { ...base, kind: 'turnover' })).toEqual({
      kind: 'turnover',
      propertyId: 'prp_azul',
      staffUserId: 'usr_clara',
      afterBookingId: 'bkg_1',
    });
    expect(grantBody('prp_azul', { ...base, kind: 'emergency' })).toEqual({
      kind: 'emergency',
      propertyId: 'prp_azul',
      contact: { name: 'Rui' },
      reason: 'Flood',
    });
  });
});

describe('audit events in words', () => {
  const event = (overrides: Partial<AuditEvent>): AuditEvent => ({
    tenantId: 't',
    id: 'aud_1',
    at: '2026-07-01T15:12:00.000Z',
    actor: { kind: 'device', lockId: 'lck_front' },
    action: 'lock.unlocked',
    target: { kind: 'lock', id: 'lck_front' },
    lockId: 'lck_front',
    details: {},
    ...overrides,
  });
  const context = {
    lockName: (id: string) => (id === 'lck_front' ? 'Front door' : undefined),
    personName: (id: string) => (id === 'usr_ana' ? 'ana@example.com' : undefined),
  };

  it('name the lock, the method and the person', () => {
    expect(eventWords(event({ details: { method: 'keypad' } }), context)).toBe(
      'Door opened by keypad code on Front door',
    );
    expect(eventWords(event({ action: 'access-code.set-on-lock' }), context)).toBe('Code set on Front door');
    expect(
      eventWords(
        event({
          action: 'booking.created',
          actor: { kind: 'user', userId: 'usr_ana', role: 'manager' },
          lockId: undefined,
        }),
        context,
      ),
    ).toBe('Booking entered by ana@example.com (manager)');
    expect(
      eventWords(
        event({ action: 'access-code.rejected-by-lock', details: { reason: 'lock-full' } }),
        context,
      ),
    ).toBe('Front door refused the code (lock full)');
  });

  it('still say something for an action they do not know', () => {
    expect(eventWords(event({ action: 'lock.firmware-updated' }), context)).toBe(
      'Lock firmware updated (Front door)',
    );
  });
});

describe('the grants list of a property', () => {
  it('says it is loading until the API answered, and that there are no grants only once it answered none', () => {
    expect(grantsNotice({ answered: false, count: 0, failed: false })).toBe('Loading the grants…');
    expect(grantsNotice({ answered: true, count: 0, failed: false })).toBe('No grants yet.');
  });

  it('says nothing over its rows, nor when the read failed', () => {
    expect(grantsNotice({ answered: true, count: 2, failed: false })).toBeUndefined();
    expect(grantsNotice({ answered: false, count: 0, failed: true })).toBeUndefined();
  });
});
