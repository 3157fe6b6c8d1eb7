/**
 * A grant is the right of someone to open some locks of a property during a window. Every way into a
 * property is one: a booking's guest, a cleaner's turnover, a delivery, an emergency contact, the owner's own
 * permanent code. Its status is not stored but read from its window and revocation at a given moment, so it
 * can never disagree with the clock.
 */
import { z } from 'zod';
import type { AuditActor } from './audit.ts';
import { revise, type Versioned } from './entity.ts';
import { adHocDurations } from './grant-window.ts';
import { epochOf, type IsoInstant, instantSchema } from './local-time.ts';

export const grantKinds = ['booking', 'delivery', 'turnover', 'emergency', 'permanent'] as const;
export type GrantKind = (typeof grantKinds)[number];

export const grantStatuses = ['upcoming', 'active', 'expired', 'revoked'] as const;
export type GrantStatus = (typeof grantStatuses)[number];

export type GrantSubject =
  | { readonly kind: 'booking-guest'; readonly bookingId: string }
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

const lockIdsField = z
  .array(z.string().min(1))
  .min(1)
  .max(50)
  .refine((ids) => new Set(ids).size === ids.length, 'Each lock only once')
  .optional()
  .describe("The property's locks the grant opens; all of them when absent");

const hoursField = ({ defaultHours, maxHours }: { defaultHours: number; maxHours: number }) =>
  z.int().min(1).max(maxHours).default(defaultHours);

/** A grant a host issues by hand, by kind. Booking grants are never issued this way: they follow bookings. */
export const issueGrantInputSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('delivery'),
    propertyId: z.string().min(1),
    lockIds: lockIdsField,
    /** Who is delivering, as the host will recognise it in the log: "DHL parcel", "Groceries". */
    label: z.string().trim().min(1).max(120),
    /** When the courier may come; now when absent. */
    startsAt: instantSchema.optional(),
    durationHours: hoursField(adHocDurations.delivery),
  }),
  z.object({
    kind: z.literal('turnover'),
    propertyId: z.string().min(1),
    lockIds: lockIdsField,
    /** The team member who cleans. */
    staffUserId: z.string().min(1),
    /** The departing booking; the window runs from its check-out to the next guest's check-in. */
    afterBookingId: z.string().min(1),
  }),
  z.object({
    kind: z.literal('emergency'),
    propertyId: z.string().min(1),
    lockIds: lockIdsField,
    contact: z.object({
      name: z.string().trim().min(1).max(200),
      phone: z.string().trim().max(40).optional(),
      email: z.email().optional(),
    }),
    /** Why: every emergency access is explained to all owners. */
    reason: z.string().trim().min(1).max(500),
    durationHours: hoursField(adHocDurations.emergency),
  }),
  z.object({
    kind: z.literal('permanent'),
    propertyId: z.string().min(1),
    lockIds: lockIdsField,
    /** The owner whose code it is; the caller when absent. */
    ownerUserId: z.string().min(1).optional(),
  }),
]);
export type IssueGrantInput = z.input<typeof issueGrantInputSchema>;
export type GrantRequest = z.output<typeof issueGrantInputSchema>;

export const revokeGrantInputSchema = z.object({ reason: z.string().trim().max(500).optional() });
export type RevokeGrantInput = z.input<typeof revokeGrantInputSchema>;
