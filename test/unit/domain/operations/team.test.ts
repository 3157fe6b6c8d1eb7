import { beforeEach, describe, expect, it } from 'vitest';
import {
  ConflictError,
  InvalidInputError,
  NotAuthenticatedError,
  NotFoundError,
  NotPermittedError,
} from '#shared/domain/errors.ts';
import { createBooking } from '#shared/domain/operations/bookings.ts';
import {
  activateTeamMember,
  assignProperties,
  changeTeamMemberRole,
  inviteTeamMember,
  removeTeamMember,
  resolvePrincipal,
} from '#shared/domain/operations/team.ts';
import {
  addLock,
  addProperty,
  addTeamMember,
  issueCleanersTurnoverAfter,
  member,
  type TestWorld,
  tenantA,
  tenantB,
  testWorld,
} from '../fakes.ts';

const owner = member({ role: 'owner' });

let world: TestWorld;
beforeEach(() => {
  world = testWorld({ now: '2026-10-01T09:00:00.000Z' });
  addProperty(world.store);
  addLock(world.store, { id: 'lck_front' });
  addTeamMember(world.store, { role: 'owner', userId: 'usr_owner' });
  addTeamMember(world.store, { role: 'manager', userId: 'usr_manager' });
});

describe('inviting a team member', () => {
  it('creates their sign-in and records them as invited, with the properties a cleaner works at', async () => {
    const { member: invited, events } = await inviteTeamMember({
      ports: world.ports,
      principal: owner,
      input: { email: 'Maria@Example.com', name: 'Maria', role: 'staff', assignedPropertyIds: ['prp_loft'] },
    });

    expect(invited).toMatchObject({
      userId: 'usr_maria',
      email: 'maria@example.com',
      role: 'staff',
      status: 'invited',
      assignedPropertyIds: ['prp_loft'],
    });
    expect(world.identities.invited).toEqual([
      { tenantId: tenantA, email: 'maria@example.com', role: 'staff' },
    ]);
    expect(events.map((event) => event.action)).toEqual(['team-member.invited']);
  });

  it('an invited member acts only once they have enrolled and signed in', async () => {
    await inviteTeamMember({
      ports: world.ports,
      principal: owner,
      input: { email: 'maria@example.com', name: 'Maria', role: 'manager' },
    });
    await expect(
      resolvePrincipal({ ports: world.ports, tenantId: tenantA, userId: 'usr_maria' }),
    ).rejects.toThrow(NotAuthenticatedError);
    await activateTeamMember({ ports: world.ports, tenantId: tenantA, userId: 'usr_maria' });
    expect(await resolvePrincipal({ ports: world.ports, tenantId: tenantA, userId: 'usr_maria' })).toEqual({
      kind: 'member',
      tenantId: tenantA,
      userId: 'usr_maria',
      role: 'manager',
      assignedPropertyIds: [],
    });
  });

  it('is activated once by their first requests arriving together, each of which is answered', async () => {
    await inviteTeamMember({
      ports: world.ports,
      principal: owner,
      input: { email: 'maria@example.com', name: 'Maria', role: 'staff' },
    });
    const eventsBefore = world.store.auditEvents.length;

    const results = await Promise.all(
      [1, 2, 3].map(() => activateTeamMember({ ports: world.ports, tenantId: tenantA, userId: 'usr_maria' })),
    );

    expect(results.map((result) => result.member.status)).toEqual(['active', 'active', 'active']);
    const recorded = world.store.auditEvents.slice(eventsBefore).map((event) => event.action);
    expect(recorded).toEqual(['team-member.activated']);
    expect(
      (await resolvePrincipal({ ports: world.ports, tenantId: tenantA, userId: 'usr_maria' })).role,
    ).toBe('staff');
  });

  it('the same email twice is a conflict', async () => {
    const input = { email: 'maria@example.com', name: 'Maria', role: 'staff' };
    await inviteTeamMember({ ports: world.ports, principal: owner, input });
    await expect(inviteTeamMember({ ports: world.ports, principal: owner, input })).rejects.toThrow(
      ConflictError,
    );
  });

  it('refuses properties that do not exist in this business', async () => {
    addProperty(world.store, { id: 'prp_theirs', tenantId: tenantB });
    const error = await inviteTeamMember({
      ports: world.ports,
      principal: owner,
      input: {
        email: 'maria@example.com',
        name: 'Maria',
        role: 'staff',
        assignedPropertyIds: ['prp_theirs'],
      },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).problems[0]?.field).toBe('assignedPropertyIds.0');
    expect(world.identities.invited).toEqual([]);
  });

  it('is for owners only', async () => {
    await expect(
      inviteTeamMember({
        ports: world.ports,
        principal: member({ role: 'manager' }),
        input: { email: 'maria@example.com', name: 'Maria', role: 'staff' },
      }),
    ).rejects.toThrow(NotPermittedError);
  });
});

