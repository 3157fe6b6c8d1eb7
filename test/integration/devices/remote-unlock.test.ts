// Remote unlock of a reference lock through its commands shadow: signed, fresh and new commands only.
import { describe, expect, it } from 'vitest';
import { commandsDesiredUpdate, signUnlockCommand } from '#shared/devices/commands.ts';
import { lockShadows } from '#shared/devices/contract.ts';
import { generateDeviceKey, parseDeviceKey } from '#shared/devices/device-key.ts';
import { lockWorldOfFile, type TestLock } from './lock-fixture.ts';

const world = lockWorldOfFile();

const commands = lockShadows.commands;
let commandCount = 0;

/** Signs and writes an unlock command as the cloud does, with the cloud's (real) clock. */
async function issue(
  lock: TestLock,
  { lifetimeMs = 30_000, issuedAt = Date.now(), key = lock.key, commandId = `cmd${++commandCount}` } = {},
) {
  const command = signUnlockCommand({
    key,
    thingName: lock.thingName,
    commandId,
    issuedAt,
    expiresAt: issuedAt + lifetimeMs,
  });
  await lock.updateShadow(commands, commandsDesiredUpdate({ issue: [{ commandId, command }] }));
  return { commandId, command };
}

const resultOf = (report: Record<string, unknown>, commandId: string) =>
  (report.state as { reported: { results: Record<string, unknown> } }).reported.results[commandId];

const outcome = async (lock: TestLock, commandId: string) =>
  resultOf(await lock.nextReport(commands, (body) => resultOf(body, commandId) != null), commandId);

describe('a signed unlock command', () => {
  it('opens the lock, is reported succeeded under its id, and the lock relocks by itself', async () => {
    const lock = await world().startLock({ connectivity: 'wifi' });
    const { commandId } = await issue(lock);

    expect(await outcome(lock, commandId)).toEqual({ status: 'succeeded', at: expect.any(Number) });
    expect(await lock.nextEvent((event) => event.type === 'unlocked')).toMatchObject({
      method: 'remote',
      commandId,
    });
    await lock.nextReport(lockShadows.state, (body) => JSON.stringify(body).includes('"bolt":"unlocked"'));
    expect(await lock.nextEvent((event) => event.type === 'locked')).toMatchObject({ reason: 'auto-relock' });
    expect(lock.lock.snapshot().state.bolt).toBe('locked');
  });

  it('reaches a hybrid lock through its bridge too', async () => {
    const lock = await world().startLock({ connectivity: 'hybrid', bridgeDelayMs: 50 });
    const { commandId } = await issue(lock);
    expect(await outcome(lock, commandId)).toMatchObject({ status: 'succeeded' });
  });
});

describe('a lock refuses, reports why, and stays locked, a command', () => {
  it('signed with a key that is not its own (forged)', async () => {
    const lock = await world().startLock({ connectivity: 'wifi' });
    const forger = parseDeviceKey({ version: 1, key: generateDeviceKey() });
    const { commandId } = await issue(lock, { key: forger });
    expect(await outcome(lock, commandId)).toMatchObject({ status: 'failed', reason: 'bad-signature' });
    expect(lock.lock.snapshot().state.bolt).toBe('locked');
  });

  it('whose expiry has passed', async () => {
    const lock = await world().startLock({ connectivity: 'wifi' });
    const { commandId } = await issue(lock, { issuedAt: Date.now() - 120_000 });
    expect(await outcome(lock, commandId)).toMatchObject({ status: 'failed', reason: 'expired' });
    expect(lock.lock.snapshot().state.bolt).toBe('locked');
  });

  it('it executed before (replayed), even after the cloud cleared it', async () => {
    const lock = await world().startLock({ connectivity: 'wifi' });
    const { commandId, command } = await issue(lock);
    expect(await outcome(lock, commandId)).toMatchObject({ status: 'succeeded' });
    await lock.nextEvent((event) => event.type === 'locked');

    // The cloud records the outcome and clears the command; the lock drops its result.
    await lock.updateShadow(commands, commandsDesiredUpdate({ clear: [commandId] }));
    await lock.nextReport(commands, (body) => resultOf(body, commandId) === null);

    await lock.updateShadow(commands, commandsDesiredUpdate({ issue: [{ commandId, command }] }));
    expect(await outcome(lock, commandId)).toMatchObject({ status: 'failed', reason: 'replayed' });
    expect(lock.lock.snapshot().state.bolt).toBe('locked');
    expect(lock.events().filter((event) => event.type === 'unlocked')).toHaveLength(1);
  });

  it('when its battery is flat', async () => {
    const lock = await world().startLock({ connectivity: 'wifi' });
    await lock.lock.setBattery(0);
    const { commandId } = await issue(lock);
    expect(await outcome(lock, commandId)).toMatchObject({ status: 'failed', reason: 'battery-depleted' });
  });
});

describe('the commands shadow', () => {
  it('ends empty once the cloud has cleared what the lock answered', async () => {
    const lock = await world().startLock({ connectivity: 'wifi' });
    const { commandId } = await issue(lock);
    await outcome(lock, commandId);
    await lock.updateShadow(commands, commandsDesiredUpdate({ clear: [commandId] }));
    await lock.nextReport(commands, (body) => resultOf(body, commandId) === null);
    expect((await lock.readShadow(commands))?.state).toEqual({});
  });
});
