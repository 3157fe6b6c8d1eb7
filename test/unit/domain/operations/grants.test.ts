import { beforeEach, describe, expect, it } from 'vitest';
import { InvalidInputError, NotFoundError, NotPermittedError } from '#shared/domain/errors.ts';
import { grantStatus } from '#shared/domain/grant.ts';
import { createBooking } from '#shared/domain/operations/bookings.ts';
import { issueAdHocGrant, revokeGrant } from '#shared/domain/operations/grants.ts';
import { isPermitted } from '#shared/domain/permissions.ts';
import {
  addLock,
  addProperty,
  addTeamMember,
  member,
  type TestWorld,
  tenantA,
  tenantB,
  testWorld,
} from '../fakes.ts';

const manager = member({ role: 'manager' });
const owner = member({ role: 'owner' });

let world: TestWorld;
beforeEach(() => {
  world = testWorld({ now: '2026-10-27T08:00:00.000Z' });
  addProperty(world.store);
  addLock(world.store, { id: 'lck_front' });
  addLock(world.store, { id: 'lck_flat' });
  addTeamMember(world.store, { role: 'owner', userId: 'usr_owner' });
  addTeamMember(world.store, { role: 'owner', userId: 'usr_coowner' });
  addTeamMember(world.store, { role: 'manager', userId: 'usr_manager' });
  addTeamMember(world.store, { role: 'staff', userId: 'usr_cleaner', assignedPropertyIds: ['prp_loft'] });
  addTeamMember(world.store, { role: 'staff', userId: 'usr_elsewhere', assignedPropertyIds: ['prp_villa'] });
});

describe('a delivery code', () => {
  it('opens the chosen door once, for four hours from now unless told otherwise', async () => {
    const { grant, accessCodes, events } = await issueAdHocGrant({
      ports: world.ports,
      principal: manager,
      input: { kind: 'delivery', propertyId: 'prp_loft', lockIds: ['lck_front'], label: 'Groceries' },
    });

    expect(grant).toMatchObject({
      kind: 'delivery',
      subject: { kind: 'delivery', label: 'Groceries' },
      lockIds: ['lck_front'],
      singleUse: true,
      window: { startsAt: '2026-10-27T08:00:00.000Z', endsAt: '2026-10-27T12:00:00.000Z' },
    });
    expect(accessCodes).toHaveLength(1);
    expect(accessCodes[0]).toMatchObject({ lockId: 'lck_front', singleUse: true, status: 'scheduled' });
    expect(events.map((event) => event.action)).toEqual(['grant.issued', 'access-code.allocated']);
  });

  it('may be arranged for later, in the host time with an offset', async () => {
    const { grant } = await issueAdHocGrant({
      ports: world.ports,
      principal: manager,
      input: {
        kind: 'delivery',
        propertyId: 'prp_loft',
        label: 'Furniture',
        startsAt: '2026-10-28T09:00:00+01:00',
        durationHours: 2,
      },
    });
    expect(grant.window).toEqual({
      startsAt: '2026-10-28T08:00:00.000Z',
      endsAt: '2026-10-28T10:00:00.000Z',
    });
    expect(grant.lockIds).toEqual(['lck_front', 'lck_flat']);
  });

  it('is refused for a lock of another property, for a window already over, or for more than 12 hours', async () => {
    const attempts = [
      { lockIds: ['lck_villa'] },
      { startsAt: '2026-10-26T09:00:00+01:00' },
      { durationHours: 13 },
    ];
    for (const attempt of attempts) {
      await expect(
        issueAdHocGrant({
          ports: world.ports,
          principal: manager,
          input: { kind: 'delivery', propertyId: 'prp_loft', label: 'Parcel', ...attempt },
        }),
      ).rejects.toThrow(InvalidInputError);
    }
  });
});

