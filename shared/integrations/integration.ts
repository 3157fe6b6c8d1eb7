/**
 * A booking integration as a resource of a tenant: what the host creates at `/integrations`, what a webhook's
 * path names, and what the delivery worker reads to turn a source's listing into a property. Webhook secrets
 * are kept sealed (never in plaintext); during a rotation the previous one stays valid until `validUntil`.
 *
 * The store port beside it holds the integration, the inbox of accepted deliveries (whose conditional write
 * is the de-duplication of a `webhook-id`) and the record of the newest event applied per reservation.
 */
import { z } from 'zod';
import type { AuditEvent } from '#shared/domain/audit.ts';
import type { IsoInstant } from '#shared/domain/local-time.ts';
import type { BookingEvent, IntegrationKind } from './booking-event.ts';
import type { AppliedEvent, ReservationRecord } from './event-ordering.ts';
import type { FeedHealth } from './feed-diff.ts';
import { type FeedChannel, type FeedReservation, feedChannels } from './ical.ts';

export interface SealedSecret {
  readonly sealed: string;
  readonly addedAt: IsoInstant;
  /** Set on the previous secret when a rotation starts; the secret stops verifying after it. */
  readonly validUntil?: IsoInstant | undefined;
}

export interface Integration {
  readonly tenantId: string;
  readonly id: string;
  readonly kind: IntegrationKind;
  readonly name: string;
  /** The source's listing ids mapped to this tenant's properties. */
  readonly listings: Readonly<Record<string, string>>;
  readonly secrets: readonly SealedSecret[];
  /** An iCal feed's address, property and what its last polls found. */
  readonly feed?: Feed | undefined;
  readonly createdAt: IsoInstant;
  readonly updatedAt: IsoInstant;
  readonly version: number;
}

export interface Feed {
  readonly url: string;
  readonly propertyId: string;
  readonly channel?: FeedChannel | undefined;
  /** Validators of the last 200 answer, for conditional requests. */
  readonly etag?: string | undefined;
  readonly lastModified?: string | undefined;
  /** The feed's reservations at the last import, which the next poll is compared with. */
  readonly snapshot: readonly FeedReservation[];
  /** How many reservations the snapshot holds, where a list shows the feed without loading its snapshot. */
  readonly reservationCount?: number | undefined;
  readonly health?: FeedHealth | undefined;
  readonly lastAttemptAt?: IsoInstant | undefined;
  /** When a poll last imported the feed (read cleanly, or unchanged since). */
  readonly lastImportAt?: IsoInstant | undefined;
}

const listingsSchema = z
  .record(z.string().trim().min(1).max(200), z.string().min(1).max(100))
  .refine((listings) => Object.keys(listings).length <= 500, 'At most 500 listings')
  .describe('Your listing ids mapped to Lockstay property ids');

export const createIntegrationInputSchema = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('lockstay-webhook').describe('Lockstay’s signed booking webhook (Standard Webhooks)'),
      name: z.string().trim().min(1).max(100),
      listings: listingsSchema.default({}),
    }),
    z.object({
      kind: z
        .literal('hostaway')
        .describe('Hostaway’s unified webhook, authenticated with Basic credentials Lockstay issues'),
      name: z.string().trim().min(1).max(100),
      listings: listingsSchema.default({}),
    }),
    z.object({
      kind: z.literal('guesty').describe('Guesty’s reservation webhooks, signed by Guesty (Svix headers)'),
      name: z.string().trim().min(1).max(100),
      listings: listingsSchema.default({}),
      secret: z
        .string()
        .trim()
        .min(1)
        .max(200)
        .describe(
          'The webhook signing secret (whsec_…) Guesty’s Open API returns at GET /v1/webhooks-v2/secret',
        ),
    }),
    z.object({
      kind: z.literal('ical').describe('A calendar feed (Airbnb, Vrbo, Booking.com) polled for one property'),
      name: z.string().trim().min(1).max(100),
      propertyId: z.string().min(1).max(100),
      url: z
        .string()
        .trim()
        .min(1)
        .max(2000)
        .describe('The feed’s https address (webcal:// is read as https://)'),
      channel: z.enum(feedChannels).optional().describe('Told from the feed when not given'),
    }),
  ])
  .meta({ id: 'CreateIntegrationInput' });
export type CreateIntegrationInput = z.input<typeof createIntegrationInputSchema>;

