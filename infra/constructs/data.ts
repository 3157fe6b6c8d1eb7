/**
 * Where Lockstay keeps its data: the single DynamoDB table, shaped by the shared table definition (the same
 * one DynamoDB Local is built from), encrypted with a customer-managed key that rotates, recoverable to any
 * second of the last 35 days, and protected from deletion both by DynamoDB and by the stack.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  type Attribute as DynamoAttribute,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import {
  type KeyAttribute,
  type TableDefinition,
  tableDefinition,
} from '#shared/storage/table-definition.ts';

const attributeOf = (attribute: KeyAttribute): DynamoAttribute => ({
  name: attribute.name,
  type: attribute.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER,
});

export interface DataProps {
  /**
   * The table's keys, indexes and time-to-live attribute.
   * @default the shared table definition
   */
  readonly definition?: TableDefinition;
}

export class Data extends Construct {
  readonly table: Table;
  readonly tableKey: Key;
  /** Names of the table's global secondary indexes, for grants that name each index instead of `index/*`. */
  readonly indexNames: readonly string[];

  constructor(scope: Construct, id: string, props: DataProps = {}) {
    super(scope, id);
    const { definition = tableDefinition } = props;

    this.tableKey = new Key(this, 'TableKey', {
      description: 'Encrypts the Lockstay table: bookings, grants, locks and their audit trail',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Table rather than TableV2: TableV2 cannot render a customer-managed key in a region-agnostic stack,
    // and the app must synthesise without an account or region.
    this.table = new Table(this, 'Table', {
      partitionKey: attributeOf(definition.partitionKey),
      sortKey: attributeOf(definition.sortKey),
      timeToLiveAttribute: definition.timeToLiveAttribute,
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.tableKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.indexNames = definition.globalIndexes.map((index) => index.indexName);
    for (const index of definition.globalIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: attributeOf(index.partitionKey),
        sortKey: attributeOf(index.sortKey),
      });
    }
  }
}
