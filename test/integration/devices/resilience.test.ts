// The reference lock when the cloud goes away: broker restarts, network cuts, reboots, late commands.
import { describe, expect, it } from 'vitest';
import { accessCodesDesiredUpdate, codePut } from '#shared/devices/codes.ts';
import { commandsDesiredUpdate, signUnlockCommand } from '#shared/devices/commands.ts';
import { lockShadows } from '#shared/devices/contract.ts';
import { lockWorldOfFile, type TestLock } from './lock-fixture.ts';

const world = lockWorldOfFile();

const hour = 3600;
const codes = lockShadows.accessCodes;
const applied = (report: Record<string, unknown>) =>
  (report.state as { reported: { applied: Record<string, { status?: string } | null> } }).reported.applied;

async function putCode(lock: TestLock, codeId: string, pin: string) {
  const now = Math.floor(lock.clock.now() / 1000);
  const entry = codePut({
    key: lock.key,
    thingName: lock.thingName,
    pin,
    revision: 1,
    from: now - hour,
    to: now + 12 * hour,
  });
  await lock.updateShadow(codes, accessCodesDesiredUpdate({ put: [{ codeId, entry }] }));
  await lock.nextReport(codes, (body) => applied(body)[codeId]?.status === 'set', 30_000);
}

async function until(condition: () => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const presenceOf = (lock: TestLock, eventType: 'connected' | 'disconnected') =>
  world().presence.next(
    (event) => event.clientId === lock.thingName && event.eventType === eventType,
    30_000,
  );

describe('a broker restart', () => {
  it('is survived: the lock reconnects, subscribes and reconciles again, and keeps taking codes', async () => {
    const lock = await world().startLock({ connectivity: 'wifi' });
    await presenceOf(lock, 'connected');
    await putCode(lock, 'restart1', '517394');

    await world().restartIot();
    await presenceOf(lock, 'connected');
    await until(() => lock.lock.snapshot().online);

    await putCode(lock, 'restart2', '628405');
    expect(await lock.lock.enterPin('517394')).toMatchObject({ admitted: true, codeId: 'restart1' });
    expect(await lock.lock.enterPin('628405')).toMatchObject({ admitted: true, codeId: 'restart2' });
    const shadow = await lock.readShadow(codes);
    expect(Object.keys(shadow?.state.reported?.applied ?? {}).sort()).toEqual(['restart1', 'restart2']);
  }, 120_000);
});

describe('a network cut', () => {
  it('leaves the keypad admitting valid codes, and the events reach the cloud once it is back', async () => {
    const lock = await world().startLock({ connectivity: 'wifi' });
    await presenceOf(lock, 'connected');
    await putCode(lock, 'offline1', '739516');

    lock.lock.setNetwork(false);
    expect((await presenceOf(lock, 'disconnected')).disconnectReason).toBe('CONNECTION_LOST');
    expect(await lock.lock.enterPin('739516')).toMatchObject({ admitted: true, codeId: 'offline1' });
    expect(await lock.lock.enterPin('111112')).toMatchObject({ admitted: false, reason: 'unknown-code' });
    expect(await lock.lock.presentCredential('rfid', '04A1B2C3')).toMatchObject({ admitted: false });
    expect(lock.lock.snapshot().pendingEvents).toBeGreaterThanOrEqual(3);
    expect(lock.events()).toEqual([]);

    lock.lock.setNetwork(true);
    const unlocked = await lock.nextEvent((event) => event.type === 'unlocked', 30_000);
    expect(unlocked).toMatchObject({ method: 'keypad', codeId: 'offline1' });
    await until(() => lock.lock.snapshot().pendingEvents === 0);
    const delivered = lock.events();
    expect(new Set(delivered.map((event) => event.id)).size).toBe(delivered.length);
    expect(delivered.map((event) => event.seq)).toEqual(
      [...delivered.map((event) => event.seq)].sort((a, b) => a - b),
    );
  }, 120_000);

  it('is followed by removals before additions, so a full lock takes its new code', async () => {
    const lock = await world().startLock({ connectivity: 'wifi', capacity: 1 });
    await presenceOf(lock, 'connected');
    await putCode(lock, 'turnov01', '840627');

    lock.lock.setNetwork(false);
    await presenceOf(lock, 'disconnected');
    const now = Math.floor(lock.clock.now() / 1000);
    const next = codePut({
      key: lock.key,
      thingName: lock.thingName,
      pin: '951738',
      revision: 1,
      from: now - 60,
      to: now + hour,
    });
    // Written in the order that would fill the lock if applied as written: the addition first.
    await lock.updateShadow(codes, accessCodesDesiredUpdate({ put: [{ codeId: 'turnov02', entry: next }] }));
    await lock.updateShadow(
      codes,
      accessCodesDesiredUpdate({ remove: [{ codeId: 'turnov01', revision: 2 }] }),
    );

    lock.lock.setNetwork(true);
    const report = await lock.nextReport(codes, (body) => applied(body).turnov02 !== undefined, 30_000);
    expect(applied(report)).toMatchObject({
      turnov01: { v: 2, status: 'removed' },
      turnov02: { v: 1, status: 'set' },
    });
    expect(await lock.lock.enterPin('840627')).toMatchObject({ admitted: false, reason: 'unknown-code' });
    expect(await lock.lock.enterPin('951738')).toMatchObject({ admitted: true, codeId: 'turnov02' });
  }, 120_000);

  it('never lets a command that expired while the lock was away open it when it comes back', async () => {
    const lock = await world().startLock({ connectivity: 'wifi' });
    await presenceOf(lock, 'connected');
    lock.lock.setNetwork(false);
    await presenceOf(lock, 'disconnected');

    const issuedAt = Date.now();
    const command = signUnlockCommand({
      key: lock.key,
      thingName: lock.thingName,
      commandId: 'late0001',
      issuedAt,
      expiresAt: issuedAt + 30_000,
    });
    await lock.updateShadow(
      lockShadows.commands,
      commandsDesiredUpdate({ issue: [{ commandId: 'late0001', command }] }),
    );
    // The lock comes back ten minutes later; its desired state still holds the command.
    lock.clock.advance(10 * 60 * 1000);
    lock.lock.setNetwork(true);

    const report = await lock.nextReport(
      lockShadows.commands,
      (body) => JSON.stringify(body).includes('late0001'),
      30_000,
    );
    expect(
      (report.state as { reported: { results: Record<string, unknown> } }).reported.results.late0001,
    ).toMatchObject({
      status: 'failed',
      reason: 'expired',
    });
    expect(lock.lock.snapshot().state.bolt).toBe('locked');
    expect(lock.events().some((event) => event.type === 'unlocked')).toBe(false);
  }, 120_000);
});

describe('a lock that reboots', () => {
  it('keeps its codes and its memory of executed commands', async () => {
    const first = await world().startLock({ connectivity: 'wifi' });
    await putCode(first, 'reboot01', '162849');
    const issuedAt = Date.now();
    const command = signUnlockCommand({
      key: first.key,
      thingName: first.thingName,
      commandId: 'reboot-cmd',
      issuedAt,
      expiresAt: issuedAt + 60_000,
    });
    await first.updateShadow(
      lockShadows.commands,
      commandsDesiredUpdate({ issue: [{ commandId: 'reboot-cmd', command }] }),
    );
    await first.nextEvent((event) => event.type === 'unlocked');
    // The cloud acknowledges; the lock drops its result but still remembers the id.
    await first.updateShadow(lockShadows.commands, commandsDesiredUpdate({ clear: ['reboot-cmd'] }));
    await first.nextReport(lockShadows.commands, (body) =>
      JSON.stringify(body).includes('"reboot-cmd":null'),
    );
    await first.lock.stop();

    const again = await world().startLock({
      connectivity: 'wifi',
      thingName: first.thingName,
      storagePath: first.storagePath,
      deviceKeys: [{ version: 1, key: Buffer.from(first.key.secret).toString('base64') }],
    });
    expect(await again.lock.enterPin('162849')).toMatchObject({ admitted: true, codeId: 'reboot01' });
    // Someone replays the command while it is still fresh: the rebooted lock remembers it.
    await again.updateShadow(
      lockShadows.commands,
      commandsDesiredUpdate({ issue: [{ commandId: 'reboot-cmd', command }] }),
    );
    const report = await again.nextReport(lockShadows.commands, (body) =>
      JSON.stringify(body).includes('replayed'),
    );
    expect(
      (report.state as { reported: { results: Record<string, unknown> } }).reported.results['reboot-cmd'],
    ).toMatchObject({
      status: 'failed',
      reason: 'replayed',
    });
  }, 120_000);
});
