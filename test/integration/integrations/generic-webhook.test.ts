/**
 * Lockstay's signed booking webhook on the running local cloud: the owner creates an integration, a sender
 * signs deliveries with its secret, the receiver answers 202 once it accepted them, and the scheduler twin runs
 * the deliveries into bookings with their grants.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { signedWebhookHeaders } from '#shared/integrations/webhook-signature.ts';
import { eventually } from '../../support/eventually.ts';
import { demoOwner, type HostApiClient, hostApiClient, idTokenOf } from '../../support/hosts.ts';
import { deliverySettling } from './deliveries.ts';

const endpoints = inject('endpoints');
const unique = Date.now().toString(36);

let owner: HostApiClient;
let propertyId: string;

async function newIntegration(): Promise<{ integrationId: string; secret: string }> {
  const created = await owner.request('POST', '/integrations', {
    body: { kind: 'lockstay-webhook', name: `PMS ${unique}`, listings: { [`villa-${unique}`]: propertyId } },
  });
  expect(created.status).toBe(201);
  return { integrationId: created.body.integration.id, secret: created.body.secret };
}

async function send({
  integrationId,
  secret,
  body,
  webhookId = `msg_${randomUUID()}`,
  sentAt = new Date(),
}: {
  integrationId: string;
  secret: string;
  body: unknown;
  webhookId?: string;
  sentAt?: Date;
}) {
  const rawBody = typeof body === 'string' ? body : JSON.stringify(body);
  const response = await fetch(`${endpoints.api}/webhooks/${integrationId}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...signedWebhookHeaders({ secret, webhookId, sentAt, rawBody }),
    },
    body: rawBody,
  });
  return { status: response.status, body: await response.json().catch(() => undefined) };
}

const event = (
  type: 'booking.created' | 'booking.updated' | 'booking.cancelled',
  reservationId: string,
  occurredAt: Date,
) => ({
  type,
  version: 1,
  occurredAt: occurredAt.toISOString(),
  data:
    type === 'booking.cancelled'
      ? { reservationId, propertyExternalId: `villa-${unique}` }
      : {
          reservationId,
          propertyExternalId: `villa-${unique}`,
          guest: { name: 'Ana Souza', email: 'ana@example.com' },
          arrivalDate: '2027-03-10',
          departureDate: '2027-03-13',
        },
});

async function bookingsOf(reservationId: string) {
  const listed = await owner.request('GET', '/bookings', { query: { propertyId, limit: '100' } });
  return (listed.body.items as { sourceReservationId?: string; status: string; id: string }[]).filter(
    (booking) => booking.sourceReservationId === reservationId,
  );
}

/** Waits until the scheduler twin has run the accepted delivery to its end (processed, or failed for good). */
const settled = deliverySettling(endpoints);

beforeAll(async () => {
  owner = hostApiClient(endpoints, await idTokenOf(endpoints, await demoOwner(endpoints)));
  const property = await owner.request('POST', '/properties', {
    body: {
      name: `Webhook villa ${unique}`,
      address: { line1: 'Rua 1', city: 'Lisboa', countryCode: 'PT' },
      timeZone: 'Europe/Lisbon',
    },
  });
  expect(property.status).toBe(201);
  propertyId = property.body.id;
});

