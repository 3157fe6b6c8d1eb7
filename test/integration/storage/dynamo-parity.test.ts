/**
 * The DynamoDB storage keeps the promises of the in-memory store the domain was specified against: the same
 * operations, run on both with the same clock, ids and randomness, give the same results and leave the same
 * answers to every read of every repository.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { NotFoundError } from '#shared/domain/errors.ts';
import { cancelBooking, createBooking, modifyBooking } from '#shared/domain/operations/bookings.ts';
import { issueAdHocGrant, revokeGrant } from '#shared/domain/operations/grants.ts';
import { registerLock } from '#shared/domain/operations/locks.ts';
import { createProperty, updateProperty } from '#shared/domain/operations/properties.ts';
import { getBooking, getProperty } from '#shared/domain/operations/queries.ts';
import { activateTeamMember, inviteTeamMember } from '#shared/domain/operations/team.ts';
import type { DomainPorts } from '#shared/domain/ports/domain-ports.ts';
import { member } from '../../unit/domain/fakes.ts';
import {
  byId,
  createDynamoStorage,
  dynamoWorld,
  localDocumentClient,
  memoryWorld,
  newTenantId,
  plain,
  readAllPages,
  type World,
} from './dynamo-world.ts';

const endpoints = inject('endpoints');
const client = localDocumentClient(endpoints);
const storage = createDynamoStorage({ client, tableName: endpoints.tableName });

/** A host's first weeks: properties, locks, a team, bookings from three sources, ad-hoc grants. */
async function runScenario({ world, tenantId }: { world: World; tenantId: string }) {
  const { ports, clock } = world;
  const owner = member({ role: 'owner', tenantId, userId: 'usr_founder' });
  const results: unknown[] = [];
  const step = async <T>(result: Promise<T>): Promise<T> => {
    const value = await result;
    results.push(value);
    clock.advanceMinutes(7);
    return value;
  };

  const { property: loft } = await step(
    createProperty({
      ports,
      principal: owner,
      input: {
        name: 'Altbau loft',
        address: { line1: 'Kastanienallee 1', city: 'Berlin', countryCode: 'DE' },
        timeZone: 'Europe/Berlin',
        codeBufferBeforeMinutes: 30,
      },
    }),
  );
  for (const name of ['Zebra house', 'élan flat', 'Beach hut']) {
    await step(
      createProperty({
        ports,
        principal: owner,
        input: {
          name,
          address: { line1: '1 Main St', city: 'Lisbon', countryCode: 'PT' },
          timeZone: 'Europe/Lisbon',
        },
      }),
    );
  }
  await step(
    updateProperty({ ports, principal: owner, propertyId: loft.id, input: { checkInTime: '16:00' } }),
  );

  const { lock: front } = await step(
    registerLock({
      ports,
      principal: owner,
      input: { propertyId: loft.id, name: 'Front door', connectivity: 'wifi' },
    }),
  );
  await step(
    registerLock({
      ports,
      principal: owner,
      input: {
        propertyId: loft.id,
        name: 'Flat door',
        connectivity: 'hybrid',
        codeConstraints: { pinLength: 4, capacity: 10 },
      },
    }),
  );
  await step(
    registerLock({
      ports,
      principal: owner,
      input: { propertyId: loft.id, name: 'Garden gate', connectivity: 'bluetooth' },
    }),
  );

  const cleaner = await step(
    inviteTeamMember({
      ports,
      principal: owner,
      input: { email: 'Clara@Example.com', name: 'Clara', role: 'staff', assignedPropertyIds: [loft.id] },
    }),
  );
  const boss = await step(
    inviteTeamMember({
      ports,
      principal: owner,
      input: { email: 'boss@example.com', name: 'Bea', role: 'owner' },
    }),
  );
  await step(
    inviteTeamMember({
      ports,
      principal: owner,
      input: { email: 'max@example.com', name: 'Max', role: 'manager' },
    }),
  );
  await step(activateTeamMember({ ports, tenantId, userId: cleaner.member.userId }));
  await step(activateTeamMember({ ports, tenantId, userId: boss.member.userId }));

  const manual = await step(
    createBooking({
      ports,
      principal: owner,
      input: {
        propertyId: loft.id,
        guest: { name: 'Ada' },
        arrivalDate: '2026-10-10',
        departureDate: '2026-10-13',
      },
    }),
  );
  const fromChannel = {
    propertyId: loft.id,
    source: 'webhook',
    sourceReservationId: 'HM-123',
    guest: { name: 'Grace', email: 'grace@example.com' },
    arrivalDate: '2026-10-20',
    departureDate: '2026-10-25',
  };
  await step(createBooking({ ports, principal: owner, input: fromChannel }));
  await step(createBooking({ ports, principal: owner, input: fromChannel }));
  const doomed = await step(
    createBooking({
      ports,
      principal: owner,
      input: {
        propertyId: loft.id,
        source: 'ical',
        sourceReservationId: 'HMX9',
        guest: { name: 'Linus' },
        arrivalDate: '2026-11-01',
        departureDate: '2026-11-05',
      },
    }),
  );
  await step(
    createBooking({
      ports,
      principal: owner,
      input: {
        propertyId: loft.id,
        guest: { name: 'Old stay' },
        arrivalDate: '2026-09-01',
        departureDate: '2026-09-04',
      },
    }),
  );
  await step(
    modifyBooking({
      ports,
      principal: owner,
      bookingId: manual.booking.id,
      input: { departureDate: '2026-10-14' },
    }),
  );
  await step(
    cancelBooking({
      ports,
      principal: owner,
      bookingId: doomed.booking.id,
      input: { reason: 'guest cancelled' },
    }),
  );

  const delivery = await step(
    issueAdHocGrant({
      ports,
      principal: owner,
      input: { kind: 'delivery', propertyId: loft.id, label: 'Groceries' },
    }),
  );
  await step(
    issueAdHocGrant({
      ports,
      principal: owner,
      input: {
        kind: 'emergency',
        propertyId: loft.id,
        lockIds: [front.id],
        contact: { name: 'Plumber' },
        reason: 'Burst pipe',
      },
    }),
  );
  await step(
    issueAdHocGrant({
      ports,
      principal: owner,
      input: { kind: 'permanent', propertyId: loft.id, ownerUserId: boss.member.userId },
    }),
  );
  await step(
    issueAdHocGrant({
      ports,
      principal: owner,
      input: {
        kind: 'turnover',
        propertyId: loft.id,
        staffUserId: cleaner.member.userId,
        afterBookingId: manual.booking.id,
      },
    }),
  );
  await step(
    revokeGrant({ ports, principal: owner, grantId: delivery.grant.id, input: { reason: 'came early' } }),
  );
  return {
    results,
    loftId: loft.id,
    lockIds: (await ports.locks.listByProperty({ tenantId, propertyId: loft.id })).map((lock) => lock.id),
  };
}

