/**
 * Lockstay's storage on DynamoDB: every repository port and the change committer of the domain, on the one
 * table of shared/storage/table-definition.ts. Handlers build it once per cold start from the shared document
 * client and the table name, and hand it to the domain with the other ports; nothing outside this folder sees
 * lib-dynamodb. The keys and indexes each access pattern uses are listed in ACCESS-PATTERNS.md.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { OfflineCodeStore } from '#shared/access/offline-code-issuance.ts';
import type { DomainPorts } from '#shared/domain/ports/domain-ports.ts';
import { createAccessCodeRepository } from './access-codes.ts';
import { createAuditLogRepository } from './audit-log.ts';
import { createBookingRepository } from './bookings.ts';
import { createChangeCommitter } from './commit.ts';
import { createGrantRepository } from './grants.ts';
import { createLockRepository } from './locks.ts';
import { createOfflineCodeStore } from './offline-codes.ts';
import { createPropertyRepository } from './properties.ts';
import { createDynamoTable } from './table.ts';
import { createTeamRepository } from './team.ts';
import { createUnlockCommandRepository } from './unlock-commands.ts';

export type DynamoStorage = Pick<
  DomainPorts,
  | 'properties'
  | 'locks'
  | 'bookings'
  | 'grants'
  | 'accessCodes'
  | 'unlockCommands'
  | 'team'
  | 'auditLog'
  | 'changes'
> & {
  /** Offline codes beside their grants (door access: Bluetooth locks, readiness fallbacks). */
  readonly offlineCodes: OfflineCodeStore;
};

export function createDynamoStorage({
  client,
  tableName,
}: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): DynamoStorage {
  const table = createDynamoTable({ client, tableName });
  return {
    properties: createPropertyRepository({ table }),
    locks: createLockRepository({ table }),
    bookings: createBookingRepository({ table }),
    grants: createGrantRepository({ table }),
    accessCodes: createAccessCodeRepository({ table }),
    unlockCommands: createUnlockCommandRepository({ table }),
    team: createTeamRepository({ table }),
    auditLog: createAuditLogRepository({ table }),
    changes: createChangeCommitter({ table }),
    offlineCodes: createOfflineCodeStore({ table }),
  };
}
