/**
 * The composition of the readiness check and of offline code issuance: the device side's ports (device keys,
 * lock condition, the domain's repositories and the host notifier) plus the offline codes and readiness records
 * in the table, and the guest emails, asked to send the guest their email again when the code to use changes.
 * Built on first use, once per instance of the scheduled-task function.
 */
import { documents } from '#functions/commons/clients.ts';
import { hostServices } from '#functions/commons/ports.ts';
import type { BluetoothOfflineCodePorts } from '#shared/access/offline-code-issuance.ts';
import type { ReadinessPorts } from '#shared/access/readiness.ts';
import { createOfflineCodeStore } from '#shared/adapters/dynamo/offline-codes.ts';
import { createReadinessCheckStore } from '#shared/adapters/dynamo/readiness-checks.ts';
import { createDynamoTable } from '#shared/adapters/dynamo/table.ts';
import { requireEnv, resourceVariables } from '#shared/config.ts';
import { requestGuestEmail } from '#shared/guests/guest-email.ts';
import { devicePorts } from './ports.ts';

function buildReadinessPorts(): ReadinessPorts & BluetoothOfflineCodePorts {
  const table = createDynamoTable({ client: documents, tableName: requireEnv(resourceVariables.table) });
  return {
    ...hostServices().ports,
    ...devicePorts(),
    offlineCodes: createOfflineCodeStore({ table }),
    readinessChecks: createReadinessCheckStore({ table }),
    guestEmails: {
      async codesChanged({ tenantId, bookingId, occasion }) {
        const { guestEmailPorts } = await import('#functions/commons/guest-services.ts');
        const result = await requestGuestEmail({
          ports: guestEmailPorts(),
          tenantId,
          bookingId,
          reason: 'codes-changed',
          occasion,
        });
        // Another attempt is sending it right now: fail, so that the task's retry finds it sent.
        if (result.outcome === 'skipped' && result.why === 'in-progress') {
          throw new Error('The guest email is being sent by another attempt');
        }
      },
    },
  };
}

let built: (ReadinessPorts & BluetoothOfflineCodePorts) | undefined;

/** The readiness check's ports, once per instance. */
export function readinessPorts(): ReadinessPorts & BluetoothOfflineCodePorts {
  built ??= buildReadinessPorts();
  return built;
}
