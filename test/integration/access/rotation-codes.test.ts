/**
 * A guest's PIN across a credential rotation, on the running local cloud with the reference firmware: the code
 * is set under the lock's first key; the lock is rotated and its installer loads the new bundle (both keys);
 * the cloud retires the old key and sends the code again hashed with the new one; the lock then drops the old
 * key, and the guest's PIN still opens it inside the stay's window.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually } from '../../support/eventually.ts';
import {
  createMember,
  type HostApiClient,
  hostApiClient,
  idTokenOf,
  lockAuditActions,
} from '../../support/hosts.ts';
import { type LockTestBed, lockTestBed } from '../../support/registered-locks.ts';

const endpoints = inject('endpoints');
const tenantId = `tnt-rotation-${randomUUID().slice(0, 8)}`;
let owner: HostApiClient;
let bed: LockTestBed;

const berlinDate = (offsetDays: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(
    new Date(Date.now() + offsetDays * 86_400_000),
  );

interface CodeView {
  id: string;
  lockId: string;
  pin: string;
  status: string;
}

const codeOf = async (bookingId: string, codeId: string): Promise<CodeView | undefined> => {
  const answer = await owner.request('GET', `/bookings/${bookingId}`);
  return (answer.body?.grant?.accessCodes as CodeView[] | undefined)?.find((code) => code.id === codeId);
};

beforeAll(async () => {
  owner = hostApiClient(
    endpoints,
    await idTokenOf(endpoints, await createMember({ endpoints, tenantId, role: 'owner' })),
  );
  // Check-in at midnight: a stay arriving today is open now.
  bed = await lockTestBed({
    endpoints,
    host: owner,
    label: 'rotation-codes',
    property: { checkInTime: '00:00', checkOutTime: '11:00' },
  });
}, 60_000);

afterAll(async () => {
  await bed?.stopAll();
});

describe('a guest’s PIN across a credential rotation', () => {
  it('is sent again with the new key once the old one is retired, and opens the lock that dropped the old key', async () => {
    const registered = await bed.registerLock();
    const first = await bed.startRegisteredLock(registered, { log: () => undefined });
    const created = await owner.request('POST', '/bookings', {
      body: {
        propertyId: bed.propertyId,
        guest: { name: 'Ada Lovelace' },
        arrivalDate: berlinDate(0),
        departureDate: berlinDate(2),
      },
    });
    expect(created.status).toBe(201);
    const bookingId = created.body.booking.id as string;
    const code = (created.body.accessCodes as CodeView[]).find((each) => each.lockId === registered.lockId);
    if (code === undefined) throw new Error('The booking has no code on the lock');
    expect(
      (
        await eventually(
          () => codeOf(bookingId, code.id),
          (found) => found?.status === 'set',
        )
      )?.status,
    ).toBe('set');
    const revisionUnderOldKey = first.snapshot().codes.find((held) => held.codeId === code.id)?.v ?? 0;
    expect(revisionUnderOldKey).toBeGreaterThan(0);

    const rotation = await owner.request('POST', `/locks/${registered.lockId}/rotate-credentials`);
    expect(rotation.status).toBe(200);
    const rotated = {
      lockId: registered.lockId,
      keyVersion: rotation.body.lock.credentials.keyVersion as number,
      bundle: rotation.body.installerBundle,
    };
    // The installer loads the new bundle: the lock restarts with the new certificate and both keys.
    await first.stop();
    const both = await bed.startRegisteredLock(rotated, {
      log: () => undefined,
      earlierKeys: [{ version: registered.keyVersion, key: registered.bundle.deviceKey }],
    });
    const actions = await eventually(
      () => lockAuditActions(owner, registered.lockId),
      (found) => found.includes('lock.credentials-retired'),
    );
    expect(actions).toContain('lock.credentials-retired');
    const resent = await eventually(
      async () => both.snapshot().codes.find((held) => held.codeId === code.id),
      (held) => held !== undefined && held.v > revisionUnderOldKey,
    );
    expect(resent?.v).toBeGreaterThan(revisionUnderOldKey);
    expect(
      (
        await eventually(
          () => codeOf(bookingId, code.id),
          (found) => found?.status === 'set',
        )
      )?.status,
    ).toBe('set');

    // Retired: the lock drops the old key and keeps only the new one.
    await both.stop();
    const newKeyOnly = await bed.startRegisteredLock(rotated, { log: () => undefined });
    expect(newKeyOnly.snapshot().state.keyVersions).toEqual([rotated.keyVersion]);

    expect(await newKeyOnly.enterPin(code.pin)).toMatchObject({ admitted: true, codeId: code.id });
    expect(await lockAuditActions(owner, registered.lockId)).toContain('access-code.rehashed-for-new-key');
  }, 120_000);
});
