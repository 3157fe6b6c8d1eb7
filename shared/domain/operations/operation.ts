/**
 * What every domain operation does the same way: read the clock once (every event and stamp of one operation
 * carries the same time), name its actor, make ids, find things within the caller's tenant, and turn a
 * storage conflict into the domain's answer.
 */
import { type AuditActor, type AuditEvent, type AuditTrail, actorOf, auditTrail } from '../audit.ts';
import { type EntityKind, newEntityId } from '../entity.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { type IsoInstant, instantOf } from '../local-time.ts';
import type { CommitConflict } from '../ports/change-set.ts';
import type { DomainPorts } from '../ports/domain-ports.ts';
import type { Principal } from '../team.ts';

/** What every operation returns besides its own results: the audit events it committed (none if nothing changed). */
export interface OperationResult {
  readonly events: readonly AuditEvent[];
}

export interface OperationContext {
  readonly now: Date;
  readonly at: IsoInstant;
  readonly actor: AuditActor;
  readonly audit: AuditTrail;
  newId(kind: EntityKind): string;
}

export function beginOperation({
  ports,
  principal,
}: {
  ports: Pick<DomainPorts, 'clock' | 'ids'>;
  principal: Principal;
}): OperationContext {
  const now = ports.clock.now();
  const at = instantOf(now);
  const actor = actorOf(principal);
  const newId = (kind: EntityKind) => newEntityId({ ids: ports.ids, kind });
  return {
    now,
    at,
    actor,
    audit: auditTrail({ tenantId: principal.tenantId, actor, at, newId: () => newId('auditEvent') }),
    newId,
  };
}

const nouns: Record<string, string> = {
  property: 'Property',
  lock: 'Lock',
  booking: 'Booking',
  grant: 'Grant',
  accessCode: 'Access code',
  unlockCommand: 'Unlock command',
  teamMember: 'Team member',
};

/** The thing, or NotFoundError: absent and another tenant's answer alike. */
export function found<T>(
  value: T | undefined,
  { entity, id }: { entity: keyof typeof nouns; id: string },
): T {
  if (value === undefined) throw new NotFoundError(`${nouns[entity] ?? entity} ${id} not found`);
  return value;
}

/** The conflicts an operation does not resolve itself, as the error the caller sees (409). */
export function conflictError(conflict: CommitConflict): ConflictError {
  switch (conflict.kind) {
    case 'stale':
      return new ConflictError(
        `${nouns[conflict.entity] ?? conflict.entity} ${conflict.id} was changed meanwhile; reload it and try again`,
      );
    case 'already-exists':
      return new ConflictError(`${nouns[conflict.entity] ?? conflict.entity} ${conflict.id} already exists`);
    case 'pin-taken':
      return new ConflictError(
        `No free PIN could be found on lock ${conflict.lockId}; it may hold too many codes`,
      );
    case 'booking-reference-taken':
      return new ConflictError(
        `Reservation ${conflict.sourceReservationId} from ${conflict.source} is already a booking`,
      );
  }
}
