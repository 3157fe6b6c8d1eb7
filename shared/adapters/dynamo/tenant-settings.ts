/**
 * A tenant's lock settings in the table: `T#<t>#SETTINGS` / `SETTINGS`, one item per tenant, written with its
 * audit events in one transaction and only over the version it was read at.
 */
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { TenantSettings, TenantSettingsStore } from '#shared/access/tenant-settings.ts';
import { auditEventItem } from './audit-log.ts';
import { tenantKey } from './keys.ts';
import { createDynamoTable } from './table.ts';

export const tenantSettingsKeys = {
  item: ({ tenantId }: { tenantId: string }) => ({ pk: tenantKey(tenantId, 'SETTINGS'), sk: 'SETTINGS' }),
};

export function createDynamoTenantSettingsStore({
  documents,
  tableName,
}: {
  documents: DynamoDBDocumentClient;
  tableName: string;
}): TenantSettingsStore {
  const table = createDynamoTable({ client: documents, tableName });
  return {
    async get({ tenantId }) {
      const { Item } = await documents.send(
        new GetCommand({
          TableName: tableName,
          Key: tenantSettingsKeys.item({ tenantId }),
          ConsistentRead: true,
        }),
      );
      if (Item === undefined) return undefined;
      const { minimumFirmwareVersion, offlineAlertHours, version, updatedAt } = Item;
      return { minimumFirmwareVersion, offlineAlertHours, version, updatedAt } as TenantSettings;
    },
    async put({ tenantId, settings, expectedVersion, auditEvents }) {
      const commitId = auditEvents[0]?.id ?? `settings-${settings.version}`;
      const outcome = await table.transactWrite([
        {
          Put: {
            TableName: tableName,
            Item: {
              ...tenantSettingsKeys.item({ tenantId }),
              ...settings,
              tenantId,
              itemType: 'tenantSettings',
            },
            ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :expected',
            ...(expectedVersion === 0 ? {} : { ExpressionAttributeValues: { ':expected': expectedVersion } }),
          },
        },
        ...auditEvents.map((event, position) => ({
          Put: { TableName: tableName, Item: auditEventItem({ event, commitId, position }) },
        })),
      ]);
      if (outcome.ok) return true;
      // The settings moved on since they were read: the caller reads them again.
      if (outcome.reasons[0] === 'ConditionalCheckFailed') return false;
      throw outcome.error;
    },
  };
}
