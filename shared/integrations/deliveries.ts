/**
 * A booking webhook from receipt to booking. `acceptGenericWebhook` is the public endpoint's work: find the
 * integration by its path, verify the signature on the raw body, validate the event, then accept it durably
 * (the conditional write of the delivery is also its de-duplication) and schedule its processing. Only then
 * does the sender get its 202. `processDelivery` is the scheduled task: it applies the event to the
 * reservation's booking under the integration's principal, in the order decideDelivery settles.
 */
import { createHash } from 'node:crypto';
import type { SecretSealer } from '#shared/adapters/device-key-vault.ts';
import {
  ConflictError,
  type DomainError,
  InvalidInputError,
  NotFoundError,
  NotPermittedError,
} from '#shared/domain/errors.ts';
import {
  type BookingResult,
  cancelBooking,
  createBooking,
  modifyBooking,
} from '#shared/domain/operations/bookings.ts';
import type { DomainPorts } from '#shared/domain/ports/domain-ports.ts';
import type { TaskScheduler } from '#shared/domain/ports/task-scheduler.ts';
import type { IntegrationPrincipal } from '#shared/domain/team.ts';
import { verifyBasicAuth } from './basic-auth.ts';
import type { AdapterOutcome, BookingEvent, ConfirmedBookingEvent, IgnoreReason } from './booking-event.ts';
import { decideDelivery } from './event-ordering.ts';
import { parseGenericWebhookEvent } from './generic-webhook.ts';
import { readGuestyWebhook } from './guesty.ts';
import { readHostawayWebhook } from './hostaway.ts';
import type { Delivery, Integration, IntegrationStore, StoredReservation } from './integration.ts';
import {
  bookingSourceOf,
  type ChannelCodeClaim,
  type ChannelCodeIndex,
  findSameStay,
  modificationFrom,
  type ReservationCommits,
} from './same-stay.ts';
import { credentialsOfSealedForm, headerValue, standardWebhookHeadersOf } from './webhook-credentials.ts';
import { type RawBody, verifyWebhook, type WebhookHeaders } from './webhook-signature.ts';

export const deliveryTaskType = 'integration-delivery';

/**
 * How long a `webhook-id` is remembered: well beyond the 5-minute signature tolerance and the retry window of
 * Standard Webhooks senders (a few days), so a retried delivery re-signed with a fresh timestamp is recognised.
 */
export const deliveryRetentionDays = 7;

export interface IntegrationServices {
  readonly ports: Pick<
    DomainPorts,
    | 'clock'
    | 'ids'
    | 'random'
    | 'properties'
    | 'locks'
    | 'bookings'
    | 'grants'
    | 'accessCodes'
    | 'changes'
    | 'team'
    | 'notifier'
  >;
  readonly store: IntegrationStore;
  readonly sealer: SecretSealer;
  readonly tasks: TaskScheduler;
  /** Channel codes (Airbnb's HM…) to the bookings made for them, to recognise a stay arriving twice. */
  readonly channelCodes: ChannelCodeIndex;
  /** Commits a booking change with the record of the reservation it applies (and its channel-code claim). */
  readonly reservations: ReservationCommits;
  /**
   * Work that follows a committed booking change, as after one entered by hand: its codes' pushes and its
   * guest's emails get scheduled.
   */
  readonly afterBookingChange?:
    | ((options: { change: 'created' | 'modified' | 'cancelled'; result: BookingResult }) => Promise<void>)
    | undefined;
}

export const secretContext = (integration: Pick<Integration, 'tenantId' | 'id'>) => ({
  purpose: 'webhook-secret',
  tenantId: integration.tenantId,
  integrationId: integration.id,
});

