/**
 * A stay's timeline on a busy property, on the running local cloud: thousands of other stays' door openings
 * recorded after the booking was made, and more of the stay's own events than one page of the audit log. The
 * timeline (`GET /bookings/{id}`) reads the stay's own events by its key, so it is whole, in order, complete,
 * and holds nothing of the other stays.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { auditEventItem } from '#shared/adapters/dynamo/audit-log.ts';
import type { AuditEvent } from '#shared/domain/audit.ts';
import { demoOwner, type HostApiClient, hostApiClient, idTokenOf } from '../../support/hosts.ts';

const endpoints = inject('endpoints');
const unique = Date.now().toString(36);
let owner: HostApiClient;
let tenantId: string;
let propertyId: string;
let lockId: string;

// More than the five pages of a thousand events the property's log was once read to, and than one page of 100.
const otherStaysEvents = 5_200;
const ownDoorOpenings = 150;

const documents = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    endpoint: endpoints.services.dynamodb,
    region: endpoints.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  }),
);

/** Door openings by keypad as the lock reports them, filed the way the platform files every audit event. */
async function recordDoorOpenings(openings: { at: string; grantId: string; id: string }[]): Promise<void> {
  const items = openings.map(({ at, grantId, id }) => {
    const event: AuditEvent = {
      tenantId,
      id,
      at,
      actor: { kind: 'device', lockId },
      action: 'lock.unlocked',
      target: { kind: 'lock', id: lockId },
      propertyId,
      lockId,
      details: { method: 'keypad', grantId },
    };
    return auditEventItem({ event, commitId: id, position: 0 });
  });
  const batches: (typeof items)[] = [];
  for (let start = 0; start < items.length; start += 25) batches.push(items.slice(start, start + 25));
  // A few batches at a time: the local cloud shares the machine.
  for (let start = 0; start < batches.length; start += 8) {
    await Promise.all(
      batches.slice(start, start + 8).map(async (batch) => {
        let pending = batch.map((Item) => ({ PutRequest: { Item } }));
        while (pending.length > 0) {
          const output = await documents.send(
            new BatchWriteCommand({ RequestItems: { [endpoints.tableName]: pending } }),
          );
          pending = (output.UnprocessedItems?.[endpoints.tableName] ?? []) as typeof pending;
        }
      }),
    );
  }
}

const day = (offset: number) =>
  new Date(Date.UTC(2027, 2, 1) + offset * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  const demo = await demoOwner(endpoints);
  tenantId = demo.tenantId;
  owner = hostApiClient(endpoints, await idTokenOf(endpoints, demo));
  const property = await owner.request('POST', '/properties', {
    body: {
      name: `Busy hostel ${unique}`,
      address: { line1: 'Rua Augusta 10', city: 'Lisboa', countryCode: 'PT' },
      timeZone: 'Europe/Lisbon',
    },
  });
  expect(property.status).toBe(201);
  propertyId = property.body.id;
  const lock = await owner.request('POST', '/locks', {
    body: { propertyId, name: 'Front door', connectivity: 'bluetooth' },
  });
  expect(lock.status).toBe(201);
  lockId = lock.body.lock.id;
}, 60_000);

describe('the timeline of a stay at a busy property', () => {
  it('holds every event of the stay, oldest first, and none of the other stays', async () => {
    // Prepare: the booking, then its door openings among many more of other guests, all after it was made.
    const created = await owner.request('POST', '/bookings', {
      body: { propertyId, guest: { name: 'Busy Bea' }, arrivalDate: day(0), departureDate: day(7) },
    });
    expect(created.status).toBe(201);
    const bookingId = created.body.booking.id as string;
    const grantId = created.body.grant.id as string;
    const start = Date.parse(created.body.booking.createdAt) + 1_000;
    const openings = Array.from({ length: otherStaysEvents + ownDoorOpenings }, (_, n) => {
      // Every 35th opening is the guest's own, spread through the others.
      const own = n % 35 === 0 && n / 35 < ownDoorOpenings;
      return {
        at: new Date(start + n * 10).toISOString(),
        grantId: own ? grantId : `gnt_other${n % 40}`,
        id: `evt_${unique}${String(n).padStart(5, '0')}`,
      };
    });
    const ownIds = openings.filter((opening) => opening.grantId === grantId).map((opening) => opening.id);
    expect(ownIds).toHaveLength(ownDoorOpenings);
    await recordDoorOpenings(openings);
    expect(
      (await owner.request('POST', `/bookings/${bookingId}/cancel`, { body: { reason: 'Left early' } }))
        .status,
    ).toBe(200);

    // Act: the timeline is read from an index, which may lag a moment behind the writes.
    let timeline: { events: { id: string; action: string; at: string }[]; complete: boolean } | undefined;
    const deadline = Date.now() + 30_000;
    do {
      const detail = await owner.request('GET', `/bookings/${bookingId}`);
      expect(detail.status).toBe(200);
      timeline = detail.body.timeline;
      if (timeline?.events.some((event) => event.action === 'booking.cancelled')) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    } while (Date.now() < deadline);

    // Assess
    expect(timeline?.complete).toBe(true);
    const events = timeline?.events ?? [];
    const actions = events.map((event) => event.action);
    expect(actions[0]).toBe('booking.created');
    expect(actions).toEqual(expect.arrayContaining(['grant.issued', 'booking.cancelled', 'grant.revoked']));
    const doorOpenings = events.filter((event) => event.action === 'lock.unlocked').map((event) => event.id);
    expect(doorOpenings).toEqual(ownIds);
    expect(events.map((event) => event.at)).toEqual([...events.map((event) => event.at)].sort());
    expect(JSON.stringify(events)).not.toContain('gnt_other');
  }, 120_000);
});
