/**
 * Grants a host issues by hand, and revoking any grant.
 * - delivery: one use, a few hours, from now or a given time;
 * - turnover: a cleaner between a guest's check-out and the next guest's check-in;
 * - emergency: at once, for a day or so, with a reason; every owner is told;
 * - permanent: an owner's own code, with no end.
 * Each kind is its own action in the permission matrix (a manager may issue all but the permanent owner code).
 */
import type { AccessCode } from '../access-code.ts';
import type { Booking } from '../booking.ts';
import { InvalidInputError } from '../errors.ts';
import {
  type Grant,
  type GrantKind,
  type GrantRequest,
  type GrantSubject,
  type GrantWindow,
  type IssueGrantInput,
  issueGrantInputSchema,
  type RevokeGrantInput,
  revoke,
  revokeGrantInputSchema,
} from '../grant.ts';
import { permanentWindow, turnoverWindow, windowOfHours } from '../grant-window.ts';
import { epochOf, instantOf } from '../local-time.ts';
import type { Lock } from '../lock.ts';
import { type Action, assertMayAttempt, authorize } from '../permissions.ts';
import type { EntityWrite } from '../ports/change-set.ts';
import type { DomainPorts } from '../ports/domain-ports.ts';
import type { Property } from '../property.ts';
import type { Principal } from '../team.ts';
import { parseInput } from '../validation.ts';
import {
  accessCodesIn,
  allocateAccessCodes,
  commitWithUniquePins,
  recordAllocations,
  recordGrantIssued,
  withdrawAll,
} from './access-codes.ts';
import {
  beginOperation,
  conflictError,
  found,
  type OperationContext,
  type OperationResult,
} from './operation.ts';

export interface GrantResult extends OperationResult {
  readonly grant: Grant;
  readonly accessCodes: readonly AccessCode[];
}

export interface IssueGrantResult extends GrantResult {
  /** For emergency access: how many owners were told (0 when telling them failed; the grant stands). */
  readonly ownersNotified?: number;
}

const issueActions: Record<GrantRequest['kind'], Action> = {
  delivery: 'grant.issueDelivery',
  turnover: 'grant.issueTurnover',
  emergency: 'grant.issueEmergency',
  permanent: 'grant.issuePermanent',
};

/** How far ahead a delivery may be booked; a code waiting months for a courier is a code to forget. */
const maxDeliveryLeadDays = 30;

type GrantPorts = Pick<
  DomainPorts,
  | 'clock'
  | 'ids'
  | 'random'
  | 'properties'
  | 'locks'
  | 'bookings'
  | 'grants'
  | 'accessCodes'
  | 'team'
  | 'changes'
  | 'notifier'
>;

