/**
 * The rules the table itself enforces, on DynamoDB Local: PINs unique among the live codes of a lock however
 * many allocations race, one booking per reservation however often it is delivered, stale updates refused,
 * lists read page by page with cursors that cannot be bent, live lists that never read history, and the
 * audit log newest first per property and per lock.
 */
import { describe, expect, inject, it } from 'vitest';
import type { AccessCode } from '#shared/domain/access-code.ts';
import type { AuditEvent } from '#shared/domain/audit.ts';
import { revise } from '#shared/domain/entity.ts';
import { ConflictError, InvalidInputError } from '#shared/domain/errors.ts';
import { cancelBooking, createBooking } from '#shared/domain/operations/bookings.ts';
import { issueAdHocGrant } from '#shared/domain/operations/grants.ts';
import { registerLock } from '#shared/domain/operations/locks.ts';
import { createProperty } from '#shared/domain/operations/properties.ts';
import { listProperties } from '#shared/domain/operations/queries.ts';
import type { ChangeSet, CommitOutcome } from '#shared/domain/ports/change-set.ts';
import type { RandomSource } from '#shared/domain/ports/random-source.ts';
import { member } from '../../unit/domain/fakes.ts';
import {
  createDynamoStorage,
  dynamoWorld,
  localDocumentClient,
  newTenantId,
  readAllPages,
  recordingDocumentClient,
} from './dynamo-world.ts';

const endpoints = inject('endpoints');
const { tableName } = endpoints;
const storage = createDynamoStorage({ client: localDocumentClient(endpoints), tableName });

async function propertyWithLocks({
  tenantId,
  locks,
  world = dynamoWorld({ storage }),
}: {
  tenantId: string;
  locks: { name: string; pinLength?: number }[];
  world?: ReturnType<typeof dynamoWorld>;
}) {
  const owner = member({ role: 'owner', tenantId });
  const { property } = await createProperty({
    ports: world.ports,
    principal: owner,
    input: {
      name: 'Altbau loft',
      address: { line1: 'Kastanienallee 1', city: 'Berlin', countryCode: 'DE' },
      timeZone: 'Europe/Berlin',
    },
  });
  const registered = [];
  for (const { name, pinLength = 6 } of locks) {
    const { lock } = await registerLock({
      ports: world.ports,
      principal: owner,
      input: {
        propertyId: property.id,
        name,
        connectivity: 'wifi',
        codeConstraints: { pinLength, capacity: 50 },
      },
    });
    registered.push(lock);
  }
  return { world, owner, property, locks: registered };
}