describe("a cleaner's turnover access", () => {
  async function bookStays() {
    const departing = await createBooking({
      ports: world.ports,
      principal: manager,
      input: {
        propertyId: 'prp_loft',
        guest: { name: 'Ada' },
        arrivalDate: '2026-10-24',
        departureDate: '2026-10-27',
      },
    });
    await createBooking({
      ports: world.ports,
      principal: manager,
      input: {
        propertyId: 'prp_loft',
        guest: { name: 'Grace' },
        arrivalDate: '2026-10-27',
        departureDate: '2026-10-30',
        checkInTime: '16:00',
      },
    });
    return departing.booking;
  }

  it('runs from one guest check-out to the next guest check-in, and is the cleaner own', async () => {
    const departing = await bookStays();
    const { grant } = await issueAdHocGrant({
      ports: world.ports,
      principal: manager,
      input: {
        kind: 'turnover',
        propertyId: 'prp_loft',
        staffUserId: 'usr_cleaner',
        afterBookingId: departing.id,
      },
    });

    expect(grant).toMatchObject({
      kind: 'turnover',
      subject: { kind: 'staff-member', userId: 'usr_cleaner' },
      window: { startsAt: '2026-10-27T10:00:00.000Z', endsAt: '2026-10-27T15:00:00.000Z' },
    });
    const cleaner = member({ role: 'staff', userId: 'usr_cleaner', assignedPropertyIds: ['prp_loft'] });
    const resource = { tenantId: tenantA, propertyId: 'prp_loft', holderUserId: 'usr_cleaner' };
    expect(isPermitted({ principal: cleaner, action: 'grant.read', resource })).toBe(true);
    expect(isPermitted({ principal: cleaner, action: 'accessCode.read', resource })).toBe(true);
  });

  it('is only for team members assigned to the property', async () => {
    const departing = await bookStays();
    const error = await issueAdHocGrant({
      ports: world.ports,
      principal: manager,
      input: {
        kind: 'turnover',
        propertyId: 'prp_loft',
        staffUserId: 'usr_elsewhere',
        afterBookingId: departing.id,
      },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).problems[0]?.field).toBe('staffUserId');
  });

  it('needs a confirmed booking of the property to follow', async () => {
    await expect(
      issueAdHocGrant({
        ports: world.ports,
        principal: manager,
        input: {
          kind: 'turnover',
          propertyId: 'prp_loft',
          staffUserId: 'usr_cleaner',
          afterBookingId: 'bkg_none',
        },
      }),
    ).rejects.toThrow(InvalidInputError);
  });
});

describe('emergency access', () => {
  const emergency = {
    kind: 'emergency',
    propertyId: 'prp_loft',
    contact: { name: 'Sam (neighbour)', phone: '+49 30 1234567' },
    reason: 'Water leak reported by the guest',
  } as const;

  it('opens at once, for a day, with its reason, and every owner is told', async () => {
    const { grant, events, ownersNotified } = await issueAdHocGrant({
      ports: world.ports,
      principal: manager,
      input: emergency,
    });

    expect(grant).toMatchObject({
      kind: 'emergency',
      subject: { kind: 'emergency-contact', name: 'Sam (neighbour)' },
      note: 'Water leak reported by the guest',
      window: { startsAt: '2026-10-27T08:00:00.000Z', endsAt: '2026-10-28T08:00:00.000Z' },
    });
    expect(grantStatus({ grant, now: world.clock.now() })).toBe('active');
    expect(ownersNotified).toBe(2);
    expect(world.notifier.sent).toHaveLength(1);
    expect(world.notifier.sent[0]?.recipients.map((recipient) => recipient.userId).sort()).toEqual([
      'usr_coowner',
      'usr_owner',
    ]);
    expect(world.notifier.sent[0]?.notice).toMatchObject({
      kind: 'emergency-access-issued',
      grantId: grant.id,
      propertyName: 'Altbau loft',
      timeZone: 'Europe/Berlin',
      reason: 'Water leak reported by the guest',
      issuedBy: { kind: 'user', userId: 'usr_manager' },
    });
    expect(events.find((event) => event.action === 'grant.owners-notified')?.details).toEqual({
      ownerUserIds: ['usr_owner', 'usr_coowner'],
    });
  });

  it('stands even when the owners cannot be told, and says so', async () => {
    world.notifier.failWith = new Error('mail is down');
    const { grant, ownersNotified } = await issueAdHocGrant({
      ports: world.ports,
      principal: manager,
      input: emergency,
    });
    expect(ownersNotified).toBe(0);
    expect(await world.ports.grants.get({ tenantId: tenantA, grantId: grant.id })).toEqual(grant);
  });

  it('must say why', async () => {
    const error = await issueAdHocGrant({
      ports: world.ports,
      principal: manager,
      input: { ...emergency, reason: '' },
    }).catch((caught: unknown) => caught);
    expect((error as InvalidInputError).problems.map((problem) => problem.field)).toEqual(['reason']);
  });
});

