/**
 * Readiness and offline codes on the running local cloud, end to end. A WiFi lock whose network is cut before
 * the guest arrives never confirms the code: the readiness check (run now through the scheduler twin, as its
 * schedule would at its time) alerts the owner by email and in the audit log and issues an offline code, which
 * the grant view gives as the guest's code and the guest receives by email; the lock, still offline, admits it
 * on its keypad inside the window and not before. A Bluetooth lock gets its offline code as soon as the booking
 * is entered, admits it, and refuses remote unlock with a clear 409.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetScheduleCommand, SchedulerClient, UpdateScheduleCommand } from '@aws-sdk/client-scheduler';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { atExpression } from '#shared/adapters/eventbridge-task-scheduler.ts';
import { groupDigits } from '#shared/mail/templates/formatting.ts';
import { type RunningLock, startLock } from '../../../firmware/lock.ts';
import { demoOwner, type HostApiClient, hostApiClient, idTokenOf } from '../../support/hosts.ts';

const endpoints = inject('endpoints');
const unique = Date.now().toString(36);
const running: RunningLock[] = [];
let owner: HostApiClient;
let ownerEmail: string;
let folder: string;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const scheduler = new SchedulerClient({
  endpoint: endpoints.services.scheduler,
  region: endpoints.region,
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});

interface Bundle {
  thingName: string;
  certificatePem: string;
  privateKeyPem: string;
  caCertificatePem: string;
  deviceKey: string;
}

interface OfflineCodeView {
  lockId: string;
  code: string;
  purpose: string;
  validFrom: string;
  firstUseBefore: string;
  current: boolean;
}

interface GuestCodeView {
  lockId: string;
  kind: 'pin' | 'offline';
  code: string;
}

interface StoredEmail {
  subject: string;
  destination: { to: string[] };
  body: { text?: string; html?: string };
}

interface AuditItem {
  action: string;
  lockId?: string;
  details: Record<string, unknown>;
}

const berlinDate = (offsetDays: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(
    new Date(Date.now() + offsetDays * 86_400_000),
  );

/** Asks until `read` gives something, or the time is up (then undefined). */
async function eventually<T>(read: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined || Date.now() > deadline) return value;
    await sleep(300);
  }
}

async function newProperty(name: string): Promise<string> {
  const property = await owner.request('POST', '/properties', {
    body: {
      name: `${name} ${unique}`,
      address: { line1: 'Kastanienallee 5', city: 'Berlin', countryCode: 'DE' },
      timeZone: 'Europe/Berlin',
    },
  });
  expect(property.status).toBe(201);
  return property.body.id as string;
}

async function registerLock({
  propertyId,
  connectivity,
}: {
  propertyId: string;
  connectivity: 'wifi' | 'bluetooth';
}) {
  const answer = await owner.request('POST', '/locks', {
    body: { propertyId, name: `${connectivity} door ${unique}`, connectivity },
  });
  expect(answer.status).toBe(201);
  return {
    lockId: answer.body.lock.id as string,
    keyVersion: answer.body.lock.credentials.keyVersion as number,
    bundle: answer.body.installerBundle as Bundle,
  };
}

/** The reference firmware, with a clock the test can move (a lock offline keeps its own time). */
async function runFirmware({
  keyVersion,
  bundle,
  connectivity,
}: {
  keyVersion: number;
  bundle: Bundle;
  connectivity: 'wifi' | 'bluetooth';
}) {
  const clock = { offsetMs: 0 };
  const lock = await startLock({
    thingName: bundle.thingName,
    connectivity,
    deviceKeys: [{ version: keyVersion, key: bundle.deviceKey }],
    storagePath: join(folder, `${bundle.thingName}.json`),
    ...(connectivity === 'bluetooth'
      ? {}
      : {
          endpoint: endpoints.services.mqtts,
          certificate: {
            certificatePem: bundle.certificatePem,
            privateKeyPem: bundle.privateKeyPem,
            caPem: bundle.caCertificatePem,
          },
        }),
    autoRelockMs: 60_000,
    now: () => Date.now() + clock.offsetMs,
  });
  running.push(lock);
  return { lock, clock };
}

