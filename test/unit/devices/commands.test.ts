// Signed unlock commands: what the cloud signs and what a lock accepts, refuses, and why.
import { describe, expect, it } from 'vitest';
import {
  commandRules,
  commandsDesiredSchema,
  commandsDesiredUpdate,
  commandsDesiredUpdateSchema,
  commandsReport,
  commandsReportedSchema,
  rememberUntil,
  signUnlockCommand,
  type UnlockCommandDocument,
  verifyUnlockCommand,
} from '#shared/devices/commands.ts';
import { deviceMac, generateDeviceKey, macPurposes, parseDeviceKey } from '#shared/devices/device-key.ts';

const key = parseDeviceKey({ version: 1, key: generateDeviceKey() });
const rotated = parseDeviceKey({ version: 2, key: generateDeviceKey() });
const thingName = 'lockstay-01hx0000000000000000000001';
const commandId = 'cmd00000000000000000000001';
const issuedAt = Date.parse('2026-11-20T15:00:00Z');
const seconds = (n: number) => n * 1000;

const signed = (overrides: Partial<Parameters<typeof signUnlockCommand>[0]> = {}) =>
  signUnlockCommand({
    key,
    thingName,
    commandId,
    issuedAt,
    expiresAt: issuedAt + seconds(30),
    ...overrides,
  });

const verify = (
  command: unknown,
  { now = issuedAt + seconds(1), id = commandId, executed = new Set<string>(), keys = [key] } = {},
) =>
  verifyUnlockCommand({
    keys,
    thingName,
    commandId: id,
    command,
    now,
    wasExecuted: (candidate) => executed.has(candidate),
  });

describe('a signed unlock command', () => {
  it('carries its times in epoch seconds, a random nonce, the key version and a 256-bit signature', () => {
    const command = signed();
    expect(command).toMatchObject({
      action: 'unlock',
      issuedAt: issuedAt / 1000,
      expiresAt: issuedAt / 1000 + 30,
      key: 1,
    });
    expect(command.nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(command.signature).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(signed().nonce).not.toBe(command.nonce);
  });

  it('is accepted by its lock while fresh and never executed', () => {
    const command = signed();
    expect(verify(command)).toEqual({ ok: true, command });
  });

  it('cannot be signed for longer than the contract allows', () => {
    expect(() => signed({ expiresAt: issuedAt + seconds(commandRules.maxLifetimeSeconds + 1) })).toThrow();
  });
});

describe('a lock refuses a command', () => {
  it('signed with another key, or whose fields were changed after signing (forged)', () => {
    const foreign = parseDeviceKey({ version: 1, key: generateDeviceKey() });
    expect(verify(signed({ key: foreign }))).toEqual({ ok: false, reason: 'bad-signature' });
    const command = signed();
    const tampered: UnlockCommandDocument[] = [
      { ...command, expiresAt: command.expiresAt + 60 },
      { ...command, issuedAt: command.issuedAt + 1 },
      { ...command, nonce: 'A'.repeat(22) },
      {
        ...command,
        signature: `${command.signature.slice(0, -1)}${command.signature.endsWith('A') ? 'B' : 'A'}`,
      },
    ];
    for (const candidate of tampered)
      expect(verify(candidate)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('signed for another lock or under another id', () => {
    expect(verify(signed({ thingName: 'lockstay-other' }))).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verify(signed(), { id: 'cmd00000000000000000000002' })).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
  });

  it('once expired, allowing the clock skew and no more', () => {
    const command = signed();
    const expiry = issuedAt + seconds(30);
    expect(verify(command, { now: expiry + seconds(commandRules.clockSkewSeconds) - 1 })).toMatchObject({
      ok: true,
    });
    expect(verify(command, { now: expiry + seconds(commandRules.clockSkewSeconds) })).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(verify(command, { now: expiry + seconds(3600) })).toEqual({ ok: false, reason: 'expired' });
  });

  it('issued in the future beyond the clock skew', () => {
    const command = signed({ issuedAt: issuedAt + seconds(120), expiresAt: issuedAt + seconds(150) });
    expect(verify(command)).toEqual({ ok: false, reason: 'not-yet-valid' });
  });

  it('already executed (replayed), until its expiry makes the memory unnecessary', () => {
    const command = signed();
    expect(verify(command, { executed: new Set([commandId]) })).toEqual({ ok: false, reason: 'replayed' });
    expect(rememberUntil(command)).toBe(command.expiresAt + commandRules.clockSkewSeconds);
    expect(verify(command, { executed: new Set(), now: seconds(rememberUntil(command)) })).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('made with a key version it does not hold, and accepts both keys during a rotation', () => {
    const command = signed({ key: rotated });
    expect(verify(command)).toEqual({ ok: false, reason: 'unknown-key' });
    expect(verify(command, { keys: [key, rotated] })).toMatchObject({ ok: true });
  });

  it('that does not follow the contract', () => {
    const command = signed();
    for (const candidate of [
      undefined,
      'unlock',
      { ...command, action: 'open-all' },
      { ...command, extra: 1 },
      { ...command, expiresAt: command.issuedAt },
    ]) {
      expect(verify(candidate)).toEqual({ ok: false, reason: 'malformed' });
    }
    expect(verify(command, { id: 'not an id' })).toEqual({ ok: false, reason: 'malformed' });
  });

  it('living longer than the contract allows, even when properly signed', () => {
    const long = signUnlockCommand({
      key,
      thingName,
      commandId,
      issuedAt,
      expiresAt: issuedAt + seconds(300),
    });
    expect(verify(long)).toMatchObject({ ok: true });
    // Signed by hand, as a leaked key or a broken signer could: the lock still refuses it.
    const unsigned = { ...long, expiresAt: long.issuedAt + 3600 };
    const signature = deviceMac({
      key,
      purpose: macPurposes.unlockCommand,
      fields: [thingName, commandId, 'unlock', unsigned.issuedAt, unsigned.expiresAt, unsigned.nonce, 1],
    }).toString('base64url');
    expect(verify({ ...unsigned, signature })).toEqual({ ok: false, reason: 'lifetime-too-long' });
  });
});

describe('the commands shadow documents', () => {
  it('carry commands keyed by id in desired, and results in reported', () => {
    const update = commandsDesiredUpdate({
      issue: [{ commandId, command: signed() }],
      clear: ['old0000001'],
    });
    expect(commandsDesiredUpdateSchema.safeParse(update).success).toBe(true);
    expect(update.state.desired.commands.old0000001).toBeNull();
    expect(commandsDesiredSchema.safeParse({ commands: { [commandId]: signed() } }).success).toBe(true);
    const report = commandsReport({
      [commandId]: { status: 'succeeded', at: 1 },
      cmd2: { status: 'failed', reason: 'expired', at: 2 },
      cmd3: null,
    });
    expect(report.state.reported.results.cmd2).toEqual({ status: 'failed', reason: 'expired', at: 2 });
  });

  it('refuse a result without the reason of a failure, or with a reason outside the contract', () => {
    for (const result of [
      { status: 'failed', at: 1 },
      { status: 'failed', reason: 'felt-like-it', at: 1 },
      { status: 'pending', at: 1 },
    ]) {
      expect(commandsReportedSchema.safeParse({ results: { [commandId]: result } }).success).toBe(false);
    }
  });

  it('refuse more pending commands than the contract allows', () => {
    const commands: Record<string, UnlockCommandDocument> = {};
    for (let n = 0; n <= commandRules.maxPending; n += 1)
      commands[`cmd${n}`] = signed({ commandId: `cmd${n}` });
    expect(commandsDesiredSchema.safeParse({ commands }).success).toBe(false);
  });
});
