/**
 * The composition of remote unlock: the host API's ports plus the lock's `commands` shadow (IoT data plane),
 * its device keys (the vault, unsealed with KMS or the local key), its recorded presence and the task scheduler
 * for expiries. Built on first use, once per instance; the scheduled-task function builds the same for
 * `expire-command`.
 */
import { documents, iotData, scheduler } from '#functions/commons/clients.ts';
import { sealer } from '#functions/commons/ports.ts';
import { rememberingDeviceKeys } from '#shared/access/instance-caches.ts';
import type { DeviceKeys } from '#shared/access/ports.ts';
import type { UnlockCommandPorts } from '#shared/access/unlock-commands.ts';
import { createDeviceKeyVault } from '#shared/adapters/device-key-vault.ts';
import { createDynamoStorage } from '#shared/adapters/dynamo/index.ts';
import { createDynamoLockConditionStore } from '#shared/adapters/dynamo/lock-condition.ts';
import { createEventBridgeTaskScheduler } from '#shared/adapters/eventbridge-task-scheduler.ts';
import { createIotShadowGateway } from '#shared/adapters/iot-shadow-gateway.ts';
import { randomIdGenerator } from '#shared/adapters/random-id-generator.ts';
import { systemClock } from '#shared/adapters/system-clock.ts';
import { optionalEnv, requireEnv, resourceVariables } from '#shared/config.ts';

function buildUnlockPorts(): UnlockCommandPorts {
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
  const deadLetterQueueArn = optionalEnv(resourceVariables.schedulerDeadLetterQueueArn);
  return {
    ...createDynamoStorage({ client: documents, tableName }),
    clock: systemClock,
    ids: randomIdGenerator,
    shadows: createIotShadowGateway({ client: iotData }),
    deviceKeys,
    conditions: createDynamoLockConditionStore({ documents, tableName }),
    tasks: createEventBridgeTaskScheduler({
      client: scheduler,
      groupName: requireEnv(resourceVariables.schedulerGroup),
      targetFunctionArn: requireEnv(resourceVariables.scheduledTaskFunctionArn),
      roleArn: requireEnv(resourceVariables.schedulerRoleArn),
      ...(deadLetterQueueArn !== undefined ? { deadLetterQueueArn } : {}),
    }),
  };
}

let built: UnlockCommandPorts | undefined;

/** Remote unlock's ports, once per instance. */
export function unlockPorts(): UnlockCommandPorts {
  built ??= buildUnlockPorts();
  return built;
}
