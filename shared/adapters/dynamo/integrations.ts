/**
 * Booking integrations in the table, with their inbox of accepted deliveries and the newest event applied per
 * reservation.
 * - integration by id: `T#<t>#INTEGRATION#<id>` / `INTEGRATION`
 * - a tenant's integrations: gsi1 `T#<t>#INTEGRATIONS` / `<createdAt>#<id>`
 * - a webhook's path, without a tenant: gsi2 `WEBHOOK#<id>` / `INTEGRATION`
 * - a feed's snapshot of its last import, gzip-compressed in chunks of at most 300 KB:
 *   `T#<t>#INTEGRATION#<id>#SNAPSHOT` / `CHUNK#<nnnn>`, read by key with the integration (count on its item)
 * - an accepted delivery: `T#<t>#INTEGRATION#<id>` / `DELIVERY#<webhook-id>`, expired by the table's TTL
 *   (`expiresAt`, epoch seconds) after the sender's retry window; its conditional put is the de-duplication
 * - an integration's failed and dead-lettered deliveries, newest first: gsi1 `T#<t>#INTEGRATION#<id>#FAILED` /
 *   `<receivedAt>#<webhook-id>`, a sparse index: only deliveries in those statuses carry the attributes
 * - a reservation's record: `T#<t>#RESERVATION#<source>#<reservationId>` / `APPLIED_EVENT`, beside the
 *   domain's reservation claim (sort key `RESERVATION`) of the same partition
 * - a booking channel's code (Airbnb's HM…) to the booking made for it: `T#<t>#CHANNEL_CODE#<channel>#<code>` /
 *   `BOOKING`, so that the same stay arriving from another source joins that booking; claimed (put only if
 *   absent, or held by a booking that is no longer the stay) in the transaction that creates the booking, with
 *   the reservation's record, which a booking change also writes in its own transaction
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { ConflictError } from '#shared/domain/errors.ts';
import type { CommitConflict } from '#shared/domain/ports/change-set.ts';
import type { IntegrationKind } from '#shared/integrations/booking-event.ts';
import type { FeedReservation } from '#shared/integrations/ical.ts';
import type {
  Delivery,
  Integration,
  IntegrationStore,
  StoredReservation,
} from '#shared/integrations/integration.ts';
import { maxIntegrationsSavedTogether } from '#shared/integrations/integration.ts';
import {
  bookingCreatedIn,
  type ChannelCode,
  type ChannelCodeIndex,
  type ReservationCommits,
} from '#shared/integrations/same-stay.ts';
import { auditEventItem } from './audit-log.ts';
import { createChangeCommitter, type PlannedItem } from './commit.ts';
import { entityOf, type ItemKey, storable, type TableItem, tenantKey } from './keys.ts';
import type { DynamoTable, TransactItem } from './table.ts';

export const integrationKeys = {
  item: ({ tenantId, integrationId }: { tenantId: string; integrationId: string }): ItemKey => ({
    pk: tenantKey(tenantId, 'INTEGRATION', integrationId),
    sk: 'INTEGRATION',
  }),
  list: (tenantId: string) => tenantKey(tenantId, 'INTEGRATIONS'),
  webhook: (integrationId: string) => `WEBHOOK#${integrationId}`,
  delivery: ({
    tenantId,
    integrationId,
    deliveryId,
  }: {
    tenantId: string;
    integrationId: string;
    deliveryId: string;
  }): ItemKey => ({
    pk: tenantKey(tenantId, 'INTEGRATION', integrationId),
    sk: `DELIVERY#${deliveryId}`,
  }),
  snapshotChunk: ({
    tenantId,
    integrationId,
    index,
  }: {
    tenantId: string;
    integrationId: string;
    index: number;
  }): ItemKey => ({
    pk: tenantKey(tenantId, 'INTEGRATION', integrationId, 'SNAPSHOT'),
    sk: `CHUNK#${String(index).padStart(4, '0')}`,
  }),
  failedDeliveries: ({ tenantId, integrationId }: { tenantId: string; integrationId: string }) =>
    tenantKey(tenantId, 'INTEGRATION', integrationId, 'FAILED'),
  channelCode: ({ tenantId, channel, code }: ChannelCode): ItemKey => ({
    pk: tenantKey(tenantId, 'CHANNEL_CODE', channel, code),
    sk: 'BOOKING',
  }),
  reservation: ({
    tenantId,
    source,
    reservationId,
  }: {
    tenantId: string;
    source: IntegrationKind;
    reservationId: string;
  }): ItemKey => ({ pk: tenantKey(tenantId, 'RESERVATION', source, reservationId), sk: 'APPLIED_EVENT' }),
};

const ttlAttribute = 'expiresAt';

/**
 * A feed's snapshot (every reservation of the last import, up to 10,000 of them) would break DynamoDB's
 * 400 KB item limit inside the integration's item. It is kept gzip-compressed in chunk items of its own,
 * written in the integration's transaction, and the integration item keeps only their number and the
 * reservation count (all that lists and views need).
 */
