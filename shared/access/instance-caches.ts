/**
 * What a function instance may remember between invocations on the paths users wait on (remote unlock, the
 * lock's report closing its command), because it cannot change under it:
 * - a device key version's bytes: a version is written once and never rewritten (a rotation adds the next
 *   version), so only its retirement ends it, and the cloud stops signing with a version before retiring it;
 *   each entry is kept for a few minutes at most all the same;
 * - which tenant's lock a thing is: the cloud names each thing after its lock's id, once, for good.
 * Absent answers are never remembered (a lock registered a moment later must be found). Both are bounded, the
 * oldest entry leaving first, so an instance serving many locks stays small.
 */
import type { DeviceKey } from '#shared/devices/device-key.ts';
import type { DeviceKeys, ThingDirectory } from './ports.ts';

/** A map that forgets its oldest entry past `maxEntries`, and each entry after `ttlMs`. */
function boundedMemory<T>({
  maxEntries,
  ttlMs,
  now,
}: {
  maxEntries: number;
  ttlMs: number;
  now: () => number;
}) {
  const entries = new Map<string, { value: T; until: number }>();
  return {
    get(key: string): T | undefined {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      if (entry.until <= now()) {
        entries.delete(key);
        return undefined;
      }
      return entry.value;
    },
    set(key: string, value: T) {
      entries.delete(key);
      entries.set(key, { value, until: now() + ttlMs });
      if (entries.size > maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest !== undefined) entries.delete(oldest);
      }
    },
    forget(key: string) {
      entries.delete(key);
    },
  };
}

export function rememberingDeviceKeys({
  keys,
  maxEntries = 1000,
  ttlMs = 5 * 60_000,
  now = Date.now,
}: {
  keys: DeviceKeys;
  maxEntries?: number;
  ttlMs?: number;
  now?: () => number;
}): DeviceKeys & { forget(options: { tenantId: string; lockId: string; keyVersion: number }): void } {
  const memory = boundedMemory<Promise<DeviceKey | undefined>>({ maxEntries, ttlMs, now });
  const keyOf = ({
    tenantId,
    lockId,
    keyVersion,
  }: {
    tenantId: string;
    lockId: string;
    keyVersion: number;
  }) => `${tenantId}/${lockId}/${keyVersion}`;
  return {
    load(ref) {
      const key = keyOf(ref);
      const remembered = memory.get(key);
      if (remembered !== undefined) return remembered;
      // Requests arriving together share one read; a failed or empty read is not remembered.
      const loading = keys.load(ref).then(
        (loaded) => {
          if (loaded === undefined) memory.forget(key);
          return loaded;
        },
        (error: unknown) => {
          memory.forget(key);
          throw error;
        },
      );
      memory.set(key, loading);
      return loading;
    },
    forget: (ref) => memory.forget(keyOf(ref)),
  };
}

export function rememberingThings({
  things,
  maxEntries = 10_000,
  ttlMs = 60 * 60_000,
  now = Date.now,
}: {
  things: ThingDirectory;
  maxEntries?: number;
  ttlMs?: number;
  now?: () => number;
}): ThingDirectory {
  const memory = boundedMemory<{ tenantId: string; lockId: string }>({ maxEntries, ttlMs, now });
  return {
    async findLock({ thingName }) {
      const remembered = memory.get(thingName);
      if (remembered !== undefined) return remembered;
      const found = await things.findLock({ thingName });
      if (found !== undefined) memory.set(thingName, found);
      return found;
    },
  };
}