/** Every read of every repository over what the scenario left. */
async function observe({
  ports,
  tenantId,
  loftId,
  lockIds,
}: {
  ports: DomainPorts;
  tenantId: string;
  loftId: string;
  lockIds: string[];
}) {
  const properties = await readAllPages((page) => ports.properties.list({ tenantId, page }));
  const bookings = await readAllPages((page) =>
    ports.bookings.listByProperty({ tenantId, propertyId: loftId, page }),
  );
  const grants = await readAllPages((page) =>
    ports.grants.listByProperty({ tenantId, propertyId: loftId, page }),
  );
  const team = await readAllPages((page) => ports.team.list({ tenantId, page }));
  const holders = await Promise.all(
    team.items.map((teamMember) =>
      readAllPages((page) => ports.grants.listByHolder({ tenantId, userId: teamMember.userId, page })),
    ),
  );
  const instants = [
    '2026-10-01T09:00:00.000Z',
    '2026-10-14T12:00:00.000Z',
    '2026-10-26T00:00:00.000Z',
    ...grants.items.flatMap((grant) => (grant.window.endsAt ? [grant.window.endsAt] : [])),
  ];
  return plain({
    properties: properties.items.map((property) => property.name),
    propertyGets: await Promise.all(
      properties.items.map((property) => ports.properties.get({ tenantId, propertyId: property.id })),
    ),
    locks: await ports.locks.listByProperty({ tenantId, propertyId: loftId }),
    lockGets: await Promise.all(lockIds.map((lockId) => ports.locks.get({ tenantId, lockId }))),
    bookings: bookings.items,
    bookingsFrom: await Promise.all(
      ['2026-09-03', '2026-10-13', '2026-10-14', '2026-10-15', '2026-11-05', '2026-11-06'].map(
        async (fromDate) =>
          (
            await readAllPages((page) =>
              ports.bookings.listByProperty({ tenantId, propertyId: loftId, fromDate, page }),
            )
          ).items.map((booking) => booking.id),
      ),
    ),
    nextArrivals: await Promise.all(
      bookings.items.map((booking) =>
        ports.bookings.findNextArrival({
          tenantId,
          propertyId: loftId,
          fromDate: booking.departureDate,
          excludingBookingId: booking.id,
        }),
      ),
    ),
    byReservation: await Promise.all(
      [
        ['webhook', 'HM-123'],
        ['ical', 'HMX9'],
        ['ical', 'HM-123'],
      ].map(([source, sourceReservationId]) =>
        ports.bookings.findBySourceReservation({
          tenantId,
          source: source as 'webhook' | 'ical',
          sourceReservationId: sourceReservationId as string,
        }),
      ),
    ),
    grants: grants.items,
    grantGets: await Promise.all(
      grants.items.map((grant) => ports.grants.get({ tenantId, grantId: grant.id })),
    ),
    liveGrants: await Promise.all(
      instants.map(async (at) =>
        byId(await ports.grants.listLiveByProperty({ tenantId, propertyId: loftId, at })).map(
          (grant) => grant.id,
        ),
      ),
    ),
    holders: holders.map((held) => held.items.map((grant) => grant.id)),
    codesByGrant: await Promise.all(
      grants.items.map(async (grant) =>
        byId(await ports.accessCodes.listByGrant({ tenantId, grantId: grant.id })),
      ),
    ),
    liveCodes: await Promise.all(
      lockIds.map(async (lockId) =>
        byId(
          (await readAllPages((page) => ports.accessCodes.listLiveByLock({ tenantId, lockId, page }))).items,
        ),
      ),
    ),
    team: team.items,
    byEmail: await Promise.all(
      ['clara@example.com', 'BOSS@example.com', 'nobody@example.com'].map((email) =>
        ports.team.findByEmail({ tenantId, email }),
      ),
    ),
    roles: await Promise.all(
      (['owner', 'manager', 'staff'] as const).map(async (role) =>
        (await ports.team.listByRole({ tenantId, role })).map((teamMember) => teamMember.userId).sort(),
      ),
    ),
    audit: {
      tenant: (
        await readAllPages((page) => ports.auditLog.list({ tenantId, scope: { kind: 'tenant' }, page }), 5)
      ).items,
      property: (
        await readAllPages(
          (page) => ports.auditLog.list({ tenantId, scope: { kind: 'property', propertyId: loftId }, page }),
          3,
        )
      ).items,
      locks: await Promise.all(
        lockIds.map(
          async (lockId) =>
            (
              await readAllPages((page) =>
                ports.auditLog.list({ tenantId, scope: { kind: 'lock', lockId }, page }),
              )
            ).items,
        ),
      ),
    },
  });
}