/** What the API shows of an integration: never a secret, sealed or not. */
export const integrationViewSchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    name: z.string(),
    listings: z.record(z.string(), z.string()),
    webhookPath: z.string().optional().describe('Where the source sends its deliveries'),
    authentication: z
      .enum(['standard-webhooks', 'basic', 'svix'])
      .optional()
      .describe('How deliveries prove they come from the source'),
    feed: z
      .object({
        url: z.string(),
        propertyId: z.string(),
        health: z
          .object({ status: z.enum(['healthy', 'suspicious', 'failed']), reason: z.string().optional() })
          .optional(),
        lastAttemptAt: z.string().optional(),
        lastImportAt: z.string().optional(),
        reservations: z.number().describe('Reservations in the feed at the last import'),
      })
      .optional(),
    secretRotation: z
      .object({ previousSecretValidUntil: z.string() })
      .optional()
      .describe('Present while the previous secret still verifies'),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Integration' });
export type IntegrationView = z.infer<typeof integrationViewSchema>;

export const basicCredentialsSchema = z
  .object({ username: z.string(), password: z.string() })
  .describe('The Basic credentials to set on the Hostaway webhook, shown this once');

export const integrationWithSecretSchema = z
  .object({
    integration: integrationViewSchema,
    secret: z
      .string()
      .optional()
      .describe('The signing secret (whsec_…) of Lockstay’s webhook, shown this once; feeds have none'),
    credentials: basicCredentialsSchema.optional(),
  })
  .meta({ id: 'IntegrationWithSecret' });

/** A rotation: Lockstay issues the new secret or credentials, except Guesty's, which the host brings. */
export const rotateSecretInputSchema = z
  .object({
    secret: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .describe('Guesty only: the account’s new webhook signing secret (whsec_…)'),
  })
  .meta({ id: 'RotateSecretInput' });

/** The listing ids of the source mapped to the tenant's properties, replacing the mapping as a whole. */
export const listingMappingInputSchema = z
  .object({ listings: listingsSchema })
  .meta({ id: 'ListingMappingInput' });
export type ListingMappingInput = z.input<typeof listingMappingInputSchema>;

const webhookAuthentication = {
  'lockstay-webhook': 'standard-webhooks',
  hostaway: 'basic',
  guesty: 'svix',
} as const;

export function integrationView(integration: Integration, now: Date): IntegrationView {
  const previous = integration.secrets.find(
    (secret) => secret.validUntil !== undefined && Date.parse(secret.validUntil) > now.getTime(),
  );
  return {
    id: integration.id,
    kind: integration.kind,
    name: integration.name,
    listings: { ...integration.listings },
    ...(integration.kind === 'ical'
      ? {}
      : {
          webhookPath: `/webhooks/${integration.id}`,
          authentication: webhookAuthentication[integration.kind],
        }),
    ...(integration.feed
      ? {
          feed: {
            url: integration.feed.url,
            propertyId: integration.feed.propertyId,
            health: integration.feed.health,
            lastAttemptAt: integration.feed.lastAttemptAt,
            lastImportAt: integration.feed.lastImportAt,
            reservations: integration.feed.reservationCount ?? integration.feed.snapshot.length,
          },
        }
      : {}),
    ...(previous?.validUntil ? { secretRotation: { previousSecretValidUntil: previous.validUntil } } : {}),
    createdAt: integration.createdAt,
    updatedAt: integration.updatedAt,
  };
}

