import { describe, expect, it } from 'vitest';
import { InvalidInputError, NotFoundError, NotPermittedError } from '#shared/domain/errors.ts';
import { acceptGenericWebhook } from '#shared/integrations/deliveries.ts';
import type { GenericWebhookEventInput } from '#shared/integrations/generic-webhook.ts';
import { createIntegration, rotateIntegrationSecret } from '#shared/integrations/manage.ts';
import { signedWebhookHeaders, WebhookSignatureError } from '#shared/integrations/webhook-signature.ts';
import { member } from '../domain/fakes.ts';
import {
  type IntegrationWorld,
  integrationWorld,
  integrationWorldWithLoft,
  loftBookings,
  runScheduledDeliveries,
} from './integration-fakes.ts';

const owner = member({ role: 'owner' });

async function setUp() {
  const world = integrationWorldWithLoft();
  const created = await createIntegration({
    services: world.services,
    principal: owner,
    input: { kind: 'lockstay-webhook', name: 'PMS', listings: { 'villa-7': 'prp_loft' } },
  });
  if (created.secret === undefined) throw new Error('A webhook integration has a secret');
  const { secret } = created;
  const integrationId = created.integration.id;
  /** Delivers `body` to this integration, signed with its secret as the sender would. */
  const deliverSigned = (webhookId: string, body: unknown) =>
    deliver({ world, integrationId, secret, body, webhookId });
  return { world, integrationId, secret, deliverSigned };
}

const created = (occurredAt: string, overrides: Record<string, unknown> = {}): GenericWebhookEventInput => ({
  type: 'booking.created',
  version: 1,
  occurredAt,
  data: {
    reservationId: 'R-1042',
    propertyExternalId: 'villa-7',
    guest: { name: 'Ana Souza', email: 'ana@example.com' },
    arrivalDate: '2026-10-24',
    departureDate: '2026-10-27',
    ...overrides,
  },
});

const cancelled = (occurredAt: string): GenericWebhookEventInput => ({
  type: 'booking.cancelled',
  version: 1,
  occurredAt,
  data: { reservationId: 'R-1042', propertyExternalId: 'villa-7' },
});

async function deliver({
  world,
  integrationId,
  secret,
  body,
  webhookId,
}: {
  world: IntegrationWorld;
  integrationId: string;
  secret: string;
  body: unknown;
  webhookId: string;
}) {
  const rawBody = typeof body === 'string' ? body : JSON.stringify(body);
  const headers = signedWebhookHeaders({ secret, webhookId, sentAt: world.clock.now(), rawBody });
  return acceptGenericWebhook({ services: world.services, integrationId, headers, rawBody });
}

