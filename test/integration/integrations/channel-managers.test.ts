/**
 * Hostaway's and Guesty's webhooks on the running local cloud: the owner creates the integrations (Hostaway's
 * Basic credentials shown once, Guesty's secret brought from Guesty), recorded payloads are posted to the
 * receiver, the scheduler twin processes them into bookings. Replays and reorders end as one clean delivery;
 * an owner stay is set aside; an unmapped listing shows up as a failed delivery the host can retry.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { signedWebhookHeaders } from '#shared/integrations/webhook-signature.ts';
import { eventually } from '../../support/eventually.ts';
import { demoOwner, type HostApiClient, hostApiClient, idTokenOf } from '../../support/hosts.ts';
import { deliverySettling } from './deliveries.ts';

const endpoints = inject('endpoints');
const unique = Date.now().toString(36);
const listing = `listing-${unique}`;

let owner: HostApiClient;
let propertyId: string;

const fixture = <T = Record<string, unknown>>(name: string): T =>
  JSON.parse(readFileSync(new URL(`../../fixtures/integrations/${name}`, import.meta.url), 'utf8')) as T;

interface HostawayBody {
  event: string;
  data: Record<string, unknown>;
}
interface GuestyBody {
  event: string;
  reservation: Record<string, unknown>;
}

/** A recorded Hostaway reservation made this test's own (its id and listing). */
function hostawayBody(reservationId: string, change: (data: Record<string, unknown>) => void = () => {}) {
  const body = fixture<HostawayBody>('hostaway-reservation-created.json');
  // Each reservation its own Airbnb code: the same code would be the same stay, joining one booking.
  Object.assign(body.data, {
    id: reservationId,
    listingMapId: listing,
    confirmationCode: `HM${reservationId}`,
  });
  change(body.data);
  return body;
}

