import { describe, expect, it } from 'vitest';
import { diffFeed, type FeedFetch } from '#shared/integrations/feed-diff.ts';
import { type FeedReservation, parseIcalFeed } from '#shared/integrations/ical.ts';
import { fixtureText } from './fixtures.ts';

const today = '2026-10-01';

function stay(uid: string, arrivalDate: string, departureDate: string): FeedReservation {
  return { uid, arrivalDate, departureDate };
}

const past = stay('past', '2026-09-08', '2026-09-12');
const october = stay('october', '2026-10-24', '2026-10-27');
const november = stay('november', '2026-11-15', '2026-11-22');
const december = stay('december', '2026-12-01', '2026-12-06');
const january = stay('january', '2027-01-10', '2027-01-14');

function fetched(
  reservations: FeedReservation[],
  extra: { blocks?: number; unreadable?: { uid?: string; reason: string }[] } = {},
): FeedFetch {
  const blocks = extra.blocks ?? 1;
  const unreadable = extra.unreadable ?? [];
  return {
    ok: true,
    feed: {
      channel: 'airbnb',
      reservations,
      blocks,
      eventCount: reservations.length + blocks + unreadable.length,
      unreadable,
    },
  };
}

describe('a clean feed: new, changed and vanished reservations', () => {
  it('the first import creates every stay still to come, and remembers the past ones without booking them', () => {
    const diff = diffFeed({ previous: [], current: fetched([past, october, november]), today });

    expect(diff.health).toEqual({ status: 'healthy' });
    expect(diff.created).toEqual([october, november]);
    expect(diff.nextSnapshot).toEqual([past, october, november]);
  });

  it('the same feed polled again changes nothing', () => {
    const diff = diffFeed({ previous: [october, november], current: fetched([october, november]), today });

    expect(diff).toMatchObject({ created: [], modified: [], cancelled: [], withheldCancellations: [] });
  });

  it('a stay whose dates moved is a modification', () => {
    const extended = { ...november, departureDate: '2026-11-23' };

    const diff = diffFeed({ previous: [october, november], current: fetched([october, extended]), today });

    expect(diff.modified).toEqual([{ before: november, after: extended }]);
    expect(diff.created).toEqual([]);
  });

  it('a stay that disappears from a clean feed is a cancellation', () => {
    const diff = diffFeed({
      previous: [october, november, december],
      current: fetched([october, december]),
      today,
    });

    expect(diff.health).toEqual({ status: 'healthy' });
    expect(diff.cancelled).toEqual([november]);
    expect(diff.nextSnapshot).toEqual([october, december]);
  });

  it('the only upcoming stay may be cancelled when the feed still shows the calendar', () => {
    const diff = diffFeed({ previous: [october], current: fetched([], { blocks: 2 }), today });

    expect(diff.cancelled).toEqual([october]);
  });

  it('a past stay dropping out of the feed is no cancellation', () => {
    const diff = diffFeed({ previous: [past, october], current: fetched([october]), today });

    expect(diff.cancelled).toEqual([]);
    expect(diff.health).toEqual({ status: 'healthy' });
  });

  it('a stay under way when it vanishes is cancelled (the code must stop working)', () => {
    const underWay = stay('under-way', '2026-09-29', '2026-10-03');

    const diff = diffFeed({
      previous: [underWay, october, november],
      current: fetched([october, november]),
      today,
    });

    expect(diff.cancelled).toEqual([underWay]);
  });
});