export const snapshotChunkBytes = 300 * 1024;

function snapshotChunks(integration: Integration): Uint8Array[] {
  if (!integration.feed || integration.feed.snapshot.length === 0) return [];
  const packed = gzipSync(JSON.stringify(storable(integration.feed.snapshot)));
  const chunks: Uint8Array[] = [];
  for (let offset = 0; offset < packed.length; offset += snapshotChunkBytes) {
    chunks.push(packed.subarray(offset, offset + snapshotChunkBytes));
  }
  return chunks;
}

function integrationItem(integration: Integration, chunkCount: number): TableItem {
  const { feed } = integration;
  return {
    ...storable({
      ...integration,
      ...(feed ? { feed: { ...feed, snapshot: [], reservationCount: feed.snapshot.length } } : {}),
    }),
    ...(feed ? { snapshotChunks: chunkCount } : {}),
    ...integrationKeys.item({ tenantId: integration.tenantId, integrationId: integration.id }),
    gsi1pk: integrationKeys.list(integration.tenantId),
    gsi1sk: `${integration.createdAt}#${integration.id}`,
    gsi2pk: integrationKeys.webhook(integration.id),
    gsi2sk: 'INTEGRATION',
    itemType: 'integration',
  };
}

function deliveryItem(delivery: Delivery): TableItem {
  const failed = delivery.status === 'failed' || delivery.status === 'dead-lettered';
  return {
    ...storable(delivery),
    ...integrationKeys.delivery(delivery),
    ...(failed
      ? {
          gsi1pk: integrationKeys.failedDeliveries(delivery),
          gsi1sk: `${delivery.receivedAt}#${delivery.deliveryId}`,
        }
      : {}),
    [ttlAttribute]: Math.ceil(Date.parse(delivery.keepUntil) / 1000),
    itemType: 'delivery',
  };
}

function deliveryOf(item: TableItem): Delivery {
  const { [ttlAttribute]: _ttl, ...rest } = entityOf<Delivery & { expiresAt?: number }>(item);
  return rest;
}

/** Channel codes remembered for as long as a stay can last after it was booked. */
const channelCodeRetentionDays = 2 * 366;

export function createChannelCodeIndex({ table }: { table: DynamoTable }): ChannelCodeIndex {
  return {
    async findBooking(key) {
      const item = await table.get(integrationKeys.channelCode(key));
      return typeof item?.bookingId === 'string' ? item.bookingId : undefined;
    },
  };
}

function reservationRecordItem(record: StoredReservation): TableItem {
  return { ...storable(record), ...integrationKeys.reservation(record), itemType: 'reservation' };
}

/**
 * The reservation's record and a new booking's channel-code claim, as items of the booking change's own
 * transaction (see ReservationCommits): each answers `stale` on the booking when its condition fails.
 */
