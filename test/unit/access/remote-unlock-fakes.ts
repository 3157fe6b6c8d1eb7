/** Fakes of remote unlock's ports beyond the domain's: the `commands` shadow, the task scheduler, presence. */
import type { DeviceKeys, IotShadowGateway, LockCondition, ShadowDocument } from '#shared/access/ports.ts';
import type { UnlockCommandPorts } from '#shared/access/unlock-commands.ts';
import type { DeviceKey } from '#shared/devices/device-key.ts';
import { addLock, addProperty, RecordingTasks, type TestWorld, testWorld } from '../domain/fakes.ts';

export const deviceKey: DeviceKey = { version: 1, secret: new Uint8Array(32).fill(7) };

/** The lock's `commands` shadow as IoT Core would keep it: desired merges, null deletes. */
export class FakeShadows implements IotShadowGateway {
  readonly updates: { thingName: string; shadowName: string; document: unknown }[] = [];
  readonly desired = new Map<string, Record<string, unknown>>();
  async updateShadow(update: { thingName: string; shadowName: string; document: unknown }) {
    this.updates.push(update);
    const commands = (update.document as { state: { desired: { commands: Record<string, unknown> } } }).state
      .desired.commands;
    const held = this.desired.get(update.thingName) ?? {};
    for (const [id, command] of Object.entries(commands)) {
      if (command === null) delete held[id];
      else held[id] = command;
    }
    this.desired.set(update.thingName, held);
  }
  async getShadow({ thingName }: { thingName: string }): Promise<ShadowDocument | undefined> {
    const held = this.desired.get(thingName);
    return held && { state: { desired: { commands: held } }, version: 1 };
  }
}

export interface UnlockWorld extends TestWorld {
  readonly unlockPorts: UnlockCommandPorts;
  readonly shadows: FakeShadows;
  readonly tasks: RecordingTasks;
  readonly conditions: Map<string, LockCondition>;
}

/** Remote unlock's ports over a test world's domain ports, with fakes for the rest. */
export function unlockPortsFor(world: TestWorld) {
  const shadows = new FakeShadows();
  const tasks = new RecordingTasks();
  const conditions = new Map<string, LockCondition>();
  const deviceKeys: DeviceKeys = {
    load: async ({ keyVersion }) => (keyVersion === deviceKey.version ? deviceKey : undefined),
  };
  const unlockPorts: UnlockCommandPorts = {
    ...world.ports,
    shadows,
    tasks,
    deviceKeys,
    conditions: { get: async ({ lockId }) => conditions.get(lockId) },
  };
  return { shadows, tasks, conditions, unlockPorts };
}

export function unlockWorld(): UnlockWorld {
  const world = testWorld({ now: '2026-10-27T11:00:00.000Z' });
  addProperty(world.store);
  addLock(world.store, { id: 'lck_front' });
  addLock(world.store, { id: 'lck_shed', connectivity: 'bluetooth' });
  return { ...world, ...unlockPortsFor(world) };
}