function accessCode({
  tenantId,
  lockId,
  id,
  pin,
}: {
  tenantId: string;
  lockId: string;
  id: string;
  pin: string;
}) {
  const at = '2026-10-01T09:00:00.000Z';
  const code: AccessCode = {
    tenantId,
    id,
    grantId: `gnt_${id}`,
    lockId,
    propertyId: 'prp_race',
    pin,
    status: 'scheduled',
    window: { startsAt: '2026-10-10T14:00:00.000Z', endsAt: '2026-10-13T09:00:00.000Z' },
    singleUse: false,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  return code;
}

const creating = (code: AccessCode): ChangeSet => ({
  writes: [{ entity: 'accessCode', op: 'create', value: code }],
  auditEvents: [],
});

describe('a PIN on a lock', () => {
  it('is claimed by exactly one of many codes committed at the same moment', async () => {
    const tenantId = newTenantId();
    const codes = Array.from({ length: 12 }, (_, index) =>
      accessCode({ tenantId, lockId: 'lck_race', id: `acd_${index}`, pin: '482916' }),
    );

    const outcomes = await Promise.all(codes.map((code) => storage.changes.commit(creating(code))));

    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
    const refused = outcomes.filter((outcome) => !outcome.ok);
    expect(refused).toHaveLength(11);
    for (const outcome of refused) {
      expect(outcome).toMatchObject({ ok: false, conflict: { kind: 'pin-taken', lockId: 'lck_race' } });
    }
    const live = await storage.accessCodes.listLiveByLock({
      tenantId,
      lockId: 'lck_race',
      page: { limit: 50 },
    });
    expect(live.items.map((code) => code.pin)).toEqual(['482916']);
  });

  it('stays unique among live codes when many grants draw PINs for one lock in parallel', async () => {
    // Prepare: PINs drawn from a pool of eight, so the grants collide and must draw again.
    const tenantId = newTenantId();
    const { world, owner, property, locks } = await propertyWithLocks({
      tenantId,
      locks: [{ name: 'Door', pinLength: 4 }],
    });
    const pool = [3817, 5046, 7291, 4630, 9152, 2874, 6309, 8143];
    const narrow: RandomSource = { randomInt: () => pool[Math.floor(Math.random() * pool.length)] ?? 3817 };
    const outcomes: CommitOutcome[] = [];
    const ports = {
      ...world.ports,
      random: narrow,
      changes: {
        commit: async (changes: ChangeSet) => {
          const outcome = await world.ports.changes.commit(changes);
          outcomes.push(outcome);
          return outcome;
        },
      },
    };

    // Act
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, index) =>
        issueAdHocGrant({
          ports,
          principal: owner,
          input: { kind: 'delivery', propertyId: property.id, label: `Parcel ${index}` },
        }),
      ),
    );

    // Assess
    const lockId = locks[0]?.id as string;
    const live = await readAllPages(
      (page) => world.ports.accessCodes.listLiveByLock({ tenantId, lockId, page }),
      5,
    );
    const pins = live.items.map((code) => code.pin);
    expect(new Set(pins).size).toBe(pins.length);
    const issued = results.filter((result) => result.status === 'fulfilled');
    expect(issued.length).toBe(live.items.length);
    expect(issued.length).toBeGreaterThan(0);
    expect(issued.length).toBeLessThanOrEqual(pool.length);
    for (const result of results) {
      if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(ConflictError);
    }
    // The database refused PINs: nothing read them first.
    expect(outcomes.some((outcome) => !outcome.ok && outcome.conflict.kind === 'pin-taken')).toBe(true);
  });

  it('is free again once its code is removed from the lock', async () => {
    const tenantId = newTenantId();
    const first = accessCode({ tenantId, lockId: 'lck_reuse', id: 'acd_first', pin: '615284' });
    const second = accessCode({ tenantId, lockId: 'lck_reuse', id: 'acd_second', pin: '615284' });
    await storage.changes.commit(creating(first));
    expect(await storage.changes.commit(creating(second))).toMatchObject({ conflict: { kind: 'pin-taken' } });

    const removed = revise(first, { status: 'removed' }, '2026-10-02T09:00:00.000Z');
    await expect(
      storage.changes.commit({
        writes: [{ entity: 'accessCode', op: 'update', value: removed }],
        auditEvents: [],
      }),
    ).resolves.toEqual({ ok: true });

    await expect(storage.changes.commit(creating(second))).resolves.toEqual({ ok: true });
    const live = await storage.accessCodes.listLiveByLock({
      tenantId,
      lockId: 'lck_reuse',
      page: { limit: 10 },
    });
    expect(live.items.map((code) => code.id)).toEqual(['acd_second']);
  });
});

describe('a booking delivered again', () => {
  const delivery = (propertyId: string, sourceReservationId: string) => ({
    propertyId,
    source: 'webhook',
    sourceReservationId,
    guest: { name: 'Grace', email: 'grace@example.com' },
    arrivalDate: '2026-10-20',
    departureDate: '2026-10-25',
  });

  it('writes nothing the second time', async () => {
    const tenantId = newTenantId();
    const { client, sent } = recordingDocumentClient(endpoints);
    const { world, owner, property } = await propertyWithLocks({
      tenantId,
      locks: [{ name: 'Door' }],
      world: dynamoWorld({ storage: createDynamoStorage({ client, tableName }) }),
    });
    const { ports } = world;
    const first = await createBooking({ ports, principal: owner, input: delivery(property.id, 'HM-1') });
    sent.length = 0;

    const again = await createBooking({ ports, principal: owner, input: delivery(property.id, 'HM-1') });

    expect(again.outcome).toBe('existing');
    expect(again.booking).toEqual(first.booking);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.map((command) => command.command)).not.toContain('TransactWriteItemsCommand');
    expect(sent.every((command) => /^(Get|Query|BatchGetItem)/.test(command.command))).toBe(true);
  });

  it('becomes one booking when the deliveries race', async () => {
    const tenantId = newTenantId();
    const { owner, property } = await propertyWithLocks({ tenantId, locks: [{ name: 'Door' }] });
    // Each delivery is handled by its own invocation: its own ids, nothing shared but the table.
    const deliveries = Array.from({ length: 6 }, (_, index) => {
      const { ports } = dynamoWorld({ storage });
      return { ...ports, ids: { newId: () => `${index}-${Math.random().toString(36).slice(2)}` } };
    });

    const results = await Promise.all(
      deliveries.map((ports) =>
        createBooking({ ports, principal: owner, input: delivery(property.id, 'HM-RACE') }),
      ),
    );

    expect(results.filter((result) => result.outcome === 'created')).toHaveLength(1);
    expect(new Set(results.map((result) => result.booking.id)).size).toBe(1);
    const schedule = await storage.bookings.listByProperty({
      tenantId,
      propertyId: property.id,
      page: { limit: 10 },
    });
    expect(schedule.items).toHaveLength(1);
    const grants = await storage.grants.listByProperty({
      tenantId,
      propertyId: property.id,
      page: { limit: 10 },
    });
    expect(grants.items).toHaveLength(1);
  });
});