describe('DynamoDB storage, beside the in-memory store the domain was specified against', () => {
  const tenantId = newTenantId();
  const inDynamo = dynamoWorld({ storage });
  const inMemory = memoryWorld();
  let dynamoRun: Awaited<ReturnType<typeof runScenario>>;
  let memoryRun: Awaited<ReturnType<typeof runScenario>>;

  beforeAll(async () => {
    dynamoRun = await runScenario({ world: inDynamo, tenantId });
    memoryRun = await runScenario({ world: inMemory, tenantId });
  });

  it('gives every operation the same result', () => {
    expect(plain(dynamoRun.results)).toEqual(plain(memoryRun.results));
    expect(dynamoRun.results).toHaveLength(25);
  });

  it('answers every read of every repository the same, page after page', async () => {
    const fromDynamo = await observe({ ports: inDynamo.ports, tenantId, ...dynamoRun });
    const fromMemory = await observe({ ports: inMemory.ports, tenantId, ...memoryRun });

    // A few landmarks first, so a difference below has a readable story.
    expect(fromDynamo.properties).toEqual(['Altbau loft', 'Beach hut', 'élan flat', 'Zebra house']);
    expect(fromDynamo.bookings.map((booking) => booking.guest.name)).toEqual([
      'Old stay',
      'Ada',
      'Grace',
      'Linus',
    ]);
    expect(fromDynamo.grants.map((grant) => grant.kind)).toEqual([
      'turnover',
      'permanent',
      'emergency',
      'delivery',
      'booking',
      'booking',
      'booking',
      'booking',
    ]);
    // The revocation came last: its withdrawals were recorded after it, so they are read before it.
    expect(fromDynamo.audit.tenant.slice(0, 3).map((event) => event.action)).toEqual([
      'access-code.withdrawn',
      'access-code.withdrawn',
      'grant.revoked',
    ]);
    expect(fromDynamo).toEqual(fromMemory);
  });

  it('reads another tenant’s ids as absent and its lists as empty', async () => {
    const stranger = newTenantId();
    const { ports } = inDynamo;
    const bookingId = dynamoRun.results.flatMap((result) =>
      typeof result === 'object' && result !== null && 'booking' in result
        ? [(result as { booking: { id: string } }).booking.id]
        : [],
    )[0] as string;

    await expect(
      ports.properties.get({ tenantId: stranger, propertyId: dynamoRun.loftId }),
    ).resolves.toBeUndefined();
    await expect(ports.bookings.get({ tenantId: stranger, bookingId })).resolves.toBeUndefined();
    await expect(
      ports.locks.listByProperty({ tenantId: stranger, propertyId: dynamoRun.loftId }),
    ).resolves.toEqual([]);
    await expect(
      ports.bookings.findBySourceReservation({
        tenantId: stranger,
        source: 'webhook',
        sourceReservationId: 'HM-123',
      }),
    ).resolves.toBeUndefined();
    await expect(
      ports.team.findByEmail({ tenantId: stranger, email: 'clara@example.com' }),
    ).resolves.toBeUndefined();
    await expect(
      ports.auditLog.list({ tenantId: stranger, scope: { kind: 'tenant' }, page: { limit: 10 } }),
    ).resolves.toEqual({
      items: [],
    });
    const strangerOwner = member({ role: 'owner', tenantId: stranger });
    await expect(
      getProperty({ ports, principal: strangerOwner, propertyId: dynamoRun.loftId }),
    ).rejects.toThrow(NotFoundError);
    await expect(getBooking({ ports, principal: strangerOwner, bookingId })).rejects.toThrow(NotFoundError);
  });
});
