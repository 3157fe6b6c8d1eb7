/**
 * The team of a host business: who is acting (resolving a verified token to a principal), and the owner's
 * work of inviting members, changing their roles and properties, and removing them. A business always keeps
 * at least one active owner. A removed member loses their sign-in and every grant they hold.
 */
import { type AuditEvent, auditTrail } from '../audit.ts';
import { changedFields, newEntityId, revise } from '../entity.ts';
import { ConflictError, InvalidInputError, NotAuthenticatedError } from '../errors.ts';
import { grantStatus } from '../grant.ts';
import { instantOf } from '../local-time.ts';
import { assertMayAttempt, authorize } from '../permissions.ts';
import type { DomainPorts } from '../ports/domain-ports.ts';
import {
  type AssignPropertiesInput,
  assignPropertiesInputSchema,
  type ChangeRoleInput,
  changeRoleInputSchema,
  type InviteTeamMemberInput,
  inviteTeamMemberInputSchema,
  type MemberPrincipal,
  memberPrincipal,
  type Principal,
  type TeamMember,
} from '../team.ts';
import { parseInput } from '../validation.ts';
import { revokeLoadedGrant } from './grants.ts';
import { beginOperation, conflictError, found, type OperationResult } from './operation.ts';

export interface TeamMemberResult extends OperationResult {
  readonly member: TeamMember;
}

/**
 * The principal behind a verified token: an active member of the token's tenant, with the role and properties
 * of the stored record (so a change or removal counts at once, not when the token expires).
 */
export async function resolvePrincipal({
  ports,
  tenantId,
  userId,
}: {
  ports: Pick<DomainPorts, 'team'>;
  tenantId: string;
  userId: string;
}): Promise<MemberPrincipal> {
  const principal = memberPrincipal({ tenantId, userId, member: await ports.team.get({ tenantId, userId }) });
  if (!principal) throw new NotAuthenticatedError('Not an active member of this business');
  return principal;
}

/**
 * Marks an invited member active once they have enrolled TOTP and signed in (called by the sign-in trigger,
 * not by a person). Activating an active member changes nothing, also when a concurrent request activated them
 * while this one was at it.
 */
export async function activateTeamMember({
  ports,
  tenantId,
  userId,
}: {
  ports: Pick<DomainPorts, 'clock' | 'ids' | 'team' | 'changes'>;
  tenantId: string;
  userId: string;
}): Promise<TeamMemberResult> {
  const member = found(await ports.team.get({ tenantId, userId }), { entity: 'teamMember', id: userId });
  if (member.status !== 'invited') return { member, events: [] };
  const at = instantOf(ports.clock.now());
  const audit = auditTrail({
    tenantId,
    actor: { kind: 'user', userId, role: member.role },
    at,
    newId: () => newEntityId({ ids: ports.ids, kind: 'auditEvent' }),
  });
  const active = revise(member, { status: 'active' }, at);
  audit.record({ action: 'team-member.activated', target: { kind: 'team-member', id: userId } });
  const outcome = await ports.changes.commit({
    writes: [{ entity: 'teamMember', op: 'update', value: active }],
    auditEvents: audit.events,
  });
  if (!outcome.ok) {
    // A member's first pages send several requests at once, and each would activate them: when another one did
    // so meanwhile, that is the outcome asked for, not a conflict to answer.
    const meanwhile = await ports.team.get({ tenantId, userId });
    if (outcome.conflict.kind === 'stale' && meanwhile?.status === 'active')
      return { member: meanwhile, events: [] };
    throw conflictError(outcome.conflict);
  }
  return { member: active, events: audit.events };
}

async function checkProperties({
  ports,
  tenantId,
  propertyIds,
  field,
}: {
  ports: Pick<DomainPorts, 'properties'>;
  tenantId: string;
  propertyIds: readonly string[];
  field: string;
}): Promise<void> {
  const properties = await Promise.all(
    propertyIds.map((propertyId) => ports.properties.get({ tenantId, propertyId })),
  );
  const problems = propertyIds.flatMap((propertyId, index) =>
    properties[index] ? [] : [{ field: `${field}.${index}`, message: `No property ${propertyId}` }],
  );
  if (problems.length > 0) throw new InvalidInputError('Unknown properties', problems);
}

