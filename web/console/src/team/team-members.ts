/**
 * The team as the page shows it: role names in the host's words, members in a stable order (owners first, then
 * by name), what a change form sends (only what changed, and a staff member's properties only for staff), and
 * a member's properties by name. Pure, so it is specified by unit tests apart from the page.
 */
import { type HostRole, hostRoles } from '#shared/domain/team.ts';

export interface TeamMember {
  readonly userId: string;
  readonly email: string;
  readonly name: string;
  readonly role: HostRole;
  readonly assignedPropertyIds: readonly string[];
  readonly status: 'invited' | 'active' | 'removed';
}

export interface PropertyChoice {
  readonly id: string;
  readonly name: string;
}

export const roleLabels: Readonly<Record<HostRole, string>> = {
  owner: 'Owner',
  manager: 'Manager',
  staff: 'Staff (e.g. a cleaner)',
};

export const roleChoices = hostRoles.map((role) => ({ value: role, label: roleLabels[role] }));

export const statusLabels: Readonly<Record<TeamMember['status'], string>> = {
  invited: 'Invited: has not signed in yet',
  active: 'Active',
  removed: 'Removed',
};

export function sortedMembers(members: readonly TeamMember[]): TeamMember[] {
  return [...members].sort(
    (a, b) =>
      hostRoles.indexOf(a.role) - hostRoles.indexOf(b.role) ||
      a.name.localeCompare(b.name) ||
      a.email.localeCompare(b.email),
  );
}

/**
 * The members as the API listed them, with those the host invited, changed or removed since the list was asked
 * for (a removed member comes back with status `removed`): an answer read before a change must not undo it.
 */
export function withChangedMembers(
  listed: readonly TeamMember[],
  changed: readonly TeamMember[],
): TeamMember[] {
  const changedIds = new Set(changed.map(({ userId }) => userId));
  return sortedMembers([...listed.filter(({ userId }) => !changedIds.has(userId)), ...changed]);
}

/** Only staff are assigned properties; owners and managers see every property anyway. */
export const assignsProperties = (role: HostRole): boolean => role === 'staff';

/**
 * The body of `PATCH /users/{userId}`: the role when it changed, and the properties when the member is (or
 * becomes) staff and they changed, or when a member stops being staff (their assignments are cleared). Undefined
 * when nothing changed.
 */
export function memberChange(options: {
  member: Pick<TeamMember, 'role' | 'assignedPropertyIds'>;
  role: HostRole;
  propertyIds: readonly string[];
}): { role?: HostRole; assignedPropertyIds?: string[] } | undefined {
  const { member, role, propertyIds } = options;
  const wanted = assignsProperties(role) ? [...propertyIds] : [];
  const sameProperties =
    wanted.length === member.assignedPropertyIds.length &&
    wanted.every((propertyId) => member.assignedPropertyIds.includes(propertyId));
  const change = {
    ...(role === member.role ? {} : { role }),
    ...(sameProperties ? {} : { assignedPropertyIds: wanted }),
  };
  return Object.keys(change).length === 0 ? undefined : change;
}

/** A member's assigned properties by name, in the properties' order; unknown ids as they are. */
export function propertyNames(options: {
  propertyIds: readonly string[];
  properties: readonly PropertyChoice[];
}): string[] {
  const { propertyIds, properties } = options;
  const known = properties
    .filter((property) => propertyIds.includes(property.id))
    .map((property) => property.name);
  const unknown = propertyIds.filter(
    (propertyId) => !properties.some((property) => property.id === propertyId),
  );
  return [...known, ...unknown];
}