/** The integration's secrets that verify at `now`, opened. */
export async function currentSecrets({
  sealer,
  integration,
  now,
}: {
  sealer: SecretSealer;
  integration: Integration;
  now: Date;
}): Promise<string[]> {
  const valid = integration.secrets.filter(
    (secret) => secret.validUntil === undefined || Date.parse(secret.validUntil) > now.getTime(),
  );
  const opened = await Promise.all(
    valid.map((secret) => sealer.open({ sealed: secret.sealed, context: secretContext(integration) })),
  );
  return opened.map((bytes) => Buffer.from(bytes).toString('utf8'));
}

/** Schedule ids are at most 64 characters; a digest keeps any webhook-id within them, and stable. */
const deliveryTaskId = (delivery: Pick<Delivery, 'tenantId' | 'integrationId' | 'deliveryId'>) =>
  `dlv-${createHash('sha256')
    .update(`${delivery.tenantId}\u0000${delivery.integrationId}\u0000${delivery.deliveryId}`)
    .digest('base64url')
    .slice(0, 32)}`;

export interface AcceptedWebhook {
  readonly deliveryId: string;
  /** False when this webhook-id had been accepted before: it is not processed twice. */
  readonly firstDelivery: boolean;
  /** Set when the delivery is not a guest booking (an owner stay, an inquiry): nothing is stored. */
  readonly ignored?: { readonly reason: IgnoreReason; readonly detail: string } | undefined;
}

function jsonOf(rawBody: RawBody): unknown {
  try {
    return JSON.parse(Buffer.from(rawBody).toString('utf8'));
  } catch {
    throw new InvalidInputError('The body is not valid JSON', [{ field: 'body', message: 'Not valid JSON' }]);
  }
}

/**
 * Authenticates a delivery the way its integration's source does, then reads it with the source's adapter.
 * Hostaway sends no message id: the digest of the body stands in, so that a retried delivery (the same body)
 * is recognised, and a different state of the reservation is a different delivery.
 */
async function receive({
  services,
  integration,
  headers,
  rawBody,
  now,
}: {
  services: IntegrationServices;
  integration: Integration;
  headers: WebhookHeaders;
  rawBody: RawBody;
  now: Date;
}): Promise<{ deliveryId: string; outcome: AdapterOutcome }> {
  const secrets = await currentSecrets({ sealer: services.sealer, integration, now });
  switch (integration.kind) {
    case 'lockstay-webhook': {
      const { webhookId } = verifyWebhook({ secrets, headers, rawBody, now });
      const event = parseGenericWebhookEvent(jsonOf(rawBody));
      return { deliveryId: webhookId, outcome: { kind: 'booking', event, warnings: [] } };
    }
    case 'guesty': {
      const verified = verifyWebhook({ secrets, headers: standardWebhookHeadersOf(headers), rawBody, now });
      return {
        deliveryId: verified.webhookId,
        outcome: readGuestyWebhook({ body: jsonOf(rawBody), receivedAt: now }),
      };
    }
    case 'hostaway': {
      verifyBasicAuth({
        authorization: headerValue(headers, 'authorization'),
        accepted: secrets.map(credentialsOfSealedForm),
      });
      const digest = createHash('sha256').update(rawBody).digest('base64url').slice(0, 32);
      return {
        deliveryId: `hostaway-${digest}`,
        outcome: readHostawayWebhook({ body: jsonOf(rawBody), receivedAt: now }),
      };
    }
    case 'ical':
      throw new NotFoundError('No webhook integration has this address');
  }
}

/**
 * The public receiver's work: find the integration by its path, authenticate the delivery on the raw body,
 * read it, then accept it durably (the conditional write of the delivery is also its de-duplication) and
 * schedule its processing. Only then does the sender get its 2xx.
 */
