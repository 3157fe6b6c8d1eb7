/** Lambda entry of the guest API: the stay behind a guest link and the guest's remote unlock, rate limited. */

import { documents } from '#functions/commons/clients.ts';
import { guestLinkStore, guestPageOrigins } from '#functions/commons/guest-services.ts';
import { createDynamoStorage } from '#shared/adapters/dynamo/index.ts';
import { createDynamoLockConditionStore } from '#shared/adapters/dynamo/lock-condition.ts';
import { createDynamoLookupLimiter } from '#shared/adapters/dynamo/lookup-limiter.ts';
import { createOfflineCodeStore } from '#shared/adapters/dynamo/offline-codes.ts';
import { createDynamoTable } from '#shared/adapters/dynamo/table.ts';
import { optionalEnv, requireEnv, resourceVariables } from '#shared/config.ts';
import { guestLookupLimits } from '#shared/guests/lookup-limit.ts';
import { httpHandler } from '#shared/http/middleware.ts';
import { unlockPorts } from './api/commands-services.ts';
import { answerGuest, type GuestApiServices } from './api/guest.ts';

const tableName = requireEnv(resourceVariables.table);
const services: GuestApiServices = {
  ports: {
    ...createDynamoStorage({ client: documents, tableName }),
    guestLinks: guestLinkStore(),
    conditions: createDynamoLockConditionStore({ documents, tableName }),
    offlineCodes: createOfflineCodeStore({ table: createDynamoTable({ client: documents, tableName }) }),
  },
  limiter: createDynamoLookupLimiter({ documents, tableName, scope: 'guest-stay', ...guestLookupLimits }),
  now: () => new Date(),
  pageOrigins: guestPageOrigins(),
  // Set in AWS only, where CloudFront passes the guest API on: the local cloud has no edge in front of it.
  edgeSecret: optionalEnv(resourceVariables.pagesEdgeSecret),
  // Built on first use: a cold start that only reads the stay never opens the device-key vault.
  get unlock() {
    return unlockPorts();
  },
};

export const handler = httpHandler(async (event) => answerGuest({ event, services }));
