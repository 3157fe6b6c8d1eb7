/**
 * An Airbnb-style iCal feed on the running local cloud: the test serves the feed on loopback (which the local
 * cloud allows through LOCKSTAY_LOCAL_ALLOW_LOOPBACK_FEEDS), the owner binds it to a property and syncs it on
 * demand. New events become bookings, changed ones modify them, vanished ones cancel them; a feed that comes
 * back empty cancels nothing and reports itself suspicious; blocks never become bookings.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoOwner, type HostApiClient, hostApiClient, idTokenOf } from '../../support/hosts.ts';

const endpoints = inject('endpoints');
const unique = Date.now().toString(36);

let owner: HostApiClient;
let propertyId: string;
let server: Server;
let feedUrl: string;
let feedBody = '';

interface FeedEvent {
  readonly uid: string;
  readonly start: string;
  readonly end: string;
  readonly summary: string;
}

const compact = (date: string) => date.replaceAll('-', '');

/** An Airbnb export: CRLF, all-day dates, a folded DESCRIPTION with the reservation link. */
function airbnbFeed(events: readonly FeedEvent[]): string {
  const lines = ['BEGIN:VCALENDAR', 'PRODID:-//Airbnb Inc//Hosting Calendar 1.0//EN', 'VERSION:2.0'];
  for (const event of events) {
    lines.push(
      'BEGIN:VEVENT',
      `DTEND;VALUE=DATE:${compact(event.end)}`,
      `DTSTART;VALUE=DATE:${compact(event.start)}`,
      `UID:${event.uid}`,
      ...(event.summary === 'Reserved'
        ? [
            'DESCRIPTION:Reservation URL: https://www.airbnb.com/hosting/reservations/details/HMAB',
            ` C${event.uid.slice(0, 6).toUpperCase()}\\nPhone Number (Last 4 Digits): 1234`,
          ]
        : []),
      `SUMMARY:${event.summary}`,
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return `${lines.join('\r\n')}\r\n`;
}

async function sync(integrationId: string) {
  const answer = await owner.request('POST', `/integrations/${integrationId}/sync`);
  expect(answer.status).toBe(200);
  return answer.body;
}

async function feedBookings() {
  const listed = await owner.request('GET', '/bookings', { query: { propertyId, limit: '100' } });
  return listed.body.items as {
    id: string;
    source: string;
    sourceReservationId?: string;
    status: string;
    departureDate: string;
  }[];
}

beforeAll(async () => {
  server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/calendar; charset=utf-8' });
    response.end(feedBody);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  feedUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/calendar.ics`;
  owner = hostApiClient(endpoints, await idTokenOf(endpoints, await demoOwner(endpoints)));
  const property = await owner.request('POST', '/properties', {
    body: {
      name: `Feed cabin ${unique}`,
      address: { line1: 'Fjordveien 2', city: 'Bergen', countryCode: 'NO' },
      timeZone: 'Europe/Oslo',
    },
  });
  expect(property.status).toBe(201);
  propertyId = property.body.id;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('an Airbnb iCal feed bound to a property', () => {
  const first = {
    uid: `a1-${unique}@airbnb.com`,
    start: '2027-05-03',
    end: '2027-05-06',
    summary: 'Reserved',
  };
  const second = {
    uid: `a2-${unique}@airbnb.com`,
    start: '2027-06-10',
    end: '2027-06-12',
    summary: 'Reserved',
  };
  const third = {
    uid: `a3-${unique}@airbnb.com`,
    start: '2027-07-01',
    end: '2027-07-04',
    summary: 'Reserved',
  };
  const block = {
    uid: `b1-${unique}@airbnb.com`,
    start: '2027-05-20',
    end: '2027-05-25',
    summary: 'Airbnb (Not available)',
  };
  let integrationId: string;

  it('refuses a feed URL on a private address', async () => {
    const refused = await owner.request('POST', '/integrations', {
      body: { kind: 'ical', name: 'Private', propertyId, url: 'http://10.0.0.7/calendar.ics' },
    });
    expect(refused.status).toBe(400);
  });

  it('new events become bookings; a block does not', async () => {
    feedBody = airbnbFeed([first, second, third, block]);
    const created = await owner.request('POST', '/integrations', {
      body: { kind: 'ical', name: `Airbnb ${unique}`, propertyId, url: feedUrl },
    });
    expect(created.status).toBe(201);
    expect(created.body.secret).toBeUndefined();
    integrationId = created.body.integration.id;
    const synced = await sync(integrationId);
    expect(synced.feed.health).toEqual({ status: 'healthy' });
    expect(synced.feed.lastImportAt).toBeDefined();
    const bookings = await feedBookings();
    expect(bookings.map((booking) => booking.sourceReservationId).sort()).toEqual(
      [first.uid, second.uid, third.uid].sort(),
    );
    expect(bookings.every((booking) => booking.source === 'ical' && booking.status === 'confirmed')).toBe(
      true,
    );
  });

  it('a changed event modifies its booking', async () => {
    feedBody = airbnbFeed([{ ...first, end: '2027-05-07' }, second, third, block]);
    await sync(integrationId);
    const booking = (await feedBookings()).find((found) => found.sourceReservationId === first.uid);
    expect(booking?.departureDate).toBe('2027-05-07');
  });

  it('a vanished event cancels its booking', async () => {
    feedBody = airbnbFeed([{ ...first, end: '2027-05-07' }, second, block]);
    await sync(integrationId);
    const booking = (await feedBookings()).find((found) => found.sourceReservationId === third.uid);
    expect(booking?.status).toBe('cancelled');
  });

  it('a feed that comes back empty cancels nothing and is reported suspicious', async () => {
    feedBody = airbnbFeed([]);
    const synced = await sync(integrationId);
    expect(synced.feed.health.status).toBe('suspicious');
    const live = (await feedBookings()).filter((booking) => booking.status === 'confirmed');
    expect(live.map((booking) => booking.sourceReservationId).sort()).toEqual([first.uid, second.uid].sort());
  });
});
