/**
 * Reads a channel's iCal export of a listing's calendar into the reservations it holds. Parsing (line
 * folding, CRLF, escapes, `VALUE=DATE`, `DURATION`) is ical.js's, Mozilla's parser; what is ours is what
 * each channel means by its events:
 *
 * - Airbnb: all-day events, DTEND is the checkout day. `SUMMARY:Reserved` is a booking, whose DESCRIPTION
 *   holds the reservation URL (`…/hosting/reservations/details/HM…`, the HM code being the reservation's
 *   code) and `Phone Number (Last 4 Digits): 1234`; `Airbnb (Not available)` is a block.
 * - Vrbo: `Reserved - Guest Name` is a booking, `Blocked` a block; some events give DURATION, not DTEND.
 * - Booking.com: `CLOSED - Not available` is a block; other events are bookings.
 *
 * The UID is the stable key of an event across polls. Dates are the property's local dates: all-day events
 * say so directly, timed ones are read on the property's wall clock. The property's check-in and check-out
 * times are applied later, by the domain.
 *
 * An event that cannot be read is reported, never dropped silently: a booking that merely failed to parse
 * must not look like one that disappeared, since a disappearance cancels.
 */
import ICAL from 'ical.js';
import { type IsoInstant, type LocalDate, localDateAt, localDateSchema } from '#shared/domain/local-time.ts';
import type { BookingEvent, CancelledBookingEvent, ListingReference } from './booking-event.ts';
import { departureAfterArrivalProblem } from './stay-dates.ts';

export const feedChannels = ['airbnb', 'vrbo', 'booking.com', 'other'] as const;
export type FeedChannel = (typeof feedChannels)[number];

/** In characters; larger than any real listing's calendar, so past this a "feed" is something else. */
export const maxFeedLength = 5 * 1024 * 1024;
export const maxFeedEvents = 10_000;

/** A booking as a feed shows it. */
export interface FeedReservation {
  readonly uid: string;
  readonly arrivalDate: LocalDate;
  readonly departureDate: LocalDate;
  /** Vrbo puts the guest's name in the summary; Airbnb and Booking.com do not give it. */
  readonly guestName?: string | undefined;
  /** Airbnb's reservation code (`HM…`), from the reservation link; the other channels give none. */
  readonly reservationCode?: string | undefined;
  /** Airbnb's last four digits of the guest's phone: not a phone number, but helps a host recognise a stay. */
  readonly phoneLast4?: string | undefined;
}

export interface UnreadableEvent {
  /** Present when the event's UID could be read: that reservation is then kept as it was. */
  readonly uid?: string | undefined;
  readonly reason: string;
}

export interface ParsedFeed {
  readonly channel: FeedChannel;
  readonly reservations: readonly FeedReservation[];
  /** Events that close dates without a guest (host blocks, "Not available"): never bookings. */
  readonly blocks: number;
  /** Every VEVENT in the feed, read or not: 0 means the feed came back empty. */
  readonly eventCount: number;
  readonly unreadable: readonly UnreadableEvent[];
}

export type FeedParseResult =
  | { readonly ok: true; readonly feed: ParsedFeed }
  | { readonly ok: false; readonly reason: string };

/**
 * Parses a feed's text. `channel` is the integration's (when the host said which channel the feed is from),
 * else it is told from the feed's PRODID. `timeZone` is the property's, for events given as UTC instants.
 * Never throws: a text that is not a calendar is `{ ok: false, reason }`, with the parser's reason.
 */