export const deliveryStatuses = ['pending', 'processed', 'failed', 'dead-lettered'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

/**
 * One accepted delivery, kept until `keepUntil` so that the same `webhook-id` is processed once. `failed` is
 * a delivery no retry can cure (an unmapped listing, a removed property); `dead-lettered` one that kept
 * failing for a passing reason until its retries ran out. Both stay visible to the host with their reason.
 */
export interface Delivery {
  readonly tenantId: string;
  readonly integrationId: string;
  readonly deliveryId: string;
  readonly event: BookingEvent;
  readonly receivedAt: IsoInstant;
  readonly status: DeliveryStatus;
  readonly outcome?: string | undefined;
  /** Details the adapter dropped rather than refuse the booking (an unusable phone number). */
  readonly warnings?: readonly string[] | undefined;
  /** Processing attempts that failed for a passing reason. */
  readonly attempts?: number | undefined;
  readonly keepUntil: IsoInstant;
}

export const deliveryViewSchema = z
  .object({
    deliveryId: z.string(),
    receivedAt: z.string(),
    status: z.enum(deliveryStatuses),
    reason: z.string().optional().describe('Why it failed, or what processing did'),
    reservationId: z.string().describe('The source’s id of the reservation'),
    listing: z.string().describe('The listing or property the delivery named'),
    warnings: z.array(z.string()).optional(),
    attempts: z.number().optional(),
  })
  .meta({ id: 'WebhookDelivery' });
export type DeliveryView = z.infer<typeof deliveryViewSchema>;

export function deliveryView(delivery: Delivery): DeliveryView {
  const { listing } = delivery.event;
  return {
    deliveryId: delivery.deliveryId,
    receivedAt: delivery.receivedAt,
    status: delivery.status,
    ...(delivery.outcome === undefined ? {} : { reason: delivery.outcome }),
    reservationId: delivery.event.reservationId,
    listing: 'propertyId' in listing ? listing.propertyId : listing.externalListingId,
    ...(delivery.warnings?.length ? { warnings: [...delivery.warnings] } : {}),
    ...(delivery.attempts ? { attempts: delivery.attempts } : {}),
  };
}

export const deliveryListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

/** The newest event applied to one reservation of one source, and the booking it made. */
export interface StoredReservation extends ReservationRecord {
  readonly tenantId: string;
  readonly source: IntegrationKind;
  readonly reservationId: string;
  readonly bookingId?: string | undefined;
  readonly version: number;
}

export type { AppliedEvent };

/** DynamoDB writes at most 100 items in one transaction. */
export const maxIntegrationsSavedTogether = 100;

export interface IntegrationStore {
  get(options: { tenantId: string; integrationId: string }): Promise<Integration | undefined>;
  /** The tenantless lookup of a webhook's path. */
  findForWebhook(options: { integrationId: string }): Promise<Integration | undefined>;
  list(options: { tenantId: string }): Promise<Integration[]>;
  /**
   * Creates (version 1) or replaces the stored version `version - 1`; a ConflictError otherwise. Audit
   * events given (a feed's health alert) are written with it, so only the save that wins records them.
   */
  save(integration: Integration, options?: { auditEvents?: readonly AuditEvent[] }): Promise<void>;
  /**
   * Replaces each integration's stored version `version - 1`, all of them or none (at most
   * `maxIntegrationsSavedTogether`); a ConflictError when any of them changed meanwhile.
   */
  saveAll(integrations: readonly Integration[]): Promise<void>;
  remove(options: { tenantId: string; integrationId: string }): Promise<void>;
  /** Stores the delivery unless one with its id is stored already; answers the stored one either way. */
  accept(delivery: Delivery): Promise<{ readonly accepted: boolean; readonly delivery: Delivery }>;
  getDelivery(options: {
    tenantId: string;
    integrationId: string;
    deliveryId: string;
  }): Promise<Delivery | undefined>;
  settle(delivery: Delivery): Promise<void>;
  /** The integration's failed and dead-lettered deliveries, newest first. */
  listFailedDeliveries(options: {
    tenantId: string;
    integrationId: string;
    limit: number;
  }): Promise<readonly Delivery[]>;
  getReservation(options: {
    tenantId: string;
    source: IntegrationKind;
    reservationId: string;
  }): Promise<StoredReservation | undefined>;
  /** Creates (version 1) or replaces version `version - 1`; a ConflictError when another delivery won. */
  saveReservation(record: StoredReservation): Promise<void>;
}

export const integrationPathSchema = z.object({
  integrationId: z.string().min(1).max(100).describe('The integration'),
});

export const deliveryPathSchema = integrationPathSchema.extend({
  deliveryId: z.string().min(1).max(300).describe('The delivery (its webhook-id)'),
});

export const webhookAcceptedSchema = z
  .object({
    deliveryId: z.string().describe('The webhook-id of the delivery'),
    firstDelivery: z
      .boolean()
      .describe('False when this webhook-id was accepted before (not processed again)'),
    ignored: z
      .object({ reason: z.string(), detail: z.string() })
      .optional()
      .describe('Set (with HTTP 200) when the delivery is not a guest booking: an owner stay, an inquiry…'),
  })
  .meta({ id: 'WebhookAccepted' });
