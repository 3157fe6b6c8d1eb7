import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { grantRoutesWith } from '#functions/http/api/grants.ts';
import { issueBluetoothOfflineCodes, issueOfflineCodes } from '#shared/access/offline-code-issuance.ts';
import { DomainError } from '#shared/domain/errors.ts';
import { createBooking, modifyBooking } from '#shared/domain/operations/bookings.ts';
import type { MemberPrincipal } from '#shared/domain/team.ts';
import { addLock, addProperty, member, type TestWorld, testWorld } from '../domain/fakes.ts';
import { documented } from '../http/host-api-harness.ts';
import { FakeDeviceKeys } from './access-fakes.ts';
import { InMemoryOfflineCodes } from './offline-code-fakes.ts';

const stay = {
  propertyId: 'prp_loft',
  guest: { name: 'Ada Lovelace', email: 'ada@example.com' },
  arrivalDate: '2026-10-24',
  departureDate: '2026-10-27',
};

let world: TestWorld;
let offlineCodes: InMemoryOfflineCodes;

beforeEach(() => {
  world = testWorld({ now: '2026-10-01T09:00:00.000Z', randomScript: [480371] });
  addProperty(world.store);
  addLock(world.store, { id: 'lck_front', name: 'Front door' });
  addLock(world.store, { id: 'lck_shed', name: 'Shed', connectivity: 'bluetooth' });
  offlineCodes = new InMemoryOfflineCodes(world.store.auditEvents);
});

const issuingPorts = () => ({
  ...world.ports,
  deviceKeys: new FakeDeviceKeys(),
  offlineCodes,
  guestEmails: { codesChanged: async () => {} },
});

async function readGrant({ principal, grantId }: { principal: MemberPrincipal; grantId: string }) {
  const route = grantRoutesWith({ offlineCodes })['GET /grants/{grantId}'];
  if (!route) throw new Error('No grant route');
  const event = { pathParameters: { grantId } } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
  const result = await route({
    event,
    principal,
    ports: world.ports,
    createOnce: () => {
      throw new Error('Reading creates nothing');
    },
  });
  const answer = { status: result.statusCode ?? 200, headers: {}, body: JSON.parse(String(result.body)) };
  return documented('GET /grants/{grantId}', answer);
}

describe("the host's grant view with offline codes", () => {
  it('shows the Bluetooth lock’s offline code and which code the guest uses on each lock', async () => {
    const manager = member({ role: 'manager' });
    const { grant, accessCodes } = await createBooking({
      ports: world.ports,
      principal: manager,
      input: stay,
    });
    await issueBluetoothOfflineCodes({ ports: issuingPorts(), tenantId: 'tnt_a', grantId: grant.id });
    const [issued] = offlineCodes.saves;

    const view = await readGrant({ principal: manager, grantId: grant.id });

    expect(view.offlineCodes).toEqual([
      {
        id: `ofc_${grant.id}_lck_shed`,
        lockId: 'lck_shed',
        code: issued?.code,
        purpose: 'bluetooth-lock',
        keyVersion: 1,
        validFrom: '2026-10-24T13:00:00.000Z',
        validUntil: '2026-10-27T13:00:00.000Z',
        firstUseBefore: '2026-10-25T13:00:00.000Z',
        singleUse: false,
        current: true,
      },
    ]);
    expect(view.guestCodes).toEqual([
      { lockId: 'lck_front', kind: 'pin', code: accessCodes[0]?.pin },
      { lockId: 'lck_shed', kind: 'offline', code: issued?.code, firstUseBefore: '2026-10-25T13:00:00.000Z' },
    ]);
  });

  it('a readiness fallback becomes the code to use on its lock', async () => {
    const manager = member({ role: 'manager' });
    const { grant } = await createBooking({ ports: world.ports, principal: manager, input: stay });
    await issueOfflineCodes({
      ports: issuingPorts(),
      tenantId: 'tnt_a',
      grantId: grant.id,
      lockIds: ['lck_front'],
      purpose: 'readiness-fallback',
    });

    const view = await readGrant({ principal: manager, grantId: grant.id });

    expect(view.guestCodes[0]).toEqual({
      lockId: 'lck_front',
      kind: 'offline',
      code: offlineCodes.saves[0]?.code,
      firstUseBefore: offlineCodes.saves[0]?.firstUseBefore,
    });
  });

  it('marks a code issued for an earlier window as no longer current', async () => {
    const manager = member({ role: 'manager' });
    const { grant, booking } = await createBooking({ ports: world.ports, principal: manager, input: stay });
    await issueBluetoothOfflineCodes({ ports: issuingPorts(), tenantId: 'tnt_a', grantId: grant.id });
    await modifyBooking({
      ports: world.ports,
      principal: manager,
      bookingId: booking.id,
      input: { departureDate: '2026-10-28' },
    });

    const view = await readGrant({ principal: manager, grantId: grant.id });

    expect(view.offlineCodes.map((code: { current: boolean }) => code.current)).toEqual([false]);
    expect(view.guestCodes.map((code: { lockId: string }) => code.lockId)).toEqual(['lck_front']);
  });

  it('a cleaner may not read a guest’s grant, offline codes included', async () => {
    const manager = member({ role: 'manager' });
    const { grant } = await createBooking({ ports: world.ports, principal: manager, input: stay });
    await issueBluetoothOfflineCodes({ ports: issuingPorts(), tenantId: 'tnt_a', grantId: grant.id });
    const cleaner = member({ role: 'staff', assignedPropertyIds: ['prp_loft'] });

    await expect(readGrant({ principal: cleaner, grantId: grant.id })).rejects.toThrow(DomainError);
  });
});
