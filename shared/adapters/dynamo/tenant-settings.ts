/**
 * A tenant's lock settings in the table: `T#<t>#SETTINGS` / `SETTINGS`, one item per tenant, written with its
 * audit events in one transaction and only over the version it was read at.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { TenantSettings, TenantSettingsStore } from '#shared/access/tenant-settings.ts';
import { auditEventItem } from './audit-log.ts';
import { tenantKey } from './keys.ts';

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
      try {
        await documents.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: {
                    ...tenantSettingsKeys.item({ tenantId }),
                    ...settings,
                    tenantId,
                    itemType: 'tenantSettings',
                  },
                  ConditionExpression:
                    expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :expected',
                  ...(expectedVersion === 0
                    ? {}
                    : { ExpressionAttributeValues: { ':expected': expectedVersion } }),
                },
              },
              ...auditEvents.map((event, position) => ({
                Put: { TableName: tableName, Item: auditEventItem({ event, commitId, position }) },
              })),
            ],
          }),
        );
        return true;
      } catch (error) {
        if (
          error instanceof TransactionCanceledException &&
          error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
        ) {
          return false;
        }
        throw error;
      }
    },
  };
}
