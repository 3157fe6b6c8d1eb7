import { describe, expect, it } from 'vitest';
import {
  type FeedParseResult,
  feedCancellationEvent,
  feedReservationEvent,
  type ParsedFeed,
  parseIcalFeed,
} from '#shared/integrations/ical.ts';
import { fixtureText } from './fixtures.ts';

const berlin = 'Europe/Berlin';

function parsed(result: FeedParseResult): ParsedFeed {
  if (!result.ok) throw new Error(`Expected the feed to parse: ${result.reason}`);
  return result.feed;
}

function calendar(...eventLines: string[][]): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Airbnb Inc//Hosting Calendar 1.0//EN',
    ...eventLines.flatMap((lines) => ['BEGIN:VEVENT', ...lines, 'END:VEVENT']),
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

describe('the recorded feeds keep what makes them hard', () => {
  it.each(['airbnb.ics', 'vrbo.ics', 'booking-com.ics', 'pms-timed.ics'])(
    '%s has CRLF line endings',
    (name) => {
      const text = fixtureText(name);

      expect(text).toContain('\r\n');
      expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    },
  );

  it.each(['airbnb.ics', 'vrbo.ics'])('%s has folded lines', (name) => {
    expect(fixtureText(name)).toMatch(/\r\n [^\r\n]/);
  });
});

describe('Airbnb calendars', () => {
  const feed = parsed(parseIcalFeed({ text: fixtureText('airbnb.ics'), timeZone: berlin }));

  it('the feed is recognised as Airbnb’s from its PRODID', () => {
    expect(feed.channel).toBe('airbnb');
  });

  it('a Reserved event is a booking with the HM code from the folded reservation URL and the phone’s last digits', () => {
    expect(feed.reservations).toContainEqual({
      uid: '1418fb94e984-5c4bd5b8e2c4a7f1c0d3e9b6a8f2d1c0@airbnb.com',
      arrivalDate: '2026-10-24',
      departureDate: '2026-10-27',
      guestName: undefined,
      reservationCode: 'HMQ4X2ZB8N',
      phoneLast4: '5678',
    });
  });

  it('DTEND is the checkout day: a stay from the 24th to the 27th is three nights, leaving on the 27th', () => {
    const stay = feed.reservations.find(({ reservationCode }) => reservationCode === 'HMQ4X2ZB8N');

    expect(stay?.departureDate).toBe('2026-10-27');
  });

  it('an Airbnb block is not a booking', () => {
    expect(feed.reservations.map(({ reservationCode }) => reservationCode)).toEqual([
      'HMTK9R2WQX',
      'HMQ4X2ZB8N',
      'HM8ZP4NLKD',
    ]);
    expect(feed.blocks).toBe(2);
    expect(feed.eventCount).toBe(5);
    expect(feed.unreadable).toEqual([]);
  });

  it('an Airbnb event with a reservation link is a booking even when its summary is not "Reserved"', () => {
    const text = calendar([
      'UID:old-style@airbnb.com',
      'DTSTART;VALUE=DATE:20261024',
      'DTEND;VALUE=DATE:20261027',
      'SUMMARY:Ana Souza (HMQ4X2ZB8N)',
      'DESCRIPTION:https://www.airbnb.co.uk/hosting/reservations/details/hmq4x2zb8n',
    ]);

    expect(parsed(parseIcalFeed({ text, timeZone: berlin })).reservations[0]?.reservationCode).toBe(
      'HMQ4X2ZB8N',
    );
  });

  it('lines ending in LF alone, as some proxies rewrite them, are read the same', () => {
    const lf = parsed(
      parseIcalFeed({ text: fixtureText('airbnb.ics').replace(/\r\n/g, '\n'), timeZone: berlin }),
    );

    expect(lf.reservations).toEqual(feed.reservations);
  });

  it('a byte-order mark and leading blank lines do not stop the feed being read', () => {
    const text = `\uFEFF\r\n${fixtureText('airbnb.ics')}`;

    expect(parsed(parseIcalFeed({ text, timeZone: berlin })).reservations).toHaveLength(3);
  });
});

