/**
 * Hostaway and Guesty deliveries through the public receiver (the Lambda handler over in-memory services):
 * authenticated the way each source does it, accepted once, processed into one booking whatever the
 * repetition or order, owner stays set aside, unmapped listings kept as failures the host can see and retry.
 */
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { maxDeliveryAttempts, processDelivery } from '#shared/integrations/deliveries.ts';
import {
  createIntegration,
  listFailedDeliveries,
  mapListings,
  retryFailedDelivery,
  rotateIntegrationSecret,
} from '#shared/integrations/manage.ts';
import { addProperty, member } from '../domain/fakes.ts';
import { fixtureJson } from './fixtures.ts';
import {
  type IntegrationWorld,
  integrationWorldWithLoft,
  loftBookings,
  runScheduledDeliveries,
} from './integration-fakes.ts';
import {
  basic,
  type GuestyBody,
  guesty,
  guestyIntegration,
  guestySecret,
  hostaway,
  hostawayIntegration,
  post,
  svixHeaders,
} from './receiver-harness.ts';

const owner = member({ role: 'owner' });

const setUp = () => integrationWorldWithLoft({ now: '2026-10-01T09:00:00.000Z' });

/** What a host would compare: each booking's status, stay and guest. */
const endState = async (world: IntegrationWorld) =>
  (await loftBookings(world)).map(({ status, arrivalDate, departureDate, guest, sourceReservationId }) => ({
    status,
    arrivalDate,
    departureDate,
    guest,
    sourceReservationId,
  }));

