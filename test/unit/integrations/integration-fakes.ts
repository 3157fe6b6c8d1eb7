/**
 * In-memory stand-ins for the integration store and the task scheduler, keeping the promises of
 * shared/integrations/integration.ts: conditional acceptance of a delivery, versioned saves; and the worlds
 * the integration tests start from, with what they do to them (run the scheduled deliveries, read the bookings).
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { createAesGcmSealer } from '#shared/adapters/device-key-vault.ts';
import type { AuditEvent } from '#shared/domain/audit.ts';
import { ConflictError } from '#shared/domain/errors.ts';
import type { ChangeCommitter, ChangeSet, CommitOutcome } from '#shared/domain/ports/change-set.ts';
import type { ScheduledTask, TaskScheduler } from '#shared/domain/ports/task-scheduler.ts';
import {
  deliveryTaskType,
  type IntegrationServices,
  processDelivery,
} from '#shared/integrations/deliveries.ts';
import type { FeedOutbound } from '#shared/integrations/feeds.ts';
import type {
  Delivery,
  Integration,
  IntegrationStore,
  StoredReservation,
} from '#shared/integrations/integration.ts';
import { createIntegration } from '#shared/integrations/manage.ts';
import {
  bookingCreatedIn,
  type ChannelCode,
  type ChannelCodeClaim,
  type ChannelCodeIndex,
  type ReservationCommits,
} from '#shared/integrations/same-stay.ts';
import { addLock, addProperty, member, type TestWorld, testWorld } from '../domain/fakes.ts';

export class InMemoryIntegrationStore implements IntegrationStore {
  readonly integrations = new Map<string, Integration>();
  readonly deliveries = new Map<string, Delivery>();
  readonly reservations = new Map<string, StoredReservation>();

  async get({ tenantId, integrationId }: { tenantId: string; integrationId: string }) {
    const found = this.integrations.get(integrationId);
    return found?.tenantId === tenantId ? found : undefined;
  }
  async findForWebhook({ integrationId }: { integrationId: string }) {
    return this.integrations.get(integrationId);
  }
  async list({ tenantId }: { tenantId: string }) {
    return [...this.integrations.values()].filter((found) => found.tenantId === tenantId);
  }
  /** Audit events written with integrations (a feed's health alerts), in order. */
  readonly auditEvents: AuditEvent[] = [];
  async save(integration: Integration, { auditEvents = [] }: { auditEvents?: readonly AuditEvent[] } = {}) {
    const stored = this.integrations.get(integration.id);
    if ((stored?.version ?? 0) !== integration.version - 1) throw new ConflictError('stale');
    this.integrations.set(integration.id, integration);
    this.auditEvents.push(...auditEvents);
  }
  async saveAll(integrations: readonly Integration[]) {
    if (
      integrations.some(
        (integration) => (this.integrations.get(integration.id)?.version ?? 0) !== integration.version - 1,
      )
    ) {
      throw new ConflictError('stale');
    }
    for (const integration of integrations) this.integrations.set(integration.id, integration);
  }
  async remove({ integrationId }: { integrationId: string }) {
    this.integrations.delete(integrationId);
  }
  async accept(delivery: Delivery) {
    const key = `${delivery.tenantId}/${delivery.integrationId}/${delivery.deliveryId}`;
    const stored = this.deliveries.get(key);
    if (stored) return { accepted: false, delivery: stored };
    this.deliveries.set(key, delivery);
    return { accepted: true, delivery };
  }
  async getDelivery(key: { tenantId: string; integrationId: string; deliveryId: string }) {
    return this.deliveries.get(`${key.tenantId}/${key.integrationId}/${key.deliveryId}`);
  }
  async settle(delivery: Delivery) {
    this.deliveries.set(`${delivery.tenantId}/${delivery.integrationId}/${delivery.deliveryId}`, delivery);
  }
  async listFailedDeliveries({
    tenantId,
    integrationId,
    limit,
  }: {
    tenantId: string;
    integrationId: string;
    limit: number;
  }) {
    return [...this.deliveries.values()]
      .filter(
        (delivery) =>
          delivery.tenantId === tenantId &&
          delivery.integrationId === integrationId &&
          (delivery.status === 'failed' || delivery.status === 'dead-lettered'),
      )
      .sort((a, b) => (a.receivedAt < b.receivedAt ? 1 : -1))
      .slice(0, limit);
  }
  async getReservation(key: { tenantId: string; source: string; reservationId: string }) {
    return this.reservations.get(`${key.tenantId}/${key.source}/${key.reservationId}`);
  }
  async saveReservation(record: StoredReservation) {
    const key = `${record.tenantId}/${record.source}/${record.reservationId}`;
    if ((this.reservations.get(key)?.version ?? 0) !== record.version - 1) throw new ConflictError('stale');
    this.reservations.set(key, record);
  }
}

