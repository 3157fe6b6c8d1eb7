import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { answerGuest, type GuestApiServices } from '#functions/http/api/guest.ts';
import type { LockCondition } from '#shared/access/ports.ts';
import { cancelBooking, createBooking } from '#shared/domain/operations/bookings.ts';
import { issueGuestLink, newGuestLinkToken } from '#shared/guests/guest-link.ts';
import { guestLinkRefusal } from '#shared/guests/guest-stay.ts';
import type { LookupLimiter } from '#shared/guests/lookup-limit.ts';
import { addLock, addProperty, member, type TestWorld, testWorld } from '../domain/fakes.ts';
import { InMemoryGuestLinks } from './guest-email-fakes.ts';

/** The conditional counter's behaviour: `limit` lookups per key, then refusals until the window ends. */
function countingLimiter(limit: number): LookupLimiter & { keys: string[] } {
  const counts = new Map<string, number>();
  const keys: string[] = [];
  return {
    keys,
    async take({ key }) {
      keys.push(key);
      const count = counts.get(key) ?? 0;
      if (count >= limit) return { allowed: false, retryAfterSeconds: 42 };
      counts.set(key, count + 1);
      return { allowed: true };
    },
  };
}

const owner = member({ role: 'owner' });
const stay = {
  propertyId: 'prp_loft',
  guest: { name: 'Ada Lovelace', email: 'ada@example.com' },
  arrivalDate: '2026-10-24',
  departureDate: '2026-10-27',
};

let world: TestWorld;
let guestLinks: InMemoryGuestLinks;
let limiter: ReturnType<typeof countingLimiter>;
let services: GuestApiServices;
let conditions: Map<string, LockCondition>;
let token: string;
let bookingId: string;

function get(path: { token: string }, sourceIp = '198.51.100.7') {
  const event = {
    routeKey: 'GET /guest/stays/{token}',
    rawPath: `/guest/stays/${path.token}`,
    pathParameters: path,
    headers: {},
    requestContext: { http: { method: 'GET', sourceIp } },
  } as unknown as APIGatewayProxyEventV2;
  return answerGuest({ event, services }).then((answer) => ({
    ...answer,
    json: JSON.parse(String(answer.body)),
  }));
}

beforeEach(async () => {
  world = testWorld({ now: '2026-10-20T09:00:00.000Z', randomScript: [480371, 3810] });
  addProperty(world.store);
  addLock(world.store, { id: 'lck_front', name: 'Front door' });
  addLock(world.store, { id: 'lck_shed', name: 'Bike shed', connectivity: 'bluetooth' });
  guestLinks = new InMemoryGuestLinks();
  limiter = countingLimiter(3);
  conditions = new Map([
    ['lck_front', { connection: { online: true, since: '2026-10-01T00:00:00.000Z' }, bolt: 'locked' }],
  ]);
  services = {
    ports: { ...world.ports, guestLinks, conditions: { get: async ({ lockId }) => conditions.get(lockId) } },
    limiter,
    now: () => world.clock.now(),
  };
  const created = await createBooking({ ports: world.ports, principal: owner, input: stay });
  bookingId = created.booking.id;
  ({ token } = await issueGuestLink({ store: guestLinks, grant: created.grant, now: world.clock.now() }));
});

describe('GET /guest/stays/{token}', () => {
  it('shows an upcoming stay: property, window in the property zone, the PIN per lock, lock state', async () => {
    const answer = await get({ token });

    expect(answer.statusCode).toBe(200);
    expect(answer.headers).toMatchObject({ 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
    expect(answer.json).toMatchObject({
      status: 'upcoming',
      guest: { name: 'Ada Lovelace', language: 'en' },
      property: { name: 'Altbau loft', address: { city: 'Berlin' }, timeZone: 'Europe/Berlin' },
      window: {
        startsAt: '2026-10-24T15:00:00+02:00',
        endsAt: '2026-10-27T11:00:00+01:00',
        timeZone: 'Europe/Berlin',
      },
      remoteUnlockNow: false,
    });
    const front = answer.json.locks.find((lock: { id: string }) => lock.id === 'lck_front');
    expect(front).toMatchObject({ name: 'Front door', codeKind: 'pin', online: true, bolt: 'locked' });
    expect(front.pin).toMatch(/^\d{6}$/);
    expect(answer.json.locks.find((lock: { id: string }) => lock.id === 'lck_shed')).toMatchObject({
      codeKind: 'offline-code',
      remoteUnlockNow: false,
    });
  });

  it('offers remote unlock only while the stay is active and the lock is online', async () => {
    world.clock.set('2026-10-25T12:00:00.000Z');
    const online = await get({ token });
    conditions.set('lck_front', { connection: { online: false, since: '2026-10-25T11:00:00.000Z' } });
    const offline = await get({ token });

    expect(online.json).toMatchObject({ status: 'active', remoteUnlockNow: true });
    expect(offline.json).toMatchObject({ status: 'active', remoteUnlockNow: false });
  });

  it('changes nothing when read (a mail scanner opening the link)', async () => {
    const stored = () =>
      JSON.stringify(
        ['booking', 'grant', 'accessCode'].map((kind) => world.store.all(kind as 'grant', 'tnt_a')),
      );
    const before = stored();
    await get({ token });
    await get({ token });
    expect(stored()).toBe(before);
  });

  it('answers 404 for an unknown or malformed token, with the friendly text and no token in it', async () => {
    const unknown = newGuestLinkToken();
    for (const answer of [await get({ token: unknown }), await get({ token: 'not-a-token' })]) {
      expect(answer.statusCode).toBe(404);
      expect(answer.headers?.['content-type']).toBe('application/problem+json');
      expect(answer.json.detail).toBe(guestLinkRefusal);
      expect(answer.body).not.toContain(unknown);
      expect(answer.json.instance).toBeUndefined();
    }
  });

  it('answers 410 with the same text once the stay is over, though the link is still stored', async () => {
    world.clock.set('2026-10-27T11:00:00.000Z');
    expect((await get({ token })).json.status).toBe('ended');

    world.clock.set('2026-10-27T13:00:00.000Z');
    const expired = await get({ token });

    expect(guestLinks.links.size).toBe(1);
    expect(expired.statusCode).toBe(410);
    expect(expired.json.detail).toBe(guestLinkRefusal);
    expect(expired.body).not.toContain(token);
  });

  it('answers 410 with the same text once the booking is cancelled', async () => {
    await cancelBooking({ ports: world.ports, principal: owner, bookingId, input: {} });

    const cancelled = await get({ token });

    expect(cancelled.statusCode).toBe(410);
    expect(cancelled.json.detail).toBe(guestLinkRefusal);
  });

  it('answers 429 with Retry-After past the limit per source and token, keeping no part of the token', async () => {
    for (let attempt = 0; attempt < 3; attempt++) expect((await get({ token })).statusCode).toBe(200);

    const limited = await get({ token });
    const elsewhere = await get({ token }, '203.0.113.9');

    expect(limited.statusCode).toBe(429);
    expect(limited.headers?.['retry-after']).toBe('42');
    expect(elsewhere.statusCode).toBe(200);
    for (const key of limiter.keys) expect(key).not.toContain(token.slice(0, 8));
  });

  it('is refused before the link opens, 14 days ahead of check-in', async () => {
    world.clock.set('2026-10-10T12:59:00.000Z');
    expect((await get({ token })).statusCode).toBe(404);
    world.clock.set('2026-10-10T13:00:00.000Z');
    expect((await get({ token })).statusCode).toBe(200);
  });
});
