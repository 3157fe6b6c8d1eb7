import { beforeEach, describe, expect, it } from 'vitest';
import { codesForGuest } from '#shared/access/guest-codes.ts';
import type { OfflineCode } from '#shared/access/offline-code-issuance.ts';
import type { Grant } from '#shared/domain/grant.ts';
import { createBooking } from '#shared/domain/operations/bookings.ts';
import { issueGuestLink } from '#shared/guests/guest-link.ts';
import { readGuestStay } from '#shared/guests/guest-stay.ts';
import { addLock, addProperty, member, type TestWorld, testWorld } from '../domain/fakes.ts';
import { InMemoryGuestLinks } from './guest-email-fakes.ts';

const owner = member({ role: 'owner' });
const stay = {
  propertyId: 'prp_loft',
  guest: { name: 'Ada Lovelace', email: 'ada@example.com' },
  arrivalDate: '2026-10-24',
  departureDate: '2026-10-27',
};

let world: TestWorld;
let guestLinks: InMemoryGuestLinks;
let grant: Grant;
let token: string;
let offline: OfflineCode[];

function offlineCode(overrides: Partial<OfflineCode> & Pick<OfflineCode, 'lockId' | 'purpose' | 'code'>) {
  return {
    tenantId: 'tnt_a',
    id: `ofc_${grant.id}_${overrides.lockId}`,
    grantId: grant.id,
    propertyId: 'prp_loft',
    keyVersion: 1,
    startHour: 0,
    durationClass: 3,
    validFrom: grant.window.startsAt,
    validUntil: grant.window.endsAt ?? '',
    firstUseBefore: '2026-10-25T13:00:00.000Z',
    grantWindow: grant.window,
    version: 1,
    createdAt: '2026-10-20T09:00:00.000Z',
    updatedAt: '2026-10-20T09:00:00.000Z',
    ...overrides,
  } satisfies OfflineCode;
}

const ports = () => ({
  ...world.ports,
  guestLinks,
  offlineCodes: { listByGrant: async () => offline },
});

beforeEach(async () => {
  world = testWorld({ now: '2026-10-20T09:00:00.000Z', randomScript: [480371] });
  addProperty(world.store);
  addLock(world.store, { id: 'lck_front', name: 'Front door' });
  addLock(world.store, { id: 'lck_shed', name: 'Bike shed', connectivity: 'bluetooth' });
  guestLinks = new InMemoryGuestLinks();
  offline = [];
  ({ grant } = await createBooking({ ports: world.ports, principal: owner, input: stay }));
  ({ token } = await issueGuestLink({ store: guestLinks, grant, now: world.clock.now() }));
});

describe('the codes on the guest page', () => {
  it("are the email's codes: the PIN where it is the way in, the offline code on a Bluetooth lock", async () => {
    offline = [offlineCode({ lockId: 'lck_shed', purpose: 'bluetooth-lock', code: '73914620' })];

    const view = await readGuestStay({ ports: ports(), token, now: world.clock.now() });
    const emailed = await codesForGuest({ ports: ports(), tenantId: 'tnt_a', grantId: grant.id });

    const byLock = Object.fromEntries(view.locks.map((lock) => [lock.id, lock.code]));
    expect(byLock.lck_front).toEqual({ code: expect.stringMatching(/^\d{6}$/), kind: 'pin' });
    expect(byLock.lck_shed).toEqual({
      code: '73914620',
      kind: 'offline',
      // Berlin is back on winter time by then.
      firstUseBefore: '2026-10-25T14:00:00+01:00',
    });
    expect(emailed.map((code) => code.code).sort()).toEqual(
      [byLock.lck_front?.code, byLock.lck_shed?.code].sort(),
    );
  });

  it('give the fallback offline code instead of a PIN that was not confirmed in time', async () => {
    offline = [offlineCode({ lockId: 'lck_front', purpose: 'readiness-fallback', code: '50281734' })];

    const view = await readGuestStay({ ports: ports(), token, now: world.clock.now() });

    const front = view.locks.find((lock) => lock.id === 'lck_front');
    expect(front?.code).toMatchObject({ code: '50281734', kind: 'offline' });
    expect(front?.pin).toBeUndefined();
  });

  it('leave out an offline code issued for a window the stay no longer has', async () => {
    offline = [
      offlineCode({
        lockId: 'lck_front',
        purpose: 'readiness-fallback',
        code: '50281734',
        grantWindow: { startsAt: '2026-10-23T13:00:00.000Z', endsAt: '2026-10-26T10:00:00.000Z' },
      }),
    ];

    const view = await readGuestStay({ ports: ports(), token, now: world.clock.now() });

    expect(view.locks.find((lock) => lock.id === 'lck_front')?.code?.kind).toBe('pin');
  });
});
