/**
 * Who may do what, written down once. Each action lists the roles that may perform it and the condition
 * under which they may; a role not listed may not. `authorize` is the only reader of the matrix on request
 * paths, and the tests walk the same matrix, so the table is the specification.
 *
 * Conditions:
 * - `any`: anything of the principal's own tenant.
 * - `assigned-property`: only things of a property the member is assigned to (a cleaner's properties).
 * - `own`: only grants and codes held by the member themself.
 * - `own-active-grant`: only where the member holds a grant that is active now (a cleaner inside their window).
 *
 * Another tenant's resource is answered as NotFoundError whatever the action, so that its existence does not
 * leak; a resource of the right tenant that the role may not touch is NotPermittedError.
 */
import { NotFoundError, NotPermittedError } from './errors.ts';
import { type Principal, type PrincipalRole, roleOf } from './team.ts';

export const conditions = ['any', 'assigned-property', 'own', 'own-active-grant'] as const;
export type Condition = (typeof conditions)[number];

export interface Permission {
  /** What the action does, as a sentence fragment: "a manager may not <description>". */
  readonly description: string;
  readonly allowed: Readonly<Partial<Record<PrincipalRole, Condition>>>;
}

const ownerAndManager = { owner: 'any', manager: 'any' } as const;
const ownerOnly = { owner: 'any' } as const;

export const permissionMatrix = {
  'property.read': {
    description: 'see a property',
    allowed: { ...ownerAndManager, staff: 'assigned-property' },
  },
  'property.create': { description: 'create a property', allowed: ownerAndManager },
  'property.update': { description: 'change a property', allowed: ownerAndManager },

  'lock.read': { description: 'see a lock', allowed: { ...ownerAndManager, staff: 'assigned-property' } },
  'lock.register': { description: 'register a lock', allowed: ownerAndManager },
  'lock.update': { description: 'change a lock', allowed: ownerAndManager },
  'lock.rotateCredentials': { description: "rotate a lock's key and certificate", allowed: ownerAndManager },
  'lock.rotateFleet': {
    description: 'rotate the keys and certificates of every lock of the business or a property',
    allowed: ownerOnly,
  },
  'lock.unlockRemotely': {
    description: 'open a lock remotely',
    allowed: { ...ownerAndManager, staff: 'own-active-grant' },
  },

  // A cleaner plans around arrivals and departures; guests' contact details are for owners and managers.
  'booking.readSchedule': {
    description: "see a property's bookings",
    allowed: { ...ownerAndManager, staff: 'assigned-property' },
  },
  'booking.readGuestDetails': { description: "see a guest's contact details", allowed: ownerAndManager },
  'booking.create': { description: 'enter a booking', allowed: { ...ownerAndManager, integration: 'any' } },
  'booking.modify': { description: 'change a booking', allowed: { ...ownerAndManager, integration: 'any' } },
  'booking.cancel': { description: 'cancel a booking', allowed: { ...ownerAndManager, integration: 'any' } },
  'booking.resendGuestEmail': { description: "send a guest's email again", allowed: ownerAndManager },

  'grant.read': { description: 'see a grant', allowed: { ...ownerAndManager, staff: 'own' } },
  'grant.issueDelivery': { description: 'issue a delivery code', allowed: ownerAndManager },
  'grant.issueTurnover': { description: "issue a cleaner's turnover access", allowed: ownerAndManager },
  'grant.issueEmergency': { description: 'issue emergency access', allowed: ownerAndManager },
  'grant.issuePermanent': { description: 'issue a permanent owner code', allowed: ownerOnly },
  'grant.revoke': { description: 'revoke a grant', allowed: ownerAndManager },

  'accessCode.read': { description: 'see an access code', allowed: { ...ownerAndManager, staff: 'own' } },

  'audit.read': { description: 'read the audit log', allowed: ownerAndManager },

  'team.read': { description: 'see the team', allowed: ownerAndManager },
  'team.invite': { description: 'invite a team member', allowed: ownerOnly },
  'team.changeRole': { description: "change a team member's role", allowed: ownerOnly },
  'team.assignProperties': { description: "change a team member's properties", allowed: ownerOnly },
  'team.remove': { description: 'remove a team member', allowed: ownerOnly },

  'settings.read': { description: "see the business's settings", allowed: ownerAndManager },
  'settings.update': { description: "change the business's settings", allowed: ownerOnly },

  'integration.read': { description: 'see booking integrations', allowed: ownerOnly },
  'integration.manage': { description: 'manage booking integrations', allowed: ownerOnly },
} as const satisfies Record<string, Permission>;

export type Action = keyof typeof permissionMatrix;
export const actions = Object.keys(permissionMatrix) as Action[];

/** What `authorize` needs to know about the thing acted on; only the parts a condition reads. */
export interface ResourceScope {
  readonly tenantId: string;
  readonly propertyId?: string | undefined;
  /** The team member a grant or code is for, when it is for one. */
  readonly holderUserId?: string | undefined;
  /** Team members holding a grant on this lock that is active now. */
  readonly activeGrantHolderUserIds?: readonly string[] | undefined;
}

export function conditionFor({
  principal,
  action,
}: {
  principal: Principal;
  action: Action;
}): Condition | undefined {
  const allowed: Permission['allowed'] = permissionMatrix[action].allowed;
  return allowed[roleOf(principal)];
}

function meets({
  principal,
  condition,
  resource,
}: {
  principal: Principal;
  condition: Condition;
  resource: ResourceScope;
}): boolean {
  if (condition === 'any') return true;
  if (principal.kind !== 'member') return false;
  switch (condition) {
    case 'assigned-property':
      return resource.propertyId !== undefined && principal.assignedPropertyIds.includes(resource.propertyId);
    case 'own':
      return resource.holderUserId !== undefined && resource.holderUserId === principal.userId;
    case 'own-active-grant':
      return resource.activeGrantHolderUserIds?.includes(principal.userId) ?? false;
  }
}

/** Whether the principal may do this to this resource; false for another tenant's resource too. */
export function isPermitted({
  principal,
  action,
  resource,
}: {
  principal: Principal;
  action: Action;
  resource: ResourceScope;
}): boolean {
  if (resource.tenantId !== principal.tenantId) return false;
  const condition = conditionFor({ principal, action });
  return condition !== undefined && meets({ principal, condition, resource });
}

/**
 * Whether the principal's role may do this at all, before any resource is known. Checked first, so that a
 * role that may never do something is told so before its input is even read.
 */
export function assertMayAttempt({ principal, action }: { principal: Principal; action: Action }): void {
  if (conditionFor({ principal, action }) === undefined) {
    throw new NotPermittedError(`A ${roleOf(principal)} may not ${permissionMatrix[action].description}`);
  }
}

/** Throws NotFoundError for another tenant's resource, NotPermittedError when the role or condition fails. */
export function authorize({
  principal,
  action,
  resource,
}: {
  principal: Principal;
  action: Action;
  resource: ResourceScope;
}): void {
  if (resource.tenantId !== principal.tenantId) throw new NotFoundError('Not found');
  assertMayAttempt({ principal, action });
  if (!isPermitted({ principal, action, resource })) {
    throw new NotPermittedError(
      `A ${roleOf(principal)} may ${permissionMatrix[action].description} only ${conditionPhrase[conditionFor({ principal, action }) ?? 'any']}`,
    );
  }
}

const conditionPhrase: Record<Condition, string> = {
  any: '',
  'assigned-property': 'where they are assigned',
  own: 'when it is their own',
  'own-active-grant': 'during their own access window',
};