export function parseIcalFeed({
  text,
  channel,
  timeZone,
}: {
  text: string;
  channel?: FeedChannel | undefined;
  timeZone: string;
}): FeedParseResult {
  if (text.length > maxFeedLength) return { ok: false, reason: 'The feed is larger than 5 MB' };
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (!/^BEGIN:VCALENDAR/i.test(trimmed)) {
    return {
      ok: false,
      reason: `Not an iCalendar feed: it starts with "${printable(trimmed.slice(0, 40))}"`,
    };
  }
  let calendar: ICAL.Component;
  try {
    const parsed: unknown = ICAL.parse(trimmed);
    const first = Array.isArray(parsed) && typeof parsed[0] !== 'string' ? parsed[0] : parsed;
    calendar = new ICAL.Component(first as ConstructorParameters<typeof ICAL.Component>[0]);
  } catch (error) {
    return { ok: false, reason: `The feed is not valid iCalendar: ${printable(messageOf(error))}` };
  }
  if (calendar.name !== 'vcalendar') return { ok: false, reason: 'The feed holds no VCALENDAR' };

  const feedChannel = channel ?? channelFromProductId(String(calendar.getFirstPropertyValue('prodid') ?? ''));
  const events = calendar.getAllSubcomponents('vevent');
  if (events.length > maxFeedEvents) {
    return { ok: false, reason: `The feed holds more than ${maxFeedEvents} events` };
  }
  const reservations: FeedReservation[] = [];
  const unreadable: UnreadableEvent[] = [];
  const seen = new Set<string>();
  let blocks = 0;
  for (const component of events) {
    const read = readEvent({ component, channel: feedChannel, timeZone });
    if (read.kind === 'unreadable') {
      unreadable.push({ uid: read.uid, reason: read.reason });
    } else if (read.kind === 'block') {
      blocks += 1;
    } else if (read.kind === 'reservation') {
      if (seen.has(read.reservation.uid)) {
        unreadable.push({ uid: read.reservation.uid, reason: 'Two events share this UID' });
        continue;
      }
      seen.add(read.reservation.uid);
      reservations.push(read.reservation);
    }
  }
  return {
    ok: true,
    feed: { channel: feedChannel, reservations, blocks, eventCount: events.length, unreadable },
  };
}

export function channelFromProductId(productId: string): FeedChannel {
  if (/airbnb/i.test(productId)) return 'airbnb';
  if (/vrbo|homeaway/i.test(productId)) return 'vrbo';
  if (/booking\.com/i.test(productId)) return 'booking.com';
  return 'other';
}

type ReadEvent =
  | { kind: 'reservation'; reservation: FeedReservation }
  | { kind: 'block' }
  | { kind: 'withdrawn' }
  | { kind: 'unreadable'; uid?: string | undefined; reason: string };

function readEvent({
  component,
  channel,
  timeZone,
}: {
  component: ICAL.Component;
  channel: FeedChannel;
  timeZone: string;
}): ReadEvent {
  const uid = textOf(component, 'uid')?.trim();
  if (!uid) return { kind: 'unreadable', reason: 'An event has no UID' };
  // A cancelled event is one the channel withdrew: like an absent one, it is no booking.
  if (textOf(component, 'status')?.toUpperCase() === 'CANCELLED') return { kind: 'withdrawn' };
  const summary = (textOf(component, 'summary') ?? '').trim();
  const description = textOf(component, 'description') ?? '';
  const kind = classify({ channel, summary, description });
  if (kind === 'block') return { kind: 'block' };

  let arrivalDate: string;
  let departureDate: string;
  try {
    const event = new ICAL.Event(component);
    arrivalDate = localDateOf(event.startDate, timeZone);
    departureDate = localDateOf(event.endDate, timeZone);
  } catch (error) {
    return {
      kind: 'unreadable',
      uid,
      reason: `Event ${uid} has unreadable dates: ${printable(messageOf(error))}`,
    };
  }
  if (!localDateSchema.safeParse(arrivalDate).success || !localDateSchema.safeParse(departureDate).success) {
    return { kind: 'unreadable', uid, reason: `Event ${uid} has unreadable dates` };
  }
  const datesProblem = departureAfterArrivalProblem({ arrivalDate, departureDate });
  if (datesProblem) return { kind: 'unreadable', uid, reason: `Event ${uid}: ${datesProblem}` };

  return {
    kind: 'reservation',
    reservation: {
      uid,
      arrivalDate,
      departureDate,
      guestName: guestNameOf({ channel, summary }),
      reservationCode: channel === 'airbnb' || channel === 'other' ? airbnbCodeOf(description) : undefined,
      phoneLast4: /Phone Number \(Last 4 Digits\):\s*(\d{4})\b/i.exec(description)?.[1],
    },
  };
}