export class InMemoryChannelCodes implements ChannelCodeIndex {
  readonly bookings = new Map<string, string>();
  async findBooking({ tenantId, channel, code }: ChannelCode) {
    return this.bookings.get(`${tenantId}/${channel}/${code}`);
  }
}

/**
 * The reservation's record and a new booking's channel-code claim committed with the booking change, as
 * one: their conditions are checked and they are written before the change is handed to the world's store,
 * and taken back if the store refuses it, so that no other commit sees them apart.
 */
export class InMemoryReservationCommits implements ReservationCommits {
  readonly store: InMemoryIntegrationStore;
  readonly codes: InMemoryChannelCodes;
  readonly changes: ChangeCommitter;
  constructor(store: InMemoryIntegrationStore, codes: InMemoryChannelCodes, changes: ChangeCommitter) {
    this.store = store;
    this.codes = codes;
    this.changes = changes;
  }

  committerFor({ record, channelCode }: { record: StoredReservation; channelCode?: ChannelCodeClaim }) {
    const { store, codes, changes: inner } = this;
    return {
      async commit(changes: ChangeSet): Promise<CommitOutcome> {
        const created = bookingCreatedIn(changes);
        const bookingId = created?.id ?? record.bookingId;
        const stale: CommitOutcome = {
          ok: false,
          conflict: { kind: 'stale', entity: 'booking', id: bookingId ?? record.reservationId },
        };
        const recordKey = `${record.tenantId}/${record.source}/${record.reservationId}`;
        const previousRecord = store.reservations.get(recordKey);
        if ((previousRecord?.version ?? 0) !== record.version - 1) return stale;
        const codeKey = channelCode && `${record.tenantId}/${channelCode.channel}/${channelCode.code}`;
        const previousHolder = codeKey === undefined ? undefined : codes.bookings.get(codeKey);
        const claims = created !== undefined && codeKey !== undefined;
        if (claims && previousHolder !== undefined && previousHolder !== channelCode?.replacing) return stale;
        store.reservations.set(recordKey, { ...record, bookingId });
        if (claims && created) codes.bookings.set(codeKey, created.id);
        const outcome = await inner.commit(changes);
        if (!outcome.ok) {
          if (previousRecord) store.reservations.set(recordKey, previousRecord);
          else store.reservations.delete(recordKey);
          if (claims) {
            if (previousHolder === undefined) codes.bookings.delete(codeKey);
            else codes.bookings.set(codeKey, previousHolder);
          }
        }
        return outcome;
      },
    };
  }
}

export class RecordingScheduler implements TaskScheduler {
  readonly tasks = new Map<string, ScheduledTask>();
  async schedule(task: ScheduledTask) {
    this.tasks.set(task.id, task);
  }
  async cancel(taskId: string) {
    this.tasks.delete(taskId);
  }
  /** Hands over the scheduled tasks and forgets them, as the scheduler does once they ran. */
  take(): ScheduledTask[] {
    const due = [...this.tasks.values()];
    this.tasks.clear();
    return due;
  }
}

export interface IntegrationWorld extends TestWorld {
  readonly services: IntegrationServices;
  readonly integrationStore: InMemoryIntegrationStore;
  readonly scheduler: RecordingScheduler;
}