export async function acceptWebhook({
  services,
  integrationId,
  headers,
  rawBody,
}: {
  services: IntegrationServices;
  integrationId: string;
  headers: WebhookHeaders;
  rawBody: RawBody;
}): Promise<AcceptedWebhook> {
  const { store, tasks, ports } = services;
  const now = ports.clock.now();
  const integration = await store.findForWebhook({ integrationId });
  if (integration === undefined || integration.kind === 'ical') {
    throw new NotFoundError('No webhook integration has this address');
  }
  const { deliveryId, outcome } = await receive({ services, integration, headers, rawBody, now });
  if (outcome.kind === 'ignore') {
    return { deliveryId, firstDelivery: false, ignored: { reason: outcome.reason, detail: outcome.detail } };
  }
  const { accepted, delivery } = await store.accept({
    tenantId: integration.tenantId,
    integrationId: integration.id,
    deliveryId,
    event: outcome.event,
    receivedAt: now.toISOString(),
    status: 'pending',
    ...(outcome.warnings.length > 0 ? { warnings: outcome.warnings } : {}),
    keepUntil: new Date(now.getTime() + deliveryRetentionDays * 86_400_000).toISOString(),
  });
  // Scheduling again while the delivery is pending is harmless (same task id) and repairs an acceptance
  // whose scheduling failed after the write: the sender's retry then gets it processed.
  if (delivery.status === 'pending') await scheduleDelivery({ tasks, delivery, runAt: now });
  return { deliveryId, firstDelivery: accepted };
}

/** Lockstay's own webhook alone (the receiver serves every kind through `acceptWebhook`). */
export async function acceptGenericWebhook(options: Parameters<typeof acceptWebhook>[0]) {
  const integration = await options.services.store.findForWebhook({ integrationId: options.integrationId });
  if (integration?.kind !== 'lockstay-webhook') {
    throw new NotFoundError('No webhook integration has this address');
  }
  return acceptWebhook(options);
}

async function scheduleDelivery({
  tasks,
  delivery,
  runAt,
}: {
  tasks: TaskScheduler;
  delivery: Delivery;
  runAt: Date;
}): Promise<void> {
  await tasks.schedule({
    id: deliveryTaskId(delivery),
    type: deliveryTaskType,
    runAt,
    payload: {
      tenantId: delivery.tenantId,
      integrationId: delivery.integrationId,
      deliveryId: delivery.deliveryId,
    },
  });
}

/**
 * Runs a failed or dead-lettered delivery again, e.g. once the host mapped the listing it named. It goes
 * through the same ordering as any delivery, so an older state than the one applied since changes nothing.
 */
export async function retryDelivery({
  services,
  tenantId,
  integrationId,
  deliveryId,
}: {
  services: IntegrationServices;
  tenantId: string;
  integrationId: string;
  deliveryId: string;
}): Promise<Delivery> {
  const { store, tasks, ports } = services;
  const delivery = await store.getDelivery({ tenantId, integrationId, deliveryId });
  if (delivery === undefined) throw new NotFoundError(`No delivery ${deliveryId}`);
  if (delivery.status !== 'failed' && delivery.status !== 'dead-lettered') {
    throw new ConflictError(`Delivery ${deliveryId} is ${delivery.status}; only a failed one is retried`);
  }
  const pending: Delivery = { ...delivery, status: 'pending', outcome: undefined, attempts: 0 };
  await store.settle(pending);
  await scheduleDelivery({ tasks, delivery: pending, runAt: ports.clock.now() });
  return pending;
}

/**
 * Attempts of one delivery before it is dead-lettered: the first and the scheduler's five retries
 * (EventBridge Scheduler's retry policy, and its local twin's), after which the task goes to the queue.
 */
export const maxDeliveryAttempts = 6;

/** Errors a retry cannot cure: the delivery is settled as failed (with the reason) instead of retried. */
const isPermanent = (error: unknown) =>
  error instanceof InvalidInputError || error instanceof NotFoundError || error instanceof NotPermittedError;

