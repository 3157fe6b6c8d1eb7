/**
 * Specifications of what the console tells and hides per role: it reads the domain's permission matrix, so the
 * table shown on the Team page and the sections a role sees follow the rules the API enforces.
 */
import { describe, expect, it } from 'vitest';
import { type Action, permissionMatrix } from '#shared/domain/permissions.ts';
import { hostRoles } from '#shared/domain/team.ts';
import {
  conditionWords,
  mayAttempt,
  roleAbilities,
  roleSummary,
} from '../../../web/console/src/role-permissions.ts';

describe('what each role may do, as the Team page shows it', () => {
  it('has one row per action of the matrix, none left out and none invented', () => {
    const rows = roleAbilities().flatMap((area) => area.abilities.map((ability) => ability.action));

    expect(new Set(rows)).toEqual(new Set(Object.keys(permissionMatrix)));
    expect(rows).toHaveLength(Object.keys(permissionMatrix).length);
  });

  it('says "No" exactly where the matrix gives the role nothing, and the limit where it gives a condition', () => {
    for (const ability of roleAbilities().flatMap((area) => area.abilities)) {
      const allowed = permissionMatrix[ability.action].allowed as Partial<
        Record<string, keyof typeof conditionWords>
      >;
      for (const role of hostRoles) {
        const condition = allowed[role];
        expect(ability.byRole[role]).toBe(condition === undefined ? 'No' : conditionWords[condition]);
      }
    }
  });

  it('reads the rules a cleaner lives by in plain words', () => {
    const ability = (action: Action) =>
      roleAbilities()
        .flatMap((area) => area.abilities)
        .find((candidate) => candidate.action === action);

    expect(ability('lock.unlockRemotely')?.byRole).toEqual({
      owner: 'Yes',
      manager: 'Yes',
      staff: 'Only during their own access window',
    });
    expect(ability('team.invite')?.byRole).toEqual({ owner: 'Yes', manager: 'No', staff: 'No' });
    expect(ability('property.read')?.description).toBe('See a property');
  });

  it('groups the rows by area in the order of the console’s sections', () => {
    const names = roleAbilities().map((area) => area.name);
    expect(names.slice(0, 3)).toEqual(['Properties', 'Locks', 'Bookings']);
    expect(names.indexOf('Integrations')).toBeLessThan(names.indexOf('Team'));
    expect(new Set(names).size).toBe(names.length);
  });

  it('summarises a role by what it may not do', () => {
    expect(roleSummary('owner')).toBe('Everything, including the team and integrations.');
    expect(roleSummary('manager')).toContain('may not: ');
    expect(roleSummary('manager')).toContain('invite a team member');
    expect(roleSummary('staff')).toContain('limited');
  });
});

describe('which sections a role sees', () => {
  it('shows Team and Integrations as the matrix allows: integrations to owners only, the team to managers too', () => {
    expect(hostRoles.filter((role) => mayAttempt(role, 'integration.read'))).toEqual(['owner']);
    expect(hostRoles.filter((role) => mayAttempt(role, 'team.read'))).toEqual(['owner', 'manager']);
    expect(mayAttempt('staff', 'lock.unlockRemotely')).toBe(true);
  });
});