async function book({ propertyId, guestName }: { propertyId: string; guestName: string }) {
  const created = await owner.request('POST', '/bookings', {
    body: {
      propertyId,
      guest: { name: guestName, email: `${guestName.toLowerCase().replace(/\W+/g, '-')}@example.com` },
      arrivalDate: berlinDate(1),
      departureDate: berlinDate(3),
    },
  });
  expect(created.status).toBe(201);
  return {
    bookingId: created.body.booking.id as string,
    grantId: created.body.grant.id as string,
    guestEmail: created.body.booking.guest.email as string,
  };
}

async function grantView(grantId: string) {
  const answer = await owner.request('GET', `/grants/${grantId}`);
  expect(answer.status).toBe(200);
  return answer.body as {
    grant: { window: { startsAt: string } };
    accessCodes: { lockId: string; status: string; pin: string }[];
    offlineCodes: OfflineCodeView[];
    guestCodes: GuestCodeView[];
  };
}

/** Runs a task now, as its schedule would at its time: the same schedule, due at once. */
async function runScheduleNow(name: string) {
  const schedule = await scheduler.send(new GetScheduleCommand({ Name: name, GroupName: 'lockstay' }));
  await scheduler.send(
    new UpdateScheduleCommand({
      Name: name,
      GroupName: 'lockstay',
      ScheduleExpression: atExpression(new Date(), new Date()),
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: schedule.Target,
    }),
  );
}

async function emailsTo(address: string): Promise<StoredEmail[]> {
  const store = (await (await fetch(`${endpoints.services.ses}/store`)).json()) as { emails: StoredEmail[] };
  return store.emails.filter((email) => email.destination.to.includes(address));
}

async function auditOfLock(lockId: string): Promise<AuditItem[]> {
  const audit = await owner.request('GET', '/audit', { query: { lockId, limit: '100' } });
  expect(audit.status).toBe(200);
  return audit.body.items as AuditItem[];
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'lockstay-readiness-'));
  const credentials = await demoOwner(endpoints);
  ownerEmail = credentials.email;
  owner = hostApiClient(endpoints, await idTokenOf(endpoints, credentials));
});

