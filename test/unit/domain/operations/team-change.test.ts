import { beforeEach, describe, expect, it } from 'vitest';
import { ConflictError } from '#shared/domain/errors.ts';
import { changeTeamMember } from '#shared/domain/operations/team.ts';
import { addProperty, addTeamMember, member, type TestWorld, testWorld } from '../fakes.ts';

const owner = member({ role: 'owner' });

let world: TestWorld;
beforeEach(() => {
  world = testWorld({ now: '2026-11-01T09:00:00.000Z' });
  addProperty(world.store);
  addTeamMember(world.store, { role: 'owner' });
});

describe("changing a member's role and properties together", () => {
  it('changes both in one step, audited as both', async () => {
    addTeamMember(world.store, { role: 'manager', userId: 'usr_ana' });

    const { member: changed, events } = await changeTeamMember({
      ports: world.ports,
      principal: owner,
      userId: 'usr_ana',
      input: { role: 'staff', propertyIds: ['prp_loft'] },
    });

    expect(changed).toMatchObject({ role: 'staff', assignedPropertyIds: ['prp_loft'], version: 2 });
    expect(events.map((event) => event.action)).toEqual([
      'team-member.role-changed',
      'team-member.properties-assigned',
    ]);
    await expect(
      world.ports.team.get({ tenantId: changed.tenantId, userId: 'usr_ana' }),
    ).resolves.toMatchObject({
      role: 'staff',
      assignedPropertyIds: ['prp_loft'],
    });
  });

  it('changes neither when the role change is refused (the last owner stays an owner)', async () => {
    await expect(
      changeTeamMember({
        ports: world.ports,
        principal: owner,
        userId: 'usr_owner',
        input: { role: 'manager', propertyIds: ['prp_loft'] },
      }),
    ).rejects.toBeInstanceOf(ConflictError);

    await expect(
      world.ports.team.get({ tenantId: owner.tenantId, userId: 'usr_owner' }),
    ).resolves.toMatchObject({
      role: 'owner',
      assignedPropertyIds: [],
      version: 1,
    });
  });
});