describe('an update', () => {
  it('made from a version someone else already changed is refused as stale', async () => {
    const tenantId = newTenantId();
    const { world, owner, property } = await propertyWithLocks({ tenantId, locks: [] });
    const { booking } = await createBooking({
      ports: world.ports,
      principal: owner,
      input: {
        propertyId: property.id,
        guest: { name: 'Ada' },
        arrivalDate: '2026-10-10',
        departureDate: '2026-10-13',
      },
    });
    const edits = ['Ada L.', 'Ada Lovelace', 'A. Lovelace', 'Countess'].map((name) =>
      revise(booking, { guest: { ...booking.guest, name } }, '2026-10-01T10:00:00.000Z'),
    );

    const outcomes = await Promise.all(
      edits.map((value) =>
        storage.changes.commit({ writes: [{ entity: 'booking', op: 'update', value }], auditEvents: [] }),
      ),
    );

    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
    for (const outcome of outcomes.filter((candidate) => !candidate.ok)) {
      expect(outcome).toEqual({ ok: false, conflict: { kind: 'stale', entity: 'booking', id: booking.id } });
    }
    const stored = await storage.bookings.get({ tenantId, bookingId: booking.id });
    expect(stored?.version).toBe(2);
    expect(edits.map((edit) => edit.guest.name)).toContain(stored?.guest.name);
  });

  it('is all or nothing: a stale item leaves every other write of the change set unwritten', async () => {
    const tenantId = newTenantId();
    const { world, owner, property } = await propertyWithLocks({ tenantId, locks: [{ name: 'Door' }] });
    const { booking, grant } = await createBooking({
      ports: world.ports,
      principal: owner,
      input: {
        propertyId: property.id,
        guest: { name: 'Ada' },
        arrivalDate: '2026-10-10',
        departureDate: '2026-10-13',
      },
    });
    const at = '2026-10-01T10:00:00.000Z';

    const outcome = await storage.changes.commit({
      writes: [
        { entity: 'grant', op: 'update', value: revise(grant, { note: 'moved' }, at) },
        { entity: 'booking', op: 'update', value: { ...booking, version: 5 } },
      ],
      auditEvents: [],
    });

    expect(outcome).toEqual({ ok: false, conflict: { kind: 'stale', entity: 'booking', id: booking.id } });
    expect((await storage.grants.get({ tenantId, grantId: grant.id }))?.version).toBe(1);
  });
});