describe('a feed that fails, empties or shrinks suspiciously never cancels anything by itself', () => {
  it('a feed that could not be fetched or parsed changes nothing and keeps the last snapshot', () => {
    const diff = diffFeed({
      previous: [october, november],
      current: { ok: false, reason: 'HTTP 503 from www.airbnb.com' },
      today,
    });

    expect(diff).toEqual({
      health: { status: 'failed', reason: 'HTTP 503 from www.airbnb.com' },
      created: [],
      modified: [],
      cancelled: [],
      withheldCancellations: [],
      nextSnapshot: [october, november],
    });
  });

  it('a feed that comes back empty cancels nothing, even the only booking', () => {
    const diff = diffFeed({ previous: [october], current: fetched([], { blocks: 0 }), today });

    expect(diff.health).toEqual({
      status: 'suspicious',
      reason: 'The feed came back empty while 1 upcoming booking(s) were in it',
    });
    expect(diff.cancelled).toEqual([]);
    expect(diff.withheldCancellations).toEqual([october]);
  });

  it('more than half of the upcoming bookings vanishing at once cancels none of them', () => {
    const diff = diffFeed({
      previous: [october, november, december, january],
      current: fetched([october]),
      today,
    });

    expect(diff.health).toEqual({
      status: 'suspicious',
      reason: '3 of 4 upcoming bookings vanished from the feed at once',
    });
    expect(diff.cancelled).toEqual([]);
    expect(diff.withheldCancellations).toEqual([november, december, january]);
  });

  it('exactly half vanishing is below the threshold: those are real cancellations', () => {
    const diff = diffFeed({
      previous: [october, november, december, january],
      current: fetched([october, november]),
      today,
    });

    expect(diff.health.status).toBe('healthy');
    expect(diff.cancelled).toEqual([december, january]);
  });

  it('withheld cancellations stay in the snapshot, so that the next poll weighs them again', () => {
    const shrunk = diffFeed({ previous: [october, november, december], current: fetched([october]), today });

    expect(shrunk.nextSnapshot).toEqual([october, november, december]);

    const recovered = diffFeed({
      previous: shrunk.nextSnapshot,
      current: fetched([october, november, december]),
      today,
    });
    expect(recovered).toMatchObject({ health: { status: 'healthy' }, created: [], cancelled: [] });
  });

  it('new and changed stays are still taken from a suspicious feed: what it shows is what the channel says', () => {
    const moved = { ...october, arrivalDate: '2026-10-23' };

    const diff = diffFeed({
      previous: [october, november, december],
      current: fetched([moved, january]),
      today,
    });

    expect(diff.health.status).toBe('suspicious');
    expect(diff.created).toEqual([january]);
    expect(diff.modified).toEqual([{ before: october, after: moved }]);
  });

  it('a booking whose event could not be read is kept as it was, not cancelled', () => {
    const diff = diffFeed({
      previous: [october, november],
      current: fetched([october], {
        unreadable: [{ uid: 'november', reason: 'Event november has unreadable dates' }],
      }),
      today,
    });

    expect(diff.cancelled).toEqual([]);
    expect(diff.nextSnapshot).toEqual([october, november]);
  });

  it('an unreadable event without a UID could be any booking: nothing is cancelled', () => {
    const diff = diffFeed({
      previous: [october, november, december],
      current: fetched([october, december], { unreadable: [{ reason: 'An event has no UID' }] }),
      today,
    });

    expect(diff.health.status).toBe('suspicious');
    expect(diff.withheldCancellations).toEqual([november]);
  });

  it('thresholds can be tightened per integration', () => {
    const diff = diffFeed({
      previous: [october, november, december],
      current: fetched([october, november]),
      today,
      thresholds: { maxVanishedShare: 0.2, minVanishedToSuspect: 1 },
    });

    expect(diff.health.status).toBe('suspicious');
  });
});

describe('recorded feeds, polled twice', () => {
  it('an Airbnb feed that loses one of its bookings between polls cancels exactly that booking', () => {
    const text = fixtureText('airbnb.ics');
    const first = parseIcalFeed({ text, timeZone: 'Europe/Berlin' });
    if (!first.ok) throw new Error(first.reason);
    const initial = diffFeed({ previous: [], current: first, today });

    const withoutNovember = text.replace(
      /BEGIN:VEVENT\r\n(?:(?!END:VEVENT)[\s\S])*?HM8ZP4NLKD[\s\S]*?END:VEVENT\r\n/,
      '',
    );
    const second = parseIcalFeed({ text: withoutNovember, timeZone: 'Europe/Berlin' });
    if (!second.ok) throw new Error(second.reason);
    const diff = diffFeed({ previous: initial.nextSnapshot, current: second, today });

    expect(initial.created.map(({ reservationCode }) => reservationCode)).toEqual([
      'HMQ4X2ZB8N',
      'HM8ZP4NLKD',
    ]);
    expect(diff.cancelled.map(({ reservationCode }) => reservationCode)).toEqual(['HM8ZP4NLKD']);
  });
});