describe('Hostaway’s webhook', () => {
  it('a reservation sent with the integration’s Basic credentials is accepted (202) and becomes a booking', async () => {
    const world = setUp();
    const { integrationId, credentials } = await hostawayIntegration(world);

    const answer = await post({
      world,
      integrationId,
      body: JSON.stringify(hostaway()),
      headers: { authorization: basic(credentials) },
    });

    expect(answer.statusCode).toBe(202);
    expect(answer.body.firstDelivery).toBe(true);
    await runScheduledDeliveries(world);
    const [booking, ...others] = await loftBookings(world);
    expect(others).toEqual([]);
    expect(booking).toMatchObject({
      source: 'webhook',
      sourceReservationId: 'hostaway:48464658',
      status: 'confirmed',
      arrivalDate: '2026-10-24',
      departureDate: '2026-10-27',
      checkInTime: '16:00',
      guest: { name: 'Ana Souza', email: 'ana.souza.8807335190@guest.airbnb.com' },
    });
  });

  it('without credentials, or with wrong ones, is refused with 401 and nothing is stored', async () => {
    const world = setUp();
    const { integrationId, credentials } = await hostawayIntegration(world);
    const body = JSON.stringify(hostaway());

    const missing = await post({ world, integrationId, body, headers: {} });
    const wrong = await post({
      world,
      integrationId,
      body,
      headers: { authorization: basic({ ...credentials, password: 'guessed' }) },
    });

    expect(missing.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(world.integrationStore.deliveries.size).toBe(0);
    expect(world.scheduler.tasks.size).toBe(0);
  });

  it('rotated credentials: the old ones keep working through the grace period, the new ones at once', async () => {
    const world = setUp();
    const { integrationId, credentials: old } = await hostawayIntegration(world);
    const rotated = await rotateIntegrationSecret({
      services: world.services,
      principal: owner,
      integrationId,
    });
    const fresh = rotated.credentials;
    if (!fresh) throw new Error('A rotation issues new credentials');
    expect(fresh.password).not.toBe(old.password);
    const body = JSON.stringify(hostaway());

    expect(
      (await post({ world, integrationId, body, headers: { authorization: basic(old) } })).statusCode,
    ).toBe(202);
    expect(
      (await post({ world, integrationId, body, headers: { authorization: basic(fresh) } })).statusCode,
    ).toBe(202);
    world.clock.advanceMinutes(25 * 60);
    expect(
      (await post({ world, integrationId, body, headers: { authorization: basic(old) } })).statusCode,
    ).toBe(401);
  });

  it('an owner stay is answered 200 as set aside, and nothing is booked', async () => {
    const world = setUp();
    const { integrationId, credentials } = await hostawayIntegration(world);

    const answer = await post({
      world,
      integrationId,
      body: JSON.stringify(fixtureJson('hostaway-owner-stay.json')),
      headers: { authorization: basic(credentials) },
    });

    expect(answer.statusCode).toBe(200);
    expect(answer.body.ignored).toMatchObject({ reason: 'owner-stay' });
    await runScheduledDeliveries(world);
    expect(await loftBookings(world)).toEqual([]);
  });

  it('the same delivery sent again is recognised and not processed twice', async () => {
    const world = setUp();
    const { integrationId, credentials } = await hostawayIntegration(world);
    const body = JSON.stringify(hostaway());
    const headers = { authorization: basic(credentials) };

    const first = await post({ world, integrationId, body, headers });
    await runScheduledDeliveries(world);
    const again = await post({ world, integrationId, body, headers });

    expect(again.body.deliveryId).toBe(first.body.deliveryId);
    expect(again.body.firstDelivery).toBe(false);
    expect(world.scheduler.tasks.size).toBe(0);
    expect(await loftBookings(world)).toHaveLength(1);
  });

  it('repeated, reordered and replayed deliveries end as one clean delivery of the newest state', async () => {
    const created = JSON.stringify(hostaway());
    const modified = JSON.stringify(
      hostaway((body) => {
        body.event = 'reservation.updated';
        Object.assign(body.data, {
          status: 'modified',
          departureDate: '2026-10-28',
          updatedOn: '2026-09-20 08:00:00',
        });
      }),
    );
    const clean = setUp();
    {
      const { integrationId, credentials } = await hostawayIntegration(clean);
      const headers = { authorization: basic(credentials) };
      await post({ world: clean, integrationId, body: created, headers });
      await runScheduledDeliveries(clean);
      await post({ world: clean, integrationId, body: modified, headers });
      await runScheduledDeliveries(clean);
    }

    const messy = setUp();
    {
      const { integrationId, credentials } = await hostawayIntegration(messy);
      const headers = { authorization: basic(credentials) };
      for (const body of [modified, created, modified, created]) {
        await post({ world: messy, integrationId, body, headers });
        await runScheduledDeliveries(messy);
      }
    }

    const expected = await endState(clean);
    expect(expected).toEqual([expect.objectContaining({ status: 'confirmed', departureDate: '2026-10-28' })]);
    expect(await endState(messy)).toEqual(expected);
  });

  it('a cancellation that overtakes its creation leaves no booking, and issues no code', async () => {
    const world = setUp();
    const { integrationId, credentials } = await hostawayIntegration(world);
    const headers = { authorization: basic(credentials) };

    await post({
      world,
      integrationId,
      body: JSON.stringify(fixtureJson('hostaway-reservation-cancelled.json')),
      headers,
    });
    await runScheduledDeliveries(world);
    await post({ world, integrationId, body: JSON.stringify(hostaway()), headers });
    await runScheduledDeliveries(world);

    expect(await loftBookings(world)).toEqual([]);
    expect(world.store.tables.accessCode.size).toBe(0);
  });

  it('a body that is not a Hostaway reservation is a 400 naming the fields, nothing stored', async () => {
    const world = setUp();
    const { integrationId, credentials } = await hostawayIntegration(world);

    const answer = await post({
      world,
      integrationId,
      body: JSON.stringify(hostaway((body) => delete body.data.arrivalDate)),
      headers: { authorization: basic(credentials) },
    });

    expect(answer.statusCode).toBe(400);
    expect(JSON.stringify(answer.body)).toContain('arrivalDate');
    expect(world.integrationStore.deliveries.size).toBe(0);
  });
});

describe('An unmapped listing', () => {
  it('is kept as a failed delivery the host sees with its reason, and runs once the listing is mapped', async () => {
    const world = setUp();
    const { integrationId, credentials } = await hostawayIntegration(world, {});

    const answer = await post({
      world,
      integrationId,
      body: JSON.stringify(hostaway()),
      headers: { authorization: basic(credentials) },
    });
    expect(answer.statusCode).toBe(202);
    await runScheduledDeliveries(world);

    const failed = await listFailedDeliveries({
      services: world.services,
      principal: owner,
      integrationId,
      limit: 10,
    });
    expect(failed).toEqual([
      expect.objectContaining({
        deliveryId: answer.body.deliveryId,
        status: 'failed',
        listing: '218666',
        reason: 'No property is mapped to the listing 218666',
      }),
    ]);
    expect(await loftBookings(world)).toEqual([]);

    await mapListings({
      services: world.services,
      principal: owner,
      integrationId,
      input: { listings: { '218666': 'prp_loft' } },
    });
    await retryFailedDelivery({
      services: world.services,
      principal: owner,
      integrationId,
      deliveryId: String(answer.body.deliveryId),
    });
    await runScheduledDeliveries(world);

    expect(await loftBookings(world)).toHaveLength(1);
    expect(
      await listFailedDeliveries({ services: world.services, principal: owner, integrationId, limit: 10 }),
    ).toEqual([]);
  });

  it('a listing can belong to one property per source kind only', async () => {
    const world = setUp();
    addProperty(world.store, { id: 'prp_barn', name: 'Barn' });
    await hostawayIntegration(world, { '218666': 'prp_loft' });
    const second = await hostawayIntegration(world, {});

    await expect(
      mapListings({
        services: world.services,
        principal: owner,
        integrationId: second.integrationId,
        input: { listings: { '218666': 'prp_barn' } },
      }),
    ).rejects.toThrow(/Already mapped to property prp_loft/);
    await expect(
      mapListings({
        services: world.services,
        principal: owner,
        integrationId: second.integrationId,
        input: { listings: { '218666': 'prp_nowhere' } },
      }),
    ).rejects.toThrow(/No property prp_nowhere/);
  });
});

describe('Deliveries that keep failing', () => {
  it('are retried, and after the last attempt dead-lettered with their reason', async () => {
    const world = setUp();
    const { integrationId, credentials } = await hostawayIntegration(world);
    await post({
      world,
      integrationId,
      body: JSON.stringify(hostaway()),
      headers: { authorization: basic(credentials) },
    });
    const [task] = world.scheduler.take();
    const payload = task?.payload as { tenantId: string; integrationId: string; deliveryId: string };
    const hangUp = { commit: async () => Promise.reject(new TypeError('socket hang up')) };
    const failing = {
      ...world.services,
      ports: { ...world.services.ports, changes: hangUp },
      reservations: { committerFor: () => hangUp },
    };

    for (let attempt = 1; attempt <= maxDeliveryAttempts; attempt += 1) {
      await expect(processDelivery({ services: failing, ...payload })).rejects.toThrow('socket hang up');
    }

    const [dead] = await listFailedDeliveries({
      services: world.services,
      principal: owner,
      integrationId,
      limit: 5,
    });
    expect(dead).toMatchObject({ status: 'dead-lettered', attempts: maxDeliveryAttempts });
    expect(dead?.reason).toContain('TypeError');
    expect(dead?.reason).not.toContain('socket');
  });
});

describe('Guesty’s webhook', () => {
  it('a reservation.created.v2 signed by Guesty (Svix headers) becomes a booking', async () => {
    const world = setUp();
    const { integrationId } = await guestyIntegration(world);
    const body = JSON.stringify(guesty());

    const answer = await post({
      world,
      integrationId,
      body,
      headers: svixHeaders({ secret: guestySecret, id: 'msg_2a1', sentAt: world.clock.now(), body }),
    });

    expect(answer.statusCode).toBe(202);
    expect(answer.body.deliveryId).toBe('msg_2a1');
    await runScheduledDeliveries(world);
    const [booking] = await loftBookings(world);
    expect(booking).toMatchObject({ status: 'confirmed', arrivalDate: '2026-10-24' });
    expect(booking?.sourceReservationId).toMatch(/^guesty:/);
  });

  it('verifies Svix signatures as the Standard Webhooks reference library makes them, one of several too', async () => {
    const world = setUp();
    const { integrationId } = await guestyIntegration(world);
    const body = JSON.stringify(guesty());
    const sentAt = world.clock.now();
    const theirs = new Webhook(guestySecret).sign('msg_ref', sentAt, body);
    const retired = new Webhook(`whsec_${randomBytes(24).toString('base64')}`).sign('msg_ref', sentAt, body);
    const timestamp = String(Math.floor(sentAt.getTime() / 1000));

    const answer = await post({
      world,
      integrationId,
      body,
      headers: {
        'svix-id': 'msg_ref',
        'svix-timestamp': timestamp,
        'svix-signature': `${retired} ${theirs}`,
      },
    });
    const retiredOnly = await post({
      world,
      integrationId,
      body,
      headers: { 'svix-id': 'msg_ref2', 'svix-timestamp': timestamp, 'svix-signature': retired },
    });

    expect(answer.statusCode).toBe(202);
    expect(answer.body.deliveryId).toBe('msg_ref');
    expect(retiredOnly.statusCode).toBe(401);
  });

  it('a bad signature, a stale timestamp or no signature is a 401', async () => {
    const world = setUp();
    const { integrationId } = await guestyIntegration(world);
    const body = JSON.stringify(guesty());
    const otherSecret = `whsec_${randomBytes(32).toString('base64')}`;

    const forged = await post({
      world,
      integrationId,
      body,
      headers: svixHeaders({ secret: otherSecret, id: 'msg_1', sentAt: world.clock.now(), body }),
    });
    const stale = await post({
      world,
      integrationId,
      body,
      headers: svixHeaders({
        secret: guestySecret,
        id: 'msg_2',
        sentAt: new Date(world.clock.now().getTime() - 10 * 60_000),
        body,
      }),
    });
    const unsigned = await post({ world, integrationId, body, headers: {} });

    expect([forged.statusCode, stale.statusCode, unsigned.statusCode]).toEqual([401, 401, 401]);
    expect(world.integrationStore.deliveries.size).toBe(0);
  });

  it('an update that arrives before its creation still ends in the updated stay; a cancellation ends it', async () => {
    const world = setUp();
    const { integrationId } = await guestyIntegration(world);
    const send = async (payload: GuestyBody, id: string) => {
      const body = JSON.stringify(payload);
      await post({
        world,
        integrationId,
        body,
        headers: svixHeaders({ secret: guestySecret, id, sentAt: world.clock.now(), body }),
      });
      await runScheduledDeliveries(world);
    };
    const updated = guesty((body) => {
      body.event = 'reservation.updated.v2';
      Object.assign(body.reservation, {
        checkOutDateLocalized: '2026-10-29',
        lastUpdatedAt: '2026-09-21T10:00:00.000Z',
      });
    });

    await send(updated, 'msg_update');
    await send(guesty(), 'msg_create');
    expect(await endState(world)).toEqual([
      expect.objectContaining({ status: 'confirmed', departureDate: '2026-10-29' }),
    ]);

    await send(fixtureJson<GuestyBody>('guesty-reservation-updated-v2-canceled.json'), 'msg_cancel');
    expect(await endState(world)).toEqual([expect.objectContaining({ status: 'cancelled' })]);
  });

  it('an owner reservation is set aside', async () => {
    const world = setUp();
    const { integrationId } = await guestyIntegration(world);
    const body = JSON.stringify(guesty((payload) => Object.assign(payload.reservation, { source: 'owner' })));

    const answer = await post({
      world,
      integrationId,
      body,
      headers: svixHeaders({ secret: guestySecret, id: 'msg_owner', sentAt: world.clock.now(), body }),
    });

    expect(answer.statusCode).toBe(200);
    expect(answer.body.ignored).toMatchObject({ reason: 'owner-stay' });
  });

  it('needs the Guesty account’s signing secret to be created, and a valid one', async () => {
    const world = setUp();
    for (const secret of [undefined, 'not-a-secret']) {
      await expect(
        createIntegration({
          services: world.services,
          principal: owner,
          input: { kind: 'guesty', name: 'Guesty', ...(secret ? { secret } : {}) },
        }),
      ).rejects.toMatchObject({ problems: [expect.objectContaining({ field: 'secret' })] });
    }
  });
});