describe('Managing webhook integrations', () => {
  it('shows the secret once and stores it only sealed', async () => {
    const { world, integrationId, secret } = await setUp();
    expect(secret).toMatch(/^whsec_/);
    const stored = world.integrationStore.integrations.get(integrationId);
    expect(JSON.stringify(stored)).not.toContain(secret.slice(6));
  });

  it('is for owners only', async () => {
    const world = integrationWorld();
    await expect(
      createIntegration({
        services: world.services,
        principal: member({ role: 'manager' }),
        input: { kind: 'lockstay-webhook', name: 'PMS' },
      }),
    ).rejects.toBeInstanceOf(NotPermittedError);
  });

  it('refuses a listing mapped to a property the tenant does not have', async () => {
    const world = integrationWorld();
    await expect(
      createIntegration({
        services: world.services,
        principal: owner,
        input: { kind: 'lockstay-webhook', name: 'PMS', listings: { x: 'prp_elsewhere' } },
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('after a rotation, both the old and the new secret verify until the grace period ends', async () => {
    const { world, integrationId, secret: oldSecret } = await setUp();
    const { secret: newSecret } = await rotateIntegrationSecret({
      services: world.services,
      principal: owner,
      integrationId,
    });
    const body = created('2026-10-01T08:00:00Z');
    await expect(
      deliver({ world, integrationId, secret: oldSecret, body, webhookId: 'msg_old' }),
    ).resolves.toEqual({
      deliveryId: 'msg_old',
      firstDelivery: true,
    });
    await expect(
      deliver({ world, integrationId, secret: newSecret ?? '', body, webhookId: 'msg_new' }),
    ).resolves.toEqual({
      deliveryId: 'msg_new',
      firstDelivery: true,
    });
    world.clock.advanceMinutes(25 * 60);
    await expect(
      deliver({ world, integrationId, secret: oldSecret, body, webhookId: 'msg_late' }),
    ).rejects.toBeInstanceOf(WebhookSignatureError);
  });
});

describe('Receiving the generic booking webhook', () => {
  it('accepts a signed booking.created, and processing it creates the booking with its grant', async () => {
    const { world, deliverSigned } = await setUp();
    const accepted = await deliverSigned('msg_1', created('2026-10-01T08:00:00Z'));
    expect(accepted.firstDelivery).toBe(true);
    expect(world.scheduler.tasks.size).toBe(1);
    await runScheduledDeliveries(world);
    const [booking, ...others] = await loftBookings(world);
    expect(others).toEqual([]);
    expect(booking).toMatchObject({ source: 'webhook', sourceReservationId: 'R-1042', status: 'confirmed' });
    const grant = await world.ports.grants.get({ tenantId: 'tnt_a', grantId: booking?.grantId ?? '' });
    expect(grant?.lockIds).toEqual(['lck_door']);
  });

  it('processes the same webhook-id once, however often it comes', async () => {
    const { world, deliverSigned } = await setUp();
    const body = created('2026-10-01T08:00:00Z');
    await deliverSigned('msg_1', body);
    await runScheduledDeliveries(world);
    const again = await deliverSigned('msg_1', body);
    expect(again.firstDelivery).toBe(false);
    expect(world.scheduler.tasks.size).toBe(0);
    expect(await loftBookings(world)).toHaveLength(1);
  });

  it('a cancellation that overtakes its creation leaves no booking', async () => {
    const { world, deliverSigned } = await setUp();
    await deliverSigned('msg_2', cancelled('2026-10-01T08:30:00Z'));
    await runScheduledDeliveries(world);
    await deliverSigned('msg_1', created('2026-10-01T08:00:00Z'));
    await runScheduledDeliveries(world);
    expect(await loftBookings(world)).toEqual([]);
  });

  it('an update after the creation moves the booking; an older one arriving late changes nothing', async () => {
    const { world, deliverSigned } = await setUp();
    await deliverSigned('msg_1', created('2026-10-01T08:00:00Z'));
    await runScheduledDeliveries(world);
    const update = {
      ...created('2026-10-01T08:40:00Z', { departureDate: '2026-10-28' }),
      type: 'booking.updated',
    };
    await deliverSigned('msg_3', update);
    await runScheduledDeliveries(world);
    const stale = {
      ...created('2026-10-01T08:20:00Z', { departureDate: '2026-10-26' }),
      type: 'booking.updated',
    };
    await deliverSigned('msg_2', stale);
    await runScheduledDeliveries(world);
    const [booking] = await loftBookings(world);
    expect(booking?.departureDate).toBe('2026-10-28');
  });

  it('cancelling a live booking revokes its grant', async () => {
    const { world, deliverSigned } = await setUp();
    await deliverSigned('msg_1', created('2026-10-01T08:00:00Z'));
    await deliverSigned('msg_2', cancelled('2026-10-01T08:30:00Z'));
    await runScheduledDeliveries(world);
    const [booking] = await loftBookings(world);
    expect(booking?.status).toBe('cancelled');
    const grant = await world.ports.grants.get({ tenantId: 'tnt_a', grantId: booking?.grantId ?? '' });
    expect(grant?.revocation).toBeDefined();
  });

  it('settles an event for an unmapped listing as failed instead of retrying it', async () => {
    const { world, deliverSigned } = await setUp();
    const body = created('2026-10-01T08:00:00Z', { propertyExternalId: 'unknown' });
    await deliverSigned('msg_1', body);
    await runScheduledDeliveries(world);
    const [delivery] = world.integrationStore.deliveries.values();
    expect(delivery).toMatchObject({ status: 'failed' });
    expect(await loftBookings(world)).toEqual([]);
  });

  describe('refuses, storing nothing', () => {
    it('a bad signature', async () => {
      const { world, integrationId } = await setUp();
      const other = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
      await expect(
        deliver({
          world,
          integrationId,
          secret: other,
          body: created('2026-10-01T08:00:00Z'),
          webhookId: 'm',
        }),
      ).rejects.toMatchObject({ reason: 'bad-signature' });
      expect(world.integrationStore.deliveries.size).toBe(0);
    });

    it('a stale timestamp', async () => {
      const { world, integrationId, secret } = await setUp();
      const rawBody = JSON.stringify(created('2026-10-01T08:00:00Z'));
      const sentAt = new Date(world.clock.now().getTime() - 6 * 60_000);
      const headers = signedWebhookHeaders({ secret, webhookId: 'm', sentAt, rawBody });
      await expect(
        acceptGenericWebhook({ services: world.services, integrationId, headers, rawBody }),
      ).rejects.toMatchObject({ reason: 'stale-timestamp' });
      expect(world.integrationStore.deliveries.size).toBe(0);
    });

    it('a body that is not JSON, or not a booking event', async () => {
      const { world, deliverSigned } = await setUp();
      await expect(deliverSigned('m1', '{nope')).rejects.toBeInstanceOf(InvalidInputError);
      await expect(deliverSigned('m2', { type: 'booking.created' })).rejects.toBeInstanceOf(
        InvalidInputError,
      );
      expect(world.integrationStore.deliveries.size).toBe(0);
    });

    it('an unknown integration', async () => {
      const { world, secret } = await setUp();
      await expect(
        deliver({
          world,
          integrationId: 'int_nope',
          secret,
          body: created('2026-10-01T08:00:00Z'),
          webhookId: 'm',
        }),
      ).rejects.toBeInstanceOf(NotFoundError);
    });
  });
});