describe('a list', () => {
  it('is read page by page with cursors, in order, each item once', async () => {
    const tenantId = newTenantId();
    const { ports } = dynamoWorld({ storage });
    const owner = member({ role: 'owner', tenantId });
    const names = Array.from({ length: 23 }, (_, index) => `House ${String(index).padStart(2, '0')}`);
    for (const name of [...names].reverse()) {
      await createProperty({
        ports,
        principal: owner,
        input: {
          name,
          address: { line1: '1 Main St', city: 'Lisbon', countryCode: 'PT' },
          timeZone: 'Europe/Lisbon',
        },
      });
    }

    const { items, pages } = await readAllPages((page) => storage.properties.list({ tenantId, page }), 5);

    expect(items.map((property) => property.name)).toEqual(names);
    expect(pages).toBe(5);
    const exact = await readAllPages((page) => storage.properties.list({ tenantId, page }), 23);
    expect(exact.pages).toBe(1);
  });

  it('refuses a cursor that was tampered with, or that belongs to another list or tenant', async () => {
    const tenantId = newTenantId();
    const { world, owner, property } = await propertyWithLocks({ tenantId, locks: [] });
    for (const name of ['Attic', 'Bunker']) {
      await createProperty({
        ports: world.ports,
        principal: owner,
        input: {
          name,
          address: { line1: '1 Main St', city: 'Lisbon', countryCode: 'PT' },
          timeZone: 'Europe/Lisbon',
        },
      });
    }
    const first = await storage.properties.list({ tenantId, page: { limit: 1 } });
    const cursor = first.nextCursor as string;
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, string>;
    const reencoded = (key: Record<string, string>) => Buffer.from(JSON.stringify(key)).toString('base64url');
    const otherTenant = newTenantId();

    const attempts = [
      `${cursor.slice(0, -2)}!!`,
      'bm90IGpzb24',
      reencoded({ ...decoded, extra: 'x' }),
      reencoded({ ...decoded, gsi1pk: `T#${otherTenant}#PROPERTIES` }),
      reencoded({ ...decoded, pk: `T#${otherTenant}#PROPERTY#x` }),
    ];
    for (const attempt of attempts) {
      await expect(
        storage.properties.list({ tenantId, page: { cursor: attempt, limit: 1 } }),
      ).rejects.toThrow(InvalidInputError);
    }
    await expect(
      storage.properties.list({ tenantId: otherTenant, page: { cursor, limit: 1 } }),
    ).rejects.toThrow(InvalidInputError);
    await expect(
      storage.bookings.listByProperty({ tenantId, propertyId: property.id, page: { cursor, limit: 1 } }),
    ).rejects.toThrow(InvalidInputError);
    await expect(
      listProperties({ ports: world.ports, principal: owner, page: { cursor: 'e30' } }),
    ).rejects.toThrow(InvalidInputError);
  });
});

describe('a live list', () => {
  it('of grants reads only the grants whose window has not ended, not the property’s history', async () => {
    const tenantId = newTenantId();
    const { client, sent } = recordingDocumentClient(endpoints);
    const recorded = createDynamoStorage({ client, tableName });
    const { world, owner, property } = await propertyWithLocks({
      tenantId,
      locks: [{ name: 'Door' }],
      world: dynamoWorld({ storage: recorded, now: '2026-12-01T09:00:00.000Z' }),
    });
    const stays = [
      ['2026-09-01', '2026-09-03'],
      ['2026-09-05', '2026-09-08'],
      ['2026-09-10', '2026-09-12'],
      ['2026-10-01', '2026-10-04'],
      ['2026-10-10', '2026-10-15'],
      ['2026-11-20', '2026-11-22'],
      ['2026-12-05', '2026-12-08'],
      ['2026-12-20', '2026-12-27'],
    ];
    for (const [arrivalDate, departureDate] of stays) {
      await createBooking({
        ports: world.ports,
        principal: owner,
        input: { propertyId: property.id, guest: { name: 'Guest' }, arrivalDate, departureDate },
      });
    }
    sent.length = 0;

    const live = await recorded.grants.listLiveByProperty({
      tenantId,
      propertyId: property.id,
      at: '2026-12-01T09:00:00.000Z',
    });

    expect(live.map((grant) => grant.window.startsAt.slice(0, 10)).sort()).toEqual([
      '2026-12-05',
      '2026-12-20',
    ]);
    expect(sent.map((command) => command.output?.ScannedCount)).toEqual([2]);
  });

  it('of a lock’s codes leaves out removed codes without reading them', async () => {
    const tenantId = newTenantId();
    const { client, sent } = recordingDocumentClient(endpoints);
    const recorded = createDynamoStorage({ client, tableName });
    const { world, owner, property, locks } = await propertyWithLocks({
      tenantId,
      locks: [{ name: 'Door' }],
      world: dynamoWorld({ storage: recorded }),
    });
    const bookingIds = [];
    for (const arrivalDate of ['2026-11-01', '2026-11-10', '2026-11-20']) {
      const { booking } = await createBooking({
        ports: world.ports,
        principal: owner,
        input: {
          propertyId: property.id,
          guest: { name: 'Guest' },
          arrivalDate,
          departureDate: `${arrivalDate.slice(0, 8)}25`,
        },
      });
      bookingIds.push(booking.id);
    }
    // Codes never sent to the lock are dropped at once on cancellation: they reach `removed`.
    await cancelBooking({ ports: world.ports, principal: owner, bookingId: bookingIds[0] as string });
    await cancelBooking({ ports: world.ports, principal: owner, bookingId: bookingIds[1] as string });
    sent.length = 0;

    const live = await recorded.accessCodes.listLiveByLock({
      tenantId,
      lockId: locks[0]?.id as string,
      page: { limit: 10 },
    });

    expect(live.items).toHaveLength(1);
    expect(live.items[0]?.window.startsAt.slice(0, 10)).toBe('2026-11-20');
    expect(sent.map((command) => command.output?.ScannedCount)).toEqual([1]);
  });
});

