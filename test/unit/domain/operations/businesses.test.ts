import { beforeEach, describe, expect, it } from 'vitest';
import { enrolFoundingOwner } from '#shared/domain/operations/businesses.ts';
import { resolvePrincipal } from '#shared/domain/operations/team.ts';
import { type TestWorld, tenantA, testWorld } from '../fakes.ts';

const founder = { userId: 'usr_founder', email: 'Maria@Casa.example', name: 'Maria' };

let world: TestWorld;
beforeEach(() => {
  world = testWorld({ now: '2026-11-01T09:00:00.000Z' });
});

describe('opening a host business', () => {
  it('makes its founder an active owner who may act at once, and audits it', async () => {
    const { member, events } = await enrolFoundingOwner({
      ports: world.ports,
      tenantId: tenantA,
      owner: founder,
    });

    expect(member).toMatchObject({ role: 'owner', status: 'active', email: 'maria@casa.example' });
    expect(events.map((event) => event.action)).toEqual(['team-member.founded']);
    await expect(
      resolvePrincipal({ ports: world.ports, tenantId: tenantA, userId: founder.userId }),
    ).resolves.toMatchObject({ role: 'owner', tenantId: tenantA });
  });

  it('a second time changes nothing', async () => {
    const first = await enrolFoundingOwner({ ports: world.ports, tenantId: tenantA, owner: founder });

    const again = await enrolFoundingOwner({ ports: world.ports, tenantId: tenantA, owner: founder });

    expect(again.member).toEqual(first.member);
    expect(again.events).toEqual([]);
  });
});
