/**
 * What each host role may do, read from the domain's permission matrix (the table the API enforces), so the
 * console hides what a role may not do and shows the team the same rules the API applies, never a copy.
 */
import { type Action, type Condition, permissionMatrix } from '#shared/domain/permissions.ts';
import { type HostRole, hostRoles } from '#shared/domain/team.ts';

const conditionOf = (role: HostRole, action: Action): Condition | undefined =>
  (permissionMatrix[action].allowed as Readonly<Partial<Record<HostRole, Condition>>>)[role];

/** Whether the role may ever do this; the API still decides for each resource (a cleaner's own property...). */
export const mayAttempt = (role: HostRole, action: Action): boolean =>
  conditionOf(role, action) !== undefined;

/** How a condition reads in a cell of the table: "yes", or the limit it sets. */
export const conditionWords: Readonly<Record<Condition, string>> = {
  any: 'Yes',
  'assigned-property': 'Only at their assigned properties',
  own: 'Only their own',
  'own-active-grant': 'Only during their own access window',
};

/** The areas of the matrix, named as hosts know them, in the order the console's sections come. */
const areaNames: Readonly<Record<string, string>> = {
  property: 'Properties',
  lock: 'Locks',
  booking: 'Bookings',
  grant: 'Access grants',
  accessCode: 'Access codes',
  audit: 'Audit log',
  integration: 'Integrations',
  team: 'Team',
};

export interface RoleAbility {
  readonly action: Action;
  /** "See a property". */
  readonly description: string;
  /** Per role: `Yes`, `No` or the limit (`Only at their assigned properties`). */
  readonly byRole: Readonly<Record<HostRole, string>>;
}

export interface AbilityArea {
  readonly name: string;
  readonly abilities: readonly RoleAbility[];
}

const sentence = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

/** Every action of the matrix, grouped by area, with what each host role may do. */
export function roleAbilities(): AbilityArea[] {
  const areas = new Map<string, RoleAbility[]>();
  for (const action of Object.keys(permissionMatrix) as Action[]) {
    const area = action.split('.')[0] ?? action;
    const ability: RoleAbility = {
      action,
      description: sentence(permissionMatrix[action].description),
      byRole: Object.fromEntries(
        hostRoles.map((role) => {
          const condition = conditionOf(role, action);
          return [role, condition === undefined ? 'No' : conditionWords[condition]];
        }),
      ) as Record<HostRole, string>,
    };
    areas.set(area, [...(areas.get(area) ?? []), ability]);
  }
  const order = Object.keys(areaNames);
  return [...areas.entries()]
    .sort(
      ([a], [b]) => (order.indexOf(a) + 1 || order.length + 1) - (order.indexOf(b) + 1 || order.length + 1),
    )
    .map(([area, abilities]) => ({ name: areaNames[area] ?? sentence(area), abilities }));
}

/** One line per role for the invitation form: what choosing it gives. */
export function roleSummary(role: HostRole): string {
  const abilities = roleAbilities().flatMap((area) => area.abilities);
  const allowed = abilities.filter((ability) => ability.byRole[role] !== 'No');
  const limited = allowed.filter((ability) => ability.byRole[role] !== 'Yes');
  if (allowed.length === abilities.length && limited.length === 0)
    return 'Everything, including the team and integrations.';
  return `${allowed.length} of ${abilities.length} actions${limited.length ? `, ${limited.length} of them limited` : ''}; may not: ${abilities
    .filter((ability) => ability.byRole[role] === 'No')
    .map((ability) => ability.description.toLowerCase())
    .join(', ')}.`;
}
