import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { answerGuest, type GuestApiServices } from '#functions/http/api/guest.ts';
import { expireCommandTaskType, requestUnlock } from '#shared/access/unlock-commands.ts';
import { verifyUnlockCommand } from '#shared/devices/commands.ts';
import { cancelBooking, createBooking } from '#shared/domain/operations/bookings.ts';
import { issueGuestLink, newGuestLinkToken } from '#shared/guests/guest-link.ts';
import { guestLinkRefusal } from '#shared/guests/guest-stay.ts';
import { deviceKey, unlockPortsFor } from '../access/remote-unlock-fakes.ts';
import { addLock, addProperty, member, type TestWorld, testWorld } from '../domain/fakes.ts';
import { InMemoryGuestLinks } from './guest-email-fakes.ts';

const owner = member({ role: 'owner' });
const stay = {
  propertyId: 'prp_loft',
  guest: { name: 'Ada Lovelace', email: 'ada@example.com' },
  arrivalDate: '2026-10-24',
  departureDate: '2026-10-27',
};
const apiHost = 'api.lockstay.test';
const pageOrigin = `https://${apiHost}`;
/** During the stay: check-in 2026-10-24 15:00 Berlin, check-out 2026-10-27 11:00 Berlin. */
const duringStay = '2026-10-25T12:00:00.000Z';

let world: TestWorld;
let unlock: ReturnType<typeof unlockPortsFor>;
let services: GuestApiServices;
let token: string;
let bookingId: string;
let grantId: string;

async function answer(event: Partial<APIGatewayProxyEventV2> & { routeKey: string }) {
  const result = await answerGuest({
    event: {
      requestContext: { domainName: apiHost, http: { method: 'GET', sourceIp: '198.51.100.7' } },
      ...event,
    } as unknown as APIGatewayProxyEventV2,
    services,
  });
  return { ...result, json: result.body ? JSON.parse(String(result.body)) : undefined };
}

function postUnlock({
  lockId = 'lck_front',
  linkToken = token,
  headers = { 'content-type': 'application/json', origin: pageOrigin, host: apiHost },
  body = JSON.stringify({ lockId }),
}: {
  lockId?: string;
  linkToken?: string;
  headers?: Record<string, string>;
  body?: string;
} = {}) {
  return answer({
    routeKey: 'POST /guest/stays/{token}/unlock',
    pathParameters: { token: linkToken },
    headers,
    body,
  });
}

function getCommand(commandId: string, linkToken = token) {
  return answer({
    routeKey: 'GET /guest/stays/{token}/commands/{commandId}',
    pathParameters: { token: linkToken, commandId },
    headers: { host: apiHost },
  });
}

const shadowWrites = () => unlock.shadows.updates.length;
const storedCommands = () => world.store.all('unlockCommand', 'tnt_a');

beforeEach(async () => {
  world = testWorld({ now: '2026-10-20T09:00:00.000Z', randomScript: [480371, 3810] });
  addProperty(world.store);
  addLock(world.store, { id: 'lck_front', name: 'Front door' });
  addLock(world.store, { id: 'lck_shed', name: 'Bike shed', connectivity: 'bluetooth' });
  unlock = unlockPortsFor(world);
  unlock.conditions.set('lck_front', { connection: { online: true, since: '2026-10-01T00:00:00.000Z' } });
  const guestLinks = new InMemoryGuestLinks();
  services = {
    ports: { ...world.ports, guestLinks, conditions: unlock.unlockPorts.conditions },
    limiter: { take: async () => ({ allowed: true }) },
    now: () => world.clock.now(),
    unlock: unlock.unlockPorts,
  };
  const created = await createBooking({ ports: world.ports, principal: owner, input: stay });
  bookingId = created.booking.id;
  grantId = created.grant.id;
  ({ token } = await issueGuestLink({ store: guestLinks, grant: created.grant, now: world.clock.now() }));
  // A lock added after the booking is not one of its grant's.
  addLock(world.store, { id: 'lck_back', name: 'Back door' });
});

