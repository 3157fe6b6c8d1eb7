/**
 * What the cloud keeps of a lock's own reports, beside the lock and apart from it (the lock entity is the host's,
 * versioned; these fields move with every report and must never make a host's edit stale):
 * - the lock's condition: `T#<t>#LOCK#<lockId>` / `CONDITION` (connection with since-when, bolt, door, battery,
 *   firmware, keypad lockout, key versions held), each part written only if newer than what is stored
 * - each lock event id once: `T#<t>#LOCK#<lockId>` / `EVENT#<eventId>`, written in one transaction with the
 *   event's audit entries, expiring after 90 days (locks resend an outbox within minutes, not months)
 * - the tenantless thing lookup: gsi2 `THING#<thingName>` on the lock item (see locks.ts)
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LockCondition, LockConditionStore, ThingDirectory } from '#shared/access/ports.ts';
import { auditEventItem } from './audit-log.ts';
import { tenantKey } from './keys.ts';
import { lockKeys } from './locks.ts';
import { createDynamoTable } from './table.ts';

const eventMarkerDays = 90;

export const lockConditionKeys = {
  condition: ({ tenantId, lockId }: { tenantId: string; lockId: string }) => ({
    pk: tenantKey(tenantId, 'LOCK', lockId),
    sk: 'CONDITION',
  }),
  event: ({ tenantId, lockId, eventId }: { tenantId: string; lockId: string; eventId: string }) => ({
    pk: tenantKey(tenantId, 'LOCK', lockId),
    sk: `EVENT#${eventId}`,
  }),
};

export function createDynamoThingDirectory({
  documents,
  tableName,
}: {
  documents: DynamoDBDocumentClient;
  tableName: string;
}): ThingDirectory {
  return {
    async findLock({ thingName }) {
      const { Items } = await documents.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :thing',
          ExpressionAttributeValues: { ':thing': lockKeys.byThing(thingName) },
          Limit: 1,
        }),
      );
      const item = Items?.[0];
      if (typeof item?.tenantId !== 'string' || typeof item.id !== 'string') return undefined;
      return { tenantId: item.tenantId, lockId: item.id };
    },
  };
}

export function createDynamoLockConditionStore({
  documents,
  tableName,
  now = () => new Date(),
}: {
  documents: DynamoDBDocumentClient;
  tableName: string;
  now?: () => Date;
}): LockConditionStore {
  const table = createDynamoTable({ client: documents, tableName });
  const updateIfNewer = async ({
    key,
    instantField,
    at,
    fields,
  }: {
    key: { pk: string; sk: string };
    instantField: string;
    at: string | number;
    fields: Record<string, unknown>;
  }): Promise<boolean> => {
    const names: Record<string, string> = { '#at': instantField };
    const values: Record<string, unknown> = { ':at': at };
    const sets = ['#at = :at', 'itemType = :type'];
    values[':type'] = 'lockCondition';
    for (const [index, [name, value]] of Object.entries(fields).entries()) {
      if (value === undefined) continue;
      names[`#f${index}`] = name;
      values[`:f${index}`] = value;
      sets.push(`#f${index} = :f${index}`);
    }
    try {
      await documents.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key,
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: 'attribute_not_exists(#at) OR #at < :at',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  };

  return {
    async get({ tenantId, lockId }) {
      const { Item } = await documents.send(
        new GetCommand({ TableName: tableName, Key: lockConditionKeys.condition({ tenantId, lockId }) }),
      );
      if (Item === undefined) return undefined;
      const { connection, bolt, door, battery, firmware, keypadLockedOutUntil, keyVersions, reportedAt } =
        Item;
      return {
        connection,
        bolt,
        door,
        battery,
        firmware,
        keypadLockedOutUntil,
        keyVersions,
        reportedAt,
      } as LockCondition;
    },
    async hasEvent({ tenantId, lockId, eventId }) {
      const { Item } = await documents.send(
        new GetCommand({
          TableName: tableName,
          Key: lockConditionKeys.event({ tenantId, lockId, eventId }),
          ProjectionExpression: 'pk',
          ConsistentRead: true,
        }),
      );
      return Item !== undefined;
    },
    recordConnection({ tenantId, lockId, online, since }) {
      return updateIfNewer({
        key: lockConditionKeys.condition({ tenantId, lockId }),
        instantField: 'connectionAt',
        at: since,
        fields: { connection: { online, since }, tenantId, lockId },
      });
    },
    recordState({ tenantId, lockId, reportedAt, shadowVersion, state }) {
      return updateIfNewer({
        key: lockConditionKeys.condition({ tenantId, lockId }),
        instantField: 'stateShadowVersion',
        at: shadowVersion,
        fields: { ...state, reportedAt, tenantId, lockId },
      });
    },
    async recordEventOnce({ tenantId, lockId, eventId, auditEvents }) {
      const commitId = auditEvents[0]?.id ?? eventId;
      const expiresAt = Math.floor(now().getTime() / 1000) + eventMarkerDays * 86_400;
      const outcome = await table.transactWrite([
        {
          Put: {
            TableName: tableName,
            Item: {
              ...lockConditionKeys.event({ tenantId, lockId, eventId }),
              itemType: 'lockEventSeen',
              expiresAt,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        ...auditEvents.map((event, position) => ({
          Put: { TableName: tableName, Item: auditEventItem({ event, commitId, position }) },
        })),
      ]);
      if (outcome.ok) return true;
      // The event was recorded before: a repeated delivery.
      if (outcome.reasons[0] === 'ConditionalCheckFailed') return false;
      throw outcome.error;
    },
  };
}
