/**
 * The composition of the device side (codes onto locks, device events): the host API's domain ports plus the
 * locks' shadows (IoT data plane), their device keys (the vault, unsealed with KMS or the local key), the
 * tenantless thing lookup and the locks' recorded condition. Built on first use, once per instance; the
 * device-event function and the scheduled-task function share it.
 */
import { documents, iotData } from '#functions/commons/clients.ts';
import { hostServices, sealer } from '#functions/commons/ports.ts';
import type { DeviceEventPorts } from '#shared/access/device-events.ts';
import { rememberingDeviceKeys, rememberingThings } from '#shared/access/instance-caches.ts';
import type { DeviceKeys } from '#shared/access/ports.ts';
import { createDeviceKeyVault } from '#shared/adapters/device-key-vault.ts';
import {
  createDynamoLockConditionStore,
  createDynamoThingDirectory,
} from '#shared/adapters/dynamo/lock-condition.ts';
import { createOfflineCodeStore } from '#shared/adapters/dynamo/offline-codes.ts';
import { createDynamoTable } from '#shared/adapters/dynamo/table.ts';
import { createDynamoTenantSettingsStore } from '#shared/adapters/dynamo/tenant-settings.ts';
import { createIotShadowGateway } from '#shared/adapters/iot-shadow-gateway.ts';
import { requireEnv, resourceVariables } from '#shared/config.ts';

function buildDevicePorts(): DeviceEventPorts {
  const tableName = requireEnv(resourceVariables.table);
  const vault = createDeviceKeyVault({ documents, tableName, sealer: sealer() });
  // Remembered per instance: a key version never changes (instance-caches.ts).
  const deviceKeys: DeviceKeys = rememberingDeviceKeys({
    keys: {
      async load(ref) {
        const secret = await vault.load(ref);
        return secret && { version: ref.keyVersion, secret };
      },
    },
  });
  return {
    ...hostServices().ports,
    shadows: createIotShadowGateway({ client: iotData }),
    deviceKeys,
    things: rememberingThings({ things: createDynamoThingDirectory({ documents, tableName }) }),
    conditions: createDynamoLockConditionStore({ documents, tableName }),
    settings: createDynamoTenantSettingsStore({ documents, tableName }),
    offlineCodes: createOfflineCodeStore({ table: createDynamoTable({ client: documents, tableName }) }),
  };
}

let built: DeviceEventPorts | undefined;

/** The device side's ports, once per instance. */
export function devicePorts(): DeviceEventPorts {
  built ??= buildDevicePorts();
  return built;
}
