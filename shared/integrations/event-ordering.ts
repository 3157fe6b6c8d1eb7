/**
 * Puts deliveries about one reservation in order. Sources retry, replay and reorder: an update may overtake
 * its creation, a cancellation may come first, an old update may arrive after a newer one. Each event is the
 * reservation's whole state at `occurredAt`, so the rule is simple: remember the newest event applied
 * (`AppliedEvent`, stored beside the booking, or alone when a cancellation came before anything else) and
 * apply an incoming one only when it is newer. The booking then ends in the newest state, whatever the
 * order, and a reservation whose newest state is "cancelled" never gets a booking, a code or an email.
 *
 * Two different events stamped with the same instant are settled by a fixed rule, not by arrival order:
 * a cancellation wins over a confirmation (the safe end state), otherwise the greater fingerprint wins.
 * Any order of the same deliveries thus ends in the same state.
 */
import type { IsoInstant } from '#shared/domain/local-time.ts';
import { type BookingEvent, bookingEventFingerprint } from './booking-event.ts';

/** The newest event applied for a reservation. */
export interface AppliedEvent {
  readonly occurredAt: IsoInstant;
  readonly fingerprint: string;
  readonly status: BookingEvent['status'];
}

/** What is stored for the reservation now: the newest event applied, and whether a booking exists. */
export interface ReservationRecord {
  readonly applied: AppliedEvent;
  readonly booking: 'none' | 'confirmed' | 'cancelled';
}

/**
 * What to do with an applicable event:
 * - `create`: first confirmed state: create the booking (grant, codes, emails follow).
 * - `modify`: a newer state of a live booking: modify it (a replay with equal details changes nothing).
 * - `cancel`: cancel the live booking.
 * - `remember-cancellation`: no live booking to cancel; store only the event, so an older creation that
 *   arrives later is recognised as older and ignored.
 * - `reinstate`: the source confirmed again a reservation whose booking was cancelled here.
 */
export type DeliveryAction = 'create' | 'modify' | 'cancel' | 'remember-cancellation' | 'reinstate';

export type DeliveryDecision =
  | { readonly decision: 'apply'; readonly action: DeliveryAction; readonly applied: AppliedEvent }
  | { readonly decision: 'duplicate' }
  | { readonly decision: 'ignore-older' };

export function decideDelivery({
  record,
  event,
}: {
  /** What is stored for the reservation; undefined when nothing has been seen of it yet. */
  record?: ReservationRecord | undefined;
  event: BookingEvent;
}): DeliveryDecision {
  const incoming: AppliedEvent = {
    occurredAt: event.occurredAt,
    fingerprint: bookingEventFingerprint(event),
    status: event.status,
  };
  if (record !== undefined) {
    const order = compareEvents(incoming, record.applied);
    if (order === 0) return { decision: 'duplicate' };
    if (order < 0) return { decision: 'ignore-older' };
  }
  return {
    decision: 'apply',
    action: actionFor({ booking: record?.booking ?? 'none', event }),
    applied: incoming,
  };
}

/** Negative when `a` is older than `b`, positive when newer, 0 when they are the same state at the same time. */
export function compareEvents(a: AppliedEvent, b: AppliedEvent): number {
  const byTime = Date.parse(a.occurredAt) - Date.parse(b.occurredAt);
  if (byTime !== 0) return Math.sign(byTime);
  if (a.fingerprint === b.fingerprint) return 0;
  if (a.status !== b.status) return a.status === 'cancelled' ? 1 : -1;
  return a.fingerprint > b.fingerprint ? 1 : -1;
}

function actionFor({
  booking,
  event,
}: {
  booking: ReservationRecord['booking'];
  event: BookingEvent;
}): DeliveryAction {
  if (event.status === 'cancelled') return booking === 'confirmed' ? 'cancel' : 'remember-cancellation';
  if (booking === 'none') return 'create';
  return booking === 'confirmed' ? 'modify' : 'reinstate';
}
