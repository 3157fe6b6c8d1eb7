/**
 * Specification: a single-use grant (a delivery) on a lock that takes offline codes gets a single-use offline
 * code (device contract 9.5), which the lock admits once; a stay's grant keeps its everyday code.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  type BluetoothOfflineCodePorts,
  issueBluetoothOfflineCodes,
} from '#shared/access/offline-code-issuance.ts';
import { verifyOfflineCode } from '#shared/devices/offline-codes.ts';
import { createBooking } from '#shared/domain/operations/bookings.ts';
import { issueAdHocGrant } from '#shared/domain/operations/grants.ts';
import { addLock, addProperty, member, type TestWorld, testWorld } from '../domain/fakes.ts';
import { deviceKey, FakeDeviceKeys } from './access-fakes.ts';
import { InMemoryOfflineCodes } from './offline-code-fakes.ts';

const manager = member({ role: 'manager' });
let world: TestWorld;
let offlineCodes: InMemoryOfflineCodes;
let ports: BluetoothOfflineCodePorts;

beforeEach(() => {
  world = testWorld({ now: '2026-10-20T09:10:00.000Z' });
  addProperty(world.store);
  addLock(world.store, { id: 'lck_shed', name: 'Shed', connectivity: 'bluetooth' });
  offlineCodes = new InMemoryOfflineCodes(world.store.auditEvents);
  ports = {
    ...world.ports,
    deviceKeys: new FakeDeviceKeys(),
    offlineCodes,
    guestEmails: { codesChanged: async () => undefined },
  };
});

const lockReads = (
  code: string,
  at: string,
  usedSingleUse = [] as Parameters<typeof verifyOfflineCode>[0]['usedSingleUse'],
) =>
  verifyOfflineCode({
    keys: [deviceKey],
    thingName: 'lockstay-lck_shed',
    pinLength: 6,
    code,
    now: Date.parse(at),
    usedSingleUse,
  });

describe('a delivery on a Bluetooth lock', () => {
  it('gets a single-use offline code, which the lock admits once and then refuses', async () => {
    const { grant } = await issueAdHocGrant({
      ports: world.ports,
      principal: manager,
      input: {
        kind: 'delivery',
        propertyId: 'prp_loft',
        lockIds: ['lck_shed'],
        label: 'Parcel',
        durationHours: 3,
      },
    });

    const [issue] = await issueBluetoothOfflineCodes({ ports, tenantId: 'tnt_a', grantId: grant.id });

    expect(issue?.outcome).toBe('issued');
    const [code] = offlineCodes.saves;
    expect(code).toMatchObject({
      lockId: 'lck_shed',
      singleUse: true,
      validFrom: '2026-10-20T09:00:00.000Z',
    });
    const first = lockReads(code?.code ?? '', '2026-10-20T09:15:00.000Z');
    expect(first).toMatchObject({ singleUse: true, firstUse: true });
    const spent = [
      { keyVersion: 1, startHour: code?.startHour ?? 0, durationClass: code?.durationClass ?? 0, usedAt: 0 },
    ];
    expect(lockReads(code?.code ?? '', '2026-10-20T09:20:00.000Z', spent)).toMatchObject({ firstUse: false });
    expect(
      world.store.auditEvents.find((event) => event.action === 'offline-code.issued')?.details,
    ).toMatchObject({ singleUse: true });
  });

  it('a stay keeps an everyday offline code, admitted again and again', async () => {
    const { grant } = await createBooking({
      ports: world.ports,
      principal: manager,
      input: {
        propertyId: 'prp_loft',
        guest: { name: 'Ada' },
        arrivalDate: '2026-10-24',
        departureDate: '2026-10-27',
      },
    });

    await issueBluetoothOfflineCodes({ ports, tenantId: 'tnt_a', grantId: grant.id });

    const [code] = offlineCodes.saves;
    expect(code?.singleUse).toBeUndefined();
    expect(lockReads(code?.code ?? '', '2026-10-24T14:00:00.000Z')).toMatchObject({ singleUse: false });
  });
});
