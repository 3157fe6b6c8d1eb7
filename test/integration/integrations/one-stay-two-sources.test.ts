/**
 * One stay through two sources at the same instant, on DynamoDB Local: the Airbnb calendar's import and
 * Hostaway's webhook for the same reservation (Airbnb's HM code) processed side by side end as exactly one
 * booking, with the guest details of the richer source, because the channel code is claimed in the
 * transaction that creates the booking and the source that loses the claim joins the winner's booking. Two
 * deliveries of one reservation processed side by side both settle on their first run, in the newest state.
 * Each round runs in a tenant of its own.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { cryptoRandomSource } from '#shared/adapters/crypto-random-source.ts';
import { createAesGcmSealer } from '#shared/adapters/device-key-vault.ts';
import {
  createChannelCodeIndex,
  createIntegrationStore,
  createReservationCommits,
} from '#shared/adapters/dynamo/integrations.ts';
import { createDynamoTable } from '#shared/adapters/dynamo/table.ts';
import { randomIdGenerator } from '#shared/adapters/random-id-generator.ts';
import { registerLock } from '#shared/domain/operations/locks.ts';
import { createProperty } from '#shared/domain/operations/properties.ts';
import { acceptWebhook, type IntegrationServices, processDelivery } from '#shared/integrations/deliveries.ts';
import { type FeedOutbound, pollFeed } from '#shared/integrations/feeds.ts';
import { createIntegration } from '#shared/integrations/manage.ts';
import { member } from '../../unit/domain/fakes.ts';
import { fixtureText } from '../../unit/integrations/fixtures.ts';
import { RecordingScheduler } from '../../unit/integrations/integration-fakes.ts';
import { basic, hostaway } from '../../unit/integrations/receiver-harness.ts';
import {
  createDynamoStorage,
  dynamoWorld,
  localDocumentClient,
  newTenantId,
} from '../storage/dynamo-world.ts';

const endpoints = inject('endpoints');
const client = localDocumentClient(endpoints);
const storage = createDynamoStorage({ client, tableName: endpoints.tableName });
const table = createDynamoTable({ client, tableName: endpoints.tableName });

const rounds = 6;
const hostawayGuest = { name: 'Ana Souza', email: 'ana.souza.8807335190@guest.airbnb.com' };

/** A tenant with the loft, its lock, the loft's Airbnb calendar and a Hostaway account mapping the loft. */
async function tenantWithTwoSources() {
  const tenantId = newTenantId();
  const owner = member({ role: 'owner', tenantId });
  const world = dynamoWorld({ storage });
  // Webhook paths are looked up without a tenant: ids must be unique across tenants, as in production.
  const ports = { ...world.ports, random: cryptoRandomSource, ids: randomIdGenerator };
  const scheduler = new RecordingScheduler();
  const outbound: FeedOutbound = {
    resolver: { resolve: async () => ['93.184.216.34'] },
    allowLoopback: false,
    fetch: async () =>
      new Response(fixtureText('airbnb.ics'), { headers: { 'content-type': 'text/calendar' } }),
  };
  const services: IntegrationServices = {
    ports,
    store: createIntegrationStore({ table }),
    sealer: createAesGcmSealer({ key: randomBytes(32) }),
    tasks: scheduler,
    channelCodes: createChannelCodeIndex({ table }),
    reservations: createReservationCommits({ table }),
  };
  const { property } = await createProperty({
    ports,
    principal: owner,
    input: {
      name: 'Sunny loft',
      address: { line1: 'Kastanienallee 1', city: 'Berlin', countryCode: 'DE' },
      timeZone: 'Europe/Berlin',
    },
  });
  await registerLock({
    ports,
    principal: owner,
    input: { propertyId: property.id, name: 'Front door', connectivity: 'wifi' },
  });
  const feed = await createIntegration({
    services: { ...services, outbound },
    principal: owner,
    input: {
      kind: 'ical',
      name: 'Airbnb calendar',
      propertyId: property.id,
      url: 'https://www.airbnb.com/calendar/ical/1.ics',
    },
  });
  const channelManager = await createIntegration({
    services,
    principal: owner,
    input: { kind: 'hostaway', name: 'Hostaway', listings: { '218666': property.id } },
  });
  scheduler.take();
  if (!channelManager.credentials) throw new Error('A Hostaway integration is given Basic credentials');
  return {
    tenantId,
    propertyId: property.id,
    services,
    outbound,
    scheduler,
    feedId: feed.integration.id,
    hostawayId: channelManager.integration.id,
    authorization: basic(channelManager.credentials),
  };
}

