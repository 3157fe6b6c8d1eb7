/**
 * Finding bookings and reading the log on the running local cloud: a guest found by name however far in the
 * schedule, arrivals up to a date, a stay's timeline from its creation to its cancellation, the audit log
 * narrowed by person, method and time, and its CSV export matching the JSON list with formula-like names
 * defused.
 */
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { demoOwner, type HostApiClient, hostApiClient, idTokenOf } from '../../support/hosts.ts';

const endpoints = inject('endpoints');
const unique = Date.now().toString(36);
let owner: HostApiClient;
let ownerUserId: string;
let idToken: string;
let propertyId: string;
const propertyName = `+Search flat ${unique}`;

interface BookingView {
  id: string;
  arrivalDate: string;
  guest: { name: string };
}
interface AuditView {
  id: string;
  at: string;
  action: string;
  actor: { kind: string; userId?: string };
  details: Record<string, unknown>;
}

const day = (offset: number) =>
  new Date(Date.UTC(2027, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10);

async function csvOf(query: Record<string, string>, headers: Record<string, string> = {}) {
  const url = new URL(`${endpoints.api}/audit`);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  const response = await fetch(url, { headers: { authorization: `Bearer ${idToken}`, ...headers } });
  return { response, text: await response.text() };
}

beforeAll(async () => {
  const demo = await demoOwner(endpoints);
  ownerUserId = demo.userId;
  idToken = await idTokenOf(endpoints, demo);
  owner = hostApiClient(endpoints, idToken);
  const property = await owner.request('POST', '/properties', {
    body: {
      name: propertyName,
      address: { line1: 'Rua do Sol 3', city: 'Lisboa', countryCode: 'PT' },
      timeZone: 'Europe/Lisbon',
    },
  });
  expect(property.status).toBe(201);
  propertyId = property.body.id;
  const lock = await owner.request('POST', '/locks', {
    body: { propertyId, name: 'Garden gate', connectivity: 'bluetooth' },
  });
  expect(lock.status).toBe(201);
  // Twelve stays, then the one the host looks for: beyond the first pages of the schedule.
  for (let stay = 0; stay < 12; stay += 1) {
    const created = await owner.request('POST', '/bookings', {
      body: {
        propertyId,
        guest: { name: `Guest ${stay}` },
        arrivalDate: day(stay * 2),
        departureDate: day(stay * 2 + 1),
      },
    });
    expect(created.status).toBe(201);
  }
  const wanted = await owner.request('POST', '/bookings', {
    body: { propertyId, guest: { name: 'José Álvarez' }, arrivalDate: day(40), departureDate: day(43) },
  });
  expect(wanted.status).toBe(201);
});

describe('searching bookings', () => {
  it('finds a guest by part of the name, any case and accents aside, on the first page', async () => {
    const found = await owner.request('GET', '/bookings', {
      query: { propertyId, guest: 'jose alv', limit: '5' },
    });

    expect(found.status).toBe(200);
    expect(found.body.items.map((booking: BookingView) => booking.guest.name)).toEqual(['José Álvarez']);
    expect(found.body.nextCursor).toBeUndefined();
  });

  it('lists arrivals between two dates, upcoming first', async () => {
    const found = await owner.request('GET', '/bookings', {
      query: { propertyId, from: day(4), to: day(9), limit: '50' },
    });

    expect(found.status).toBe(200);
    expect(found.body.items.map((booking: BookingView) => booking.arrivalDate)).toEqual([
      day(4),
      day(6),
      day(8),
    ]);
  });

  it('answers a bad date with the field that is wrong', async () => {
    const refused = await owner.request('GET', '/bookings', {
      query: { propertyId, from: day(9), to: day(4) },
    });

    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'query.to' })]);
  });
});

describe('a booking’s timeline', () => {
  it('tells its story from creation to cancellation, oldest first, and only its own', async () => {
    const created = await owner.request('POST', '/bookings', {
      body: { propertyId, guest: { name: 'Timeline Tess' }, arrivalDate: day(60), departureDate: day(62) },
    });
    const bookingId = created.body.booking.id as string;
    const grantId = created.body.grant.id as string;
    expect(
      (await owner.request('PATCH', `/bookings/${bookingId}`, { body: { departureDate: day(63) } })).status,
    ).toBe(200);
    expect(
      (await owner.request('POST', `/bookings/${bookingId}/cancel`, { body: { reason: 'Plans changed' } }))
        .status,
    ).toBe(200);

    const detail = await owner.request('GET', `/bookings/${bookingId}`);

    expect(detail.status).toBe(200);
    const events = detail.body.timeline.events as AuditView[];
    const actions = events.map((event) => event.action);
    expect(actions[0]).toBe('booking.created');
    expect(actions).toEqual(
      expect.arrayContaining([
        'grant.issued',
        'booking.modified',
        'grant.window-moved',
        'booking.cancelled',
        'grant.revoked',
      ]),
    );
    expect(actions.indexOf('booking.modified')).toBeLessThan(actions.indexOf('booking.cancelled'));
    expect(events.map((event) => event.at)).toEqual([...events.map((event) => event.at)].sort());
    expect(
      events.every(
        (event) => JSON.stringify(event).includes(grantId) || JSON.stringify(event).includes(bookingId),
      ),
    ).toBe(true);
    expect(detail.body.timeline.complete).toBe(true);
  });
});

