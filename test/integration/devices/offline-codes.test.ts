// Offline codes on reference locks: a Bluetooth-only lock that never connects, and the fallback on a WiFi lock.
import { describe, expect, it } from 'vitest';
import { lockEventSchema } from '#shared/devices/events.ts';
import { deriveOfflineCode, offlineCodeRules } from '#shared/devices/offline-codes.ts';
import { lockWorldOfFile, type TestLock } from './lock-fixture.ts';

const world = lockWorldOfFile();

const hour = 3600;

/** The cloud's side: an offline code for an access starting `startsIn` hours from the lock's now. */
function offlineCodeFor(lock: TestLock, { startsIn = 0, hours = 48 } = {}) {
  const from = Math.floor(lock.clock.now() / 1000) + startsIn * hour;
  return deriveOfflineCode({
    key: lock.key,
    thingName: lock.thingName,
    pinLength: 6,
    from,
    to: from + hours * hour,
  });
}

async function typeOnKeypad(lock: TestLock, pin: string) {
  const response = await fetch(`${lock.lock.controlUrl}/keypad`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ pin }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

describe('a Bluetooth-only lock', () => {
  it('never connects, yet admits a valid offline code typed on its keypad and keeps the event', async () => {
    // It stays open while the test looks (the world's locks relock after 300 ms, which a busy machine outlasts).
    const lock = await world().startLock({
      connectivity: 'bluetooth',
      control: { port: 0 },
      autoRelockMs: 60_000,
    });
    const offline = offlineCodeFor(lock);

    expect(await typeOnKeypad(lock, offline.code)).toEqual({
      admitted: true,
      method: 'offline-code',
      offlineCode: { keyVersion: 1, startHour: offline.startHour, durationClass: offline.durationClass },
    });
    const { recentEvents, pendingEvents, online } = lock.lock.snapshot();
    expect(online).toBe(false);
    expect(pendingEvents).toBe(1);
    expect(lockEventSchema.parse(recentEvents[0])).toMatchObject({
      type: 'unlocked',
      method: 'offline-code',
    });
    expect(world().presence.pending.some((event) => event.clientId === lock.thingName)).toBe(false);
  });

  it('refuses the code of another window, and another lock’s code for this window', async () => {
    const lock = await world().startLock({ connectivity: 'bluetooth' });
    const other = await world().startLock({ connectivity: 'bluetooth' });
    const tomorrow = offlineCodeFor(lock, { startsIn: 24 });
    expect(await lock.lock.enterPin(tomorrow.code)).toMatchObject({
      admitted: false,
      reason: 'unknown-code',
    });
    expect(await lock.lock.enterPin(offlineCodeFor(other).code)).toMatchObject({ admitted: false });

    lock.clock.advance(24 * hour * 1000);
    expect(await lock.lock.enterPin(tomorrow.code)).toMatchObject({ admitted: true, method: 'offline-code' });
  });

  it('keeps opening with a code once used until its window ends, and then refuses it', async () => {
    const lock = await world().startLock({ connectivity: 'bluetooth' });
    const stay = offlineCodeFor(lock, { hours: 72 });
    expect(await lock.lock.enterPin(stay.code)).toMatchObject({ admitted: true });

    // Two days on: past the first-use period, still within the stay.
    lock.clock.advance(48 * hour * 1000);
    expect(await lock.lock.enterPin(stay.code)).toMatchObject({ admitted: true });
    expect(lock.lock.snapshot().activatedOfflineCodes).toBe(1);

    lock.clock.advance((stay.validUntil + offlineCodeRules.clockSkewSeconds) * 1000 - lock.clock.now());
    expect(await lock.lock.enterPin(stay.code)).toMatchObject({ admitted: false, reason: 'outside-window' });
  });

  it('cannot be asked to connect: it has no endpoint, and cutting its network changes nothing', async () => {
    const lock = await world().startLock({ connectivity: 'bluetooth' });
    lock.lock.setNetwork(false);
    lock.lock.setNetwork(true);
    expect(await lock.lock.enterPin(offlineCodeFor(lock).code)).toMatchObject({ admitted: true });
    expect(lock.lock.snapshot().online).toBe(false);
  });
});

describe('an online lock', () => {
  it('admits an offline code as the fallback, and reports the unlock with the code’s window', async () => {
    const lock = await world().startLock({ connectivity: 'wifi' });
    const fallback = offlineCodeFor(lock);
    expect(await lock.lock.enterPin(fallback.code)).toMatchObject({ admitted: true, method: 'offline-code' });
    const event = await lock.nextEvent((candidate) => candidate.type === 'unlocked');
    expect(event).toMatchObject({
      method: 'offline-code',
      offlineCode: { keyVersion: 1, startHour: fallback.startHour, durationClass: fallback.durationClass },
    });
  });
});

describe('the local control API', () => {
  it('shows the lock without any hash or PIN, and refuses a body that is not what a control takes', async () => {
    // It stays open while the test reads its state (see above).
    const lock = await world().startLock({
      connectivity: 'bluetooth',
      control: { port: 0 },
      autoRelockMs: 60_000,
    });
    const code = offlineCodeFor(lock).code;
    await typeOnKeypad(lock, code);

    const state = await fetch(`${lock.lock.controlUrl}/state`);
    const text = await state.text();
    expect(JSON.parse(text)).toMatchObject({ thingName: lock.thingName, state: { bolt: 'unlocked' } });
    expect(text).not.toContain(code);

    const letters = await fetch(`${lock.lock.controlUrl}/keypad`, { method: 'POST', body: '{"pin":"abc"}' });
    expect(letters.status).toBe(400);
    const unknown = await fetch(`${lock.lock.controlUrl}/open-sesame`, { method: 'POST' });
    expect(unknown.status).toBe(404);
    const battery = await fetch(`${lock.lock.controlUrl}/battery`, { method: 'POST', body: '{"percent":0}' });
    expect(await battery.json()).toMatchObject({ battery: 0 });
    expect(await lock.lock.turnKey()).toEqual({ admitted: true, method: 'key' });
  });
});
