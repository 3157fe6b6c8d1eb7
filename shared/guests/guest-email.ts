/**
 * The guest's emails about a stay, actually sent: the access email at the property's lead time before check-in
 * (at once for a late booking), the "your stay changed" email when the stay's times move after the guest was
 * told, and the cancellation email (access revoked) when a booking the guest heard about is cancelled.
 *
 * Every send is recorded per booking under a send key (what and why: `access#v3`, `cancelled#v4`...) that is
 * claimed with a conditional write before the message leaves, so a retried task never sends twice; a
 * per-booking cap on claims stops a loop from flooding a guest. The send and its audit event (on the booking, so
 * the booking's timeline shows it) are written together once the mail service took the message.
 *
 * The guest link is issued at send time (never when the booking is entered), since its token exists only in the
 * message: each email brings a new link beside the earlier ones, which keep opening the stay. It is never logged.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { codesForGuest, type GuestCodesPorts } from '#shared/access/guest-codes.ts';
import { type AuditActor, type AuditEvent, auditTrail } from '#shared/domain/audit.ts';
import type { Booking } from '#shared/domain/booking.ts';
import { newEntityId } from '#shared/domain/entity.ts';
import type { Grant } from '#shared/domain/grant.ts';
import { stayMilestones, stayOf } from '#shared/domain/grant-window.ts';
import { epochOf, type IsoInstant, instantOf } from '#shared/domain/local-time.ts';
import { canUnlockRemotely } from '#shared/domain/lock.ts';
import type { DomainPorts } from '#shared/domain/ports/domain-ports.ts';
import type { TaskScheduler } from '#shared/domain/ports/task-scheduler.ts';
import type { Property } from '#shared/domain/property.ts';
import type { MailKind, MailSender } from '#shared/mail/mail-sender.ts';
import {
  type DoorCode,
  renderGuestAccessEmail,
  renderStayCancelledEmail,
  renderStayChangedEmail,
} from '#shared/mail/templates/guest-emails.ts';
import type { RenderedMail } from '#shared/mail/templates/layout.ts';
import { type GuestLinkStore, issueGuestLink } from './guest-link.ts';

export const guestEmailTaskType = 'guest-email';

/**
 * Why an email goes out. `access`: the scheduled access email; `changed`: the stay's times or the guest's
 * address changed; `cancelled`: the booking was cancelled; `codes-changed`: the code to use is another one (a
 * fallback offline code); `resent`: a host asked to send it again. All but `cancelled` give the stay with its
 * codes and link, as a "changed" email when the times differ from what the guest was last told.
 */
export const guestEmailReasons = ['access', 'changed', 'cancelled', 'codes-changed', 'resent'] as const;
export type GuestEmailReason = (typeof guestEmailReasons)[number];

export const guestEmailPolicy = {
  /** Sends claimed per booking, at most; a loop of changes or retries stops here. */
  maxSendsPerBooking: 10,
  /** A claim whose send never finished (the function died) may be taken again after this long. */
  claimLeaseSeconds: 300,
} as const;

/** One email to a booking's guest, as recorded. Holds no code and no link, only a digest of the codes. */
export interface GuestEmailSend {
  readonly tenantId: string;
  readonly bookingId: string;
  readonly propertyId: string;
  /** What and why, unique per booking: a second claim of the same key is a retry. */
  readonly sendKey: string;
  readonly reason: GuestEmailReason;
  readonly kind: MailKind;
  readonly to: string;
  /** The stay as this email told it, so that a later email knows what changed. */
  readonly checkInAt: IsoInstant;
  readonly checkOutAt: IsoInstant;
  /** SHA-256 of the codes shown; absent in a cancellation. */
  readonly codesDigest?: string | undefined;
  readonly claimId: string;
  readonly claimedAt: IsoInstant;
  readonly status: 'sending' | 'sent';
  readonly sentAt?: IsoInstant | undefined;
  readonly messageId?: string | undefined;
}

export type GuestEmailClaim =
  | { readonly claimed: true }
  | { readonly claimed: false; readonly why: 'already-sent' | 'in-progress' | 'cap-reached' };