export async function processDelivery({
  services,
  tenantId,
  integrationId,
  deliveryId,
}: {
  services: IntegrationServices;
  tenantId: string;
  integrationId: string;
  deliveryId: string;
}): Promise<Delivery['status'] | 'missing'> {
  const { store } = services;
  const delivery = await store.getDelivery({ tenantId, integrationId, deliveryId });
  if (delivery === undefined) return 'missing';
  if (delivery.status !== 'pending') return delivery.status;
  const integration = await store.get({ tenantId, integrationId });
  let settled: Delivery;
  if (integration === undefined) {
    settled = { ...delivery, status: 'failed', outcome: 'The integration was removed' };
  } else {
    try {
      const outcome = await applyEvent({ services, integration, event: delivery.event });
      settled = { ...delivery, status: 'processed', outcome };
    } catch (error) {
      if (!isPermanent(error)) {
        // Recorded so that the host sees a delivery that keeps failing, and the last attempt settles it.
        const attempts = (delivery.attempts ?? 0) + 1;
        const cause = error instanceof Error ? error.name : 'Error';
        await store.settle(
          attempts >= maxDeliveryAttempts
            ? {
                ...delivery,
                status: 'dead-lettered',
                attempts,
                outcome: `Gave up after ${attempts} attempts; the last one failed with ${cause}`,
              }
            : { ...delivery, attempts, outcome: `Attempt ${attempts} failed with ${cause}; it is retried` },
        );
        throw error;
      }
      settled = { ...delivery, status: 'failed', outcome: (error as DomainError).message };
    }
  }
  await store.settle(settled);
  return settled.status;
}

function propertyIdOf({ integration, event }: { integration: Integration; event: BookingEvent }): string {
  const { listing } = event;
  if ('propertyId' in listing) return listing.propertyId;
  const propertyId = integration.listings[listing.externalListingId];
  if (propertyId === undefined) {
    throw new NotFoundError(`No property is mapped to the listing ${listing.externalListingId}`);
  }
  return propertyId;
}

/** Channel managers' reservation ids are theirs alone: prefixed, they cannot meet another source's. */
const sourceReservationIdOf = (event: BookingEvent) =>
  event.integration === 'hostaway' || event.integration === 'guesty'
    ? `${event.integration}:${event.reservationId}`
    : event.reservationId;

function stayInput(event: ConfirmedBookingEvent) {
  const { stay } = event;
  return {
    guest: stay.guest,
    arrivalDate: stay.arrivalDate,
    departureDate: stay.departureDate,
    checkInTime: stay.checkInTime,
    checkOutTime: stay.checkOutTime,
  };
}

type BookingState = StoredReservation['booking'];

/** Brings a live booking to the event's stay; answers the booking's state after it. */
async function modifyLiveBooking({
  services,
  ports,
  principal,
  bookingId,
  event,
}: {
  services: IntegrationServices;
  ports: IntegrationServices['ports'];
  principal: IntegrationPrincipal;
  bookingId: string;
  event: ConfirmedBookingEvent;
}): Promise<BookingState> {
  const booking = await ports.bookings.get({ tenantId: principal.tenantId, bookingId });
  // Cancelled meanwhile, by the host or through another source of the same stay: it stays cancelled.
  if (booking === undefined || booking.status === 'cancelled') return 'cancelled';
  const result = await modifyBooking({
    ports,
    principal,
    bookingId,
    input: modificationFrom({ booking, event }),
  });
  if (result.changed) await services.afterBookingChange?.({ change: 'modified', result });
  return 'confirmed';
}

/**
 * Attempts at applying one event in one run of its delivery. Another delivery of the same reservation, or the
 * same stay from another source, may commit between this one's reads and its commit; the commit then fails
 * on a condition, and the event is decided again against what that one did, as a later retry would, but
 * without failing the run. Beyond this the delivery's run fails and the scheduler retries it.
 */
export const maxApplyAttempts = 5;

/** Full-jitter back-off between attempts, so that two racing deliveries rarely meet again. */
const pause = (attempt: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.random() * 25 * 2 ** attempt));

/** Applies one event to its reservation; answers what was done, for the delivery's record. */
export async function applyEvent(options: {
  services: IntegrationServices;
  integration: Integration;
  event: BookingEvent;
}): Promise<string> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await applyEventOnce(options);
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= maxApplyAttempts) throw error;
      await pause(attempt);
    }
  }
}