describe('an ad-hoc grant’s timeline', () => {
  it('tells its issue and revocation, and nothing of other grants', async () => {
    const issued = await owner.request('POST', '/grants', {
      body: { kind: 'delivery', propertyId, label: `Parcel ${unique}` },
    });
    expect(issued.status).toBe(201);
    const grantId = issued.body.grant.id as string;
    const other = await owner.request('POST', '/grants', {
      body: { kind: 'delivery', propertyId, label: `Other parcel ${unique}` },
    });
    expect(
      (await owner.request('POST', `/grants/${grantId}/revoke`, { body: { reason: 'Delivered' } })).status,
    ).toBe(200);

    const detail = await owner.request('GET', `/grants/${grantId}`);

    expect(detail.status).toBe(200);
    const actions = (detail.body.timeline.events as AuditView[]).map((event) => event.action);
    expect(actions[0]).toBe('grant.issued');
    expect(actions).toContain('grant.revoked');
    expect(JSON.stringify(detail.body.timeline)).not.toContain(other.body.grant.id);
  });
});

describe('the audit log', () => {
  it('narrows by person and method: the owner’s own changes to this property', async () => {
    const page = await owner.request('GET', '/audit', {
      query: { propertyId, userId: ownerUserId, method: 'admin', limit: '100' },
    });

    expect(page.status).toBe(200);
    const events = page.body.items as AuditView[];
    expect(events.length).toBeGreaterThan(13);
    expect(events.every((event) => event.actor.kind === 'user' && event.actor.userId === ownerUserId)).toBe(
      true,
    );
    expect(events.map((event) => event.at)).toEqual([...events.map((event) => event.at)].sort().reverse());
  });

  it('narrows by time: `from` included, `to` excluded', async () => {
    const all = await owner.request('GET', '/audit', { query: { propertyId, limit: '100' } });
    const instants = (all.body.items as AuditView[]).map((event) => event.at);
    const newest = instants[0] as string;
    const oldest = instants.at(-1) as string;

    const range = await owner.request('GET', '/audit', {
      query: { propertyId, from: oldest, to: newest, limit: '100' },
    });

    const inRange = (range.body.items as AuditView[]).map((event) => event.at);
    expect(inRange.length).toBeGreaterThan(0);
    expect(inRange).not.toContain(newest);
    expect(inRange).toContain(oldest);
    expect(inRange.every((at) => at >= oldest && at < newest)).toBe(true);
  });

  it('refuses a method it does not know and a range that ends before it starts, naming the fields', async () => {
    const method = await owner.request('GET', '/audit', { query: { method: 'telepathy' } });
    const range = await owner.request('GET', '/audit', {
      query: { from: '2026-11-02T00:00:00Z', to: '2026-11-01T00:00:00Z' },
    });

    expect(method.status).toBe(400);
    expect(method.body.errors).toEqual([expect.objectContaining({ field: 'query.method' })]);
    expect(range.status).toBe(400);
    expect(range.body.errors).toEqual([expect.objectContaining({ field: 'query.to' })]);
  });

  it('exports as CSV the same events as the list, with names, and defuses formula-like values', async () => {
    // Both read up to the same instant. The stays' scheduled work (their offline codes) may still be committing
    // events stamped before it, so the export is taken between two equal reads of the list: nothing landed
    // between them. Waiting for that is waiting for the scheduled work to be done; the export is then compared
    // once, so a real difference between the two stays a failure.
    const readBoth = async () => {
      const to = new Date().toISOString();
      const list = await owner.request('GET', '/audit', { query: { propertyId, limit: '100', to } });
      const csv = await csvOf({ propertyId, format: 'csv', to });
      const again = await owner.request('GET', '/audit', { query: { propertyId, limit: '100', to } });
      return { list, again, ...csv };
    };
    let read = await readBoth();
    await expect
      .poll(
        async () => {
          read = await readBoth();
          return JSON.stringify(read.list.body) === JSON.stringify(read.again.body);
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe(true);
    const { list, response, text } = read;

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="lockstay-audit-.*\.csv"$/,
    );
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(rows.map((row) => row.at_utc)).toEqual((list.body.items as AuditView[]).map((event) => event.at));
    expect(rows.map((row) => row.action)).toEqual(
      (list.body.items as AuditView[]).map((event) => event.action),
    );
    expect(new Set(rows.map((row) => row.property))).toEqual(new Set([`'${propertyName}`]));
    expect(rows.every((row) => row.time_zone === 'Europe/Lisbon')).toBe(true);
    expect(
      rows.filter((row) => row.method === 'admin').every((row) => row.person === endpoints.demo?.username),
    ).toBe(true);
  });

  it('exports CSV when asked with Accept: text/csv, narrowed like the list', async () => {
    const { response, text } = await csvOf({ propertyId, method: 'keypad' }, { accept: 'text/csv' });

    expect(response.status).toBe(200);
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(rows).toEqual([]);
    expect(text.split('\r\n')[0]).toBe(
      'at_utc,local_time,time_zone,property,lock,method,action,person,actor,target,details',
    );
  });
});
