/**
 * Deliveries that meet: two sources of one stay creating it at once, and two deliveries of one reservation
 * applied at once. A booking change commits with the reservation's record and, for a new booking, the claim
 * of its channel code; whoever commits second decides again against what the first did, within the same run,
 * instead of failing it and waiting for the scheduler's retry.
 */
import { describe, expect, it } from 'vitest';
import { cancelBooking } from '#shared/domain/operations/bookings.ts';
import type { ChangeSet } from '#shared/domain/ports/change-set.ts';
import {
  type IntegrationServices,
  maxApplyAttempts,
  processDelivery,
} from '#shared/integrations/deliveries.ts';
import { pollFeed } from '#shared/integrations/feeds.ts';
import { member } from '../domain/fakes.ts';
import { fixtureText } from './fixtures.ts';
import {
  addAirbnbCalendar,
  type IntegrationWorld,
  integrationWorldWithLoft,
  loftBookingsArrivingOn,
} from './integration-fakes.ts';
import { basic, type HostawayBody, hostaway, hostawayIntegration, post } from './receiver-harness.ts';

const owner = member({ role: 'owner' });
const hostawayGuest = { name: 'Ana Souza', email: 'ana.souza.8807335190@guest.airbnb.com' };

const setUp = () =>
  integrationWorldWithLoft({
    now: '2026-10-01T09:00:00.000Z',
    fetch: async () =>
      new Response(fixtureText('airbnb.ics'), { headers: { 'content-type': 'text/calendar' } }),
  });

/** Posts Hostaway deliveries to the receiver; answers their delivery tasks' payloads, not yet run. */
async function acceptHostaway(world: IntegrationWorld, bodies: readonly HostawayBody[]) {
  const { integrationId, credentials } = await hostawayIntegration(world);
  const payloads: { tenantId: string; integrationId: string; deliveryId: string }[] = [];
  for (const body of bodies) {
    const answer = await post({
      world,
      integrationId,
      body: JSON.stringify(body),
      headers: { authorization: basic(credentials) },
    });
    expect(answer.statusCode).toBe(202);
    for (const task of world.scheduler.take()) {
      payloads.push(task.payload as { tenantId: string; integrationId: string; deliveryId: string });
    }
  }
  return payloads;
}

const bookingCommits = (world: IntegrationWorld) =>
  world.store.commits.filter((changes: ChangeSet) =>
    changes.writes.some((write) => write.entity === 'booking' && write.op === 'create'),
  );

/** Answers nothing the first time it is asked: what a source read just before the other one committed. */
function blindOnce<T extends object>(target: T, method: keyof T): T {
  let blind = true;
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver);
      if (property !== method || typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (blind) {
          blind = false;
          return undefined;
        }
        return value.apply(object, args);
      };
    },
  });
}

const movedStay = hostaway((body) => {
  body.event = 'reservation.updated';
  Object.assign(body.data, {
    status: 'modified',
    departureDate: '2026-10-28',
    updatedOn: '2026-09-20 08:00:00',
  });
});

describe('Two sources creating one stay at once', () => {
  it('the calendar, having missed Hostaway’s booking, loses the code’s claim and joins that booking', async () => {
    const world = setUp();
    const [created] = await acceptHostaway(world, [hostaway()]);
    if (!created) throw new Error('The delivery was scheduled');
    await processDelivery({ services: world.services, ...created });
    const [fromHostaway] = await loftBookingsArrivingOn(world, '2026-10-24');
    const feedId = await addAirbnbCalendar(world);
    // The feed's import looks for the stay before Hostaway's booking is there, by code and by dates.
    const services: IntegrationServices = {
      ...world.services,
      channelCodes: blindOnce(world.services.channelCodes, 'findBooking'),
      ports: { ...world.services.ports, bookings: blindOnce(world.ports.bookings, 'findNextArrival') },
    };

    const polled = await pollFeed({
      services,
      outbound: world.services.outbound,
      tenantId: 'tnt_a',
      integrationId: feedId,
    });

    const stays = await loftBookingsArrivingOn(world, '2026-10-24');
    expect(stays).toHaveLength(1);
    expect(stays[0]).toMatchObject({ id: fromHostaway?.id, source: 'webhook', guest: hostawayGuest });
    const uid = polled?.integration.feed?.snapshot.find((stay) => stay.arrivalDate === '2026-10-24')?.uid;
    const record = await world.integrationStore.getReservation({
      tenantId: 'tnt_a',
      source: 'ical',
      reservationId: uid ?? '',
    });
    expect(record).toMatchObject({ booking: 'confirmed', bookingId: fromHostaway?.id });
  });

  it('a code still naming a cancelled booking passes to the stay’s new booking', async () => {
    const world = setUp();
    const [created] = await acceptHostaway(world, [hostaway()]);
    if (!created) throw new Error('The delivery was scheduled');
    await processDelivery({ services: world.services, ...created });
    const [cancelled] = await loftBookingsArrivingOn(world, '2026-10-24');
    await cancelBooking({ ports: world.ports, principal: owner, bookingId: cancelled?.id ?? '' });

    await pollFeed({
      services: world.services,
      outbound: world.services.outbound,
      tenantId: 'tnt_a',
      integrationId: await addAirbnbCalendar(world),
    });

    const stays = await loftBookingsArrivingOn(world, '2026-10-24');
    const rebooked = stays.find((stay) => stay.status === 'confirmed');
    expect(stays.map((stay) => stay.status).sort()).toEqual(['cancelled', 'confirmed']);
    expect(rebooked?.source).toBe('ical');
    expect(
      await world.services.channelCodes.findBooking({
        tenantId: 'tnt_a',
        channel: 'airbnb',
        code: 'HMQ4X2ZB8N',
      }),
    ).toBe(rebooked?.id);
  });
});

describe('Two deliveries of one reservation applied at once', () => {
  for (const order of ['created first', 'update first'] as const) {
    it(`both settle on their first run and the booking ends in the newer state (${order})`, async () => {
      const world = setUp();
      const bodies = order === 'created first' ? [hostaway(), movedStay] : [movedStay, hostaway()];
      const payloads = await acceptHostaway(world, bodies);

      const settled = await Promise.all(
        payloads.map((payload) => processDelivery({ services: world.services, ...payload })),
      );

      expect(settled).toEqual(['processed', 'processed']);
      for (const payload of payloads) {
        expect((await world.integrationStore.getDelivery(payload))?.attempts).toBeUndefined();
      }
      const stays = await loftBookingsArrivingOn(world, '2026-10-24');
      expect(stays).toHaveLength(1);
      expect(stays[0]?.departureDate).toBe('2026-10-28');
      expect(bookingCommits(world)).toHaveLength(1);
    });
  }

  it('gives up after a bounded number of attempts when every commit meets another, and is retried later', async () => {
    const world = setUp();
    const [created] = await acceptHostaway(world, [hostaway()]);
    if (!created) throw new Error('The delivery was scheduled');
    let commits = 0;
    const services: IntegrationServices = {
      ...world.services,
      reservations: {
        committerFor: () => ({
          commit: async () => {
            commits += 1;
            return { ok: false, conflict: { kind: 'stale', entity: 'booking', id: 'bkg_other' } };
          },
        }),
      },
    };

    await expect(processDelivery({ services, ...created })).rejects.toThrow(/changed meanwhile/);

    expect(commits).toBe(maxApplyAttempts);
    expect(await world.integrationStore.getDelivery(created)).toMatchObject({
      status: 'pending',
      attempts: 1,
    });
    expect(await loftBookingsArrivingOn(world, '2026-10-24')).toEqual([]);
  });
});