describe('Vrbo calendars', () => {
  const feed = parsed(parseIcalFeed({ text: fixtureText('vrbo.ics'), timeZone: berlin }));

  it('a "Reserved - Name" event is a booking for that guest', () => {
    expect(feed.channel).toBe('vrbo');
    expect(feed.reservations[0]).toEqual({
      uid: 'a7c1e3f0-5b9d-4e2a-8c6f-1d3b5a7e9c0f',
      arrivalDate: '2026-11-06',
      departureDate: '2026-11-10',
      guestName: 'Lukas Brandt',
      reservationCode: undefined,
      phoneLast4: undefined,
    });
  });

  it('an event with DURATION instead of DTEND ends that long after it starts; a folded accented name is whole', () => {
    expect(feed.reservations[1]).toMatchObject({
      arrivalDate: '2026-12-01',
      departureDate: '2026-12-06',
      guestName: 'Marie-Claire Dubois-Lefèvre et famille (arrivée tardive prévue vers 22 h)',
    });
  });

  it('a Blocked event is not a booking', () => {
    expect(feed.reservations).toHaveLength(2);
    expect(feed.blocks).toBe(1);
  });
});

describe('Booking.com calendars', () => {
  const feed = parsed(parseIcalFeed({ text: fixtureText('booking-com.ics'), timeZone: berlin }));

  it('CLOSED - Not available is a block; other events are bookings', () => {
    expect(feed.channel).toBe('booking.com');
    expect(feed.reservations).toEqual([
      expect.objectContaining({
        uid: '3a0f8c1e9b2d47a6b5c4d3e2f1a0b9c8@booking.com',
        arrivalDate: '2026-10-15',
        departureDate: '2026-10-18',
      }),
    ]);
    expect(feed.blocks).toBe(1);
  });
});

describe('timed events and time zones', () => {
  const feed = parsed(parseIcalFeed({ text: fixtureText('pms-timed.ics'), timeZone: 'America/New_York' }));

  it('an event in the property’s zone keeps its wall-clock dates', () => {
    expect(feed.reservations[0]).toMatchObject({ arrivalDate: '2026-10-31', departureDate: '2026-11-02' });
  });

  it('an event given in UTC is read on the property’s clock: 02:00Z on the 6th is the evening of the 5th in New York', () => {
    expect(feed.reservations[1]).toMatchObject({ arrivalDate: '2026-11-05', departureDate: '2026-11-08' });
  });

  it('the channel’s name for a block is recognised in a feed of unknown origin', () => {
    expect(feed.channel).toBe('other');
    expect(feed.blocks).toBe(1);
  });

  it('the integration’s channel wins over the PRODID', () => {
    const asVrbo = parsed(
      parseIcalFeed({ text: fixtureText('airbnb.ics'), channel: 'vrbo', timeZone: berlin }),
    );

    expect(asVrbo.channel).toBe('vrbo');
  });
});

