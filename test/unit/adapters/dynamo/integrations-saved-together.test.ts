/**
 * Integrations saved together (a property's listings changing several of them) go to the table in one
 * transaction, each put conditional on the version it replaces, so a change made meanwhile to any of them
 * refuses all of them. The table is aws-sdk-client-mock's.
 */
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createIntegrationStore } from '#shared/adapters/dynamo/integrations.ts';
import { createDynamoTable } from '#shared/adapters/dynamo/table.ts';
import { ConflictError } from '#shared/domain/errors.ts';
import type { Integration } from '#shared/integrations/integration.ts';

const documents = mockClient(DynamoDBDocumentClient);
const store = createIntegrationStore({
  table: createDynamoTable({
    client: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })),
    tableName: 'lockstay',
  }),
});

function channelIntegration(id: string, version: number, listings: Record<string, string>): Integration {
  return {
    tenantId: 'tnt_a',
    id,
    kind: 'hostaway',
    name: id,
    listings,
    secrets: [],
    createdAt: '2026-10-01T09:00:00.000Z',
    updatedAt: '2026-11-26T09:00:00.000Z',
    version,
  };
}

beforeEach(() => documents.reset());

describe('Saving integrations together', () => {
  it('writes them in one transaction, each replacing exactly the version before it', async () => {
    documents.on(TransactWriteCommand).resolves({});

    await store.saveAll([
      channelIntegration('int_a', 3, { '218666': 'prp_loft' }),
      channelIntegration('int_b', 2, {}),
    ]);

    const calls = documents.commandCalls(TransactWriteCommand);
    expect(calls).toHaveLength(1);
    const puts = calls[0]?.args[0].input.TransactItems?.map((entry) => entry.Put) ?? [];
    expect(
      puts.map((put) => [put?.Item?.id, put?.ConditionExpression, put?.ExpressionAttributeValues]),
    ).toEqual([
      ['int_a', 'version = :previous', { ':previous': 2 }],
      ['int_b', 'version = :previous', { ':previous': 1 }],
    ]);
    expect(puts[0]?.Item?.listings).toEqual({ '218666': 'prp_loft' });
  });

  it('answers a conflict when any of them changed meanwhile', async () => {
    documents.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }],
      }),
    );

    await expect(
      store.saveAll([channelIntegration('int_a', 3, {}), channelIntegration('int_b', 2, {})]),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it('writes nothing when nothing changed', async () => {
    await store.saveAll([]);

    expect(documents.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });
});