type Tenant = Awaited<ReturnType<typeof tenantWithTwoSources>>;

/** Accepts a Hostaway delivery as the receiver does; answers its delivery task's payload. */
async function acceptHostaway(tenant: Tenant, body = hostaway()) {
  await acceptWebhook({
    services: tenant.services,
    integrationId: tenant.hostawayId,
    headers: { authorization: tenant.authorization },
    rawBody: JSON.stringify(body),
  });
  const [task] = tenant.scheduler.take();
  if (!task) throw new Error('An accepted delivery is scheduled');
  return task.payload as { tenantId: string; integrationId: string; deliveryId: string };
}

async function staysArrivingOn(tenant: Tenant, arrivalDate: string) {
  const page = await tenant.services.ports.bookings.listByProperty({
    tenantId: tenant.tenantId,
    propertyId: tenant.propertyId,
    page: { limit: 50 },
  });
  return page.items.filter((booking) => booking.arrivalDate === arrivalDate);
}

describe('One stay through the Airbnb calendar and Hostaway at the same instant', () => {
  it('ends as exactly one booking with Hostaway’s guest, however the two commits meet', async () => {
    for (let round = 1; round <= rounds; round += 1) {
      const tenant = await tenantWithTwoSources();
      const delivery = await acceptHostaway(tenant);

      const [polled, processed] = await Promise.all([
        pollFeed({
          services: tenant.services,
          outbound: tenant.outbound,
          tenantId: tenant.tenantId,
          integrationId: tenant.feedId,
        }),
        processDelivery({ services: tenant.services, ...delivery }),
      ]);

      expect(processed, `round ${round}`).toBe('processed');
      expect(polled?.integration.feed?.health?.status, `round ${round}`).toBe('healthy');
      const stays = await staysArrivingOn(tenant, '2026-10-24');
      expect(stays, `round ${round}`).toHaveLength(1);
      expect(stays[0], `round ${round}`).toMatchObject({ status: 'confirmed', guest: hostawayGuest });
      // Both sources' records name that booking: later changes from either reach it.
      const fromWebhook = await tenant.services.store.getReservation({
        tenantId: tenant.tenantId,
        source: 'hostaway',
        reservationId: '48464658',
      });
      const feedRecords = await Promise.all(
        (polled?.integration.feed?.snapshot ?? []).map((reservation) =>
          tenant.services.store.getReservation({
            tenantId: tenant.tenantId,
            source: 'ical',
            reservationId: reservation.uid,
          }),
        ),
      );
      expect(fromWebhook?.bookingId, `round ${round}`).toBe(stays[0]?.id);
      expect(
        feedRecords.filter((record) => record?.bookingId === stays[0]?.id),
        `round ${round}`,
      ).toHaveLength(1);
    }
  }, 240_000);
});

describe('Two deliveries of one reservation at the same instant', () => {
  it('both settle on their first run, and the booking ends in the newer state', async () => {
    for (let round = 1; round <= rounds; round += 1) {
      const tenant = await tenantWithTwoSources();
      const created = await acceptHostaway(tenant);
      const moved = await acceptHostaway(
        tenant,
        hostaway((body) => {
          Object.assign(body, { event: 'reservation.updated' });
          Object.assign(body.data, {
            status: 'modified',
            departureDate: '2026-10-28',
            updatedOn: '2026-09-20 08:00:00',
          });
        }),
      );

      const settled = await Promise.all(
        [created, moved].map((payload) => processDelivery({ services: tenant.services, ...payload })),
      );

      expect(settled, `round ${round}`).toEqual(['processed', 'processed']);
      for (const payload of [created, moved]) {
        const delivery = await tenant.services.store.getDelivery(payload);
        expect(delivery?.attempts, `round ${round}`).toBeUndefined();
      }
      const stays = await staysArrivingOn(tenant, '2026-10-24');
      expect(stays, `round ${round}`).toHaveLength(1);
      expect(stays[0]?.departureDate, `round ${round}`).toBe('2026-10-28');
    }
  }, 240_000);
});
