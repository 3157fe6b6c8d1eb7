/**
 * A grant is the right of someone to open some locks of a property during a window. Every way into a
 * property is one: a booking's guest, a cleaner's turnover, a delivery, an emergency contact, the owner's own
 * permanent code. Its status is not stored but read from its window and revocation at a given moment, so it
 * can never disagree with the clock.
 */

import type { AuditActor } from './audit.ts';
import { revise, type Versioned } from './entity.ts';
import { epochOf, type IsoInstant } from './local-time.ts';

export const grantKinds = ['booking', 'delivery', 'turnover', 'emergency', 'permanent'] as const;
export type GrantKind = (typeof grantKinds)[number];

export const grantStatuses = ['upcoming', 'active', 'expired', 'revoked'] as const;
export type GrantStatus = (typeof grantStatuses)[number];

export type GrantSubject =
  | { readonly kind: 'booking-guest'; readonly bookingId: string; readonly name: string }
  | { readonly kind: 'staff-member'; readonly userId: string }
  | { readonly kind: 'delivery'; readonly label: string }
  | {
      readonly kind: 'emergency-contact';
      readonly name: string;
      readonly phone?: string | undefined;
      readonly email?: string | undefined;
    }
  | { readonly kind: 'owner'; readonly userId: string };

/** From `startsAt` (inclusive) to `endsAt` (exclusive); a permanent grant has no end. */
export interface GrantWindow {
  readonly startsAt: IsoInstant;
  readonly endsAt: IsoInstant | null;
}

export interface GrantRevocation {
  readonly at: IsoInstant;
  readonly reason: string;
  readonly by: AuditActor;
}

export interface Grant extends Versioned {
  readonly tenantId: string;
  readonly id: string;
  readonly propertyId: string;
  readonly kind: GrantKind;
  readonly subject: GrantSubject;
  readonly lockIds: readonly string[];
  readonly window: GrantWindow;
  /** A delivery code opens once; the lock forgets it after the first use. */
  readonly singleUse: boolean;
  readonly bookingId?: string | undefined;
  /** Why the grant was issued, as the host put it (emergencies must say). */
  readonly note?: string | undefined;
  readonly issuedBy: AuditActor;
  readonly revocation?: GrantRevocation | undefined;
}

export function grantStatus({
  grant,
  now,
}: {
  grant: Pick<Grant, 'window' | 'revocation'>;
  now: Date;
}): GrantStatus {
  if (grant.revocation) return 'revoked';
  const at = now.getTime();
  if (at < epochOf(grant.window.startsAt)) return 'upcoming';
  if (grant.window.endsAt !== null && at >= epochOf(grant.window.endsAt)) return 'expired';
  return 'active';
}

/** The team member a grant is for, when it is for one (a cleaner, an owner). */
export function holderUserIdOf(grant: Pick<Grant, 'subject'>): string | undefined {
  return grant.subject.kind === 'staff-member' || grant.subject.kind === 'owner'
    ? grant.subject.userId
    : undefined;
}

/** The grant, revoked; revoking a revoked grant changes nothing (the first revocation stands). */
export function revoke({
  grant,
  at,
  reason,
  by,
}: {
  grant: Grant;
  at: IsoInstant;
  reason: string;
  by: AuditActor;
}): Grant {
  if (grant.revocation) return grant;
  return revise(grant, { revocation: { at, reason, by } }, at);
}

export function sameWindow(a: GrantWindow, b: GrantWindow): boolean {
  return a.startsAt === b.startsAt && a.endsAt === b.endsAt;
}