describe('the generic booking webhook', () => {
  it('a signed booking.created is answered 202 and becomes a booking with its grant', async () => {
    const { integrationId, secret } = await newIntegration();
    const reservationId = `R-${randomUUID()}`;
    const answer = await send({
      integrationId,
      secret,
      body: event('booking.created', reservationId, new Date()),
    });
    expect(answer.status).toBe(202);
    const [booking] = await eventually(
      () => bookingsOf(reservationId),
      (found) => found.length > 0,
    );
    expect(booking?.status).toBe('confirmed');
    const detail = await owner.request('GET', `/bookings/${booking?.id}`);
    expect(detail.body.grant).toBeDefined();
  }, 60_000);

  it('the same webhook-id twice is processed once', async () => {
    const { integrationId, secret } = await newIntegration();
    const reservationId = `R-${randomUUID()}`;
    const body = event('booking.created', reservationId, new Date());
    const first = await send({ integrationId, secret, body, webhookId: `msg_${reservationId}` });
    const second = await send({ integrationId, secret, body, webhookId: `msg_${reservationId}` });
    expect([first.status, second.status]).toEqual([202, 202]);
    expect([first.body.firstDelivery, second.body.firstDelivery]).toEqual([true, false]);
    expect(second.body.deliveryId).toBe(first.body.deliveryId);
    await settled(integrationId, first.body.deliveryId);
    expect(await bookingsOf(reservationId)).toHaveLength(1);
  }, 60_000);

  it('a cancellation that overtakes its creation leaves no booking', async () => {
    const { integrationId, secret } = await newIntegration();
    const reservationId = `R-${randomUUID()}`;
    const createdAt = new Date(Date.now() - 60_000);
    const cancelledAt = new Date();
    const cancelled = await send({
      integrationId,
      secret,
      body: event('booking.cancelled', reservationId, cancelledAt),
    });
    expect(cancelled.status).toBe(202);
    // The cancellation is processed before the creation arrives.
    await settled(integrationId, cancelled.body.deliveryId);
    const created = await send({
      integrationId,
      secret,
      body: event('booking.created', reservationId, createdAt),
    });
    expect(created.status).toBe(202);
    await settled(integrationId, created.body.deliveryId);
    expect(await bookingsOf(reservationId)).toEqual([]);
  }, 90_000);

  it('refuses a bad signature and a stale timestamp with 401, bad JSON with 400, an unknown integration with 404', async () => {
    const { integrationId, secret } = await newIntegration();
    const body = event('booking.created', `R-${randomUUID()}`, new Date());
    const otherSecret = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
    expect((await send({ integrationId, secret: otherSecret, body })).status).toBe(401);
    expect(
      (await send({ integrationId, secret, body, sentAt: new Date(Date.now() - 6 * 60_000) })).status,
    ).toBe(401);
    expect((await send({ integrationId, secret, body: '{not json' })).status).toBe(400);
    expect((await send({ integrationId: 'int_nope', secret, body })).status).toBe(404);
  });

  it('after rotating the secret, the old and the new one both verify', async () => {
    const { integrationId, secret: oldSecret } = await newIntegration();
    const rotated = await owner.request('POST', `/integrations/${integrationId}/rotate-secret`);
    expect(rotated.status).toBe(200);
    const newSecret: string = rotated.body.secret;
    expect(newSecret).not.toBe(oldSecret);
    expect(rotated.body.integration.secretRotation.previousSecretValidUntil).toBeDefined();
    const body = () => event('booking.created', `R-${randomUUID()}`, new Date());
    expect((await send({ integrationId, secret: oldSecret, body: body() })).status).toBe(202);
    expect((await send({ integrationId, secret: newSecret, body: body() })).status).toBe(202);
  });

  it('lists, reads and removes integrations; a removed one answers its webhook 404', async () => {
    const { integrationId, secret } = await newIntegration();
    const listed = await owner.request('GET', '/integrations');
    expect(listed.body.items.map((item: { id: string }) => item.id)).toContain(integrationId);
    const read = await owner.request('GET', `/integrations/${integrationId}`);
    expect(read.body).toMatchObject({ id: integrationId, webhookPath: `/webhooks/${integrationId}` });
    expect(JSON.stringify(read.body)).not.toContain(secret.slice(6));
    expect((await owner.request('DELETE', `/integrations/${integrationId}`)).status).toBe(204);
    const body = event('booking.created', `R-${randomUUID()}`, new Date());
    expect((await send({ integrationId, secret, body })).status).toBe(404);
  });
});
