/**
 * One stay seen through the listing's Airbnb calendar and through Hostaway is one booking, whichever arrives
 * first; the guest's details come from the richer source (Hostaway has the email, the feed only "Airbnb guest").
 */
import { describe, expect, it } from 'vitest';
import { processDelivery } from '#shared/integrations/deliveries.ts';
import { pollFeed } from '#shared/integrations/feeds.ts';
import { fixtureText } from './fixtures.ts';
import {
  addAirbnbCalendar,
  type FeedWorld,
  type IntegrationWorld,
  integrationWorldWithLoft,
  loftBookingsArrivingOn,
} from './integration-fakes.ts';
import { basic, hostaway, hostawayIntegration, post } from './receiver-harness.ts';

const setUp = ({ calendar }: { calendar: () => string }) =>
  integrationWorldWithLoft({
    now: '2026-10-01T09:00:00.000Z',
    fetch: async () => new Response(calendar(), { headers: { 'content-type': 'text/calendar' } }),
  });

async function poll(world: FeedWorld, integrationId: string) {
  const { services } = world;
  await pollFeed({ services, outbound: services.outbound, tenantId: 'tnt_a', integrationId });
}

async function deliverHostaway(world: IntegrationWorld, body = hostaway()) {
  const { integrationId, credentials } = await hostawayIntegration(world);
  const answer = await post({
    world,
    integrationId,
    body: JSON.stringify(body),
    headers: { authorization: basic(credentials) },
  });
  expect(answer.statusCode).toBe(202);
  for (const task of world.scheduler.take()) {
    const payload = task.payload as { tenantId: string; integrationId: string; deliveryId: string };
    await processDelivery({ services: world.services, ...payload });
  }
}

const hostawayGuest = { name: 'Ana Souza', email: 'ana.souza.8807335190@guest.airbnb.com' };

describe('One stay through an Airbnb calendar and Hostaway', () => {
  it('calendar first: Hostaway joins the feed’s booking (by the HM code) and brings the guest’s details', async () => {
    const world = setUp({ calendar: () => fixtureText('airbnb.ics') });
    const feedId = await addAirbnbCalendar(world);
    await poll(world, feedId);
    const [fromFeed] = await loftBookingsArrivingOn(world, '2026-10-24');
    expect(fromFeed?.guest.email).toBeUndefined();

    await deliverHostaway(world);

    const stays = await loftBookingsArrivingOn(world, '2026-10-24');
    expect(stays).toHaveLength(1);
    expect(stays[0]).toMatchObject({ id: fromFeed?.id, status: 'confirmed', guest: hostawayGuest });
    expect(stays[0]?.checkInTime).toBe('16:00');
  });

  it('Hostaway first: the calendar joins its booking and leaves the richer guest details alone', async () => {
    const world = setUp({ calendar: () => fixtureText('airbnb.ics') });
    await deliverHostaway(world);
    const feedId = await addAirbnbCalendar(world);

    await poll(world, feedId);

    const stays = await loftBookingsArrivingOn(world, '2026-10-24');
    expect(stays).toHaveLength(1);
    expect(stays[0]).toMatchObject({ source: 'webhook', guest: hostawayGuest, checkInTime: '16:00' });
  });

  it('a later change in the calendar moves the dates but keeps the guest the richer source gave', async () => {
    let calendar = fixtureText('airbnb.ics');
    const world = setUp({ calendar: () => calendar });
    const feedId = await addAirbnbCalendar(world);
    await poll(world, feedId);
    await deliverHostaway(world);

    calendar = calendar.replace('DTEND;VALUE=DATE:20261027', 'DTEND;VALUE=DATE:20261028');
    await poll(world, feedId);

    const stays = await loftBookingsArrivingOn(world, '2026-10-24');
    expect(stays).toHaveLength(1);
    expect(stays[0]).toMatchObject({ departureDate: '2026-10-28', guest: hostawayGuest });
  });

  it('without a code, the same property and dates are the same stay', async () => {
    const world = setUp({ calendar: () => fixtureText('airbnb.ics').replaceAll(/HM[A-Z0-9]{8}/g, '') });
    const feedId = await addAirbnbCalendar(world);
    await poll(world, feedId);

    await deliverHostaway(
      world,
      hostaway((body) => {
        body.data.confirmationCode = null;
        body.data.channelReservationId = null;
      }),
    );

    expect(await loftBookingsArrivingOn(world, '2026-10-24')).toEqual([
      expect.objectContaining({ source: 'ical', guest: expect.objectContaining(hostawayGuest) }),
    ]);
  });

  it('cancelled through one source, the booking stays cancelled when the other still shows it', async () => {
    const world = setUp({ calendar: () => fixtureText('airbnb.ics') });
    const feedId = await addAirbnbCalendar(world);
    await poll(world, feedId);
    await deliverHostaway(world);

    await deliverHostaway(
      world,
      hostaway((body) => {
        body.event = 'reservation.updated';
        Object.assign(body.data, { status: 'cancelled', updatedOn: '2026-09-30 10:00:00' });
      }),
    );
    await poll(world, feedId);

    expect(await loftBookingsArrivingOn(world, '2026-10-24')).toEqual([
      expect.objectContaining({ status: 'cancelled' }),
    ]);
  });
});
