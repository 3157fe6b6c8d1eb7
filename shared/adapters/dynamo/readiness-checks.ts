/**
 * The readiness check's record of a grant, beside the grant: `T#<t>#GRANT#<grantId>` / `READINESS` (which window
 * it checked, which locks the host was alerted about), created only if absent and replaced only at the version
 * before, each write in one transaction with the check's audit events, so an alert is recorded exactly once.
 */
import type { ReadinessCheckRecord, ReadinessCheckStore } from '#shared/access/readiness.ts';
import { auditEventItem } from './audit-log.ts';
import { entityOf, type ItemKey, storable, tenantKey } from './keys.ts';
import type { DynamoTable, TransactItem } from './table.ts';

export const readinessCheckKeys = {
  item: ({ tenantId, grantId }: { tenantId: string; grantId: string }): ItemKey => ({
    pk: tenantKey(tenantId, 'GRANT', grantId),
    sk: 'READINESS',
  }),
};

export function createReadinessCheckStore({ table }: { table: DynamoTable }): ReadinessCheckStore {
  return {
    async get({ tenantId, grantId }) {
      const item = await table.get(readinessCheckKeys.item({ tenantId, grantId }));
      return item && entityOf<ReadinessCheckRecord>(item);
    },

    async save({ record, auditEvents }) {
      const Item = {
        ...storable(record),
        ...readinessCheckKeys.item(record),
        itemType: 'readinessCheck',
      };
      const write: TransactItem =
        record.version === 1
          ? { Put: { TableName: table.tableName, Item, ConditionExpression: 'attribute_not_exists(pk)' } }
          : {
              Put: {
                TableName: table.tableName,
                Item,
                ConditionExpression: '#version = :previous',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':previous': record.version - 1 },
              },
            };
      const commitId = auditEvents[0]?.id ?? `${record.grantId}-${record.version}`;
      const outcome = await table.transactWrite([
        write,
        ...auditEvents.map(
          (event, position): TransactItem => ({
            Put: {
              TableName: table.tableName,
              Item: auditEventItem({ event, commitId, position }),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          }),
        ),
      ]);
      if (outcome.ok) return true;
      if (outcome.reasons[0] === 'ConditionalCheckFailed') return false;
      throw outcome.error;
    },
  };
}