export function createReservationCommits({ table }: { table: DynamoTable }): ReservationCommits {
  const { tableName } = table;
  return {
    committerFor({ record, channelCode }) {
      return createChangeCommitter({
        table,
        alongside(changes) {
          const created = bookingCreatedIn(changes);
          const bookingId = created?.id ?? record.bookingId;
          const conflict: CommitConflict = {
            kind: 'stale',
            entity: 'booking',
            id: bookingId ?? record.reservationId,
          };
          const items: PlannedItem[] = [
            {
              operation: versionedPut(
                reservationRecordItem({ ...record, bookingId }),
                record.version,
                tableName,
              ),
              onConditionFailed: conflict,
              describe: `record of reservation ${record.source} ${record.reservationId}`,
            },
          ];
          if (channelCode && created) {
            const { replacing } = channelCode;
            const key = { tenantId: record.tenantId, channel: channelCode.channel, code: channelCode.code };
            items.push({
              operation: {
                Put: {
                  TableName: tableName,
                  Item: {
                    ...integrationKeys.channelCode(key),
                    itemType: 'channel-code',
                    tenantId: record.tenantId,
                    bookingId: created.id,
                    [ttlAttribute]:
                      Math.ceil(Date.parse(created.createdAt) / 1000) + channelCodeRetentionDays * 86_400,
                  },
                  ...(replacing === undefined
                    ? { ConditionExpression: 'attribute_not_exists(pk)' }
                    : {
                        ConditionExpression: 'attribute_not_exists(pk) OR bookingId = :replacing',
                        ExpressionAttributeValues: { ':replacing': replacing },
                      }),
                },
              },
              onConditionFailed: conflict,
              describe: `claim of ${channelCode.channel} code ${channelCode.code}`,
            });
          }
          return items;
        },
      });
    },
  };
}

/** A put that creates, or replaces exactly the version before. */
function versionedPut(item: TableItem, version: number, tableName: string): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: item,
      ...(version === 1
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : {
            ConditionExpression: 'version = :previous',
            ExpressionAttributeValues: { ':previous': version - 1 },
          }),
    },
  };
}

/** The integration's item, versioned, and its feed snapshot's chunks. */
function integrationWrites(integration: Integration, tableName: string): TransactItem[] {
  const chunks = snapshotChunks(integration);
  const key = { tenantId: integration.tenantId, integrationId: integration.id };
  return [
    versionedPut(integrationItem(integration, chunks.length), integration.version, tableName),
    ...chunks.map(
      (data, index): TransactItem => ({
        Put: {
          TableName: tableName,
          Item: { ...integrationKeys.snapshotChunk({ ...key, index }), itemType: 'feed-snapshot', data },
        },
      }),
    ),
  ];
}