describe('POST /guest/stays/{token}/unlock', () => {
  it('opens a lock of an active stay: a signed command for the lock, by the guest, with its expiry scheduled', async () => {
    world.clock.set(duringStay);

    const accepted = await postUnlock();

    expect(accepted.statusCode).toBe(202);
    expect(accepted.headers).toMatchObject({ 'cache-control': 'no-store' });
    expect(accepted.json).toEqual({ id: expect.any(String), status: 'pending' });
    const [command] = storedCommands();
    expect(command).toMatchObject({
      id: accepted.json.id,
      lockId: 'lck_front',
      grantId,
      requestedBy: { kind: 'guest', grantId },
    });
    const audit = world.store.auditEvents.find((event) => event.action === 'unlock-command.requested');
    expect(audit).toMatchObject({ actor: { kind: 'guest', grantId }, details: { grantId } });
    const verdict = verifyUnlockCommand({
      keys: [deviceKey],
      thingName: 'lockstay-lck_front',
      commandId: accepted.json.id,
      command: unlock.shadows.desired.get('lockstay-lck_front')?.[accepted.json.id],
      now: Date.parse(duringStay) + 1000,
      wasExecuted: () => false,
    });
    expect(verdict.ok).toBe(true);
    expect([...unlock.tasks.scheduled.values()]).toEqual([
      expect.objectContaining({ type: expireCommandTaskType }),
    ]);
  });

  it('is refused (403) before the stay starts, though the link already shows the stay', async () => {
    const early = await postUnlock();

    expect(early.statusCode).toBe(403);
    expect(storedCommands()).toEqual([]);
    expect(shadowWrites()).toBe(0);
  });

  it('is refused (410) once the stay is over, while the link still answers within its grace', async () => {
    world.clock.set('2026-10-27T10:30:00.000Z');

    const late = await postUnlock();

    expect(late.statusCode).toBe(410);
    expect(storedCommands()).toEqual([]);
    expect(shadowWrites()).toBe(0);
  });

  it('answers 410 with the friendly text once the booking is cancelled', async () => {
    world.clock.set(duringStay);
    await cancelBooking({ ports: world.ports, principal: owner, bookingId, input: {} });

    const cancelled = await postUnlock();

    expect(cancelled.statusCode).toBe(410);
    expect(cancelled.json.detail).toBe(guestLinkRefusal);
    expect(shadowWrites()).toBe(0);
  });

  it('answers 404 for a lock that is not one of the stay, and for an unknown token', async () => {
    world.clock.set(duringStay);

    const notInStay = await postUnlock({ lockId: 'lck_back' });
    const unknown = await postUnlock({ linkToken: newGuestLinkToken() });

    expect(notInStay.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json.detail).toBe(guestLinkRefusal);
    expect(shadowWrites()).toBe(0);
  });

  it('answers 409 for a Bluetooth-only lock of the stay: use the code', async () => {
    world.clock.set(duringStay);

    const bluetooth = await postUnlock({ lockId: 'lck_shed' });

    expect(bluetooth.statusCode).toBe(409);
    expect(shadowWrites()).toBe(0);
  });

  it('answers 403 without an Origin, or with another origin (CSRF), and acts on neither', async () => {
    world.clock.set(duringStay);
    const json = { 'content-type': 'application/json', host: apiHost };

    const missing = await postUnlock({ headers: json });
    const foreign = await postUnlock({ headers: { ...json, origin: 'https://evil.example' } });
    const lookalike = await postUnlock({ headers: { ...json, origin: `https://${apiHost}.evil.example` } });
    const opaque = await postUnlock({ headers: { ...json, origin: 'null' } });

    for (const refused of [missing, foreign, lookalike, opaque]) expect(refused.statusCode).toBe(403);
    expect(storedCommands()).toEqual([]);
    expect(shadowWrites()).toBe(0);
  });

  it('accepts a configured page origin besides the API’s own', async () => {
    world.clock.set(duringStay);
    services = { ...services, pageOrigins: ['https://stay.lockstay.test'] };

    const fromPage = await postUnlock({
      headers: { 'content-type': 'application/json', host: apiHost, origin: 'https://stay.lockstay.test' },
    });

    expect(fromPage.statusCode).toBe(202);
  });

  it('answers 415 for a body not sent as JSON (a form post) and acts not', async () => {
    world.clock.set(duringStay);

    const form = await postUnlock({
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: pageOrigin, host: apiHost },
      body: 'lockId=lck_front',
    });

    expect(form.statusCode).toBe(415);
    expect(shadowWrites()).toBe(0);
  });

  it('answers 429 when the limiter refuses, before acting', async () => {
    world.clock.set(duringStay);
    services = { ...services, limiter: { take: async () => ({ allowed: false, retryAfterSeconds: 42 }) } };

    const limited = await postUnlock();

    expect(limited.statusCode).toBe(429);
    expect(limited.headers?.['retry-after']).toBe('42');
    expect(shadowWrites()).toBe(0);
  });
});

describe('GET /guest/stays/{token}/commands/{commandId}', () => {
  it("answers the guest's own command with its status", async () => {
    world.clock.set(duringStay);
    const accepted = await postUnlock();

    const read = await getCommand(accepted.json.id);

    expect(read.statusCode).toBe(200);
    expect(read.json).toMatchObject({ id: accepted.json.id, lockId: 'lck_front', status: 'pending' });
  });

  it('answers 404 for a command not asked for under this stay (a host’s), and never acts', async () => {
    world.clock.set(duringStay);
    const { command } = await requestUnlock({
      ports: unlock.unlockPorts,
      principal: owner,
      lockId: 'lck_front',
    });
    const writesBefore = shadowWrites();
    const commandsBefore = storedCommands().length;

    const hosts = await getCommand(command.id);
    const unknown = await getCommand('cmd_nothing');

    expect(hosts.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
    expect(shadowWrites()).toBe(writesBefore);
    expect(storedCommands()).toHaveLength(commandsBefore);
  });

  it("answers 404 to another token, even for the guest's own command id", async () => {
    world.clock.set(duringStay);
    const accepted = await postUnlock();

    const other = await getCommand(accepted.json.id, newGuestLinkToken());

    expect(other.statusCode).toBe(404);
  });
});

describe('GET /guest/stays/{token}', () => {
  it('never acts: reading the stay during it writes no command and no shadow', async () => {
    world.clock.set(duringStay);

    const read = await answer({
      routeKey: 'GET /guest/stays/{token}',
      pathParameters: { token },
      headers: { origin: pageOrigin, host: apiHost },
    });

    expect(read.statusCode).toBe(200);
    expect(read.json.remoteUnlockNow).toBe(true);
    expect(storedCommands()).toEqual([]);
    expect(shadowWrites()).toBe(0);
  });
});