const airbnbReservationUrl =
  /https?:\/\/(?:www\.)?airbnb\.[a-z.]+\/hosting\/reservations\/details\/([A-Z0-9]{6,20})/i;
const blockSummaries = /not available|unavailable|blocked|closed/i;

function classify({
  channel,
  summary,
  description,
}: {
  channel: FeedChannel;
  summary: string;
  description: string;
}): 'booking' | 'block' {
  switch (channel) {
    case 'airbnb':
      // Airbnb's bookings say "Reserved" and link to the reservation; everything else closes dates.
      return /^reserved\b/i.test(summary) || airbnbReservationUrl.test(description) ? 'booking' : 'block';
    case 'vrbo':
      return /^reserved\b/i.test(summary) ? 'booking' : 'block';
    case 'booking.com':
    case 'other':
      return blockSummaries.test(summary) ? 'block' : 'booking';
  }
}

function guestNameOf({ channel, summary }: { channel: FeedChannel; summary: string }): string | undefined {
  if (channel !== 'vrbo') return undefined;
  const name = /^reserved\s*[-–:]\s*(.+)$/i.exec(summary)?.[1]?.trim();
  return name ? name.slice(0, 200) : undefined;
}

function airbnbCodeOf(description: string): string | undefined {
  return airbnbReservationUrl.exec(description)?.[1]?.toUpperCase();
}

/** The date on the property's wall clock: as written for dates and local times, converted for UTC instants. */
function localDateOf(time: ICAL.Time, timeZone: string): LocalDate {
  if (!time.isDate && time.zone?.tzid === 'UTC') {
    return localDateAt({ instant: new Date(time.toUnixTime() * 1000).toISOString(), timeZone });
  }
  return `${String(time.year).padStart(4, '0')}-${String(time.month).padStart(2, '0')}-${String(time.day).padStart(2, '0')}`;
}

function textOf(component: ICAL.Component, name: string): string | undefined {
  const value = component.getFirstPropertyValue(name);
  return typeof value === 'string' ? value : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function printable(text: string): string {
  return text.replace(/[^\x20-\x7E]/g, ' ').slice(0, 200);
}

const channelNames: Record<FeedChannel, string> = {
  airbnb: 'Airbnb',
  vrbo: 'Vrbo',
  'booking.com': 'Booking.com',
  other: 'Calendar',
};

/** A reservation as one read of a listing's feed found it (or, for a cancellation, last found it). */
export interface FeedSighting {
  readonly reservation: FeedReservation;
  readonly channel: FeedChannel;
  readonly listing: ListingReference;
  readonly fetchedAt: IsoInstant;
}

/**
 * The booking event of a reservation found in a feed. Feeds carry no guest name for Airbnb and Booking.com
 * stays: "Airbnb guest" stands in until a richer source (a channel manager, the host) gives the real one.
 */
export function feedReservationEvent({
  reservation,
  channel,
  listing,
  fetchedAt,
}: FeedSighting): BookingEvent {
  return {
    integration: 'ical',
    reservationId: reservation.uid,
    listing,
    occurredAt: fetchedAt,
    // The only code a feed carries is Airbnb's, whoever re-exports the calendar.
    channelReference: reservation.reservationCode
      ? { channel: 'airbnb', code: reservation.reservationCode }
      : undefined,
    status: 'confirmed',
    stay: {
      guest: { name: reservation.guestName ?? `${channelNames[channel]} guest` },
      arrivalDate: reservation.arrivalDate,
      departureDate: reservation.departureDate,
    },
  };
}

/** The cancellation of a reservation that disappeared from a feed that read cleanly. */
export function feedCancellationEvent(sighting: FeedSighting): CancelledBookingEvent {
  const confirmed = feedReservationEvent(sighting);
  return {
    ...confirmed,
    status: 'cancelled',
    reason: `No longer in the ${channelNames[sighting.channel]} calendar`,
  };
}