export function createIntegrationStore({ table }: { table: DynamoTable }): IntegrationStore {
  const { tableName } = table;
  return {
    async get(key) {
      const item = await table.get(integrationKeys.item(key));
      if (!item) return undefined;
      const { snapshotChunks: count, ...integration } = entityOf<Integration & { snapshotChunks?: number }>(
        item,
      );
      if (!integration.feed) return integration;
      // With the snapshot loaded, its length is the count: the stored one would go stale on the next save.
      const { reservationCount: _count, ...feed } = integration.feed;
      if (!count) return { ...integration, feed };
      const chunks = await table.getMany(
        Array.from({ length: count }, (_, index) => integrationKeys.snapshotChunk({ ...key, index })),
      );
      const packed = Buffer.concat(chunks.map((chunk) => chunk.data as Uint8Array));
      const snapshot = JSON.parse(gunzipSync(packed).toString('utf8')) as FeedReservation[];
      return { ...integration, feed: { ...feed, snapshot } };
    },

    async findForWebhook({ integrationId }) {
      // No tenant is known yet: the scope's tenant only binds cursors, and this read has none.
      const item = await table.queryFirst({
        tenantId: 'webhook',
        index: 'gsi2',
        partition: integrationKeys.webhook(integrationId),
        sort: { beginsWith: 'INTEGRATION' },
      });
      return item && entityOf<Integration>(item);
    },

    async list({ tenantId }) {
      const items = await table.queryAll({
        tenantId,
        index: 'gsi1',
        partition: integrationKeys.list(tenantId),
      });
      return items.map((item) => entityOf<Integration>(item));
    },

    async save(integration, { auditEvents = [] } = {}) {
      const outcome = await table.transactWrite([
        ...integrationWrites(integration, tableName),
        ...auditEvents.map(
          (event, position): TransactItem => ({
            Put: {
              TableName: tableName,
              Item: auditEventItem({ event, commitId: auditEvents[0]?.id ?? event.id, position }),
            },
          }),
        ),
      ]);
      if (!outcome.ok) {
        if (outcome.reasons[0] === 'ConditionalCheckFailed') {
          throw new ConflictError('The integration changed meanwhile; try again');
        }
        throw outcome.error;
      }
    },

    async saveAll(integrations) {
      if (integrations.length === 0) return;
      const writes = integrations.flatMap((integration) => integrationWrites(integration, tableName));
      if (writes.length > maxIntegrationsSavedTogether) {
        throw new Error(`At most ${maxIntegrationsSavedTogether} integration items are saved together`);
      }
      const outcome = await table.transactWrite(writes);
      if (!outcome.ok) {
        if (
          outcome.reasons.some(
            (reason) => reason === 'ConditionalCheckFailed' || reason === 'TransactionConflict',
          )
        ) {
          throw new ConflictError('An integration changed meanwhile; try again');
        }
        throw outcome.error;
      }
    },

    async remove(key) {
      const item = await table.get(integrationKeys.item(key));
      const count = typeof item?.snapshotChunks === 'number' ? item.snapshotChunks : 0;
      await table.transactWrite([
        { Delete: { TableName: tableName, Key: integrationKeys.item(key) } },
        ...Array.from(
          { length: count },
          (_, index): TransactItem => ({
            Delete: { TableName: tableName, Key: integrationKeys.snapshotChunk({ ...key, index }) },
          }),
        ),
      ]);
    },

    async accept(delivery) {
      const outcome = await table.transactWrite([
        {
          Put: {
            TableName: tableName,
            Item: deliveryItem(delivery),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ]);
      if (outcome.ok) return { accepted: true, delivery };
      if (outcome.reasons[0] !== 'ConditionalCheckFailed') throw outcome.error;
      const stored = await table.get(integrationKeys.delivery(delivery));
      return { accepted: false, delivery: stored ? deliveryOf(stored) : delivery };
    },

    async getDelivery(key) {
      const item = await table.get(integrationKeys.delivery(key));
      return item && deliveryOf(item);
    },

    async settle(delivery) {
      const outcome = await table.transactWrite([
        { Put: { TableName: tableName, Item: deliveryItem(delivery) } },
      ]);
      if (!outcome.ok) throw outcome.error;
    },

    async listFailedDeliveries({ tenantId, integrationId, limit }) {
      const page = await table.queryPage(
        {
          tenantId,
          index: 'gsi1',
          partition: integrationKeys.failedDeliveries({ tenantId, integrationId }),
          newestFirst: true,
        },
        { limit },
      );
      return page.items.map(deliveryOf);
    },

    async getReservation(key) {
      const item = await table.get(integrationKeys.reservation(key));
      return item && entityOf<StoredReservation>(item);
    },

    async saveReservation(record) {
      const outcome = await table.transactWrite([
        versionedPut(reservationRecordItem(record), record.version, tableName),
      ]);
      if (!outcome.ok) throw new ConflictError('Another delivery for this reservation was applied meanwhile');
    },
  };
}
