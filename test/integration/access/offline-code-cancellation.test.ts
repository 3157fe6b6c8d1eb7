/**
 * Cancelling a stay whose guest holds a Bluetooth lock's offline code, on the running local cloud with the
 * reference firmware: the cancellation's answer names the lock and until when the code still opens it, the
 * audit log has the alert, the owner is emailed, and the lock, which is never online, indeed still admits the
 * code inside its window: the warning is true.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type RunningLock, startLock } from '../../../firmware/lock.ts';
import { eventually } from '../../support/eventually.ts';
import { createMember, type HostApiClient, hostApiClient, idTokenOf } from '../../support/hosts.ts';

const endpoints = inject('endpoints');
const tenantId = `tnt-ofc-cancel-${randomUUID().slice(0, 8)}`;
const ownerEmail = `owner-${randomUUID().slice(0, 8)}@${tenantId}.test`;
const running: RunningLock[] = [];
let owner: HostApiClient;
let folder: string;

interface StoredEmail {
  subject: string;
  destination: { to: string[] };
  body: { text?: string; html?: string };
}

const berlinDate = (offsetDays: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(
    new Date(Date.now() + offsetDays * 86_400_000),
  );

async function emailsTo(address: string): Promise<StoredEmail[]> {
  const store = (await (await fetch(`${endpoints.services.ses}/store`)).json()) as { emails: StoredEmail[] };
  return store.emails.filter((email) => email.destination.to.includes(address));
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'lockstay-ofc-cancel-'));
  owner = hostApiClient(
    endpoints,
    await idTokenOf(endpoints, await createMember({ endpoints, tenantId, role: 'owner', email: ownerEmail })),
  );
}, 60_000);

afterAll(async () => {
  for (const lock of running) await lock.stop();
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe('cancelling a stay whose guest holds a Bluetooth lock’s offline code', () => {
  it('tells the host which lock the code still opens and until when, alerts, and the lock indeed still admits it', async () => {
    const property = await owner.request('POST', '/properties', {
      body: {
        name: `Cabin ${tenantId}`,
        address: { line1: 'Waldweg 3', city: 'Berlin', countryCode: 'DE' },
        timeZone: 'Europe/Berlin',
      },
    });
    expect(property.status).toBe(201);
    const registered = await owner.request('POST', '/locks', {
      body: { propertyId: property.body.id, name: 'Cabin door', connectivity: 'bluetooth' },
    });
    expect(registered.status).toBe(201);
    const lockId = registered.body.lock.id as string;
    const bundle = registered.body.installerBundle;
    const clock = { offsetMs: 0 };
    const lock = await startLock({
      thingName: bundle.thingName,
      connectivity: 'bluetooth',
      deviceKeys: [{ version: registered.body.lock.credentials.keyVersion, key: bundle.deviceKey }],
      storagePath: join(folder, `${bundle.thingName}.json`),
      now: () => Date.now() + clock.offsetMs,
      log: () => undefined,
    });
    running.push(lock);

    const created = await owner.request('POST', '/bookings', {
      body: {
        propertyId: property.body.id,
        guest: { name: 'Grace Hopper' },
        arrivalDate: berlinDate(1),
        departureDate: berlinDate(3),
      },
    });
    expect(created.status).toBe(201);
    const grantId = created.body.grant.id as string;
    const view = await eventually(
      async () => (await owner.request('GET', `/grants/${grantId}`)).body,
      (body) => (body?.offlineCodes ?? []).length > 0,
    );
    const offlineCode = view.offlineCodes[0] as { code: string; validFrom: string; validUntil: string };
    expect(offlineCode.code).toMatch(/^\d{6}$/);

    const cancelled = await owner.request('POST', `/bookings/${created.body.booking.id}/cancel`, {
      body: {},
    });

    expect(cancelled.status).toBe(200);
    expect(cancelled.body.stillValidOfflineCodes).toEqual([
      expect.objectContaining({
        lockId,
        lockName: 'Cabin door',
        connectivity: 'bluetooth',
        validUntil: offlineCode.validUntil,
      }),
    ]);
    expect(cancelled.body.warnings).toEqual([expect.stringContaining('Cabin door')]);
    const audit = await eventually(
      async () => (await owner.request('GET', '/audit', { query: { lockId, limit: '100' } })).body,
      (body) =>
        (body?.items ?? []).some(
          (event: { action: string }) => event.action === 'alert.offline-code-still-valid',
        ),
    );
    expect(
      audit.items.find((event: { action: string }) => event.action === 'alert.offline-code-still-valid')
        ?.details,
    ).toMatchObject({ grantId, change: 'cancelled', validUntil: offlineCode.validUntil });
    const emails = await eventually(
      () => emailsTo(ownerEmail),
      (found) => found.some((email) => email.subject.includes('offline code still opens')),
    );
    expect(emails.map((email) => email.subject)).toContainEqual(
      expect.stringContaining('An offline code still opens Cabin door'),
    );

    // The lock is never online: nothing reached it, and it admits the code inside its window.
    clock.offsetMs = Date.parse(offlineCode.validFrom) + 30 * 60_000 - Date.now();
    expect(await lock.enterPin(offlineCode.code)).toMatchObject({ admitted: true, method: 'offline-code' });
  }, 120_000);
});