/** Where the sends of each booking are recorded. */
export interface GuestEmailLog {
  /**
   * Claims `send.sendKey` for the booking unless it was sent, is being sent (a claim younger than
   * `staleBefore`), or the booking already has `maxSends` claims; counts the claim toward the cap.
   */
  claim(options: {
    send: GuestEmailSend;
    maxSends: number;
    staleBefore: IsoInstant;
  }): Promise<GuestEmailClaim>;
  /** Marks the claimed send as sent and adds its audit event, together. */
  recordSent(options: { send: GuestEmailSend; auditEvent: AuditEvent }): Promise<void>;
  /** Gives up a claim whose message the mail service refused, so that a retry may take it. */
  release(options: { send: GuestEmailSend }): Promise<void>;
  /** The booking's sends that went out, oldest first. */
  listSent(options: { tenantId: string; bookingId: string }): Promise<readonly GuestEmailSend[]>;
}

export type GuestEmailPorts = Pick<
  DomainPorts,
  'clock' | 'ids' | 'properties' | 'bookings' | 'grants' | 'locks' | 'accessCodes'
> &
  GuestCodesPorts & {
    readonly guestLinks: GuestLinkStore;
    readonly mail: MailSender;
    readonly sends: GuestEmailLog;
    /** The public origin of the pages (`PAGES_ORIGIN`); guest links are `${pagesOrigin}/stay/#${token}`. */
    readonly pagesOrigin: string | undefined;
  };

export type GuestEmailOutcome =
  | {
      readonly outcome: 'sent';
      readonly sendKey: string;
      readonly kind: MailKind;
      readonly messageId: string;
    }
  | {
      readonly outcome: 'skipped';
      readonly why:
        | 'no-booking'
        | 'no-email-address'
        | 'cancelled'
        | 'not-cancelled'
        | 'stay-over'
        | 'no-codes'
        | 'never-told'
        | 'already-sent'
        | 'in-progress'
        | 'cap-reached';
    };

const emailActor: AuditActor = { kind: 'system', process: 'guest-email' };