describe('the audit log', () => {
  it('reads newest first per property and per lock, each with only its own events', async () => {
    const tenantId = newTenantId();
    const { world, owner, property, locks } = await propertyWithLocks({
      tenantId,
      locks: [{ name: 'Front door' }, { name: 'Flat door' }],
    });
    const other = await createProperty({
      ports: world.ports,
      principal: owner,
      input: {
        name: 'Beach hut',
        address: { line1: '1 Main St', city: 'Lisbon', countryCode: 'PT' },
        timeZone: 'Europe/Lisbon',
      },
    });
    for (const arrivalDate of ['2026-11-01', '2026-11-10']) {
      world.clock.advanceMinutes(5);
      await createBooking({
        ports: world.ports,
        principal: owner,
        input: {
          propertyId: property.id,
          guest: { name: 'Guest' },
          arrivalDate,
          departureDate: `${arrivalDate.slice(0, 8)}15`,
        },
      });
    }
    world.clock.advanceMinutes(5);
    await issueAdHocGrant({
      ports: world.ports,
      principal: owner,
      input: {
        kind: 'delivery',
        propertyId: property.id,
        lockIds: [locks[1]?.id as string],
        label: 'Parcel',
      },
    });
    const newestFirst = (events: AuditEvent[]) => {
      for (let index = 1; index < events.length; index += 1) {
        expect((events[index - 1] as AuditEvent).at >= (events[index] as AuditEvent).at).toBe(true);
      }
    };

    const ofProperty = await readAllPages(
      (page) =>
        storage.auditLog.list({ tenantId, scope: { kind: 'property', propertyId: property.id }, page }),
      4,
    );
    const ofFront = await readAllPages(
      (page) =>
        storage.auditLog.list({ tenantId, scope: { kind: 'lock', lockId: locks[0]?.id as string }, page }),
      2,
    );
    const ofFlat = await readAllPages(
      (page) =>
        storage.auditLog.list({ tenantId, scope: { kind: 'lock', lockId: locks[1]?.id as string }, page }),
      2,
    );

    expect(ofProperty.items.map((event) => event.action)).toEqual([
      'access-code.allocated',
      'grant.issued',
      'access-code.allocated',
      'access-code.allocated',
      'grant.issued',
      'booking.created',
      'access-code.allocated',
      'access-code.allocated',
      'grant.issued',
      'booking.created',
      'lock.registered',
      'lock.registered',
      'property.created',
    ]);
    newestFirst(ofProperty.items);
    expect(ofProperty.items.every((event) => event.propertyId === property.id)).toBe(true);
    expect(ofProperty.items.some((event) => event.propertyId === other.property.id)).toBe(false);
    expect(ofFront.items.map((event) => event.action)).toEqual([
      'access-code.allocated',
      'access-code.allocated',
      'lock.registered',
    ]);
    expect(ofFlat.items.map((event) => event.action)).toEqual([
      'access-code.allocated',
      'access-code.allocated',
      'access-code.allocated',
      'lock.registered',
    ]);
    newestFirst(ofFlat.items);
    expect(ofFlat.items.every((event) => event.lockId === locks[1]?.id)).toBe(true);
  });
});
