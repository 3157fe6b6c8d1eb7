/**
 * What changed in a feed since its last import: new reservations, changed ones, and ones that disappeared.
 * A disappearance is a cancellation, the most harmful thing a feed can say (a guest loses their code, gets
 * a cancellation email), so it is believed only from a feed that fetched and parsed cleanly and did not
 * shrink suspiciously. Channels do serve broken feeds: an empty calendar during an outage, half a calendar,
 * the wrong listing's calendar after a host pastes a URL. The rules:
 *
 * - A feed that failed (network, HTTP error, not iCalendar) changes nothing: the integration turns unhealthy.
 * - A feed with no events at all, while bookings are still to come, cancels nothing ("came back empty").
 * - When at least `minVanishedToSuspect` (2) upcoming bookings vanish and they are more than
 *   `maxVanishedShare` (half) of the upcoming bookings, nothing is cancelled ("shrank suspiciously"). A
 *   single cancellation among a few bookings is ordinary and goes through.
 * - An event that could not be read keeps its reservation as it was; an unreadable event without even a
 *   UID could be any reservation, so then nothing is cancelled.
 *
 * Withheld cancellations are reported (the host is alerted and may confirm them) and stay in the next
 * snapshot, so that they are weighed again on the next poll rather than forgotten. New and changed
 * reservations are still applied from a suspicious feed: what a feed does show is what the channel says.
 *
 * Only stays that have not ended count: channels drop past stays from their feeds as time goes on, and a
 * past stay's disappearance means nothing.
 */
import { compareLocalDates, type LocalDate } from '#shared/domain/local-time.ts';
import type { FeedReservation, ParsedFeed } from './ical.ts';

export interface FeedSafetyThresholds {
  /** Suspicious when more than this share of the upcoming bookings vanish at once… */
  readonly maxVanishedShare: number;
  /** …and at least this many of them. */
  readonly minVanishedToSuspect: number;
}

export const defaultFeedSafetyThresholds: FeedSafetyThresholds = {
  maxVanishedShare: 0.5,
  minVanishedToSuspect: 2,
};

/** What one poll got: a parsed feed, or why there is none (fetch failure, HTTP status, parse failure). */
export type FeedFetch =
  | { readonly ok: true; readonly feed: ParsedFeed }
  | { readonly ok: false; readonly reason: string };

export type FeedHealth =
  | { readonly status: 'healthy' }
  | { readonly status: 'suspicious'; readonly reason: string }
  | { readonly status: 'failed'; readonly reason: string };

export interface FeedDiff {
  readonly health: FeedHealth;
  readonly created: readonly FeedReservation[];
  readonly modified: readonly { readonly before: FeedReservation; readonly after: FeedReservation }[];
  readonly cancelled: readonly FeedReservation[];
  /** Disappearances not believed (see health): reported to the host, not applied. */
  readonly withheldCancellations: readonly FeedReservation[];
  /** What to store as "the feed's reservations" for the next poll's comparison. */
  readonly nextSnapshot: readonly FeedReservation[];
}

export function diffFeed({
  previous,
  current,
  today,
  thresholds = defaultFeedSafetyThresholds,
}: {
  /** The snapshot stored by the last import (empty before the first). */
  previous: readonly FeedReservation[];
  current: FeedFetch;
  /** Today's date at the property: stays that ended before it no longer count. */
  today: LocalDate;
  thresholds?: FeedSafetyThresholds;
}): FeedDiff {
  if (!current.ok) {
    return {
      health: { status: 'failed', reason: current.reason },
      created: [],
      modified: [],
      cancelled: [],
      withheldCancellations: [],
      nextSnapshot: previous,
    };
  }
  const { feed } = current;
  const notEnded = (reservation: FeedReservation) => compareLocalDates(reservation.departureDate, today) > 0;
  const before = new Map(previous.map((reservation) => [reservation.uid, reservation]));
  const now = new Map(feed.reservations.map((reservation) => [reservation.uid, reservation]));
  const unreadableUids = new Set(feed.unreadable.flatMap(({ uid }) => (uid === undefined ? [] : [uid])));
  const someUnreadableWithoutUid = feed.unreadable.some(({ uid }) => uid === undefined);

  const created = feed.reservations.filter(
    (reservation) => !before.has(reservation.uid) && notEnded(reservation),
  );
  const modified = feed.reservations.flatMap((after) => {
    const was = before.get(after.uid);
    return was && notEnded(after) && !sameReservation(was, after) ? [{ before: was, after }] : [];
  });
  // Unreadable now is not gone: those reservations are kept as they were.
  const kept = previous.filter(
    (reservation) => !now.has(reservation.uid) && unreadableUids.has(reservation.uid),
  );
  const upcoming = previous.filter(notEnded);
  const vanished = upcoming.filter(
    (reservation) => !now.has(reservation.uid) && !unreadableUids.has(reservation.uid),
  );

  const suspicion = suspicionOf({ feed, upcoming, vanished, someUnreadableWithoutUid, thresholds });
  const readSnapshot = [...feed.reservations, ...kept];
  if (suspicion !== undefined) {
    return {
      health: { status: 'suspicious', reason: suspicion },
      created,
      modified,
      cancelled: [],
      withheldCancellations: vanished,
      nextSnapshot: [...readSnapshot, ...vanished],
    };
  }
  return {
    health: { status: 'healthy' },
    created,
    modified,
    cancelled: vanished,
    withheldCancellations: [],
    nextSnapshot: readSnapshot,
  };
}

function suspicionOf({
  feed,
  upcoming,
  vanished,
  someUnreadableWithoutUid,
  thresholds,
}: {
  feed: ParsedFeed;
  upcoming: readonly FeedReservation[];
  vanished: readonly FeedReservation[];
  someUnreadableWithoutUid: boolean;
  thresholds: FeedSafetyThresholds;
}): string | undefined {
  if (vanished.length === 0) return undefined;
  if (feed.eventCount === 0) {
    return `The feed came back empty while ${upcoming.length} upcoming booking(s) were in it`;
  }
  if (someUnreadableWithoutUid) {
    return 'Some events of the feed could not be read, so a missing booking may only be unreadable';
  }
  if (
    vanished.length >= thresholds.minVanishedToSuspect &&
    vanished.length > upcoming.length * thresholds.maxVanishedShare
  ) {
    return `${vanished.length} of ${upcoming.length} upcoming bookings vanished from the feed at once`;
  }
  return undefined;
}

function sameReservation(a: FeedReservation, b: FeedReservation): boolean {
  return (
    a.arrivalDate === b.arrivalDate &&
    a.departureDate === b.departureDate &&
    a.guestName === b.guestName &&
    a.reservationCode === b.reservationCode &&
    a.phoneLast4 === b.phoneLast4
  );
}