/** Integration services over a test world's ports; feeds reach nothing unless `fetch` is given. */
export function integrationServicesFor(
  world: TestWorld,
  {
    fetch = async () => Promise.reject(new Error('No network in unit tests')),
  }: { fetch?: typeof globalThis.fetch } = {},
): IntegrationServices & {
  outbound: FeedOutbound;
  integrationStore: InMemoryIntegrationStore;
  scheduler: RecordingScheduler;
} {
  const integrationStore = new InMemoryIntegrationStore();
  const scheduler = new RecordingScheduler();
  const channelCodes = new InMemoryChannelCodes();
  return {
    ports: world.ports,
    store: integrationStore,
    sealer: createAesGcmSealer({ key: randomBytes(32) }),
    tasks: scheduler,
    channelCodes,
    reservations: new InMemoryReservationCommits(integrationStore, channelCodes, world.ports.changes),
    outbound: { resolver: { resolve: async () => ['93.184.216.34'] }, allowLoopback: false, fetch },
    integrationStore,
    scheduler,
  };
}

/**
 * A feed's server answering in turn: each request gets the next answer a test queued in `answers` (none queued
 * is an unexpected request), and its headers are kept in `requests`.
 */
export function feedAnsweringInTurn() {
  const answers: (() => Response)[] = [];
  const requests: Headers[] = [];
  const fetch: typeof globalThis.fetch = async (_url, init) => {
    requests.push(new Headers(init?.headers));
    const next = answers.shift();
    if (!next) throw new Error('unexpected request');
    return next();
  };
  return { answers, requests, fetch };
}

/** A test world with the integration services over it; feeds reach nothing unless `fetch` is given. */
export function integrationWorld({
  now,
  fetch,
}: {
  now?: string;
  fetch?: typeof globalThis.fetch;
} = {}): FeedWorld {
  const world = testWorld({ now });
  const services = integrationServicesFor(world, { fetch });
  return { ...world, services, integrationStore: services.integrationStore, scheduler: services.scheduler };
}

/** An integration world whose services also reach out to feeds (the `outbound` they poll through). */
export type FeedWorld = IntegrationWorld & { services: ReturnType<typeof integrationServicesFor> };

/**
 * Where the delivery tests start: an integration world holding the Loft (`prp_loft`, the property the
 * channels' listings map to) with its door lock `lck_door`.
 */
export function integrationWorldWithLoft(options: { now?: string; fetch?: typeof globalThis.fetch } = {}) {
  const world = integrationWorld(options);
  addProperty(world.store);
  addLock(world.store, { id: 'lck_door' });
  return world;
}

/** The Loft's Airbnb calendar as a new iCal integration; the tasks its creation scheduled are dropped. */
export async function addAirbnbCalendar(world: IntegrationWorld): Promise<string> {
  const created = await createIntegration({
    services: world.services,
    principal: member({ role: 'owner' }),
    input: {
      kind: 'ical',
      name: 'Airbnb calendar',
      propertyId: 'prp_loft',
      url: 'https://www.airbnb.com/calendar/ical/1.ics',
    },
  });
  world.scheduler.take();
  return created.integration.id;
}

/** Runs what the receiver scheduled, as the scheduler would: every task a delivery to process. */
export async function runScheduledDeliveries(world: IntegrationWorld) {
  for (const task of world.scheduler.take()) {
    expect(task.type).toBe(deliveryTaskType);
    const { tenantId, integrationId, deliveryId } = task.payload as Record<string, string>;
    await processDelivery({
      services: world.services,
      tenantId: tenantId ?? '',
      integrationId: integrationId ?? '',
      deliveryId: deliveryId ?? '',
    });
  }
}

/** The Loft's bookings, whatever their source. */
export const loftBookings = async (world: TestWorld) =>
  (
    await world.ports.bookings.listByProperty({
      tenantId: 'tnt_a',
      propertyId: 'prp_loft',
      page: { limit: 50 },
    })
  ).items;

/** The Loft's bookings of the stays arriving on `arrivalDate`. */
export const loftBookingsArrivingOn = async (world: TestWorld, arrivalDate: string) =>
  (await loftBookings(world)).filter((booking) => booking.arrivalDate === arrivalDate);