export async function inviteTeamMember({
  ports,
  principal,
  input,
}: {
  ports: Pick<DomainPorts, 'clock' | 'ids' | 'properties' | 'team' | 'identities' | 'changes'>;
  principal: Principal;
  input: InviteTeamMemberInput | unknown;
}): Promise<TeamMemberResult> {
  authorize({ principal, action: 'team.invite', resource: { tenantId: principal.tenantId } });
  const invitation = parseInput({ schema: inviteTeamMemberInputSchema, input, what: 'invitation' });
  const { tenantId } = principal;
  await checkProperties({
    ports,
    tenantId,
    propertyIds: invitation.assignedPropertyIds,
    field: 'assignedPropertyIds',
  });
  const existing = await ports.team.findByEmail({ tenantId, email: invitation.email });
  if (existing && existing.status !== 'removed') {
    throw new ConflictError(`${invitation.email} is already on the team`);
  }

  const { at, audit } = beginOperation({ ports, principal });
  const { userId } = await ports.identities.inviteUser({
    tenantId,
    email: invitation.email,
    name: invitation.name,
    role: invitation.role,
  });
  const member: TeamMember = existing
    ? revise(existing, { ...invitation, status: 'invited' }, at)
    : { tenantId, userId, ...invitation, status: 'invited', version: 1, createdAt: at, updatedAt: at };
  audit.record({
    action: 'team-member.invited',
    target: { kind: 'team-member', id: userId },
    details: { email: member.email, role: member.role, assignedPropertyIds: member.assignedPropertyIds },
  });
  const outcome = await ports.changes.commit({
    writes: [{ entity: 'teamMember', op: existing ? 'update' : 'create', value: member }],
    auditEvents: audit.events,
  });
  if (!outcome.ok) {
    await ports.identities.disableUser({ tenantId, userId });
    throw conflictError(outcome.conflict);
  }
  return { member, events: audit.events };
}

/** Saves a member's revision with the audit events that say why; a change made meanwhile is a conflict. */
async function commitMemberChange({
  ports,
  member,
  auditEvents,
}: {
  ports: Pick<DomainPorts, 'changes'>;
  member: TeamMember;
  auditEvents: readonly AuditEvent[];
}): Promise<void> {
  const outcome = await ports.changes.commit({
    writes: [{ entity: 'teamMember', op: 'update', value: member }],
    auditEvents,
  });
  if (!outcome.ok) throw conflictError(outcome.conflict);
}

async function loadMember({
  ports,
  principal,
  userId,
  action,
}: {
  ports: Pick<DomainPorts, 'team'>;
  principal: Principal;
  userId: string;
  action: 'team.changeRole' | 'team.assignProperties' | 'team.remove';
}): Promise<TeamMember> {
  assertMayAttempt({ principal, action });
  const member = found(await ports.team.get({ tenantId: principal.tenantId, userId }), {
    entity: 'teamMember',
    id: userId,
  });
  authorize({ principal, action, resource: { tenantId: member.tenantId } });
  if (member.status === 'removed') throw new ConflictError(`${member.email} is no longer on the team`);
  return member;
}

async function assertAnotherOwnerRemains({
  ports,
  member,
}: {
  ports: Pick<DomainPorts, 'team'>;
  member: TeamMember;
}): Promise<void> {
  if (member.role !== 'owner' || member.status !== 'active') return;
  const owners = await ports.team.listByRole({ tenantId: member.tenantId, role: 'owner' });
  if (!owners.some((owner) => owner.userId !== member.userId)) {
    throw new ConflictError('The business must keep at least one owner; make someone else owner first');
  }
}

export async function changeTeamMemberRole({
  ports,
  principal,
  userId,
  input,
}: {
  ports: Pick<DomainPorts, 'clock' | 'ids' | 'team' | 'identities' | 'changes'>;
  principal: Principal;
  userId: string;
  input: ChangeRoleInput | unknown;
}): Promise<TeamMemberResult & { readonly changed: boolean }> {
  const member = await loadMember({ ports, principal, userId, action: 'team.changeRole' });
  const { role } = parseInput({ schema: changeRoleInputSchema, input, what: 'role' });
  if (role === member.role) return { member, changed: false, events: [] };
  await assertAnotherOwnerRemains({ ports, member });

  const { at, audit } = beginOperation({ ports, principal });
  const changed = revise(member, { role }, at);
  audit.record({
    action: 'team-member.role-changed',
    target: { kind: 'team-member', id: userId },
    details: { from: member.role, to: role },
  });
  await commitMemberChange({ ports, member: changed, auditEvents: audit.events });
  // The record already counts; the token claim follows for the next sign-in.
  await ports.identities.setRole({ tenantId: member.tenantId, userId, role });
  return { member: changed, changed: true, events: audit.events };
}

