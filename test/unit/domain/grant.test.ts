import { describe, expect, it } from 'vitest';
import { type Grant, grantStatus, holderUserIdOf, revoke } from '#shared/domain/grant.ts';

const grant: Grant = {
  tenantId: 'tnt_a',
  id: 'gnt_1',
  propertyId: 'prp_loft',
  kind: 'booking',
  subject: { kind: 'booking-guest', bookingId: 'bkg_1' },
  lockIds: ['lck_front'],
  window: { startsAt: '2026-10-24T13:00:00.000Z', endsAt: '2026-10-27T10:00:00.000Z' },
  singleUse: false,
  bookingId: 'bkg_1',
  issuedBy: { kind: 'user', userId: 'usr_manager', role: 'manager' },
  version: 1,
  createdAt: '2026-10-01T00:00:00.000Z',
  updatedAt: '2026-10-01T00:00:00.000Z',
};

describe("a grant's status follows the clock", () => {
  it.each([
    ['2026-10-24T12:59:59.999Z', 'upcoming'],
    ['2026-10-24T13:00:00.000Z', 'active'],
    ['2026-10-27T09:59:59.999Z', 'active'],
    ['2026-10-27T10:00:00.000Z', 'expired'],
  ])('at %s it is %s', (now, status) => {
    expect(grantStatus({ grant, now: new Date(now) })).toBe(status);
  });

  it('a permanent grant never expires', () => {
    const permanent = { ...grant, window: { startsAt: grant.window.startsAt, endsAt: null } };
    expect(grantStatus({ grant: permanent, now: new Date('2099-01-01T00:00:00Z') })).toBe('active');
  });

  it('a revoked grant is revoked whatever the time, and the first revocation stands', () => {
    const by = { kind: 'user', userId: 'usr_owner', role: 'owner' } as const;
    const revoked = revoke({ grant, at: '2026-10-25T08:00:00.000Z', reason: 'guest asked', by });
    expect(grantStatus({ grant: revoked, now: new Date('2026-10-25T12:00:00Z') })).toBe('revoked');
    expect(grantStatus({ grant: revoked, now: new Date('2026-10-01T00:00:00Z') })).toBe('revoked');
    expect(revoked.version).toBe(2);
    expect(revoke({ grant: revoked, at: '2026-10-26T08:00:00.000Z', reason: 'again', by })).toBe(revoked);
  });

  it('knows the team member it is for, when it is for one', () => {
    expect(holderUserIdOf(grant)).toBeUndefined();
    expect(holderUserIdOf({ subject: { kind: 'staff-member', userId: 'usr_cleaner' } })).toBe('usr_cleaner');
    expect(holderUserIdOf({ subject: { kind: 'owner', userId: 'usr_owner' } })).toBe('usr_owner');
  });
});
