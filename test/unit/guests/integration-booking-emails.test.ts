import { describe, expect, it } from 'vitest';
import { createGuestEmailWork, guestEmailTaskType } from '#shared/guests/guest-email.ts';
import {
  acceptWebhook,
  deliveryTaskType,
  type IntegrationServices,
  processDelivery,
} from '#shared/integrations/deliveries.ts';
import { createIntegration } from '#shared/integrations/manage.ts';
import { signedWebhookHeaders } from '#shared/integrations/webhook-signature.ts';
import { member, RecordingTasks } from '../domain/fakes.ts';
import { integrationWorldWithLoft } from '../integrations/integration-fakes.ts';
import { InMemoryGuestEmailLog } from './guest-email-fakes.ts';

const owner = member({ role: 'owner' });

/** A webhook integration whose booking changes schedule guest emails as the platform wires them. */
async function setUp() {
  const world = integrationWorldWithLoft();
  const emails = new RecordingTasks();
  const work = createGuestEmailWork({
    tasks: emails,
    ports: { ...world.ports, sends: new InMemoryGuestEmailLog() },
  });
  const services: IntegrationServices = {
    ...world.services,
    afterBookingChange: ({ change, result }) => work.afterBookingChange({ booking: result.booking, change }),
  };

  const created = await createIntegration({
    services,
    principal: owner,
    input: { kind: 'lockstay-webhook', name: 'PMS', listings: { 'villa-7': 'prp_loft' } },
  });
  if (created.secret === undefined) throw new Error('A webhook integration has a secret');
  const { secret } = created;
  const integrationId = created.integration.id;

  async function deliver(webhookId: string, body: unknown) {
    const rawBody = JSON.stringify(body);
    const headers = signedWebhookHeaders({ secret, webhookId, sentAt: world.clock.now(), rawBody });
    await acceptWebhook({ services, integrationId, headers, rawBody });
    for (const task of world.scheduler.take()) {
      if (task.type !== deliveryTaskType) continue;
      const payload = task.payload as Record<string, string>;
      await processDelivery({
        services,
        tenantId: payload.tenantId ?? '',
        integrationId: payload.integrationId ?? '',
        deliveryId: payload.deliveryId ?? '',
      });
    }
  }
  return { world, emails, deliver };
}

const stay = (type: string, occurredAt: string, data: Record<string, unknown> = {}) => ({
  type,
  version: 1,
  occurredAt,
  data: {
    reservationId: 'R-1042',
    propertyExternalId: 'villa-7',
    guest: { name: 'Ana Souza', email: 'ana@example.com' },
    arrivalDate: '2026-10-24',
    departureDate: '2026-10-27',
    ...data,
  },
});

describe('guest emails of bookings from a channel', () => {
  it("schedules the access email of a webhook's booking, moves it with the stay, and drops it on cancellation", async () => {
    const { world, emails, deliver } = await setUp();

    await deliver('msg_1', stay('booking.created', '2026-10-01T08:00:00Z'));
    const [booking] = (
      await world.ports.bookings.listByProperty({
        tenantId: 'tnt_a',
        propertyId: 'prp_loft',
        page: { limit: 5 },
      })
    ).items;
    const taskId = `guest-email-${booking?.id}`;
    expect(emails.scheduled.get(taskId)).toMatchObject({
      type: guestEmailTaskType,
      runAt: new Date('2026-10-22T13:00:00.000Z'),
      payload: { bookingId: booking?.id, reason: 'access' },
    });

    await deliver('msg_2', stay('booking.updated', '2026-10-01T08:05:00Z', { arrivalDate: '2026-10-25' }));
    // 48 hours before 25 Oct 15:00 in Berlin, which is on winter time by then.
    expect(emails.scheduled.get(taskId)?.runAt).toEqual(new Date('2026-10-23T14:00:00.000Z'));

    await deliver('msg_3', {
      type: 'booking.cancelled',
      version: 1,
      occurredAt: '2026-10-01T08:10:00Z',
      data: { reservationId: 'R-1042', propertyExternalId: 'villa-7' },
    });
    expect(emails.scheduled.has(taskId)).toBe(false);
    expect(emails.cancelled).toEqual([taskId]);
  });
});