export async function issueAdHocGrant({
  ports,
  principal,
  input,
}: {
  ports: GrantPorts;
  principal: Principal;
  input: IssueGrantInput | unknown;
}): Promise<IssueGrantResult> {
  const kind = (input as { kind?: unknown } | undefined)?.kind;
  if (typeof kind === 'string' && kind in issueActions) {
    assertMayAttempt({ principal, action: issueActions[kind as GrantRequest['kind']] });
  }
  const request = parseInput({ schema: issueGrantInputSchema, input, what: 'grant' });
  const action = issueActions[request.kind];
  const { tenantId } = principal;
  const property = found(await ports.properties.get({ tenantId, propertyId: request.propertyId }), {
    entity: 'property',
    id: request.propertyId,
  });
  authorize({ principal, action, resource: { tenantId, propertyId: property.id } });
  const locks = chooseLocks({
    locks: await ports.locks.listByProperty({ tenantId, propertyId: property.id }),
    lockIds: request.lockIds,
  });

  const context = beginOperation({ ports, principal });
  const { subject, window } = await subjectAndWindow({ ports, principal, property, request, context });
  const { at, audit, newId, actor } = context;
  const grant: Grant = {
    tenantId,
    id: newId('grant'),
    propertyId: property.id,
    kind: request.kind satisfies GrantKind,
    subject,
    lockIds: locks.map((lock) => lock.id),
    window,
    singleUse: request.kind === 'delivery',
    note: request.kind === 'emergency' ? request.reason : undefined,
    issuedBy: actor,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  const codes = allocateAccessCodes({
    grant,
    locks,
    random: ports.random,
    newId: () => newId('accessCode'),
    at,
  });
  recordGrantIssued({ audit, grant });
  recordAllocations({ audit, codes });
  const owners = request.kind === 'emergency' ? await ports.team.listByRole({ tenantId, role: 'owner' }) : [];
  if (request.kind === 'emergency') {
    audit.record({
      action: 'grant.owners-notified',
      target: { kind: 'grant', id: grant.id },
      propertyId: property.id,
      details: { ownerUserIds: owners.map((owner) => owner.userId) },
    });
  }

  const { outcome, committed } = await commitWithUniquePins({
    changes: {
      writes: [
        { entity: 'grant', op: 'create', value: grant },
        ...codes.map((value): EntityWrite => ({ entity: 'accessCode', op: 'create', value })),
      ],
      auditEvents: audit.events,
    },
    committer: ports.changes,
    random: ports.random,
  });
  if (!outcome.ok) throw conflictError(outcome.conflict);
  const result = { grant, accessCodes: accessCodesIn({ changes: committed }), events: audit.events };
  if (request.kind !== 'emergency' || window.endsAt === null) return result;

  try {
    await ports.notifier.notify({
      tenantId,
      recipients: owners.map(({ userId, email, name }) => ({ userId, email, name })),
      notice: {
        kind: 'emergency-access-issued',
        grantId: grant.id,
        propertyId: property.id,
        propertyName: property.name,
        timeZone: property.timeZone,
        contactName: request.contact.name,
        reason: request.reason,
        issuedBy: actor,
        startsAt: window.startsAt,
        endsAt: window.endsAt,
      },
    });
    return { ...result, ownersNotified: owners.length };
  } catch {
    // The access is what the emergency needs; the host sees that the owners were not told and can tell them.
    return { ...result, ownersNotified: 0 };
  }
}

function chooseLocks({
  locks,
  lockIds,
}: {
  locks: readonly Lock[];
  lockIds: readonly string[] | undefined;
}): Lock[] {
  if (lockIds === undefined) return [...locks];
  const problems = lockIds.flatMap((lockId, index) =>
    locks.some((lock) => lock.id === lockId)
      ? []
      : [{ field: `lockIds.${index}`, message: `Lock ${lockId} is not a lock of this property` }],
  );
  if (problems.length > 0) throw new InvalidInputError('The grant names locks it cannot have', problems);
  return locks.filter((lock) => lockIds.includes(lock.id));
}

async function subjectAndWindow({
  ports,
  principal,
  property,
  request,
  context,
}: {
  ports: Pick<GrantPorts, 'bookings' | 'team'>;
  principal: Principal;
  property: Property;
  request: GrantRequest;
  context: OperationContext;
}): Promise<{ subject: GrantSubject; window: GrantWindow }> {
  const { tenantId } = principal;
  switch (request.kind) {
    case 'delivery': {
      const startsAt = request.startsAt ?? context.at;
      const window = windowOfHours({ startsAt, hours: request.durationHours });
      if (window.endsAt !== null && epochOf(window.endsAt) <= context.now.getTime()) {
        throw invalid('startsAt', 'The delivery window would be over already');
      }
      if (epochOf(startsAt) - context.now.getTime() > maxDeliveryLeadDays * 86_400_000) {
        throw invalid('startsAt', `A delivery can be arranged at most ${maxDeliveryLeadDays} days ahead`);
      }
      return { subject: { kind: 'delivery', label: request.label }, window };
    }
    case 'emergency':
      return {
        subject: { kind: 'emergency-contact', ...request.contact },
        window: windowOfHours({ startsAt: instantOf(context.now), hours: request.durationHours }),
      };
    case 'permanent': {
      const ownerUserId = request.ownerUserId ?? (principal.kind === 'member' ? principal.userId : undefined);
      if (ownerUserId === undefined) throw invalid('ownerUserId', 'Name the owner whose code this is');
      const owner = await ports.team.get({ tenantId, userId: ownerUserId });
      if (owner?.status !== 'active' || owner.role !== 'owner') {
        throw invalid('ownerUserId', 'A permanent code is for an active owner of this business');
      }
      return {
        subject: { kind: 'owner', userId: ownerUserId },
        window: permanentWindow({ now: context.now }),
      };
    }
    case 'turnover': {
      const member = await ports.team.get({ tenantId, userId: request.staffUserId });
      if (member?.status !== 'active') throw invalid('staffUserId', 'Not an active member of the team');
      if (member.role === 'staff' && !member.assignedPropertyIds.includes(property.id)) {
        throw invalid('staffUserId', 'This team member is not assigned to the property');
      }
      const departing = await ports.bookings.get({ tenantId, bookingId: request.afterBookingId });
      if (!departing || departing.propertyId !== property.id || departing.status !== 'confirmed') {
        throw invalid('afterBookingId', 'Not a confirmed booking of this property');
      }
      const next: Booking | undefined = await ports.bookings.findNextArrival({
        tenantId,
        propertyId: property.id,
        fromDate: departing.departureDate,
        excludingBookingId: departing.id,
      });
      return {
        subject: { kind: 'staff-member', userId: member.userId },
        window: turnoverWindow({ property, departing, next }),
      };
    }
  }
}

function invalid(field: string, message: string): InvalidInputError {
  return new InvalidInputError('The grant is not valid', [{ field, message }]);
}

/**
 * Revokes a grant at once: its codes are withdrawn from the locks. A booking's grant may be revoked without
 * cancelling the booking (a host cutting a guest's access); the booking's later changes leave it revoked.
 */
export async function revokeGrant({
  ports,
  principal,
  grantId,
  input = {},
}: {
  ports: Pick<DomainPorts, 'clock' | 'ids' | 'grants' | 'accessCodes' | 'changes'>;
  principal: Principal;
  grantId: string;
  input?: RevokeGrantInput | unknown;
}): Promise<GrantResult & { readonly changed: boolean }> {
  assertMayAttempt({ principal, action: 'grant.revoke' });
  const { tenantId } = principal;
  const grant = found(await ports.grants.get({ tenantId, grantId }), { entity: 'grant', id: grantId });
  authorize({
    principal,
    action: 'grant.revoke',
    resource: { tenantId: grant.tenantId, propertyId: grant.propertyId },
  });
  const { reason } = parseInput({ schema: revokeGrantInputSchema, input, what: 'revocation' });
  return revokeLoadedGrant({ ports, principal, grant, reason: reason ?? 'revoked-by-host' });
}

/** Revokes a grant already loaded and authorised, withdrawing its codes, in one commit. */
export async function revokeLoadedGrant({
  ports,
  principal,
  grant,
  reason,
}: {
  ports: Pick<DomainPorts, 'clock' | 'ids' | 'accessCodes' | 'changes'>;
  principal: Principal;
  grant: Grant;
  reason: string;
}): Promise<GrantResult & { readonly changed: boolean }> {
  const codes = await ports.accessCodes.listByGrant({ tenantId: grant.tenantId, grantId: grant.id });
  if (grant.revocation) return { changed: false, grant, accessCodes: codes, events: [] };

  const { at, audit, actor } = beginOperation({ ports, principal });
  const revoked = revoke({ grant, at, reason, by: actor });
  audit.record({
    action: 'grant.revoked',
    target: { kind: 'grant', id: grant.id },
    propertyId: grant.propertyId,
    details: { reason },
  });
  const withdrawn = withdrawAll({ codes, audit, at });
  const writes: EntityWrite[] = [
    { entity: 'grant', op: 'update', value: revoked },
    ...withdrawn.flatMap((code, index): EntityWrite[] =>
      code === codes[index] ? [] : [{ entity: 'accessCode', op: 'update', value: code }],
    ),
  ];
  const outcome = await ports.changes.commit({ writes, auditEvents: audit.events });
  if (!outcome.ok) throw conflictError(outcome.conflict);
  return { changed: true, grant: revoked, accessCodes: withdrawn, events: audit.events };
}
