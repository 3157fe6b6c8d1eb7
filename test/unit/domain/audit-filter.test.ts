/** What "keypad", "remote", "admin" and a person mean when the audit log is narrowed. */
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '#shared/domain/audit.ts';
import {
  auditFilterSchema,
  auditMethodOf,
  auditPersonOf,
  concernsStay,
  matchesAuditFilter,
  withinRange,
} from '#shared/domain/audit-filter.ts';

const base: AuditEvent = {
  tenantId: 'tnt-a',
  id: 'aud_1',
  at: '2026-07-01T15:12:00.000Z',
  actor: { kind: 'device', lockId: 'lck_front' },
  action: 'lock.unlocked',
  target: { kind: 'lock', id: 'lck_front' },
  details: {},
};
const ana = { kind: 'user', userId: 'usr_ana', role: 'manager' } as const;

describe('the method of an audit event', () => {
  it('is the one the lock reports for its openings and refusals', () => {
    for (const method of ['keypad', 'offline-code', 'rfid', 'fingerprint', 'face', 'key', 'remote']) {
      expect(auditMethodOf({ ...base, details: { method } })).toBe(method);
    }
    expect(auditMethodOf({ ...base, action: 'lock.access-denied', details: { method: 'rfid' } })).toBe(
      'rfid',
    );
  });

  it('is remote for unlock commands, admin for changes made by people or integrations, system otherwise', () => {
    expect(auditMethodOf({ ...base, actor: ana, action: 'unlock-command.requested' })).toBe('remote');
    expect(auditMethodOf({ ...base, actor: ana, action: 'booking.created' })).toBe('admin');
    expect(auditMethodOf({ ...base, actor: { kind: 'integration', integrationId: 'int_1' } })).toBe('admin');
    expect(auditMethodOf({ ...base, action: 'lock.locked', details: { reason: 'auto-relock' } })).toBe(
      'system',
    );
    expect(auditMethodOf({ ...base, actor: { kind: 'system', process: 'code-sync' } })).toBe('system');
  });

  it('ignores a method value that is no method', () => {
    expect(auditMethodOf({ ...base, details: { method: 'telepathy' } })).toBe('system');
  });
});

describe('the person behind an audit event', () => {
  it('is the user who acted, or who asked for the remote unlock the lock reports', () => {
    expect(auditPersonOf({ ...base, actor: ana })).toBe('usr_ana');
    expect(auditPersonOf({ ...base, details: { method: 'remote', requestedBy: ana } })).toBe('usr_ana');
    expect(
      auditPersonOf({ ...base, details: { requestedBy: { kind: 'guest', grantId: 'gnt_1' } } }),
    ).toBeUndefined();
    expect(auditPersonOf(base)).toBeUndefined();
  });
});

describe('the events of one stay', () => {
  const stay = { bookingId: 'bkg_1', grantId: 'gnt_1' };

  it('name the booking or its grant, or carry the grant, or come from its guest', () => {
    expect(concernsStay({ ...base, target: { kind: 'booking', id: 'bkg_1' } }, stay)).toBe(true);
    expect(concernsStay({ ...base, target: { kind: 'grant', id: 'gnt_1' } }, stay)).toBe(true);
    expect(concernsStay({ ...base, details: { method: 'keypad', grantId: 'gnt_1' } }, stay)).toBe(true);
    expect(concernsStay({ ...base, actor: { kind: 'guest', grantId: 'gnt_1' } }, stay)).toBe(true);
    expect(concernsStay({ ...base, details: { method: 'keypad', grantId: 'gnt_2' } }, stay)).toBe(false);
    expect(concernsStay({ ...base, target: { kind: 'booking', id: 'bkg_2' } }, stay)).toBe(false);
  });
});

describe('a filter', () => {
  it('needs every part it names to match', () => {
    const remoteByAna = { ...base, details: { method: 'remote', requestedBy: ana, grantId: 'gnt_1' } };
    expect(matchesAuditFilter(remoteByAna, { method: 'remote', userId: 'usr_ana' })).toBe(true);
    expect(matchesAuditFilter(remoteByAna, { method: 'keypad', userId: 'usr_ana' })).toBe(false);
    expect(matchesAuditFilter(remoteByAna, { userId: 'usr_bo' })).toBe(false);
    expect(matchesAuditFilter(remoteByAna, { stay: { grantId: 'gnt_2' } })).toBe(false);
    expect(matchesAuditFilter(remoteByAna, {})).toBe(true);
  });

  it('reads instants with any offset as the stored UTC text, `from` included and `to` excluded', () => {
    const filter = auditFilterSchema.parse({ from: '2026-07-01T16:12:00+01:00', to: '2026-07-01T15:13:00Z' });

    expect(filter.from).toBe('2026-07-01T15:12:00.000Z');
    expect(withinRange('2026-07-01T15:12:00.000Z', filter)).toBe(true);
    expect(withinRange('2026-07-01T15:13:00.000Z', filter)).toBe(false);
    expect(withinRange('2026-07-01T15:11:59.999Z', filter)).toBe(false);
  });

  it('refuses a range that ends before it starts, and an unknown method', () => {
    expect(
      auditFilterSchema.safeParse({ from: '2026-07-02T00:00:00Z', to: '2026-07-01T00:00:00Z' }).success,
    ).toBe(false);
    expect(auditFilterSchema.safeParse({ method: 'telepathy' }).success).toBe(false);
  });
});