/** A digest of the codes, to tell whether they changed without keeping them. */
export function codesDigestOf(codes: readonly DoorCode[]): string {
  const canonical = codes.map((code) => `${code.kind}:${code.code}`).sort();
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

export function guestPageUrlOf({ pagesOrigin, token }: { pagesOrigin: string; token: string }): string {
  return `${pagesOrigin.replace(/\/+$/, '')}/stay/#${token}`;
}

/** The last email that told the guest about their access (not a cancellation). */
function lastTold(sent: readonly GuestEmailSend[]): GuestEmailSend | undefined {
  return sent.filter((send) => send.reason !== 'cancelled').at(-1);
}

function needsPagesOrigin(pagesOrigin: string | undefined): string {
  if (pagesOrigin === undefined || pagesOrigin === '') {
    throw new Error('Guest emails need the public origin of the pages (PAGES_ORIGIN) for their link');
  }
  return pagesOrigin;
}

/**
 * Sends the booking's guest email now, for `reason`, unless it was sent already for this version of the booking
 * (and `occasion`, where one booking version may need several: a second fallback code), the guest has no
 * address, the stay is over or cancelled (for all but `cancelled`), or the booking reached its cap. Safe to call
 * again: a repeat answers `skipped` with why.
 */
export async function requestGuestEmail({
  ports,
  tenantId,
  bookingId,
  reason,
  occasion,
  actor = emailActor,
}: {
  ports: GuestEmailPorts;
  tenantId: string;
  bookingId: string;
  reason: GuestEmailReason;
  /** Tells apart sends of one reason on one booking version, e.g. the id of the fallback code issued. */
  occasion?: string | undefined;
  /** Who the send's audit event names: a host who asked for it, else Lockstay itself. */
  actor?: AuditActor | undefined;
}): Promise<GuestEmailOutcome> {
  const booking = await ports.bookings.get({ tenantId, bookingId });
  if (!booking) return { outcome: 'skipped', why: 'no-booking' };
  const to = booking.guest.email;
  if (to === undefined) return { outcome: 'skipped', why: 'no-email-address' };
  const [grant, property, sent] = await Promise.all([
    ports.grants.get({ tenantId, grantId: booking.grantId }),
    ports.properties.get({ tenantId, propertyId: booking.propertyId }),
    ports.sends.listSent({ tenantId, bookingId }),
  ]);
  if (!grant || !property) return { outcome: 'skipped', why: 'no-booking' };
  const now = ports.clock.now();
  const stay = stayOf({ property, booking });
  const previous = lastTold(sent);

  if (reason === 'cancelled') {
    if (booking.status !== 'cancelled') return { outcome: 'skipped', why: 'not-cancelled' };
    // A guest who was never told about their access has nothing to be told is gone.
    if (!previous) return { outcome: 'skipped', why: 'never-told' };
  } else {
    if (booking.status === 'cancelled' || grant.revocation) return { outcome: 'skipped', why: 'cancelled' };
    if (grant.window.endsAt !== null && epochOf(grant.window.endsAt) <= now.getTime()) {
      return { outcome: 'skipped', why: 'stay-over' };
    }
  }

  const sendKey = [reason, `v${booking.version}`, ...(occasion === undefined ? [] : [occasion])].join('#');
  const at = instantOf(now);
  const claimId = newEntityId({ ids: ports.ids, kind: 'auditEvent' });
  const claimedBase = {
    tenantId,
    bookingId,
    propertyId: booking.propertyId,
    sendKey,
    reason,
    to,
    ...stay,
    claimId,
    claimedAt: at,
    status: 'sending' as const,
  };

  let codes: readonly DoorCode[] = [];
  if (reason !== 'cancelled') {
    needsPagesOrigin(ports.pagesOrigin);
    codes = await codesForGuest({ ports, tenantId, grantId: grant.id });
    if (codes.length === 0) return { outcome: 'skipped', why: 'no-codes' };
  }
  const kind: MailKind =
    reason === 'cancelled'
      ? 'guest-stay-cancelled'
      : previous && (previous.checkInAt !== stay.checkInAt || previous.checkOutAt !== stay.checkOutAt)
        ? 'guest-stay-changed'
        : 'guest-access';
  const send: GuestEmailSend = {
    ...claimedBase,
    kind,
    ...(reason === 'cancelled' ? {} : { codesDigest: codesDigestOf(codes) }),
  };

  const claim = await ports.sends.claim({
    send,
    maxSends: guestEmailPolicy.maxSendsPerBooking,
    staleBefore: instantOf(new Date(now.getTime() - guestEmailPolicy.claimLeaseSeconds * 1000)),
  });
  if (!claim.claimed) return { outcome: 'skipped', why: claim.why };

  let messageId: string;
  try {
    const mail = await compose({ ports, booking, grant, property, codes, previous, kind, now });
    ({ messageId } = await ports.mail.send({
      ...mail,
      to,
      idempotencyKey: `${bookingId}:${sendKey}`,
    }));
  } catch (error) {
    await ports.sends.release({ send });
    throw error;
  }

  const audit = auditTrail({
    tenantId,
    actor,
    at: instantOf(ports.clock.now()),
    newId: () => newEntityId({ ids: ports.ids, kind: 'auditEvent' }),
  });
  const auditEvent = audit.record({
    action: 'booking.guest-emailed',
    target: { kind: 'booking', id: bookingId },
    propertyId: booking.propertyId,
    details: { email: kind, reason, sendKey, messageId },
  });
  await ports.sends.recordSent({
    send: { ...send, status: 'sent', sentAt: auditEvent.at, messageId },
    auditEvent,
  });
  return { outcome: 'sent', sendKey, kind, messageId };
}

/**
 * A scheduled guest email: sent as `requestGuestEmail` sends it, then, for an email about the stay, the
 * cancellation email when the booking is cancelled by now. A cancellation committed while this email was on its
 * way found the guest not yet told and sent nothing; told now, the guest hears that the stay is cancelled. A
 * retry after that cancellation email failed to leave finds this one skipped as cancelled, and sends it then.
 */
export async function sendScheduledGuestEmail({
  ports,
  tenantId,
  bookingId,
  reason,
}: {
  ports: GuestEmailPorts;
  tenantId: string;
  bookingId: string;
  reason: GuestEmailReason;
}): Promise<GuestEmailOutcome> {
  const outcome = await requestGuestEmail({ ports, tenantId, bookingId, reason });
  const toldOfTheStay =
    outcome.outcome === 'sent' || (outcome.outcome === 'skipped' && outcome.why === 'cancelled');
  if (reason === 'cancelled' || !toldOfTheStay) return outcome;
  const booking = await ports.bookings.get({ tenantId, bookingId });
  if (booking?.status === 'cancelled') {
    await requestGuestEmail({ ports, tenantId, bookingId, reason: 'cancelled' });
  }
  return outcome;
}

async function compose({
  ports,
  booking,
  grant,
  property,
  codes,
  previous,
  kind,
  now,
}: {
  ports: GuestEmailPorts;
  booking: Booking;
  grant: Grant;
  property: Property;
  codes: readonly DoorCode[];
  previous: GuestEmailSend | undefined;
  kind: MailKind;
  now: Date;
}): Promise<RenderedMail> {
  const stay = stayOf({ property, booking });
  const common = {
    language: booking.guest.language,
    guestName: booking.guest.name,
    property: { name: property.name, address: property.address, timeZone: property.timeZone },
    ...stay,
  };
  if (kind === 'guest-stay-cancelled') return renderStayCancelledEmail(common);

  const { token } = await issueGuestLink({ store: ports.guestLinks, grant, now });
  const guestPageUrl = guestPageUrlOf({ pagesOrigin: needsPagesOrigin(ports.pagesOrigin), token });
  const locks = await ports.locks.listByProperty({ tenantId: booking.tenantId, propertyId: property.id });
  const remoteUnlock = locks.some((lock) => grant.lockIds.includes(lock.id) && canUnlockRemotely(lock));
  const access = { ...common, codes, guestPageUrl, remoteUnlock };
  if (kind === 'guest-stay-changed' && previous) {
    return renderStayChangedEmail({
      ...access,
      previous: { checkInAt: previous.checkInAt, checkOutAt: previous.checkOutAt },
      codeChanged: previous.codesDigest !== undefined && previous.codesDigest !== codesDigestOf(codes),
    });
  }
  return renderGuestAccessEmail(access);
}

/** What a guest-email task carries. */
export const guestEmailTaskPayloadSchema = z.object({
  tenantId: z.string().min(1),
  bookingId: z.string().min(1),
  reason: z.enum(guestEmailReasons),
  occasion: z.string().min(1).optional(),
});
export type GuestEmailTaskPayload = z.infer<typeof guestEmailTaskPayloadSchema>;

export const guestEmailTaskId = (bookingId: string) => `guest-email-${bookingId}`;

export interface GuestEmailWork {
  /** Schedules the guest's email that a committed change of the booking calls for (none, for most changes). */
  afterBookingChange(options: {
    booking: Booking;
    change: 'created' | 'modified' | 'cancelled';
  }): Promise<void>;
}

/**
 * When guest emails are due, after a booking change: a new booking's access email at the property's lead time
 * before check-in (now if that is past); after a change, at once if the guest was told other times or at
 * another address (the "changed" email), else the access email moves with the stay; after a cancellation, at
 * once if the guest was told anything. One task per booking, so a later change replaces a pending email.
 */
export function createGuestEmailWork({
  tasks,
  ports,
}: {
  tasks: TaskScheduler;
  ports: Pick<DomainPorts, 'properties' | 'clock'> & { readonly sends: Pick<GuestEmailLog, 'listSent'> };
}): GuestEmailWork {
  const schedule = (booking: Booking, reason: GuestEmailReason, runAt: Date) =>
    tasks.schedule({
      id: guestEmailTaskId(booking.id),
      type: guestEmailTaskType,
      runAt,
      payload: { tenantId: booking.tenantId, bookingId: booking.id, reason } satisfies GuestEmailTaskPayload,
    });

  return {
    async afterBookingChange({ booking, change }) {
      if (booking.guest.email === undefined) return;
      const { tenantId } = booking;
      const property = await ports.properties.get({ tenantId, propertyId: booking.propertyId });
      if (!property) return;
      const now = ports.clock.now();
      if (change === 'created') {
        const { emailGuestAt } = stayMilestones({ property, booking, now });
        await schedule(booking, 'access', new Date(emailGuestAt));
        return;
      }
      const told = lastTold(await ports.sends.listSent({ tenantId, bookingId: booking.id }));
      if (change === 'cancelled') {
        if (told) await schedule(booking, 'cancelled', now);
        else await tasks.cancel(guestEmailTaskId(booking.id));
        return;
      }
      if (booking.status === 'cancelled') return;
      const stay = stayOf({ property, booking });
      if (!told) {
        const { emailGuestAt } = stayMilestones({ property, booking, now });
        await schedule(booking, 'access', new Date(emailGuestAt));
      } else if (
        told.checkInAt !== stay.checkInAt ||
        told.checkOutAt !== stay.checkOutAt ||
        told.to !== booking.guest.email
      ) {
        await schedule(booking, 'changed', now);
      }
    },
  };
}