describe('roles and properties', () => {
  it('a role change counts at once, before the member signs in again', async () => {
    const { member: changed, events } = await changeTeamMemberRole({
      ports: world.ports,
      principal: owner,
      userId: 'usr_manager',
      input: { role: 'staff' },
    });
    expect(changed.role).toBe('staff');
    expect(events[0]?.details).toEqual({ from: 'manager', to: 'staff' });
    expect(world.identities.roles).toEqual([{ userId: 'usr_manager', role: 'staff' }]);
    const principal = await resolvePrincipal({
      ports: world.ports,
      tenantId: tenantA,
      userId: 'usr_manager',
    });
    expect(principal.role).toBe('staff');
  });

  it('the last owner cannot stop being one', async () => {
    await expect(
      changeTeamMemberRole({
        ports: world.ports,
        principal: owner,
        userId: 'usr_owner',
        input: { role: 'manager' },
      }),
    ).rejects.toThrow(/at least one owner/);
    addTeamMember(world.store, { role: 'owner', userId: 'usr_partner' });
    const { member: changed } = await changeTeamMemberRole({
      ports: world.ports,
      principal: owner,
      userId: 'usr_owner',
      input: { role: 'manager' },
    });
    expect(changed.role).toBe('manager');
  });

  it("assigns a cleaner's properties", async () => {
    addTeamMember(world.store, { role: 'staff', userId: 'usr_cleaner' });
    const { member: assigned } = await assignProperties({
      ports: world.ports,
      principal: owner,
      userId: 'usr_cleaner',
      input: { propertyIds: ['prp_loft'] },
    });
    expect(assigned.assignedPropertyIds).toEqual(['prp_loft']);
  });

  it("another business's member is 'not found'", async () => {
    await expect(
      changeTeamMemberRole({
        ports: world.ports,
        principal: member({ role: 'owner', tenantId: tenantB }),
        userId: 'usr_manager',
        input: { role: 'staff' },
      }),
    ).rejects.toThrow(NotFoundError);
  });
});

describe('removing a team member', () => {
  it('ends their sign-in and revokes the access they hold', async () => {
    addTeamMember(world.store, { role: 'staff', userId: 'usr_cleaner', assignedPropertyIds: ['prp_loft'] });
    const manager = member({ role: 'manager' });
    const booking = await createBooking({
      ports: world.ports,
      principal: manager,
      input: {
        propertyId: 'prp_loft',
        guest: { name: 'Ada' },
        arrivalDate: '2026-10-24',
        departureDate: '2026-10-27',
      },
    });
    const turnover = await issueCleanersTurnoverAfter(world, booking.booking.id);

    const {
      member: removed,
      revokedGrantIds,
      events,
    } = await removeTeamMember({
      ports: world.ports,
      principal: owner,
      userId: 'usr_cleaner',
    });

    expect(removed.status).toBe('removed');
    expect(world.identities.disabled).toEqual(['usr_cleaner']);
    expect(revokedGrantIds).toEqual([turnover.grant.id]);
    expect(events.map((event) => event.action)).toEqual([
      'team-member.removed',
      'grant.revoked',
      'access-code.withdrawn',
    ]);
    await expect(
      resolvePrincipal({ ports: world.ports, tenantId: tenantA, userId: 'usr_cleaner' }),
    ).rejects.toThrow(NotAuthenticatedError);
  });

  it('the last owner cannot be removed', async () => {
    await expect(
      removeTeamMember({ ports: world.ports, principal: owner, userId: 'usr_owner' }),
    ).rejects.toThrow(/at least one owner/);
  });
});
