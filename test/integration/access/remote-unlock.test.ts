/**
 * Remote unlock on the running local cloud, end to end: the host API signs a command into the lock's `commands`
 * shadow, the reference firmware opens and reports, the device-event handler closes the command; a Bluetooth
 * lock and an offline lock are refused with "use the code"; a command nobody hears expires and is taken off the
 * shadow, so the lock that connects afterwards stays locked.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoOwner, type HostApiClient, hostApiClient, idTokenOf } from '../../support/hosts.ts';
import { type LockTestBed, lockTestBed, type RegisteredLock } from '../../support/registered-locks.ts';

const endpoints = inject('endpoints');
let owner: HostApiClient;
let bed: LockTestBed;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const registerLock = (connectivity: 'wifi' | 'bluetooth') => bed.registerLock({ connectivity });
const runFirmware = (registered: RegisteredLock) => bed.startRegisteredLock(registered);

/** Asks until the answer is what `done` waits for (presence reaches the cloud through the IoT rules). */
async function unlockUntil(lockId: string, done: (status: number) => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await owner.request('POST', `/locks/${lockId}/unlock`);
    if (done(answer.status) || Date.now() > deadline) return answer;
    await sleep(200);
  }
}

beforeAll(async () => {
  owner = hostApiClient(endpoints, await idTokenOf(endpoints, await demoOwner(endpoints)));
  bed = await lockTestBed({ endpoints, host: owner, label: 'remote-unlock' });
});

afterAll(async () => {
  await bed?.stopAll();
});

describe('opening a lock remotely through the API', () => {
  it('a wifi lock opens: 202 with Location, then succeeded, and the firmware shows it open', async () => {
    const registered = await registerLock('wifi');
    const lock = await runFirmware(registered);

    const accepted = await owner.request('POST', `/locks/${registered.lockId}/unlock`, {
      headers: { 'idempotency-key': `unlock-${bed.propertyId}` },
    });
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({ id: expect.stringMatching(/^cmd_/), status: 'pending' });
    expect(accepted.headers.get('location')).toBe(`/commands/${accepted.body.id}`);

    const outcome = await owner.request('GET', `/commands/${accepted.body.id}`, { query: { wait: '5' } });
    expect(outcome.body).toMatchObject({
      id: accepted.body.id,
      lockId: registered.lockId,
      status: 'succeeded',
    });
    expect(lock.snapshot().state.bolt).toBe('unlocked');

    // The same Idempotency-Key answers the same command; with another body it is refused.
    const replay = await owner.request('POST', `/locks/${registered.lockId}/unlock`, {
      headers: { 'idempotency-key': `unlock-${bed.propertyId}` },
    });
    expect(replay.body.id).toBe(accepted.body.id);
    const otherBody = await owner.request('POST', `/locks/${registered.lockId}/unlock`, {
      headers: { 'idempotency-key': `unlock-${bed.propertyId}` },
      body: { note: 'another request' },
    });
    expect(otherBody.status).toBe(409);

    const audit = await owner.request('GET', '/audit', { query: { lockId: registered.lockId } });
    const actions = (audit.body?.items ?? []).map((event: { action: string }) => event.action);
    expect(actions).toEqual(expect.arrayContaining(['unlock-command.requested', 'unlock-command.succeeded']));
  });

  it('a Bluetooth lock is refused with 409: use the code', async () => {
    const { lockId } = await registerLock('bluetooth');
    const answer = await owner.request('POST', `/locks/${lockId}/unlock`);
    expect(answer.status).toBe(409);
    expect(answer.body.detail).toMatch(/cannot be opened remotely; use the code/);
  });

  it('a lock whose network is cut is refused as offline once the cloud has heard, and opens again once back', async () => {
    const registered = await registerLock('wifi');
    const lock = await runFirmware(registered);
    lock.setNetwork(false);

    const refused = await unlockUntil(registered.lockId, (status) => status === 409);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/offline.*use the code/);

    lock.setNetwork(true);
    await lock.whenOnline();
    const accepted = await unlockUntil(registered.lockId, (status) => status === 202);
    expect(accepted.status).toBe(202);
    const outcome = await owner.request('GET', `/commands/${accepted.body.id}`, { query: { wait: '5' } });
    expect(outcome.body.status).toBe('succeeded');
  });

  it('a command nobody hears expires, leaves the shadow, and the lock connecting later stays locked', async () => {
    // Registered but not yet connected: the cloud has heard nothing of it, so it tries.
    const registered = await registerLock('wifi');
    const accepted = await owner.request('POST', `/locks/${registered.lockId}/unlock`);
    expect(accepted.status).toBe(202);

    await sleep(31_000);
    const outcome = await owner.request('GET', `/commands/${accepted.body.id}`, { query: { wait: '5' } });
    expect(outcome.body.status).toBe('expired');
    // The expiry task has marked it (not only read it past its expiry) and cleared the desired entry.
    const deadline = Date.now() + 10_000;
    let audit = await owner.request('GET', '/audit', { query: { lockId: registered.lockId } });
    while (
      !audit.body.items.some((event: { action: string }) => event.action === 'unlock-command.expired') &&
      Date.now() < deadline
    ) {
      await sleep(250);
      audit = await owner.request('GET', '/audit', { query: { lockId: registered.lockId } });
    }
    expect(audit.body.items.map((event: { action: string }) => event.action)).toContain(
      'unlock-command.expired',
    );

    const lock = await runFirmware(registered);
    await sleep(1_000);
    await lock.idle();
    expect(lock.snapshot().state.bolt).toBe('locked');
  }, 70_000);
});
