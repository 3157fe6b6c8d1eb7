/**
 * Booking integrations in the table, with their inbox of accepted deliveries and the newest event applied per
 * reservation.
 * - integration by id: `T#<t>#INTEGRATION#<id>` / `INTEGRATION`
 * - a tenant's integrations: gsi1 `T#<t>#INTEGRATIONS` / `<createdAt>#<id>`
 * - a webhook's path, without a tenant: gsi2 `WEBHOOK#<id>` / `INTEGRATION`
 * - an accepted delivery: `T#<t>#INTEGRATION#<id>` / `DELIVERY#<webhook-id>`, expired by the table's TTL
 *   (`expiresAt`, epoch seconds) after the sender's retry window; its conditional put is the de-duplication
 * - an integration's failed and dead-lettered deliveries, newest first: gsi1 `T#<t>#INTEGRATION#<id>#FAILED` /
 *   `<receivedAt>#<webhook-id>`, a sparse index: only deliveries in those statuses carry the attributes
 * - a reservation's record: `T#<t>#RESERVATION#<source>#<reservationId>` / `APPLIED_EVENT`, beside the
 *   domain's reservation claim (sort key `RESERVATION`) of the same partition
 * - a booking channel's code (Airbnb's HM…) to the booking made for it: `T#<t>#CHANNEL_CODE#<channel>#<code>` /
 *   `BOOKING`, so that the same stay arriving from another source joins that booking
 */
import { ConflictError } from '#shared/domain/errors.ts';
import type { IntegrationKind } from '#shared/integrations/booking-event.ts';
import type {
  Delivery,
  Integration,
  IntegrationStore,
  StoredReservation,
} from '#shared/integrations/integration.ts';
import type { ChannelCode, ChannelCodeIndex } from '#shared/integrations/same-stay.ts';
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

function integrationItem(integration: Integration): TableItem {
  return {
    ...storable(integration),
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
    async remember({ bookingId, ...key }) {
      const outcome = await table.transactWrite([
        {
          Put: {
            TableName: table.tableName,
            Item: {
              ...integrationKeys.channelCode(key),
              itemType: 'channel-code',
              tenantId: key.tenantId,
              bookingId,
              [ttlAttribute]: Math.ceil(Date.now() / 1000) + channelCodeRetentionDays * 86_400,
            },
          },
        },
      ]);
      if (!outcome.ok) throw outcome.error;
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

export function createIntegrationStore({ table }: { table: DynamoTable }): IntegrationStore {
  const { tableName } = table;
  return {
    async get(key) {
      const item = await table.get(integrationKeys.item(key));
      return item && entityOf<Integration>(item);
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

    async save(integration) {
      const outcome = await table.transactWrite([
        versionedPut(integrationItem(integration), integration.version, tableName),
      ]);
      if (!outcome.ok) throw new ConflictError('The integration changed meanwhile; try again');
    },

    async remove(key) {
      await table.transactWrite([{ Delete: { TableName: tableName, Key: integrationKeys.item(key) } }]);
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
      const item: TableItem = {
        ...storable(record),
        ...integrationKeys.reservation(record),
        itemType: 'reservation',
      };
      const outcome = await table.transactWrite([versionedPut(item, record.version, tableName)]);
      if (!outcome.ok) throw new ConflictError('Another delivery for this reservation was applied meanwhile');
    },
  };
}
