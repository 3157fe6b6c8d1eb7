/**
 * The guest link store, built once per cold start from the shared document client and the table the
 * function's catalogue entry gives it. Kept apart from ports.ts so the host composition root stays as it is.
 */
import { createGuestLinkStore } from '#shared/adapters/dynamo/guest-links.ts';
import { createDynamoTable } from '#shared/adapters/dynamo/table.ts';
import { requireEnv, resourceVariables } from '#shared/config.ts';
import type { GuestLinkStore } from '#shared/guests/guest-link.ts';
import { documents } from './clients.ts';

let store: GuestLinkStore | undefined;

export function guestLinkStore(): GuestLinkStore {
  store ??= createGuestLinkStore({
    table: createDynamoTable({ client: documents, tableName: requireEnv(resourceVariables.table) }),
  });
  return store;
}
