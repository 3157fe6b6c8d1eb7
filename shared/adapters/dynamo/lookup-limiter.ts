/**
 * Lookup counters in the table: `RATE#<scope>#<key>#<window start>` / `RATE`, one conditional ADD per lookup
 * that fails once the window's limit is reached, deleted by TTL (`expiresAt`) after the window.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LookupLimiter } from '#shared/guests/lookup-limit.ts';

export function createDynamoLookupLimiter({
  documents,
  tableName,
  scope,
  perWindow,
  windowSeconds,
}: {
  documents: DynamoDBDocumentClient;
  tableName: string;
  scope: string;
  perWindow: number;
  windowSeconds: number;
}): LookupLimiter {
  return {
    async take({ key, now, weight = 1 }) {
      const nowSeconds = Math.floor(now.getTime() / 1000);
      const windowStart = nowSeconds - (nowSeconds % windowSeconds);
      const windowEnd = windowStart + windowSeconds;
      try {
        await documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: `RATE#${scope}#${key}#${windowStart}`, sk: 'RATE' },
            UpdateExpression: 'ADD #count :one SET #expiresAt = :expiresAt, #itemType = :itemType',
            ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
            ExpressionAttributeNames: {
              '#count': 'count',
              '#expiresAt': 'expiresAt',
              '#itemType': 'itemType',
            },
            ExpressionAttributeValues: {
              ':one': weight,
              ':limit': perWindow,
              ':expiresAt': windowEnd + windowSeconds,
              ':itemType': 'lookupCounter',
            },
          }),
        );
        return { allowed: true };
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) {
          return { allowed: false, retryAfterSeconds: Math.max(1, windowEnd - nowSeconds) };
        }
        throw error;
      }
    },
  };
}
