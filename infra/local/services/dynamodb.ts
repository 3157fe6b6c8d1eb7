/**
 * DynamoDB Local, AWS's own emulator, run from the jar that the npm package `amplify-dynamodb-simulator`
 * carries (only the jar and its native libraries are used). Data lives in the data folder unless `inMemory`;
 * the project's table is created from the same definition the CDK stack uses.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { keyAttributes, tableDefinition } from '#shared/storage/table-definition.ts';
import { LocalCloudError, type ManagedProcess, startProcess, waitUntilReady } from '../child-process.ts';

const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/** Fails with a one-line instruction unless Java 17 or newer is on the PATH. */
export async function requireJava17(): Promise<string> {
  let output: string;
  try {
    const { stderr, stdout } = await promisify(execFile)('java', ['-version']);
    output = `${stderr}${stdout}`;
  } catch {
    throw new LocalCloudError(
      'Java 17 or newer is required for DynamoDB Local but `java` was not found: install a JDK/JRE 17+ (e.g. `apt-get install openjdk-17-jre-headless`, or https://adoptium.net) and try again.',
    );
  }
  const version = /version "(\d+)(?:\.(\d+))?/.exec(output);
  const major = version?.[1] === '1' ? Number(version[2]) : Number(version?.[1]);
  if (!major || major < 17) {
    throw new LocalCloudError(
      `Java 17 or newer is required for DynamoDB Local, found ${version ? `Java ${major}` : 'an unknown Java'}: install Java 17+ and try again.`,
    );
  }
  return `Java ${major}`;
}

function emulatorDirectory(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator');
}

export interface DynamoDbLocal {
  readonly process: ManagedProcess;
  readonly endpoint: string;
}

export async function startDynamoDbLocal(options: {
  port: number;
  dataDir: string;
  inMemory: boolean;
  logFile: string;
}): Promise<DynamoDbLocal> {
  const { port, dataDir, inMemory, logFile } = options;
  const emulator = emulatorDirectory();
  const storage = inMemory ? ['-inMemory'] : ['-dbPath', dataDir];
  const process = startProcess({
    name: 'DynamoDB Local',
    command: 'java',
    args: [
      `-Djava.library.path=${join(emulator, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(emulator, 'DynamoDBLocal.jar'),
      '-port',
      String(port),
      '-sharedDb',
      ...storage,
    ],
    cwd: emulator,
    logFile,
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: 'local', credentials: localCredentials });
  await waitUntilReady(process, async () => (await client.send(new ListTablesCommand({}))) !== undefined, {
    logFile,
  });
  client.destroy();
  return { process, endpoint };
}

/** DynamoDB Local builds a new index in moments, but answers queries on it only once it is active. */
async function waitUntilIndexesActive(client: DynamoDBClient, tableName: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if ((Table?.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE')) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new LocalCloudError(
    `DynamoDB Local did not finish building the indexes of ${tableName} within a minute`,
  );
}

/**
 * Creates the table from the shared definition unless it exists; returns whether it was created. A table kept
 * in the data folder from an earlier version gets the indexes the definition has gained since.
 */
export async function ensureTable({
  endpoint,
  tableName,
}: {
  endpoint: string;
  tableName: string;
}): Promise<boolean> {
  const client = new DynamoDBClient({ endpoint, region: 'local', credentials: localCredentials });
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const existing = new Set((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
    for (const index of tableDefinition.globalIndexes.filter((each) => !existing.has(each.indexName))) {
      await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          AttributeDefinitions: [index.partitionKey, index.sortKey].map((attribute) => ({
            AttributeName: attribute.name,
            AttributeType: attribute.type,
          })),
          GlobalSecondaryIndexUpdates: [
            {
              Create: {
                IndexName: index.indexName,
                KeySchema: [
                  { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
                  { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
                ],
                Projection: { ProjectionType: 'ALL' },
              },
            },
          ],
        }),
      );
      await waitUntilIndexesActive(client, tableName);
    }
    return false;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  } finally {
    client.destroy();
  }
  const created = new DynamoDBClient({ endpoint, region: 'local', credentials: localCredentials });
  try {
    const { partitionKey, sortKey, globalIndexes, timeToLiveAttribute } = tableDefinition;
    await created.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: keyAttributes().map(
          (attribute): AttributeDefinition => ({
            AttributeName: attribute.name,
            AttributeType: attribute.type,
          }),
        ),
        KeySchema: [
          { AttributeName: partitionKey.name, KeyType: 'HASH' },
          { AttributeName: sortKey.name, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: globalIndexes.map((index) => ({
          IndexName: index.indexName,
          KeySchema: [
            { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
            { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
      }),
    );
    await created.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: timeToLiveAttribute, Enabled: true },
      }),
    );
    return true;
  } finally {
    created.destroy();
  }
}
