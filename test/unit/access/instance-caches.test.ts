import { describe, expect, it } from 'vitest';
import { rememberingDeviceKeys, rememberingThings } from '#shared/access/instance-caches.ts';
import type { DeviceKeys, ThingDirectory } from '#shared/access/ports.ts';
import { deviceKey } from './access-fakes.ts';

function countingKeys(answer: () => Promise<typeof deviceKey | undefined>) {
  const reads: number[] = [];
  const keys: DeviceKeys = {
    load: async ({ keyVersion }) => {
      reads.push(keyVersion);
      return answer();
    },
  };
  return { keys, reads };
}

const ref = { tenantId: 'tnt_a', lockId: 'lck_front', keyVersion: 1 };

describe('device keys remembered by an instance', () => {
  it('reads a key version once, also for requests arriving together', async () => {
    const { keys, reads } = countingKeys(async () => deviceKey);
    const remembered = rememberingDeviceKeys({ keys });

    const [first, second] = await Promise.all([remembered.load(ref), remembered.load(ref)]);
    const third = await remembered.load(ref);

    expect([first, second, third]).toEqual([deviceKey, deviceKey, deviceKey]);
    expect(reads).toEqual([1]);
  });

  it('reads again after the time to live, and never remembers a missing key or a failure', async () => {
    let clock = 0;
    let answer: () => Promise<typeof deviceKey | undefined> = async () => undefined;
    const { keys, reads } = countingKeys(() => answer());
    const remembered = rememberingDeviceKeys({ keys, ttlMs: 1000, now: () => clock });

    await remembered.load(ref);
    answer = async () => {
      throw new Error('throttled');
    };
    await expect(remembered.load(ref)).rejects.toThrow('throttled');
    answer = async () => deviceKey;
    await remembered.load(ref);
    await remembered.load(ref);
    clock = 1000;
    await remembered.load(ref);

    expect(reads).toHaveLength(4);
  });

  it('forgets the oldest version past its bound', async () => {
    const { keys, reads } = countingKeys(async () => deviceKey);
    const remembered = rememberingDeviceKeys({ keys, maxEntries: 2 });

    for (const keyVersion of [1, 2, 3, 1]) await remembered.load({ ...ref, keyVersion });

    expect(reads).toEqual([1, 2, 3, 1]);
  });
});

describe('things remembered by an instance', () => {
  it('looks a thing up once, but a thing not found again every time', async () => {
    const lookups: string[] = [];
    const things: ThingDirectory = {
      findLock: async ({ thingName }) => {
        lookups.push(thingName);
        return thingName === 'lockstay-lck_front' ? { tenantId: 'tnt_a', lockId: 'lck_front' } : undefined;
      },
    };
    const remembered = rememberingThings({ things });

    await remembered.findLock({ thingName: 'lockstay-lck_front' });
    const again = await remembered.findLock({ thingName: 'lockstay-lck_front' });
    await remembered.findLock({ thingName: 'lockstay-lck_new' });
    await remembered.findLock({ thingName: 'lockstay-lck_new' });

    expect(again).toEqual({ tenantId: 'tnt_a', lockId: 'lck_front' });
    expect(lookups).toEqual(['lockstay-lck_front', 'lockstay-lck_new', 'lockstay-lck_new']);
  });
});
