// Single-use offline codes on a reference Bluetooth lock (device contract 9.5): a delivery's code opens once,
// is refused as used from then on (after a restart too), and the lock forgets it once its window is over.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { deriveOfflineCode, offlineCodeRules } from '#shared/devices/offline-codes.ts';
import { lockWorldOfFile, type TestLock } from './lock-fixture.ts';

const world = lockWorldOfFile();

const hour = 3600;

/** The cloud's side: a delivery's single-use code for the next three hours on the lock's clock. */
function deliveryCode(lock: TestLock) {
  const from = Math.floor(lock.clock.now() / 1000);
  return deriveOfflineCode({
    key: lock.key,
    thingName: lock.thingName,
    pinLength: 6,
    from,
    to: from + 3 * hour,
    singleUse: true,
  });
}

describe('a single-use offline code on a Bluetooth lock', () => {
  it('opens once, then is refused as used, after a restart too', async () => {
    const lock = await world().startLock({ connectivity: 'bluetooth' });
    const delivery = deliveryCode(lock);
    const attribution = {
      keyVersion: 1,
      startHour: delivery.startHour,
      durationClass: delivery.durationClass,
    };

    expect(await lock.lock.enterPin(delivery.code)).toEqual({
      admitted: true,
      method: 'offline-code',
      offlineCode: attribution,
    });
    expect(await lock.lock.enterPin(delivery.code)).toEqual({ admitted: false, reason: 'used' });
    expect(lock.lock.snapshot().recentEvents.at(-1)).toMatchObject({
      type: 'access-denied',
      reason: 'used',
      offlineCode: attribution,
    });

    await lock.lock.stop();
    const restarted = await world().startLock({
      connectivity: 'bluetooth',
      thingName: lock.thingName,
      storagePath: lock.storagePath,
      deviceKeys: [{ version: 1, key: Buffer.from(lock.key.secret).toString('base64') }],
    });
    expect(await restarted.lock.enterPin(delivery.code)).toMatchObject({ admitted: false, reason: 'used' });
  });

  it('is forgotten once its window is over: typed after it, it is unknown, and the lock keeps no record', async () => {
    const lock = await world().startLock({ connectivity: 'bluetooth' });
    const delivery = deliveryCode(lock);
    expect(await lock.lock.enterPin(delivery.code)).toMatchObject({ admitted: true });

    lock.clock.advance(
      (delivery.validUntil + offlineCodeRules.clockSkewSeconds + 60) * 1000 - lock.clock.now(),
    );

    expect(await lock.lock.enterPin(delivery.code)).toEqual({ admitted: false, reason: 'unknown-code' });
    const stored = JSON.parse(await readFile(lock.storagePath, 'utf8'));
    expect(stored.usedSingleUseOfflineCodes).toEqual([]);
  });

  it('does not open as an everyday offline code of the same window', async () => {
    const lock = await world().startLock({ connectivity: 'bluetooth' });
    const delivery = deliveryCode(lock);
    const everyday = deriveOfflineCode({
      key: lock.key,
      thingName: lock.thingName,
      pinLength: 6,
      from: delivery.validFrom,
      to: delivery.validFrom + 3 * hour,
    });

    expect(await lock.lock.enterPin(everyday.code)).toMatchObject({ admitted: true });
    expect(await lock.lock.enterPin(everyday.code)).toMatchObject({ admitted: true });
    expect(await lock.lock.enterPin(delivery.code)).toMatchObject({ admitted: true });
    expect(await lock.lock.enterPin(delivery.code)).toMatchObject({ admitted: false, reason: 'used' });
  });
});
