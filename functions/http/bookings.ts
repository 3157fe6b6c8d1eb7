/**
 * Lambda entry of the host API's bookings area. Bookings entered by hand, with the grants and codes that follow
 * them, and sending a guest's email again.
 */

import { documents } from '#functions/commons/clients.ts';
import { guestEmailPorts, guestEmailWork } from '#functions/commons/guest-services.ts';
import { hostApiHandler } from '#functions/commons/host-api.ts';
import { hostServices } from '#functions/commons/ports.ts';
import { codeWork } from '#functions/devices/code-work.ts';
import { createOfflineCodeStore } from '#shared/adapters/dynamo/offline-codes.ts';
import { createDynamoTable } from '#shared/adapters/dynamo/table.ts';
import { requireEnv, resourceVariables } from '#shared/config.ts';
import { bookingRoutesWith } from './api/bookings.ts';

const offlineCodes = createOfflineCodeStore({
  table: createDynamoTable({ client: documents, tableName: requireEnv(resourceVariables.table) }),
});

export const handler = hostApiHandler({
  routes: bookingRoutesWith({
    codeWork,
    guestEmails: guestEmailWork,
    guestEmailSending: guestEmailPorts,
    offlineCodes,
  }),
  services: hostServices(),
});