async function post(integrationId: string, body: unknown, headers: Record<string, string>) {
  const response = await fetch(`${endpoints.api}/webhooks/${integrationId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json().catch(() => undefined) };
}

const basic = ({ username, password }: { username: string; password: string }) => ({
  authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
});

function svix({ secret, body }: { secret: string; body: string }) {
  const signed = signedWebhookHeaders({
    secret,
    webhookId: `msg_${randomUUID()}`,
    sentAt: new Date(),
    rawBody: body,
  });
  return {
    'svix-id': signed['webhook-id'],
    'svix-timestamp': signed['webhook-timestamp'],
    'svix-signature': signed['webhook-signature'],
  };
}

async function bookingsOf(sourceReservationId: string) {
  const listed = await owner.request('GET', '/bookings', { query: { propertyId, limit: '100' } });
  return (
    listed.body.items as {
      sourceReservationId?: string;
      status: string;
      id: string;
      departureDate: string;
      guest: { name: string; email?: string };
    }[]
  ).filter((booking) => booking.sourceReservationId === sourceReservationId);
}

/** Waits until the scheduler twin has run the accepted delivery to its end (processed, or failed for good). */
const settled = deliverySettling(endpoints);

async function hostawayIntegration(listings: Record<string, string>) {
  const created = await owner.request('POST', '/integrations', {
    body: { kind: 'hostaway', name: `Hostaway ${unique}-${randomUUID().slice(0, 4)}`, listings },
  });
  expect(created.status).toBe(201);
  return {
    integrationId: created.body.integration.id as string,
    credentials: created.body.credentials as { username: string; password: string },
  };
}

beforeAll(async () => {
  owner = hostApiClient(endpoints, await idTokenOf(endpoints, await demoOwner(endpoints)));
  const property = await owner.request('POST', '/properties', {
    body: {
      name: `Channel villa ${unique}`,
      address: { line1: 'Rua 2', city: 'Lisboa', countryCode: 'PT' },
      timeZone: 'Europe/Lisbon',
    },
  });
  expect(property.status).toBe(201);
  propertyId = property.body.id;
}, 60_000);

describe('Hostaway’s webhook', () => {
  it('a reservation is accepted (202) and becomes one booking however often and in whatever order it comes', async () => {
    const { integrationId, credentials } = await hostawayIntegration({ [listing]: propertyId });
    expect(credentials.password.length).toBeGreaterThan(20);
    const reservationId = String(Date.now());
    const created = hostawayBody(reservationId);
    const modified = hostawayBody(reservationId, (data) =>
      Object.assign(data, {
        status: 'modified',
        departureDate: '2026-10-28',
        updatedOn: '2026-09-20 08:00:00',
      }),
    );
    modified.event = 'reservation.updated';

    const deliveryIds = new Set<string>();
    for (const body of [modified, created, created, modified]) {
      const answer = await post(integrationId, body, basic(credentials));
      expect(answer.status).toBe(202);
      deliveryIds.add(answer.body.deliveryId);
    }
    for (const deliveryId of deliveryIds) await settled(integrationId, deliveryId);

    const [booking, ...others] = await bookingsOf(`hostaway:${reservationId}`);
    expect(others).toEqual([]);
    expect(booking).toMatchObject({ status: 'confirmed', departureDate: '2026-10-28' });
    expect(booking?.guest.email).toBe('ana.souza.8807335190@guest.airbnb.com');
  }, 90_000);

  it('refuses missing or wrong credentials with 401; sets an owner stay aside with 200', async () => {
    const { integrationId, credentials } = await hostawayIntegration({ [listing]: propertyId });
    const body = hostawayBody(String(Date.now()));

    expect((await post(integrationId, body, {})).status).toBe(401);
    expect((await post(integrationId, body, basic({ ...credentials, password: 'nope' }))).status).toBe(401);
    const ownerStay = fixture<HostawayBody>('hostaway-owner-stay.json');
    ownerStay.data.listingMapId = listing;
    const setAside = await post(integrationId, ownerStay, basic(credentials));
    expect(setAside.status).toBe(200);
    expect(setAside.body.ignored.reason).toBe('owner-stay');
  });

  it('an unmapped listing is a failed delivery the host sees, and runs once the listing is mapped', async () => {
    const { integrationId, credentials } = await hostawayIntegration({});
    const reservationId = String(Date.now() + 7);
    const accepted = await post(integrationId, hostawayBody(reservationId), basic(credentials));
    expect(accepted.status).toBe(202);

    const failed = await eventually(
      async () => (await owner.request('GET', `/integrations/${integrationId}/deliveries`)).body.items,
      (items: { deliveryId: string }[]) => items.some((item) => item.deliveryId === accepted.body.deliveryId),
    );
    expect(failed).toEqual([
      expect.objectContaining({
        deliveryId: accepted.body.deliveryId,
        status: 'failed',
        reason: `No property is mapped to the listing ${listing}`,
      }),
    ]);

    const mapped = await owner.request('PUT', `/integrations/${integrationId}/listings`, {
      body: { listings: { [listing]: propertyId } },
    });
    expect(mapped.status).toBe(200);
    const retried = await owner.request(
      'POST',
      `/integrations/${integrationId}/deliveries/${encodeURIComponent(accepted.body.deliveryId)}/retry`,
    );
    expect(retried.status).toBe(202);
    const bookings = await eventually(
      () => bookingsOf(`hostaway:${reservationId}`),
      (found) => found.length > 0,
    );
    expect(bookings).toHaveLength(1);
  }, 90_000);
});

describe('Guesty’s webhook', () => {
  it('signed by Guesty with the account’s secret, a reservation becomes a booking; a forged one is a 401', async () => {
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const guestyListing = `guesty-${unique}`;
    const created = await owner.request('POST', '/integrations', {
      body: { kind: 'guesty', name: `Guesty ${unique}`, listings: { [guestyListing]: propertyId }, secret },
    });
    expect(created.status).toBe(201);
    expect(JSON.stringify(created.body)).not.toContain(secret.slice(6));
    const integrationId = created.body.integration.id as string;
    const reservationId = `gst${randomUUID().replaceAll('-', '').slice(0, 20)}`;
    const payload = fixture<GuestyBody>('guesty-reservation-created-v2.json');
    Object.assign(payload.reservation, { _id: reservationId, listingId: guestyListing });
    const body = JSON.stringify(payload);

    const forged = await post(
      integrationId,
      body,
      svix({ secret: `whsec_${randomBytes(32).toString('base64')}`, body }),
    );
    const answer = await post(integrationId, body, svix({ secret, body }));

    expect(forged.status).toBe(401);
    expect(answer.status).toBe(202);
    const bookings = await eventually(
      () => bookingsOf(`guesty:${reservationId}`),
      (found) => found.length > 0,
    );
    expect(bookings).toEqual([expect.objectContaining({ status: 'confirmed' })]);
  }, 60_000);
});
