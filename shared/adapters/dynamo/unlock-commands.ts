/**
 * Remote unlock commands in the table.
 * - get by id: `T#<t>#COMMAND#<commandId>` / `COMMAND`
 * The command's own `expiresAt` (an ISO instant) shares its name with the table's TTL attribute; DynamoDB's
 * TTL acts on numbers only, so commands are kept, not expired, by the table.
 */
import type { UnlockCommandRepository } from '#shared/domain/ports/repositories.ts';
import type { UnlockCommand } from '#shared/domain/unlock-command.ts';
import { entityOf, type ItemKey, storable, type TableItem, tenantKey } from './keys.ts';
import type { DynamoTable } from './table.ts';

export const unlockCommandKeys = {
  item: ({ tenantId, commandId }: { tenantId: string; commandId: string }): ItemKey => ({
    pk: tenantKey(tenantId, 'COMMAND', commandId),
    sk: 'COMMAND',
  }),
};

export function unlockCommandItem(command: UnlockCommand): TableItem {
  return {
    ...storable(command),
    ...unlockCommandKeys.item({ tenantId: command.tenantId, commandId: command.id }),
    itemType: 'unlockCommand',
  };
}

export function createUnlockCommandRepository({ table }: { table: DynamoTable }): UnlockCommandRepository {
  return {
    async get({ tenantId, commandId }) {
      const item = await table.get(unlockCommandKeys.item({ tenantId, commandId }));
      return item && entityOf<UnlockCommand>(item);
    },
  };
}
