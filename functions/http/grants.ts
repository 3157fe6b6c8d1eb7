/** Lambda entry of the host API's grants area. Grants: read with codes, issue ad-hoc ones, revoke. */
import { documents } from '#functions/commons/clients.ts';
import { hostApiHandler } from '#functions/commons/host-api.ts';
import { hostServices } from '#functions/commons/ports.ts';
import { codeWork } from '#functions/devices/code-work.ts';
import { createOfflineCodeStore } from '#shared/adapters/dynamo/offline-codes.ts';
import { createDynamoTable } from '#shared/adapters/dynamo/table.ts';
import { requireEnv, resourceVariables } from '#shared/config.ts';
import { grantRoutesWith } from './api/grants.ts';

const offlineCodes = createOfflineCodeStore({
  table: createDynamoTable({ client: documents, tableName: requireEnv(resourceVariables.table) }),
});

export const handler = hostApiHandler({
  routes: grantRoutesWith({ codeWork, offlineCodes }),
  services: hostServices(),
});
