/**
 * Opening a host business: its first owner, the one member nobody invites (the platform's operator creates
 * them, or the local cloud's demo seed does). Every later member is invited by an owner. Enrolling the same
 * founding owner again changes nothing.
 */
import { auditTrail } from '../audit.ts';
import { newEntityId } from '../entity.ts';
import { instantOf } from '../local-time.ts';
import type { DomainPorts } from '../ports/domain-ports.ts';
import type { TeamMember } from '../team.ts';
import { conflictError, type OperationResult } from './operation.ts';

export interface FoundingOwnerResult extends OperationResult {
  readonly member: TeamMember;
}

export async function enrolFoundingOwner({
  ports,
  tenantId,
  owner,
}: {
  ports: Pick<DomainPorts, 'clock' | 'ids' | 'team' | 'changes'>;
  tenantId: string;
  owner: { userId: string; email: string; name: string };
}): Promise<FoundingOwnerResult> {
  const existing = await ports.team.get({ tenantId, userId: owner.userId });
  if (existing) return { member: existing, events: [] };
  const at = instantOf(ports.clock.now());
  const member: TeamMember = {
    tenantId,
    userId: owner.userId,
    email: owner.email.toLowerCase(),
    name: owner.name,
    role: 'owner',
    assignedPropertyIds: [],
    status: 'active',
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  const audit = auditTrail({
    tenantId,
    actor: { kind: 'system', process: 'business-opening' },
    at,
    newId: () => newEntityId({ ids: ports.ids, kind: 'auditEvent' }),
  });
  audit.record({ action: 'team-member.founded', target: { kind: 'team-member', id: owner.userId } });
  const outcome = await ports.changes.commit({
    writes: [{ entity: 'teamMember', op: 'create', value: member }],
    auditEvents: audit.events,
  });
  if (!outcome.ok) {
    // Two openings raced: the other one's record stands.
    const raced = await ports.team.get({ tenantId, userId: owner.userId });
    if (raced) return { member: raced, events: [] };
    throw conflictError(outcome.conflict);
  }
  return { member, events: audit.events };
}
