import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { answerGuest, type GuestApiServices } from '#functions/http/api/guest.ts';
import { createBooking } from '#shared/domain/operations/bookings.ts';
import { issueGuestLink } from '#shared/guests/guest-link.ts';
import { phoneCheckPolicy } from '#shared/guests/phone-check.ts';
import { unlockPortsFor } from '../access/remote-unlock-fakes.ts';
import { addLock, addProperty, member, type TestWorld, testWorld } from '../domain/fakes.ts';
import { InMemoryGuestLinks } from './guest-email-fakes.ts';

const owner = member({ role: 'owner' });
const apiHost = 'api.lockstay.test';
const duringStay = '2026-10-25T12:00:00.000Z';

let world: TestWorld;
let unlock: ReturnType<typeof unlockPortsFor>;
let services: GuestApiServices;
let token: string;
/** Lookups counted per key, as the limiter would count them, against a limit of 30. */
let counted: Map<string, number>;

async function answer(event: Partial<APIGatewayProxyEventV2> & { routeKey: string }) {
  const result = await answerGuest({
    event: {
      requestContext: { domainName: apiHost, http: { method: 'POST', sourceIp: '198.51.100.7' } },
      ...event,
    } as unknown as APIGatewayProxyEventV2,
    services,
  });
  return { ...result, json: result.body ? JSON.parse(String(result.body)) : undefined };
}

const postUnlock = (body: Record<string, unknown>) =>
  answer({
    routeKey: 'POST /guest/stays/{token}/unlock',
    pathParameters: { token },
    headers: { 'content-type': 'application/json', origin: `https://${apiHost}`, host: apiHost },
    body: JSON.stringify({ lockId: 'lck_front', ...body }),
  });

const readStay = () =>
  answer({
    routeKey: 'GET /guest/stays/{token}',
    pathParameters: { token },
    headers: { host: apiHost },
  });

async function bookWith({ phoneDigits, phone }: { phoneDigits?: number; phone?: string }) {
  addProperty(world.store, phoneDigits === undefined ? {} : { guestUnlockPhoneDigits: phoneDigits });
  addLock(world.store, { id: 'lck_front', name: 'Front door' });
  const created = await createBooking({
    ports: world.ports,
    principal: owner,
    input: {
      propertyId: 'prp_loft',
      guest: { name: 'Ada Lovelace', email: 'ada@example.com', ...(phone ? { phone } : {}) },
      arrivalDate: '2026-10-24',
      departureDate: '2026-10-27',
    },
  });
  ({ token } = await issueGuestLink({
    store: services.ports.guestLinks,
    grant: created.grant,
    now: world.clock.now(),
  }));
  world.clock.set(duringStay);
}

beforeEach(() => {
  world = testWorld({ now: '2026-10-20T09:00:00.000Z', randomScript: [480371] });
  unlock = unlockPortsFor(world);
  unlock.conditions.set('lck_front', { connection: { online: true, since: '2026-10-01T00:00:00.000Z' } });
  counted = new Map();
  services = {
    ports: {
      ...world.ports,
      guestLinks: new InMemoryGuestLinks(),
      conditions: unlock.unlockPorts.conditions,
    },
    limiter: {
      take: async ({ key, weight = 1 }) => {
        const count = counted.get(key) ?? 0;
        if (count >= 30) return { allowed: false, retryAfterSeconds: 60 };
        counted.set(key, count + weight);
        return { allowed: true };
      },
    },
    now: () => world.clock.now(),
    unlock: unlock.unlockPorts,
  };
});

describe("the phone check before a guest's remote unlock", () => {
  it('is off by default: the lock opens with the lock alone, and the page asks for nothing', async () => {
    await bookWith({ phone: '+49 30 1234567' });

    expect((await readStay()).json.phoneCheck).toBeUndefined();
    expect((await postUnlock({})).statusCode).toBe(202);
  });

  it("asks for the last digits of the booking's phone, and opens with the right ones", async () => {
    await bookWith({ phoneDigits: 4, phone: '+49 30 1234567' });

    const stay = await readStay();
    const missing = await postUnlock({});
    const accepted = await postUnlock({ phoneDigits: '4567' });

    expect(stay.json.phoneCheck).toEqual({ digits: 4 });
    expect(JSON.stringify(stay.json)).not.toContain('4567');
    expect(missing.statusCode).toBe(400);
    expect(missing.json.errors).toEqual([
      { field: 'phoneDigits', message: 'Give the last 4 digits of the phone number on the booking' },
    ]);
    expect(accepted.statusCode).toBe(202);
    expect(unlock.shadows.updates).toHaveLength(1);
  });

  it('refuses wrong digits with nothing sent to the lock, each costing a good part of the rate limit, until 429', async () => {
    await bookWith({ phoneDigits: 4, phone: '+49 30 1234567' });

    const statuses: (number | undefined)[] = [];
    for (const guess of ['0000', '1111', '2222', '3333'])
      statuses.push((await postUnlock({ phoneDigits: guess })).statusCode);
    const rightTooLate = await postUnlock({ phoneDigits: '4567' });

    expect(statuses).toEqual([400, 400, 400, 429]);
    expect(rightTooLate.statusCode).toBe(429);
    expect(unlock.shadows.updates).toHaveLength(0);
    expect([...counted.values()][0]).toBe(3 * phoneCheckPolicy.lookupsPerWrongAnswer);
  });

  it('is off for a booking without a phone number, which has nothing to confirm', async () => {
    await bookWith({ phoneDigits: 4 });

    expect((await readStay()).json.phoneCheck).toBeUndefined();
    expect((await postUnlock({})).statusCode).toBe(202);
  });
});
