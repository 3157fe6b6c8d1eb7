import { describe, expect, it } from 'vitest';
import {
  clearRemoteUnlock,
  LockUnreachableError,
  mayUnlockRemotelyNow,
} from '#shared/domain/access-policy.ts';
import { GoneError, NotFoundError, NotPermittedError } from '#shared/domain/errors.ts';
import type { Grant } from '#shared/domain/grant.ts';
import type { Lock } from '#shared/domain/lock.ts';
import { cleanersTurnover, member, tenantA, tenantB } from './fakes.ts';

const lock: Lock = {
  tenantId: tenantA,
  id: 'lck_front',
  propertyId: 'prp_loft',
  name: 'Front door',
  connectivity: 'wifi',
  codeConstraints: { pinLength: 6, capacity: 20 },
  thingName: 'lockstay-lck_front',
  credentials: { certificateId: 'cert', keyVersion: 1, issuedAt: '2026-01-01T00:00:00.000Z' },
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

const guestGrant: Grant = {
  ...cleanersTurnover,
  id: 'gnt_guest',
  kind: 'booking',
  subject: { kind: 'booking-guest', bookingId: 'bkg_1' },
  bookingId: 'bkg_1',
  window: { startsAt: '2026-10-24T13:00:00.000Z', endsAt: '2026-10-27T10:00:00.000Z' },
};

const duringTurnover = new Date('2026-10-27T11:00:00.000Z');
const afterTurnover = new Date('2026-10-27T15:00:00.000Z');
const cleaner = member({ role: 'staff', userId: 'usr_cleaner', assignedPropertyIds: ['prp_loft'] });

describe('opening a lock remotely', () => {
  it('a manager may, at any time, and is named as the requester', () => {
    const clearance = clearRemoteUnlock({
      requester: { kind: 'host', principal: member({ role: 'manager' }) },
      lock,
      grantsOnLock: [],
      online: true,
      now: afterTurnover,
    });
    expect(clearance).toEqual({ requestedBy: { kind: 'user', userId: 'usr_manager', role: 'manager' } });
  });

  it('a cleaner may inside their own turnover window, and the unlock is under that grant', () => {
    const clearance = clearRemoteUnlock({
      requester: { kind: 'host', principal: cleaner },
      lock,
      grantsOnLock: [cleanersTurnover],
      online: true,
      now: duringTurnover,
    });
    expect(clearance.grantId).toBe('gnt_turnover');
  });

  it('a cleaner may not outside their window, nor inside someone else', () => {
    const attempt = (now: Date, grants: Grant[]) => () =>
      clearRemoteUnlock({
        requester: { kind: 'host', principal: cleaner },
        lock,
        grantsOnLock: grants,
        online: true,
        now,
      });
    expect(attempt(afterTurnover, [cleanersTurnover])).toThrow(NotPermittedError);
    const colleagues = {
      ...cleanersTurnover,
      subject: { kind: 'staff-member', userId: 'usr_other' },
    } as const;
    expect(attempt(duringTurnover, [colleagues])).toThrow(NotPermittedError);
  });

  it('a guest may during the stay, on the locks of their grant', () => {
    const clearance = clearRemoteUnlock({
      requester: { kind: 'grant-holder', grant: guestGrant },
      lock,
      grantsOnLock: [],
      online: true,
      now: new Date('2026-10-25T18:00:00.000Z'),
    });
    expect(clearance).toEqual({ requestedBy: { kind: 'guest', grantId: 'gnt_guest' }, grantId: 'gnt_guest' });
  });

  it('a guest is told when the stay has not started, and that access has ended after it or once revoked', () => {
    const attempt = (grant: Grant, now: string) => () =>
      clearRemoteUnlock({
        requester: { kind: 'grant-holder', grant },
        lock,
        grantsOnLock: [],
        online: true,
        now: new Date(now),
      });
    expect(attempt(guestGrant, '2026-10-24T12:00:00.000Z')).toThrow(NotPermittedError);
    expect(attempt(guestGrant, '2026-10-27T10:00:00.000Z')).toThrow(GoneError);
    const revoked = {
      ...guestGrant,
      revocation: {
        at: '2026-10-25T00:00:00.000Z',
        reason: 'booking-cancelled',
        by: { kind: 'system', process: 'x' },
      },
    } as const;
    expect(attempt(revoked, '2026-10-25T18:00:00.000Z')).toThrow(GoneError);
    expect(attempt({ ...guestGrant, lockIds: ['lck_flat'] }, '2026-10-25T18:00:00.000Z')).toThrow(
      NotFoundError,
    );
  });

  it('a Bluetooth-only lock is never opened remotely, and the answer says to use the code', () => {
    const attempt = () =>
      clearRemoteUnlock({
        requester: { kind: 'host', principal: member({ role: 'owner' }) },
        lock: { ...lock, connectivity: 'bluetooth' },
        grantsOnLock: [],
        online: true,
        now: duringTurnover,
      });
    expect(attempt).toThrow(LockUnreachableError);
    expect(attempt).toThrow(/Bluetooth only.*use the code/);
  });

  it('an offline lock gets a clear "use your code"', () => {
    const attempt = () =>
      clearRemoteUnlock({
        requester: { kind: 'host', principal: member({ role: 'owner' }) },
        lock,
        grantsOnLock: [],
        online: false,
        now: duringTurnover,
      });
    expect(attempt).toThrow(/offline.*use the code/);
  });

  it('who may comes before whether it can: a cleaner outside their window is refused even for an offline lock', () => {
    expect(() =>
      clearRemoteUnlock({
        requester: { kind: 'host', principal: cleaner },
        lock,
        grantsOnLock: [cleanersTurnover],
        online: false,
        now: afterTurnover,
      }),
    ).toThrow(NotPermittedError);
  });

  it("another business's lock is 'not found'", () => {
    expect(() =>
      clearRemoteUnlock({
        requester: { kind: 'host', principal: member({ role: 'owner', tenantId: tenantB }) },
        lock,
        grantsOnLock: [],
        online: true,
        now: duringTurnover,
      }),
    ).toThrow(NotFoundError);
  });
});

describe('whether a host may open a lock remotely now, as the lock views say', () => {
  it('a cleaner may during a grant of their own on the lock, and not after it or on a colleague’s', () => {
    const colleagues: Grant = { ...cleanersTurnover, subject: { kind: 'staff-member', userId: 'usr_other' } };
    const may = (grantsOnLock: readonly Grant[], now: Date) =>
      mayUnlockRemotelyNow({ principal: cleaner, lock, grantsOnLock, now });

    expect(may([cleanersTurnover], duringTurnover)).toBe(true);
    expect(may([cleanersTurnover], afterTurnover)).toBe(false);
    expect(may([colleagues, guestGrant], duringTurnover)).toBe(false);
  });

  it('owners and managers may at any time; a host of another tenant may not', () => {
    expect(
      mayUnlockRemotelyNow({
        principal: member({ role: 'manager' }),
        lock,
        grantsOnLock: [],
        now: afterTurnover,
      }),
    ).toBe(true);
    expect(
      mayUnlockRemotelyNow({
        principal: member({ role: 'owner', tenantId: tenantB }),
        lock,
        grantsOnLock: [],
        now: afterTurnover,
      }),
    ).toBe(false);
  });
});
