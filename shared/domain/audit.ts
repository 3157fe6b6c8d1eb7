/**
 * The audit log: who did what to which thing, when. Every domain operation builds its events with one
 * AuditTrail, so that actor, tenant and time are the same on all events of one operation and no operation can
 * forget them. Events are written in the same commit as the change they describe, so neither exists without
 * the other. Details never carry a PIN or a secret.
 */
import type { IsoInstant } from './local-time.ts';
import type { Principal } from './team.ts';

export type AuditActor =
  | { readonly kind: 'user'; readonly userId: string; readonly role: string }
  | { readonly kind: 'guest'; readonly grantId: string }
  | { readonly kind: 'device'; readonly lockId: string }
  | { readonly kind: 'system'; readonly process: string }
  | { readonly kind: 'integration'; readonly integrationId: string };

export type AuditTargetKind =
  | 'property'
  | 'lock'
  | 'booking'
  | 'grant'
  | 'access-code'
  | 'unlock-command'
  | 'team-member'
  | 'integration'
  | 'tenant';

export interface AuditTarget {
  readonly kind: AuditTargetKind;
  readonly id: string;
}

export type AuditDetails = Readonly<Record<string, unknown>>;

export interface AuditEvent {
  readonly tenantId: string;
  readonly id: string;
  readonly at: IsoInstant;
  readonly actor: AuditActor;
  /** `<target>.<what happened>`, e.g. `booking.created`, `grant.revoked`, `access-code.allocated`. */
  readonly action: string;
  readonly target: AuditTarget;
  /** Set when the event concerns one property, so the log can be read per property. */
  readonly propertyId?: string | undefined;
  /** Set when the event concerns one lock, so the log can be read per lock. */
  readonly lockId?: string | undefined;
  readonly details: AuditDetails;
}

export function actorOf(principal: Principal): AuditActor {
  return principal.kind === 'member'
    ? { kind: 'user', userId: principal.userId, role: principal.role }
    : { kind: 'integration', integrationId: principal.integrationId };
}

// Refused as detail keys so that a careless caller cannot put a code or a key into the log.
const forbiddenDetailKeys = new Set(['pin', 'code', 'secret', 'deviceKey', 'privateKey', 'token']);

export interface AuditTrail {
  record(event: {
    action: string;
    target: AuditTarget;
    propertyId?: string | undefined;
    lockId?: string | undefined;
    details?: AuditDetails;
  }): AuditEvent;
  readonly events: readonly AuditEvent[];
}

/** Collects the audit events of one operation, all with the same actor, tenant and time. */
export function auditTrail({
  tenantId,
  actor,
  at,
  newId,
}: {
  tenantId: string;
  actor: AuditActor;
  at: IsoInstant;
  newId: () => string;
}): AuditTrail {
  const events: AuditEvent[] = [];
  return {
    events,
    record({ action, target, propertyId, lockId, details = {} }) {
      for (const key of Object.keys(details)) {
        if (forbiddenDetailKeys.has(key)) throw new Error(`Audit details must not carry '${key}'`);
      }
      const event: AuditEvent = {
        tenantId,
        id: newId(),
        at,
        actor,
        action,
        target,
        ...(propertyId !== undefined ? { propertyId } : {}),
        ...(lockId !== undefined ? { lockId } : {}),
        details,
      };
      events.push(event);
      return event;
    },
  };
}