export async function assignProperties({
  ports,
  principal,
  userId,
  input,
}: {
  ports: Pick<DomainPorts, 'clock' | 'ids' | 'properties' | 'team' | 'changes'>;
  principal: Principal;
  userId: string;
  input: AssignPropertiesInput | unknown;
}): Promise<TeamMemberResult & { readonly changed: boolean }> {
  const member = await loadMember({ ports, principal, userId, action: 'team.assignProperties' });
  const { propertyIds } = parseInput({ schema: assignPropertiesInputSchema, input, what: 'assignment' });
  await checkProperties({ ports, tenantId: member.tenantId, propertyIds, field: 'propertyIds' });
  const { at, audit } = beginOperation({ ports, principal });
  const assigned = revise(member, { assignedPropertyIds: propertyIds }, at);
  if (changedFields(member, assigned, ['assignedPropertyIds']).length === 0) {
    return { member, changed: false, events: [] };
  }
  audit.record({
    action: 'team-member.properties-assigned',
    target: { kind: 'team-member', id: userId },
    details: { from: member.assignedPropertyIds, to: propertyIds },
  });
  await commitMemberChange({ ports, member: assigned, auditEvents: audit.events });
  return { member: assigned, changed: true, events: audit.events };
}

/**
 * A member's role and properties changed together, in one commit: either both change or neither does (a
 * refused role change, such as demoting the last owner, leaves the properties as they were too).
 */
export async function changeTeamMember({
  ports,
  principal,
  userId,
  input,
}: {
  ports: Pick<DomainPorts, 'clock' | 'ids' | 'properties' | 'team' | 'identities' | 'changes'>;
  principal: Principal;
  userId: string;
  input: { readonly role?: unknown; readonly propertyIds?: unknown };
}): Promise<TeamMemberResult & { readonly changed: boolean }> {
  const member = await loadMember({ ports, principal, userId, action: 'team.changeRole' });
  await loadMember({ ports, principal, userId, action: 'team.assignProperties' });
  const { role } = parseInput({ schema: changeRoleInputSchema, input: { role: input.role }, what: 'role' });
  const { propertyIds } = parseInput({
    schema: assignPropertiesInputSchema,
    input: { propertyIds: input.propertyIds },
    what: 'assignment',
  });
  await checkProperties({ ports, tenantId: member.tenantId, propertyIds, field: 'propertyIds' });
  if (role !== member.role) await assertAnotherOwnerRemains({ ports, member });

  const { at, audit } = beginOperation({ ports, principal });
  const changed = revise(member, { role, assignedPropertyIds: propertyIds }, at);
  if (role !== member.role) {
    audit.record({
      action: 'team-member.role-changed',
      target: { kind: 'team-member', id: userId },
      details: { from: member.role, to: role },
    });
  }
  if (changedFields(member, changed, ['assignedPropertyIds']).length > 0) {
    audit.record({
      action: 'team-member.properties-assigned',
      target: { kind: 'team-member', id: userId },
      details: { from: member.assignedPropertyIds, to: propertyIds },
    });
  }
  if (audit.events.length === 0) return { member, changed: false, events: [] };
  await commitMemberChange({ ports, member: changed, auditEvents: audit.events });
  if (role !== member.role) await ports.identities.setRole({ tenantId: member.tenantId, userId, role });
  return { member: changed, changed: true, events: audit.events };
}

/** How many of a removed member's grants are looked at; more than a member ever holds live. */
const maxGrantsRevokedOnRemoval = 500;

/**
 * Removes a member: their sign-in ends and every grant they hold that has not ended is revoked (a cleaner's
 * turnovers, an owner's permanent code), each in its own commit after the removal.
 */
export async function removeTeamMember({
  ports,
  principal,
  userId,
}: {
  ports: Pick<DomainPorts, 'clock' | 'ids' | 'team' | 'grants' | 'accessCodes' | 'identities' | 'changes'>;
  principal: Principal;
  userId: string;
}): Promise<TeamMemberResult & { readonly revokedGrantIds: readonly string[] }> {
  const member = await loadMember({ ports, principal, userId, action: 'team.remove' });
  await assertAnotherOwnerRemains({ ports, member });
  const { at, audit, now } = beginOperation({ ports, principal });
  const removed = revise(member, { status: 'removed', assignedPropertyIds: [] }, at);
  audit.record({ action: 'team-member.removed', target: { kind: 'team-member', id: userId } });
  await commitMemberChange({ ports, member: removed, auditEvents: audit.events });
  await ports.identities.disableUser({ tenantId: member.tenantId, userId });

  const events = [...audit.events];
  const revokedGrantIds: string[] = [];
  let cursor: string | undefined;
  let seen = 0;
  do {
    const page = await ports.grants.listByHolder({
      tenantId: member.tenantId,
      userId,
      page: { cursor, limit: 100 },
    });
    for (const grant of page.items) {
      const status = grantStatus({ grant, now });
      if (status === 'revoked' || status === 'expired') continue;
      const result = await revokeLoadedGrant({ ports, principal, grant, reason: 'holder-removed-from-team' });
      revokedGrantIds.push(grant.id);
      events.push(...result.events);
    }
    seen += page.items.length;
    cursor = page.nextCursor;
  } while (cursor !== undefined && seen < maxGrantsRevokedOnRemoval);
  return { member: removed, revokedGrantIds, events };
}
