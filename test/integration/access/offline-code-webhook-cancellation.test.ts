/**
 * A booking integration cancels a stay whose guest holds a Bluetooth lock's offline code, on the running local
 * cloud: nobody reads an API answer there, so the owners are told by the audit log's alert (and by email) that
 * the code still opens the lock until its window ends.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { signedWebhookHeaders } from '#shared/integrations/webhook-signature.ts';
import { eventually } from '../../support/eventually.ts';
import { createMember, type HostApiClient, hostApiClient, idTokenOf } from '../../support/hosts.ts';

const endpoints = inject('endpoints');
const tenantId = `tnt-ofc-hook-${randomUUID().slice(0, 8)}`;
const listing = `cabin-${randomUUID().slice(0, 8)}`;
let owner: HostApiClient;

const berlinDate = (offsetDays: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(
    new Date(Date.now() + offsetDays * 86_400_000),
  );

async function send({
  integrationId,
  secret,
  body,
}: {
  integrationId: string;
  secret: string;
  body: unknown;
}) {
  const rawBody = JSON.stringify(body);
  const response = await fetch(`${endpoints.api}/webhooks/${integrationId}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...signedWebhookHeaders({ secret, webhookId: `msg_${randomUUID()}`, sentAt: new Date(), rawBody }),
    },
    body: rawBody,
  });
  return response.status;
}

beforeAll(async () => {
  owner = hostApiClient(
    endpoints,
    await idTokenOf(endpoints, await createMember({ endpoints, tenantId, role: 'owner' })),
  );
}, 60_000);

describe('a channel’s cancellation of a stay with a Bluetooth offline code', () => {
  it('alerts the owners in the audit log that the code still opens the lock, and until when', async () => {
    const property = await owner.request('POST', '/properties', {
      body: {
        name: `Hook cabin ${tenantId}`,
        address: { line1: 'Seeweg 2', city: 'Berlin', countryCode: 'DE' },
        timeZone: 'Europe/Berlin',
      },
    });
    expect(property.status).toBe(201);
    const lock = await owner.request('POST', '/locks', {
      body: { propertyId: property.body.id, name: 'Lake door', connectivity: 'bluetooth' },
    });
    expect(lock.status).toBe(201);
    const lockId = lock.body.lock.id as string;
    const integration = await owner.request('POST', '/integrations', {
      body: { kind: 'lockstay-webhook', name: 'PMS', listings: { [listing]: property.body.id } },
    });
    expect(integration.status).toBe(201);
    const { id: integrationId } = integration.body.integration;
    const { secret } = integration.body;
    const reservationId = `R-${randomUUID()}`;

    const created = await send({
      integrationId,
      secret,
      body: {
        type: 'booking.created',
        version: 1,
        occurredAt: new Date().toISOString(),
        data: {
          reservationId,
          propertyExternalId: listing,
          guest: { name: 'Ana Souza', email: 'ana@example.com' },
          arrivalDate: berlinDate(2),
          departureDate: berlinDate(4),
        },
      },
    });
    expect(created).toBe(202);
    const booking = await eventually(
      async () =>
        (
          (await owner.request('GET', '/bookings', { query: { propertyId: property.body.id } })).body
            ?.items as { id: string; grantId: string; sourceReservationId?: string }[] | undefined
        )?.find((each) => each.sourceReservationId === reservationId),
      (found) => found !== undefined,
    );
    if (booking === undefined) throw new Error('The webhook made no booking');
    const view = await eventually(
      async () => (await owner.request('GET', `/grants/${booking.grantId}`)).body,
      (body) => (body?.offlineCodes ?? []).length > 0,
    );
    const validUntil = view.offlineCodes[0]?.validUntil as string;

    const cancelled = await send({
      integrationId,
      secret,
      body: {
        type: 'booking.cancelled',
        version: 1,
        occurredAt: new Date(Date.now() + 1_000).toISOString(),
        data: { reservationId, propertyExternalId: listing },
      },
    });
    expect(cancelled).toBe(202);

    const audit = await eventually(
      async () => (await owner.request('GET', '/audit', { query: { lockId, limit: '100' } })).body,
      (body) =>
        (body?.items ?? []).some(
          (event: { action: string }) => event.action === 'alert.offline-code-still-valid',
        ),
    );
    const alert = audit.items.find(
      (event: { action: string }) => event.action === 'alert.offline-code-still-valid',
    );
    expect(alert?.details).toMatchObject({ grantId: booking.grantId, change: 'cancelled', validUntil });
    expect(alert?.actor).toMatchObject({ kind: 'integration', integrationId });
  }, 120_000);
});
