// The reference lock across a credential rotation: a code sent again under a newer key replaces the old entry,
// opens once the lock holds only the new key, and a single-use code already used stays used.
import { describe, expect, it } from 'vitest';
import { accessCodesDesiredUpdate, codePut } from '#shared/devices/codes.ts';
import { lockShadows } from '#shared/devices/contract.ts';
import { type EncodedDeviceKey, generateDeviceKey, parseDeviceKey } from '#shared/devices/device-key.ts';
import { lockWorldOfFile, type TestLock } from './lock-fixture.ts';

const world = lockWorldOfFile();

const hour = 3600;
const codes = lockShadows.accessCodes;
const applied = (report: Record<string, unknown>) =>
  (report.state as { reported: { applied: Record<string, { v: number }> } }).reported.applied;

async function put(
  lock: TestLock,
  key: EncodedDeviceKey,
  codeId: string,
  pin: string,
  revision: number,
  once = false,
) {
  const now = Math.floor(lock.clock.now() / 1000);
  const entry = codePut({
    key: parseDeviceKey(key),
    thingName: lock.thingName,
    pin,
    revision,
    from: now - hour,
    to: now + hour,
    once,
  });
  await lock.updateShadow(codes, accessCodesDesiredUpdate({ put: [{ codeId, entry }] }));
  await lock.nextReport(codes, (body) => applied(body)[codeId]?.v === revision);
}

describe('codes sent again under a newer key', () => {
  it('replace the old entry, and open the lock once it holds only the new key', async () => {
    const oldKey = { version: 1, key: generateDeviceKey() };
    const newKey = { version: 2, key: generateDeviceKey() };
    const both = await world().startLock({ connectivity: 'wifi', deviceKeys: [oldKey, newKey] });
    await put(both, oldKey, 'stay0101', '583027', 1);
    await put(both, newKey, 'stay0101', '583027', 2);
    await both.lock.stop();

    const newOnly = await world().startLock({
      connectivity: 'wifi',
      thingName: both.thingName,
      storagePath: both.storagePath,
      deviceKeys: [newKey],
    });

    expect(newOnly.lock.snapshot().codes).toEqual([expect.objectContaining({ codeId: 'stay0101', v: 2 })]);
    expect(await newOnly.lock.enterPin('583027')).toMatchObject({ admitted: true, codeId: 'stay0101' });
  });

  it('keep a single-use code that was used, used', async () => {
    const oldKey = { version: 1, key: generateDeviceKey() };
    const newKey = { version: 2, key: generateDeviceKey() };
    const lock = await world().startLock({ connectivity: 'wifi', deviceKeys: [oldKey, newKey] });
    await put(lock, oldKey, 'parcel01', '692514', 1, true);
    expect(await lock.lock.enterPin('692514')).toMatchObject({ admitted: true });

    await put(lock, newKey, 'parcel01', '692514', 2, true);

    expect(lock.lock.snapshot().codes).toEqual([
      expect.objectContaining({ codeId: 'parcel01', v: 2, once: true, used: expect.any(Number) }),
    ]);
    expect(await lock.lock.enterPin('692514')).toMatchObject({ admitted: false, reason: 'used' });
  });
});
