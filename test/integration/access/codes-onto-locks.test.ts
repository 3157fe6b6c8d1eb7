/**
 * Codes onto locks on the running local cloud, end to end: a booking entered through the API schedules the
 * push (at once, its window being open), the scheduled-task function writes the keyed hash to the lock's
 * `access-codes` shadow, the reference firmware applies it and reports, the device-event handler marks the code
 * `set`; the keypad opens with the PIN and not with another, and the audit log names the grant; cancelling
 * takes the code off the lock and it ends `removed`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type RunningLock, startLock } from '../../../firmware/lock.ts';
import { demoOwner, type HostApiClient, hostApiClient, idTokenOf } from '../../support/hosts.ts';

const endpoints = inject('endpoints');
const unique = Date.now().toString(36);
const running: RunningLock[] = [];
let owner: HostApiClient;
let propertyId: string;
let folder: string;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Bundle {
  thingName: string;
  certificatePem: string;
  privateKeyPem: string;
  caCertificatePem: string;
  deviceKey: string;
}

interface CodeView {
  id: string;
  lockId: string;
  pin: string;
  status: string;
}

const berlinDate = (offsetDays: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(
    new Date(Date.now() + offsetDays * 86_400_000),
  );

async function codesOfBooking(bookingId: string): Promise<CodeView[]> {
  const answer = await owner.request('GET', `/bookings/${bookingId}`);
  expect(answer.status).toBe(200);
  return answer.body.grant.accessCodes as CodeView[];
}

async function waitForStatus(bookingId: string, codeId: string, status: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const code = (await codesOfBooking(bookingId)).find((each) => each.id === codeId);
    if (code?.status === status || Date.now() > deadline) return code;
    await sleep(300);
  }
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'lockstay-codes-'));
  owner = hostApiClient(endpoints, await idTokenOf(endpoints, await demoOwner(endpoints)));
  const property = await owner.request('POST', '/properties', {
    body: {
      name: `Codes flat ${unique}`,
      address: { line1: 'Torstrasse 11', city: 'Berlin', countryCode: 'DE' },
      timeZone: 'Europe/Berlin',
      // Check-in at midnight: a stay arriving today is open now.
      checkInTime: '00:00',
      checkOutTime: '11:00',
    },
  });
  expect(property.status).toBe(201);
  propertyId = property.body.id;
});

afterAll(async () => {
  for (const lock of running) await lock.stop();
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe('a booking opens the door with its code', () => {
  it('the code ends set on the lock, opens the keypad, is audited with its grant, and comes off when cancelled', async () => {
    const registered = await owner.request('POST', '/locks', {
      body: { propertyId, name: `Front door ${unique}`, connectivity: 'wifi' },
    });
    expect(registered.status).toBe(201);
    const lockId = registered.body.lock.id as string;
    const bundle = registered.body.installerBundle as Bundle;
    const lock = await startLock({
      thingName: bundle.thingName,
      connectivity: 'wifi',
      deviceKeys: [{ version: registered.body.lock.credentials.keyVersion, key: bundle.deviceKey }],
      storagePath: join(folder, `${bundle.thingName}.json`),
      endpoint: endpoints.services.mqtts,
      certificate: {
        certificatePem: bundle.certificatePem,
        privateKeyPem: bundle.privateKeyPem,
        caPem: bundle.caCertificatePem,
      },
      autoRelockMs: 60_000,
    });
    running.push(lock);
    await lock.whenOnline();

    const created = await owner.request('POST', '/bookings', {
      body: {
        propertyId,
        guest: { name: 'Ada Lovelace', email: `ada-${unique}@example.com` },
        arrivalDate: berlinDate(0),
        departureDate: berlinDate(2),
      },
    });
    expect(created.status).toBe(201);
    const bookingId = created.body.booking.id as string;
    const grantId = created.body.grant.id as string;
    const code = (created.body.accessCodes as CodeView[]).find((each) => each.lockId === lockId);
    expect(code).toBeDefined();
    if (!code) return;

    expect((await waitForStatus(bookingId, code.id, 'set'))?.status).toBe('set');

    const wrong = code.pin === '000000' ? '111111' : '000000';
    expect(await lock.enterPin(wrong)).toMatchObject({ admitted: false });
    expect(await lock.enterPin(code.pin)).toMatchObject({ admitted: true });

    // The lock reports the entry as an event; the device-event handler audits it a moment later.
    let unlock: { details: Record<string, unknown> } | undefined;
    await expect
      .poll(
        async () => {
          const audit = await owner.request('GET', '/audit', { query: { lockId } });
          unlock = (audit.body?.items ?? []).find(
            (event: { action: string; details: Record<string, unknown> }) =>
              event.action === 'lock.unlocked' && event.details.method === 'keypad',
          );
          return unlock;
        },
        { timeout: 30_000, interval: 250 },
      )
      .toBeDefined();
    expect(unlock?.details).toMatchObject({ codeId: code.id, grantId });

    const cancelled = await owner.request('POST', `/bookings/${bookingId}/cancel`, { body: {} });
    expect(cancelled.status).toBe(200);
    expect((await waitForStatus(bookingId, code.id, 'removed'))?.status).toBe('removed');
    expect(await lock.enterPin(code.pin)).toMatchObject({ admitted: false });
  }, 180_000);
});
