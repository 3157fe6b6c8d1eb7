/**
 * A booking webhook from receipt to booking. `acceptGenericWebhook` is the public endpoint's work: find the
 * integration by its path, verify the signature on the raw body, validate the event, then accept it durably
 * (the conditional write of the delivery is also its de-duplication) and schedule its processing. Only then
 * does the sender get its 202. `processDelivery` is the scheduled task: it applies the event to the
 * reservation's booking under the integration's principal, in the order decideDelivery settles.
 */
import { createHash } from 'node:crypto';
import type { SecretSealer } from '#shared/adapters/device-key-vault.ts';
import { DomainError, InvalidInputError, NotFoundError, NotPermittedError } from '#shared/domain/errors.ts';
import { cancelBooking, createBooking, modifyBooking } from '#shared/domain/operations/bookings.ts';
import type { DomainPorts } from '#shared/domain/ports/domain-ports.ts';
import type { TaskScheduler } from '#shared/domain/ports/task-scheduler.ts';
import type { IntegrationPrincipal } from '#shared/domain/team.ts';
import type { BookingEvent, ConfirmedBookingEvent } from './booking-event.ts';
import { decideDelivery } from './event-ordering.ts';
import { parseGenericWebhookEvent } from './generic-webhook.ts';
import type { Delivery, Integration, IntegrationStore, StoredReservation } from './integration.ts';
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
    'clock' | 'ids' | 'random' | 'properties' | 'locks' | 'bookings' | 'grants' | 'accessCodes' | 'changes'
  >;
  readonly store: IntegrationStore;
  readonly sealer: SecretSealer;
  readonly tasks: TaskScheduler;
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
}

export async function acceptGenericWebhook({
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
  const { store, sealer, tasks, ports } = services;
  const now = ports.clock.now();
  const integration = await store.findForWebhook({ integrationId });
  if (integration?.kind !== 'lockstay-webhook') {
    throw new NotFoundError('No webhook integration has this address');
  }
  const secrets = await currentSecrets({ sealer, integration, now });
  const { webhookId } = verifyWebhook({ secrets, headers, rawBody, now });
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(rawBody).toString('utf8'));
  } catch {
    throw new InvalidInputError('The body is not valid JSON', [{ field: 'body', message: 'Not valid JSON' }]);
  }
  const event = parseGenericWebhookEvent(body);
  const { accepted, delivery } = await store.accept({
    tenantId: integration.tenantId,
    integrationId: integration.id,
    deliveryId: webhookId,
    event,
    receivedAt: now.toISOString(),
    status: 'pending',
    keepUntil: new Date(now.getTime() + deliveryRetentionDays * 86_400_000).toISOString(),
  });
  // Scheduling again while the delivery is pending is harmless (same task id) and repairs an acceptance
  // whose scheduling failed after the write: the sender's retry then gets it processed.
  if (delivery.status === 'pending') {
    await tasks.schedule({
      id: deliveryTaskId(delivery),
      type: deliveryTaskType,
      runAt: now,
      payload: {
        tenantId: delivery.tenantId,
        integrationId: delivery.integrationId,
        deliveryId: delivery.deliveryId,
      },
    });
  }
  return { deliveryId: webhookId, firstDelivery: accepted };
}

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
      if (!isPermanent(error)) throw error;
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

const bookingSourceOf = (event: BookingEvent) => (event.integration === 'ical' ? 'ical' : 'webhook');

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

/** Applies one event to its reservation; answers what was done, for the delivery's record. */
export async function applyEvent({
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
  let bookingId = record?.bookingId;
  let booking: StoredReservation['booking'] = record?.booking ?? 'none';
  switch (decision.action) {
    case 'create': {
      if (event.status !== 'confirmed') break;
      const result = await createBooking({
        ports,
        principal,
        input: {
          propertyId,
          source: bookingSourceOf(event),
          sourceReservationId: event.reservationId,
          ...stayInput(event),
        },
      });
      bookingId = result.booking.id;
      booking = 'confirmed';
      break;
    }
    case 'modify': {
      if (event.status !== 'confirmed' || bookingId === undefined) break;
      const stay = stayInput(event);
      await modifyBooking({
        ports,
        principal,
        bookingId,
        input: { ...stay, checkInTime: stay.checkInTime ?? null, checkOutTime: stay.checkOutTime ?? null },
      });
      break;
    }
    case 'cancel': {
      if (bookingId === undefined) break;
      const reason = event.status === 'cancelled' ? event.reason : undefined;
      await cancelBooking({ ports, principal, bookingId, input: { reason } });
      booking = 'cancelled';
      break;
    }
    case 'remember-cancellation':
      break;
    case 'reinstate':
      // A booking cancelled here stays cancelled (its PIN and codes are gone); the host re-enters it.
      break;
  }
  try {
    await store.saveReservation({
      ...key,
      applied: decision.applied,
      booking,
      bookingId,
      version: (record?.version ?? 0) + 1,
    });
  } catch (error) {
    // Another delivery for the reservation was applied meanwhile: retrying re-decides against it.
    if (error instanceof DomainError) throw new Error(error.message);
    throw error;
  }
  return decision.action === 'reinstate' ? 'reinstate-refused: the booking stays cancelled' : decision.action;
}