afterAll(async () => {
  for (const lock of running) await lock.stop();
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe('the readiness check before arrival', () => {
  it('a WiFi lock cut off before arrival: the owner is alerted, and the fallback offline code opens the offline lock inside the window', async () => {
    const propertyId = await newProperty('Readiness flat');
    const registered = await registerLock({ propertyId, connectivity: 'wifi' });
    const { lock, clock } = await runFirmware({ ...registered, connectivity: 'wifi' });
    await lock.whenOnline();
    lock.setNetwork(false);
    const offline = await eventually(async () => {
      const answer = await owner.request('GET', `/locks/${registered.lockId}`);
      return answer.body?.condition?.online === false ? true : undefined;
    });
    expect(offline).toBe(true);

    const guestName = `Ada Readiness ${unique}`;
    const { grantId, guestEmail } = await book({ propertyId, guestName });
    // The push goes out at once (arrival is within the lead time), but the lock cannot hear it.
    const sent = await eventually(async () => {
      const view = await grantView(grantId);
      return view.accessCodes.find((code) => code.status === 'setting');
    });
    expect(sent).toBeDefined();

    await runScheduleNow(`readiness-check-${grantId}`);

    const view = await eventually(async () => {
      const current = await grantView(grantId);
      return current.guestCodes.some((code) => code.kind === 'offline') ? current : undefined;
    });
    const fallback = view?.offlineCodes.find((code) => code.lockId === registered.lockId);
    expect(fallback).toMatchObject({ purpose: 'readiness-fallback', current: true });
    expect(view?.guestCodes).toEqual([
      {
        lockId: registered.lockId,
        kind: 'offline',
        code: fallback?.code,
        firstUseBefore: fallback?.firstUseBefore,
      },
    ]);
    const code = fallback?.code ?? '';

    // The owner's alert and the guest's email with the new code, through the SES twin.
    const alert = await eventually(async () =>
      (await emailsTo(ownerEmail)).find((email) => email.subject === `Door code not ready for ${guestName}`),
    );
    expect(alert?.body.text ?? alert?.body.html).toContain('offline');
    const guestMail = await eventually(async () =>
      (await emailsTo(guestEmail)).find((email) =>
        (email.body.text ?? email.body.html ?? '').includes(groupDigits(code)),
      ),
    );
    expect(guestMail).toBeDefined();

    // The audit log tells the story of this lock.
    const story = await eventually(async () => {
      const events = await auditOfLock(registered.lockId);
      return events.some((event) => event.action === 'alert.code-not-ready') ? events : undefined;
    });
    expect(story?.find((event) => event.action === 'alert.code-not-ready')?.details).toMatchObject({
      grantId,
      problem: 'lock-offline',
      fallback: 'offline-code',
    });
    expect(story?.map((event) => event.action)).toEqual(
      expect.arrayContaining(['access-code.sent-to-lock', 'offline-code.issued', 'alert.code-not-ready']),
    );
    expect(JSON.stringify(story)).not.toContain(code);

    // The lock is still offline: its keypad refuses the code today and admits it when the stay begins.
    expect(lock.snapshot().online).toBe(false);
    expect(await lock.enterPin(code)).toMatchObject({ admitted: false });
    clock.offsetMs = Date.parse(view?.grant.window.startsAt ?? '') + 30 * 60_000 - Date.now();
    expect(await lock.enterPin(code)).toMatchObject({ admitted: true, method: 'offline-code' });

    // Back online, the lock reports the entry, and the audit log ends the story with it.
    lock.setNetwork(true);
    await lock.whenOnline();
    const entry = await eventually(async () =>
      (await auditOfLock(registered.lockId)).find(
        (event) => event.action === 'lock.unlocked' && event.details.method === 'offline-code',
      ),
    );
    expect(entry?.details.offlineCode).toMatchObject({ keyVersion: 1 });
    // Several waits on the local cloud of up to 30 s each: the test as a whole may take longer than one.
  }, 240_000);
});

describe('offline codes for a Bluetooth lock', () => {
  it('the grant view gives the lock’s offline code, which the lock admits; remote unlock is refused with 409', async () => {
    const propertyId = await newProperty('Cabin');
    const registered = await registerLock({ propertyId, connectivity: 'bluetooth' });
    const { lock, clock } = await runFirmware({ ...registered, connectivity: 'bluetooth' });

    const { grantId } = await book({ propertyId, guestName: `Grace Cabin ${unique}` });
    const view = await eventually(async () => {
      const current = await grantView(grantId);
      return current.offlineCodes.length > 0 ? current : undefined;
    });
    const offlineCode = view?.offlineCodes[0];
    expect(offlineCode).toMatchObject({
      lockId: registered.lockId,
      purpose: 'bluetooth-lock',
      current: true,
    });
    expect(view?.guestCodes).toEqual([
      {
        lockId: registered.lockId,
        kind: 'offline',
        code: offlineCode?.code,
        firstUseBefore: offlineCode?.firstUseBefore,
      },
    ]);

    const unlock = await owner.request('POST', `/locks/${registered.lockId}/unlock`);
    expect(unlock.status).toBe(409);
    expect(unlock.body.detail).toMatch(/cannot be opened remotely; use the code/);

    const wrong = offlineCode?.code === '135790' ? '246801' : '135790';
    clock.offsetMs = Date.parse(view?.grant.window.startsAt ?? '') + 10 * 60_000 - Date.now();
    expect(await lock.enterPin(wrong)).toMatchObject({ admitted: false });
    expect(await lock.enterPin(offlineCode?.code ?? '')).toMatchObject({
      admitted: true,
      method: 'offline-code',
    });

    const issued = (await auditOfLock(registered.lockId)).find(
      (event) => event.action === 'offline-code.issued',
    );
    expect(issued?.details).toMatchObject({ purpose: 'bluetooth-lock', validFrom: offlineCode?.validFrom });
  }, 120_000);
});