/**
 * One attempt: read the reservation's record, decide, and make the booking change with the record (and a
 * new booking's channel-code claim) in the same transaction, so that a booking change and the record of
 * the event it applied are never apart. A ConflictError means another delivery committed first.
 */
async function applyEventOnce({
  services,
  integration,
  event,
}: {
  services: IntegrationServices;
  integration: Integration;
  event: BookingEvent;
}): Promise<string> {
  const { ports, store } = services;
  const { tenantId } = integration;
  const principal: IntegrationPrincipal = { kind: 'integration', tenantId, integrationId: integration.id };
  const key = { tenantId, source: event.integration, reservationId: event.reservationId };
  const record = await store.getReservation(key);
  const decision = decideDelivery({ record, event });
  if (decision.decision !== 'apply') return decision.decision;

  const propertyId = propertyIdOf({ integration, event });
  const next = { ...key, applied: decision.applied, version: (record?.version ?? 0) + 1 };
  let committed = false;
  /** The domain's ports, committing the record (as it will be after the change) with the change. */
  const recording = (
    state: Pick<StoredReservation, 'booking' | 'bookingId'>,
    channelCode?: ChannelCodeClaim,
  ): IntegrationServices['ports'] => {
    const committer = services.reservations.committerFor({ record: { ...next, ...state }, channelCode });
    return {
      ...ports,
      changes: {
        async commit(changes) {
          const outcome = await committer.commit(changes);
          if (outcome.ok) committed = true;
          return outcome;
        },
      },
    };
  };
  let bookingId = record?.bookingId;
  let booking: BookingState = record?.booking ?? 'none';
  let outcome: string = decision.action;
  switch (decision.action) {
    case 'create': {
      if (event.status !== 'confirmed') break;
      const sameStay = await findSameStay({ services, tenantId, propertyId, event });
      if (sameStay.booking) {
        bookingId = sameStay.booking.id;
        booking = await modifyLiveBooking({
          services,
          ports: recording({ booking: 'confirmed', bookingId }),
          principal,
          bookingId,
          event,
        });
        outcome = `joined booking ${bookingId}, the same stay from another source`;
        break;
      }
      const claim = event.channelReference && { ...event.channelReference, replacing: sameStay.staleClaim };
      const result = await createBooking({
        ports: recording({ booking: 'confirmed' }, claim),
        principal,
        input: {
          propertyId,
          source: bookingSourceOf(event),
          sourceReservationId: sourceReservationIdOf(event),
          ...stayInput(event),
        },
      });
      bookingId = result.booking.id;
      booking = 'confirmed';
      if (result.outcome === 'created') await services.afterBookingChange?.({ change: 'created', result });
      break;
    }
    case 'modify': {
      if (event.status !== 'confirmed' || bookingId === undefined) break;
      booking = await modifyLiveBooking({
        services,
        ports: recording({ booking: 'confirmed', bookingId }),
        principal,
        bookingId,
        event,
      });
      break;
    }
    case 'cancel': {
      if (bookingId === undefined) break;
      const reason = event.status === 'cancelled' ? event.reason : undefined;
      const result = await cancelBooking({
        ports: recording({ booking: 'cancelled', bookingId }),
        principal,
        bookingId,
        input: { reason },
      });
      if (result.changed) await services.afterBookingChange?.({ change: 'cancelled', result });
      booking = 'cancelled';
      break;
    }
    case 'remember-cancellation':
      break;
    case 'reinstate':
      // A booking cancelled here stays cancelled (its PIN and codes are gone); the host re-enters it.
      outcome = 'reinstate-refused: the booking stays cancelled';
      break;
  }
  // Nothing was committed (a repeat, a cancellation remembered): the record alone, on the same condition.
  if (!committed) await store.saveReservation({ ...next, booking, bookingId });
  return outcome;
}
