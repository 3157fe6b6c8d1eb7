/** Specifications of the Team page's own logic: the order of members and what a change sends to the API. */
import { describe, expect, it } from 'vitest';
import {
  memberChange,
  propertyNames,
  sortedMembers,
  type TeamMember,
  withChangedMembers,
} from '../../../web/console/src/team/team-members.ts';

const member = (overrides: Partial<TeamMember>): TeamMember => ({
  userId: 'usr_1',
  email: 'rosa@example.com',
  name: 'Rosa',
  role: 'staff',
  assignedPropertyIds: ['prop_a'],
  status: 'active',
  ...overrides,
});

describe('a change of a team member', () => {
  it('sends nothing when nothing changed', () => {
    expect(memberChange({ member: member({}), role: 'staff', propertyIds: ['prop_a'] })).toBeUndefined();
  });

  it('sends only the properties when a cleaner gets another property', () => {
    expect(memberChange({ member: member({}), role: 'staff', propertyIds: ['prop_a', 'prop_b'] })).toEqual({
      assignedPropertyIds: ['prop_a', 'prop_b'],
    });
  });

  it('clears the properties of a cleaner who becomes a manager, in the same request', () => {
    expect(memberChange({ member: member({}), role: 'manager', propertyIds: ['prop_a'] })).toEqual({
      role: 'manager',
      assignedPropertyIds: [],
    });
  });

  it('sends only the role when a manager becomes an owner', () => {
    const manager = member({ role: 'manager', assignedPropertyIds: [] });
    expect(memberChange({ member: manager, role: 'owner', propertyIds: ['prop_a'] })).toEqual({
      role: 'owner',
    });
  });
});

describe('the list of members', () => {
  it('puts owners first, then managers, then staff, each by name', () => {
    const sorted = sortedMembers([
      member({ userId: '1', name: 'Zoe', role: 'staff' }),
      member({ userId: '2', name: 'Ana', role: 'staff' }),
      member({ userId: '3', name: 'Mia', role: 'owner' }),
      member({ userId: '4', name: 'Bo', role: 'manager' }),
    ]);
    expect(sorted.map((candidate) => candidate.name)).toEqual(['Mia', 'Bo', 'Ana', 'Zoe']);
  });

  it('keeps who was invited, changed or removed since it was asked for, when its answer was read before', () => {
    const listed = [
      member({ userId: 'usr_owner', name: 'Mia', role: 'owner', assignedPropertyIds: [] }),
      member({ userId: 'usr_rosa', name: 'Rosa' }),
      member({ userId: 'usr_tom', name: 'Tom' }),
    ];
    const invited = member({ userId: 'usr_ana', name: 'Ana', status: 'invited' });
    const promoted = member({ userId: 'usr_rosa', name: 'Rosa', role: 'manager', assignedPropertyIds: [] });
    const removed = member({ userId: 'usr_tom', name: 'Tom', status: 'removed' });

    const shown = withChangedMembers(listed, [invited, promoted, removed]);

    expect(shown.map(({ userId, role, status }) => [userId, role, status])).toEqual([
      ['usr_owner', 'owner', 'active'],
      ['usr_rosa', 'manager', 'active'],
      ['usr_ana', 'staff', 'invited'],
      ['usr_tom', 'staff', 'removed'],
    ]);
    expect(withChangedMembers(listed, []).map(({ userId }) => userId)).toEqual([
      'usr_owner',
      'usr_rosa',
      'usr_tom',
    ]);
  });

  it('names a cleaner’s properties, and keeps an id it does not know', () => {
    const properties = [
      { id: 'prop_a', name: 'Casa Azul' },
      { id: 'prop_b', name: 'Dune house' },
    ];
    expect(propertyNames({ propertyIds: ['prop_b', 'prop_x'], properties })).toEqual([
      'Dune house',
      'prop_x',
    ]);
  });
});
