/**
 * Remote unlock on the running local cloud, end to end: the host API signs a command into the lock's `commands`
 * shadow, the reference firmware opens and reports, the device-event handler closes the command; a Bluetooth
 * lock and an offline lock are refused with "use the code"; a command nobody hears expires and is taken off the
 * shadow, so the lock that connects afterwards stays locked.
 */
import { GetThingShadowCommand, IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { lockShadows } from '#shared/devices/contract.ts';
import { demoOwner, type HostApiClient, hostApiClient, idTokenOf } from '../../support/hosts.ts';
import { type LockTestBed, lockTestBed, type RegisteredLock } from '../../support/registered-locks.ts';

const endpoints = inject('endpoints');
let owner: HostApiClient;
let bed: LockTestBed;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** How long a wait on the local cloud may take on a busy machine (a command lives 30 s). */
const patience = { timeout: 60_000, interval: 250 };
const iotData = new IoTDataPlaneClient({
  endpoint: endpoints.services.iotDataPlane,
  region: endpoints.region,
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});

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

/** The command as it is once it is no longer pending (the lock answered, or it expired). */
async function settledCommand(commandId: string) {
  let command: { status?: string } | undefined;
  await expect
    .poll(async () => {
      command = (await owner.request('GET', `/commands/${commandId}`, { query: { wait: '5' } })).body;
      return command?.status;
    }, patience)
    .not.toBe('pending');
  return command;
}

/** The ids of the commands the cloud still desires in the lock's `commands` shadow. */
async function desiredCommands(thingName: string): Promise<string[]> {
  const shadow = await iotData.send(
    new GetThingShadowCommand({ thingName, shadowName: lockShadows.commands }),
  );
  const document = JSON.parse(Buffer.from(shadow.payload ?? new Uint8Array()).toString('utf8')) as {
    state?: { desired?: { commands?: Record<string, unknown> } };
  };
  return Object.entries(document.state?.desired?.commands ?? {})
    .filter(([, command]) => command !== null)
    .map(([commandId]) => commandId);
}

beforeAll(async () => {
  owner = hostApiClient(endpoints, await idTokenOf(endpoints, await demoOwner(endpoints)));
  bed = await lockTestBed({ endpoints, host: owner, label: 'remote-unlock' });
});

afterAll(async () => {
  await bed?.stopAll();
  iotData.destroy();
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

    const outcome = await settledCommand(accepted.body.id);
    expect(outcome).toMatchObject({
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
  }, 120_000);

  it('a Bluetooth lock is refused with 409: use the code', async () => {
    const { lockId } = await registerLock('bluetooth');
    const answer = await owner.request('POST', `/locks/${lockId}/unlock`);
    expect(answer.status).toBe(409);
    expect(answer.body.detail).toMatch(/cannot be opened remotely; use the code/);
  }, 60_000);

  it('a lock whose network is cut is refused as offline once the cloud has heard, and opens again once back', async () => {
    const registered = await registerLock('wifi');
    const lock = await runFirmware(registered);
    lock.setNetwork(false);

    const refused = await unlockUntil(registered.lockId, (status) => status === 409, 60_000);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/offline.*use the code/);

    lock.setNetwork(true);
    await lock.whenOnline();
    const accepted = await unlockUntil(registered.lockId, (status) => status === 202, 60_000);
    expect(accepted.status).toBe(202);
    expect((await settledCommand(accepted.body.id))?.status).toBe('succeeded');
  }, 180_000);

  it('a command nobody hears expires, leaves the shadow, and the lock connecting later stays locked', async () => {
    // Registered but not yet connected: the cloud has heard nothing of it, so it tries.
    const registered = await registerLock('wifi');
    const accepted = await owner.request('POST', `/locks/${registered.lockId}/unlock`);
    expect(accepted.status).toBe(202);

    // It expires at its time; the expiry task then marks it, audits it and takes it off the shadow.
    expect((await settledCommand(accepted.body.id))?.status).toBe('expired');
    await expect
      .poll(async () => {
        const audit = await owner.request('GET', '/audit', { query: { lockId: registered.lockId } });
        return (audit.body?.items ?? []).map((event: { action: string }) => event.action);
      }, patience)
      .toContain('unlock-command.expired');
    // The audit event is committed before the desired entry is cleared: the lock connects once it is gone.
    await expect.poll(() => desiredCommands(registered.bundle.thingName), patience).toEqual([]);

    // Online means it has read its shadows and applied what they asked for.
    const lock = await runFirmware(registered);
    await lock.idle();
    expect(lock.snapshot().state.bolt).toBe('locked');
    expect(lock.snapshot().recentEvents.filter((event) => event.type === 'unlocked')).toEqual([]);
  }, 180_000);
});