describe('a feed that is not a calendar is refused with the reason', () => {
  it.each([
    [
      'an HTML error page',
      '<!DOCTYPE html><html><body>502 Bad Gateway</body></html>',
      /Not an iCalendar feed/,
    ],
    ['an empty body', '', /Not an iCalendar feed/],
    ['JSON', '{"error":"not found"}', /Not an iCalendar feed/],
    [
      'a feed cut off in the middle of an event',
      'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART;VALUE=DATE:20261101\r\n',
      /not valid iCalendar/,
    ],
  ])('%s', (_case, text, reason) => {
    const result = parseIcalFeed({ text, timeZone: berlin });

    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it('a calendar with no events is read, and says it is empty', () => {
    const feed = parsed(parseIcalFeed({ text: calendar(), timeZone: berlin }));

    expect(feed).toMatchObject({ reservations: [], blocks: 0, eventCount: 0 });
  });

  it('a feed over 5 MB is refused before parsing', () => {
    const huge = calendar(['UID:x', `DESCRIPTION:${'x'.repeat(5 * 1024 * 1024)}`]);

    expect(parseIcalFeed({ text: huge, timeZone: berlin })).toEqual({
      ok: false,
      reason: 'The feed is larger than 5 MB',
    });
  });
});

describe('an event that cannot be read is reported, never silently dropped', () => {
  it('an event with an impossible date is reported with its UID', () => {
    const feed = parsed(
      parseIcalFeed({
        text: calendar(['UID:broken@airbnb.com', 'DTSTART;VALUE=DATE:2026XX01', 'SUMMARY:Reserved']),
        timeZone: berlin,
      }),
    );

    expect(feed.reservations).toEqual([]);
    expect(feed.unreadable).toEqual([
      { uid: 'broken@airbnb.com', reason: expect.stringContaining('unreadable dates') },
    ]);
  });

  it('an event without a start is reported', () => {
    const feed = parsed(
      parseIcalFeed({ text: calendar(['UID:nostart@airbnb.com', 'SUMMARY:Reserved']), timeZone: berlin }),
    );

    expect(feed.unreadable[0]?.uid).toBe('nostart@airbnb.com');
  });

  it('an event that ends before it starts is reported', () => {
    const feed = parsed(
      parseIcalFeed({
        text: calendar([
          'UID:backwards@airbnb.com',
          'DTSTART;VALUE=DATE:20261027',
          'DTEND;VALUE=DATE:20261024',
          'SUMMARY:Reserved',
        ]),
        timeZone: berlin,
      }),
    );

    expect(feed.unreadable).toEqual([
      { uid: 'backwards@airbnb.com', reason: expect.stringContaining('departure date must be after') },
    ]);
  });

  it('an event without a UID cannot be followed across polls and is reported', () => {
    const feed = parsed(
      parseIcalFeed({
        text: calendar(['DTSTART;VALUE=DATE:20261024', 'SUMMARY:Reserved']),
        timeZone: berlin,
      }),
    );

    expect(feed.unreadable).toEqual([{ uid: undefined, reason: 'An event has no UID' }]);
  });

  it('two events with the same UID: the first is kept, the second reported', () => {
    const event = [
      'UID:twice@airbnb.com',
      'DTSTART;VALUE=DATE:20261024',
      'DTEND;VALUE=DATE:20261027',
      'SUMMARY:Reserved',
    ];
    const feed = parsed(parseIcalFeed({ text: calendar(event, event), timeZone: berlin }));

    expect(feed.reservations).toHaveLength(1);
    expect(feed.unreadable).toEqual([{ uid: 'twice@airbnb.com', reason: 'Two events share this UID' }]);
  });

  it('a cancelled event (STATUS:CANCELLED) is not a booking', () => {
    const feed = parsed(
      parseIcalFeed({
        text: calendar([
          'UID:gone@airbnb.com',
          'STATUS:CANCELLED',
          'DTSTART;VALUE=DATE:20261024',
          'SUMMARY:Reserved',
        ]),
        timeZone: berlin,
      }),
    );

    expect(feed).toMatchObject({ reservations: [], unreadable: [], eventCount: 1 });
  });
});

describe('feed reservations as booking events', () => {
  const reservation = {
    uid: '1418fb94e984-5c4bd5b8e2c4a7f1c0d3e9b6a8f2d1c0@airbnb.com',
    arrivalDate: '2026-10-24',
    departureDate: '2026-10-27',
    reservationCode: 'HMQ4X2ZB8N',
    phoneLast4: '5678',
  };

  it('an Airbnb stay becomes a confirmed booking keyed by its UID, matched elsewhere by its HM code', () => {
    expect(
      feedReservationEvent({
        reservation,
        channel: 'airbnb',
        listing: { propertyId: 'prp_8f2k' },
        fetchedAt: '2026-10-01T06:00:00.000Z',
      }),
    ).toEqual({
      integration: 'ical',
      reservationId: reservation.uid,
      listing: { propertyId: 'prp_8f2k' },
      occurredAt: '2026-10-01T06:00:00.000Z',
      channelReference: { channel: 'airbnb', code: 'HMQ4X2ZB8N' },
      status: 'confirmed',
      stay: { guest: { name: 'Airbnb guest' }, arrivalDate: '2026-10-24', departureDate: '2026-10-27' },
    });
  });

  it('a Vrbo stay is booked under the guest’s name from the feed', () => {
    const event = feedReservationEvent({
      reservation: { ...reservation, reservationCode: undefined, guestName: 'Lukas Brandt' },
      channel: 'vrbo',
      listing: { propertyId: 'prp_8f2k' },
      fetchedAt: '2026-10-01T06:00:00.000Z',
    });

    expect(event.stay?.guest.name).toBe('Lukas Brandt');
    expect(event.channelReference).toBeUndefined();
  });

  it('a stay gone from the feed becomes a cancellation saying so', () => {
    expect(
      feedCancellationEvent({
        reservation,
        channel: 'airbnb',
        listing: { propertyId: 'prp_8f2k' },
        fetchedAt: '2026-10-02T06:00:00.000Z',
      }),
    ).toMatchObject({
      status: 'cancelled',
      reason: 'No longer in the Airbnb calendar',
      occurredAt: '2026-10-02T06:00:00.000Z',
    });
  });
});
