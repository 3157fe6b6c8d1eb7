import { describe, expect, it } from 'vitest';
import { NotFoundError, NotPermittedError } from '#shared/domain/errors.ts';
import {
  type Action,
  actions,
  assertMayAttempt,
  authorize,
  type Condition,
  isPermitted,
  permissionMatrix,
  type ResourceScope,
} from '#shared/domain/permissions.ts';
import type { Principal, PrincipalRole } from '#shared/domain/team.ts';
import { integration, member, tenantA, tenantB } from './fakes.ts';

const roles: PrincipalRole[] = ['owner', 'manager', 'staff', 'integration'];

function principalFor(role: PrincipalRole, tenantId = tenantA): Principal {
  return role === 'integration'
    ? integration({ tenantId })
    : member({ role, tenantId, userId: `usr_${role}`, assignedPropertyIds: ['prp_assigned'] });
}

/** A resource that meets the condition for the principal, and one of the same tenant that does not. */
function resourcesFor(
  condition: Condition,
  principal: Principal,
): { meets: ResourceScope; fails?: ResourceScope } {
  const userId = principal.kind === 'member' ? principal.userId : 'nobody';
  switch (condition) {
    case 'any':
      return { meets: { tenantId: tenantA, propertyId: 'prp_other' } };
    case 'assigned-property':
      return {
        meets: { tenantId: tenantA, propertyId: 'prp_assigned' },
        fails: { tenantId: tenantA, propertyId: 'prp_other' },
      };
    case 'own':
      return {
        meets: { tenantId: tenantA, propertyId: 'prp_assigned', holderUserId: userId },
        fails: { tenantId: tenantA, propertyId: 'prp_assigned', holderUserId: 'usr_someone_else' },
      };
    case 'own-active-grant':
      return {
        meets: { tenantId: tenantA, propertyId: 'prp_assigned', activeGrantHolderUserIds: [userId] },
        fails: { tenantId: tenantA, propertyId: 'prp_assigned', activeGrantHolderUserIds: [] },
      };
  }
}

describe('the permission matrix, enforced as written', () => {
  for (const action of actions) {
    const allowed: Partial<Record<PrincipalRole, Condition>> = permissionMatrix[action].allowed;
    for (const role of roles) {
      const condition = allowed[role];
      const principal = principalFor(role);
      if (condition === undefined) {
        it(`${role} may not ${action}, on anything`, () => {
          const resource = { tenantId: tenantA, propertyId: 'prp_assigned', holderUserId: 'usr_staff' };
          expect(() => authorize({ principal, action, resource })).toThrow(NotPermittedError);
          expect(() => assertMayAttempt({ principal, action })).toThrow(NotPermittedError);
        });
        continue;
      }
      const { meets, fails } = resourcesFor(condition, principal);
      it(`${role} may ${action} (${condition})`, () => {
        expect(() => authorize({ principal, action, resource: meets })).not.toThrow();
        expect(isPermitted({ principal, action, resource: meets })).toBe(true);
      });
      if (fails) {
        it(`${role} may not ${action} outside "${condition}"`, () => {
          expect(() => authorize({ principal, action, resource: fails })).toThrow(NotPermittedError);
          expect(isPermitted({ principal, action, resource: fails })).toBe(false);
        });
      }
      it(`${role} of another tenant gets "not found" for ${action}`, () => {
        const outsider = principalFor(role, tenantB);
        expect(() => authorize({ principal: outsider, action, resource: meets })).toThrow(NotFoundError);
        expect(isPermitted({ principal: outsider, action, resource: meets })).toBe(false);
      });
    }
  }
});

describe('the matrix says what the brief says', () => {
  const allowedRoles = (action: Action) => Object.keys(permissionMatrix[action].allowed).sort();

  it('only owners manage the team and the integrations', () => {
    for (const action of actions.filter((name) => name.startsWith('team.') && name !== 'team.read')) {
      expect(allowedRoles(action)).toEqual(['owner']);
    }
    expect(allowedRoles('integration.manage')).toEqual(['owner']);
  });

  it('managers handle properties, locks, bookings, grants and remote unlock', () => {
    for (const action of [
      'property.create',
      'property.update',
      'lock.register',
      'lock.update',
      'booking.create',
      'booking.modify',
      'booking.cancel',
      'grant.issueDelivery',
      'grant.issueTurnover',
      'grant.issueEmergency',
      'grant.revoke',
    ] as const) {
      expect(permissionMatrix[action].allowed).toHaveProperty('manager', 'any');
    }
    expect(permissionMatrix['lock.unlockRemotely'].allowed.manager).toBe('any');
  });

  it('a cleaner sees only assigned properties and their own codes, and unlocks only inside their own window', () => {
    expect(permissionMatrix['booking.readSchedule'].allowed.staff).toBe('assigned-property');
    expect(permissionMatrix['accessCode.read'].allowed.staff).toBe('own');
    expect(permissionMatrix['lock.unlockRemotely'].allowed.staff).toBe('own-active-grant');
    expect(permissionMatrix['booking.readGuestDetails'].allowed).not.toHaveProperty('staff');
    expect(permissionMatrix['booking.create'].allowed).not.toHaveProperty('staff');
  });

  it('integrations may only enter, change and cancel bookings', () => {
    const integrationActions = actions.filter((action) => 'integration' in permissionMatrix[action].allowed);
    expect(integrationActions.sort()).toEqual(['booking.cancel', 'booking.create', 'booking.modify']);
  });

  it('a permanent owner code is for owners to issue', () => {
    expect(allowedRoles('grant.issuePermanent')).toEqual(['owner']);
  });
});

describe('how a refusal reads', () => {
  it('names the role and the action', () => {
    const staff = member({ role: 'staff' });
    expect(() =>
      authorize({ principal: staff, action: 'lock.register', resource: { tenantId: tenantA } }),
    ).toThrow('A staff may not register a lock');
  });

  it('says which condition was missed', () => {
    const staff = member({ role: 'staff', assignedPropertyIds: ['prp_loft'] });
    expect(() =>
      authorize({
        principal: staff,
        action: 'property.read',
        resource: { tenantId: tenantA, propertyId: 'prp_villa' },
      }),
    ).toThrow('A staff may see a property only where they are assigned');
  });
});
