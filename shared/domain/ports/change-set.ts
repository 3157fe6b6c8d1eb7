/**
 * How an operation's changes reach storage: all at once, or not at all. The domain builds a ChangeSet (the new
 * versions of everything it touched, and the audit events describing it) and hands it to `commit`; the
 * adapter writes it in one transaction and enforces, atomically with the writes:
 *
 * 1. `create`: no item with that id exists yet (else conflict `already-exists`).
 * 2. `update`: the stored version is `value.version - 1` (else conflict `stale`): optimistic concurrency.
 * 3. An access code created holds its PIN on its lock: a claim on (tenant, lock, PIN) that must not exist
 *    (else conflict `pin-taken` naming the code). An access code updated to `removed` releases the claim.
 *    The PIN of an existing code never changes.
 * 4. A booking created with a `sourceReservationId` claims (tenant, source, reservation id), which must not
 *    exist (else conflict `booking-reference-taken`): one booking per reservation, however often it is delivered.
 * 5. A team member is keyed by (tenant, userId) and claims (tenant, lower-cased email) when created, which must
 *    not exist (else conflict `already-exists`).
 * 6. Audit events are only ever added.
 *
 * A conflict is an answer, not an exception: the domain decides what it means (draw another PIN, treat the
 * booking as a repeat, report a stale update). Anything else that fails is thrown.
 */
import type { AccessCode } from '../access-code.ts';
import type { AuditEvent } from '../audit.ts';
import type { Booking, BookingSource } from '../booking.ts';
import type { Grant } from '../grant.ts';
import type { Lock } from '../lock.ts';
import type { Property } from '../property.ts';
import type { TeamMember } from '../team.ts';
import type { UnlockCommand } from '../unlock-command.ts';

type WriteOf<Kind extends string, Value> = {
  readonly entity: Kind;
  readonly op: 'create' | 'update';
  readonly value: Value;
};

export type EntityWrite =
  | WriteOf<'property', Property>
  | WriteOf<'lock', Lock>
  | WriteOf<'booking', Booking>
  | WriteOf<'grant', Grant>
  | WriteOf<'accessCode', AccessCode>
  | WriteOf<'unlockCommand', UnlockCommand>
  | WriteOf<'teamMember', TeamMember>;

export type EntityName = EntityWrite['entity'];

/** The key of the written thing within its tenant: its id, or the user id for a team member. */
export function keyOf(write: EntityWrite): { tenantId: string; id: string } {
  return write.entity === 'teamMember'
    ? { tenantId: write.value.tenantId, id: write.value.userId }
    : { tenantId: write.value.tenantId, id: write.value.id };
}

export interface ChangeSet {
  readonly writes: readonly EntityWrite[];
  readonly auditEvents: readonly AuditEvent[];
}

export type CommitConflict =
  | { readonly kind: 'already-exists'; readonly entity: EntityName; readonly id: string }
  | { readonly kind: 'stale'; readonly entity: EntityName; readonly id: string }
  | { readonly kind: 'pin-taken'; readonly lockId: string; readonly accessCodeId: string }
  | {
      readonly kind: 'booking-reference-taken';
      readonly source: BookingSource;
      readonly sourceReservationId: string;
    };

export type CommitOutcome = { readonly ok: true } | { readonly ok: false; readonly conflict: CommitConflict };

export interface ChangeCommitter {
  commit(changes: ChangeSet): Promise<CommitOutcome>;
}