describe("an owner's permanent code", () => {
  it('never expires and is the owner own', async () => {
    const { grant } = await issueAdHocGrant({
      ports: world.ports,
      principal: owner,
      input: { kind: 'permanent', propertyId: 'prp_loft' },
    });
    expect(grant).toMatchObject({
      kind: 'permanent',
      subject: { kind: 'owner', userId: 'usr_owner' },
      window: { startsAt: '2026-10-27T08:00:00.000Z', endsAt: null },
    });
    expect(grantStatus({ grant, now: new Date('2036-01-01T00:00:00Z') })).toBe('active');
  });

  it('a manager may not issue one', async () => {
    await expect(
      issueAdHocGrant({
        ports: world.ports,
        principal: manager,
        input: { kind: 'permanent', propertyId: 'prp_loft' },
      }),
    ).rejects.toThrow(NotPermittedError);
  });

  it('is only for an owner', async () => {
    await expect(
      issueAdHocGrant({
        ports: world.ports,
        principal: owner,
        input: { kind: 'permanent', propertyId: 'prp_loft', ownerUserId: 'usr_cleaner' },
      }),
    ).rejects.toThrow(InvalidInputError);
  });
});

describe('who may issue grants', () => {
  it('a cleaner may issue none, whatever the kind', async () => {
    const cleaner = member({ role: 'staff', userId: 'usr_cleaner', assignedPropertyIds: ['prp_loft'] });
    for (const kind of ['delivery', 'turnover', 'emergency', 'permanent']) {
      await expect(
        issueAdHocGrant({ ports: world.ports, principal: cleaner, input: { kind, propertyId: 'prp_loft' } }),
      ).rejects.toThrow(NotPermittedError);
    }
  });

  it("another business gets 'not found' for the property", async () => {
    await expect(
      issueAdHocGrant({
        ports: world.ports,
        principal: member({ role: 'owner', tenantId: tenantB }),
        input: { kind: 'delivery', propertyId: 'prp_loft', label: 'Parcel' },
      }),
    ).rejects.toThrow(NotFoundError);
  });

  it('an unknown kind of grant is bad input', async () => {
    const error = await issueAdHocGrant({
      ports: world.ports,
      principal: owner,
      input: { kind: 'forever', propertyId: 'prp_loft' },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).problems[0]?.field).toBe('kind');
  });
});

describe('revoking a grant', () => {
  it('ends it at once and takes its codes off the locks', async () => {
    const issued = await issueAdHocGrant({
      ports: world.ports,
      principal: manager,
      input: { kind: 'delivery', propertyId: 'prp_loft', label: 'Parcel' },
    });
    const front = issued.accessCodes[0];
    if (!front) throw new Error('no code');
    world.store.put('accessCode', { ...front, status: 'set' });

    const { grant, accessCodes, events, changed } = await revokeGrant({
      ports: world.ports,
      principal: owner,
      grantId: issued.grant.id,
      input: { reason: 'Delivery done' },
    });

    expect(changed).toBe(true);
    expect(grantStatus({ grant, now: world.clock.now() })).toBe('revoked');
    expect(grant.revocation).toMatchObject({
      reason: 'Delivery done',
      by: { kind: 'user', userId: 'usr_owner' },
    });
    expect(accessCodes.map((code) => code.status)).toEqual(['removing', 'removed']);
    expect(events.map((event) => event.action)).toEqual([
      'grant.revoked',
      'access-code.withdrawn',
      'access-code.withdrawn',
    ]);
  });

  it('revoking twice changes nothing the second time', async () => {
    const issued = await issueAdHocGrant({
      ports: world.ports,
      principal: manager,
      input: { kind: 'delivery', propertyId: 'prp_loft', label: 'Parcel' },
    });
    await revokeGrant({ ports: world.ports, principal: manager, grantId: issued.grant.id });
    const again = await revokeGrant({ ports: world.ports, principal: manager, grantId: issued.grant.id });
    expect(again.changed).toBe(false);
    expect(again.grant.revocation?.reason).toBe('revoked-by-host');
  });

  it("a cleaner may not revoke, and another business's grant is 'not found'", async () => {
    const issued = await issueAdHocGrant({
      ports: world.ports,
      principal: manager,
      input: { kind: 'delivery', propertyId: 'prp_loft', label: 'Parcel' },
    });
    await expect(
      revokeGrant({ ports: world.ports, principal: member({ role: 'staff' }), grantId: issued.grant.id }),
    ).rejects.toThrow(NotPermittedError);
    await expect(
      revokeGrant({
        ports: world.ports,
        principal: member({ role: 'owner', tenantId: tenantB }),
        grantId: issued.grant.id,
      }),
    ).rejects.toThrow(NotFoundError);
  });
});
