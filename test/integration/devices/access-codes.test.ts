// Codes onto a reference lock through its access-codes shadow, and its keypad enforcing them.
import { describe, expect, it } from 'vitest';
import { accessCodesDesiredUpdate, codePut } from '#shared/devices/codes.ts';
import { lockShadows } from '#shared/devices/contract.ts';
import { lockWorldOfFile, type TestLock } from './lock-fixture.ts';

const world = lockWorldOfFile();

const hour = 3600;
const codes = lockShadows.accessCodes;
const nowSeconds = (lock: TestLock) => Math.floor(lock.clock.now() / 1000);

function putCode(
  lock: TestLock,
  codeId: string,
  pin: string,
  window: { from: number; to?: number },
  revision = 1,
) {
  const entry = codePut({ key: lock.key, thingName: lock.thingName, pin, revision, ...window });
  return lock.updateShadow(codes, accessCodesDesiredUpdate({ put: [{ codeId, entry }] }));
}

const applied = (report: Record<string, unknown>) =>
  (report.state as { reported: { applied: Record<string, unknown> } }).reported.applied;

describe('a code pushed to the access-codes shadow', () => {
  it('arrives as a keyed hash, is applied, and is reported set under its id and revision', async () => {
    const lock = await world().startLock({ connectivity: 'wifi' });
    const now = nowSeconds(lock);
    await putCode(lock, 'stay0001', '482916', { from: now - hour, to: now + hour }, 3);

    const report = await lock.nextReport(codes, (body) => applied(body).stay0001 !== undefined);
    expect(applied(report).stay0001).toMatchObject({ v: 3, status: 'set' });
    const shadow = await lock.readShadow(codes);
    expect(shadow?.state.reported?.applied).toEqual({ stay0001: { v: 3, status: 'set' } });
    expect(JSON.stringify(shadow)).not.toContain('482916');
    expect(JSON.stringify(world().observed)).not.toContain('482916');
    expect(lock.lock.snapshot().codes).toEqual([
      { codeId: 'stay0001', v: 3, from: now - hour, to: now + hour },
    ]);
  });

  it('opens the keypad inside its window, and not before it opens or after it ends', async () => {
    const lock = await world().startLock({ connectivity: 'wifi' });
    const now = nowSeconds(lock);
    await putCode(lock, 'stay0002', '731592', { from: now + hour, to: now + 3 * hour });
    await lock.nextReport(codes, (body) => applied(body).stay0002 !== undefined);

    expect(await lock.lock.enterPin('731592')).toEqual({
      admitted: false,
      reason: 'outside-window',
      codeId: 'stay0002',
    });
    lock.clock.advance(2 * hour * 1000);
    expect(await lock.lock.enterPin('731592')).toEqual({
      admitted: true,
      method: 'keypad',
      codeId: 'stay0002',
    });
    lock.clock.advance(2 * hour * 1000);
    expect(await lock.lock.enterPin('731592')).toMatchObject({ admitted: false, reason: 'outside-window' });

    const admitted = await lock.nextEvent((event) => event.type === 'unlocked');
    expect(admitted).toMatchObject({ type: 'unlocked', method: 'keypad', codeId: 'stay0002' });
    // The refusal after the entry may come in a later message than the entry's.
    const deniedSoFar = () => lock.events().filter((event) => event.type === 'access-denied');
    await expect.poll(deniedSoFar, { timeout: 15_000 }).toHaveLength(2);
    const refused = deniedSoFar();
    expect(refused[0]).toMatchObject({ method: 'keypad', reason: 'outside-window', codeId: 'stay0002' });
    await lock.nextEvent((event) => event.type === 'locked');
  });

  it('is taken off by a removal, which the lock reports before the cloud clears it', async () => {
    const lock = await world().startLock({ connectivity: 'wifi' });
    const now = nowSeconds(lock);
    await putCode(lock, 'stay0003', '640273', { from: now - hour, to: now + hour });
    await lock.nextReport(codes, (body) => applied(body).stay0003 !== undefined);
    // The cloud clears applied desired state once it has recorded the outcome.
    await lock.updateShadow(codes, accessCodesDesiredUpdate({ clear: ['stay0003'] }));

    await lock.updateShadow(
      codes,
      accessCodesDesiredUpdate({ remove: [{ codeId: 'stay0003', revision: 2 }] }),
    );
    const removed = await lock.nextReport(
      codes,
      (body) => (applied(body).stay0003 as { status?: string } | null)?.status === 'removed',
    );
    expect(applied(removed).stay0003).toMatchObject({ v: 2, status: 'removed' });
    expect(await lock.lock.enterPin('640273')).toMatchObject({ admitted: false, reason: 'unknown-code' });

    await lock.updateShadow(codes, accessCodesDesiredUpdate({ clear: ['stay0003'] }));
    await lock.nextReport(codes, (body) => applied(body).stay0003 === null);
    const shadow = await lock.readShadow(codes);
    expect(shadow?.state).toEqual({});
  });

  it('on a full lock is reported failed with lock-full, and a code whose window ended makes room', async () => {
    const lock = await world().startLock({ connectivity: 'wifi', capacity: 1 });
    const now = nowSeconds(lock);
    await putCode(lock, 'full0001', '284619', { from: now - hour, to: now + hour });
    await lock.nextReport(codes, (body) => applied(body).full0001 !== undefined);

    await putCode(lock, 'full0002', '395720', { from: now - hour, to: now + hour });
    const full = await lock.nextReport(codes, (body) => applied(body).full0002 !== undefined);
    expect(applied(full).full0002).toEqual({ v: 1, status: 'failed', reason: 'lock-full', used: null });

    lock.clock.advance(2 * hour * 1000);
    await putCode(lock, 'full0003', '506831', { from: nowSeconds(lock), to: nowSeconds(lock) + hour });
    const room = await lock.nextReport(codes, (body) => applied(body).full0003 !== undefined);
    expect(applied(room).full0001).toMatchObject({ status: 'removed' });
    expect(applied(room).full0003).toMatchObject({ status: 'set' });
  });

  it('with the PIN of another code on the lock is refused as a duplicate', async () => {
    const lock = await world().startLock({ connectivity: 'wifi' });
    const now = nowSeconds(lock);
    await putCode(lock, 'dupe0001', '817264', { from: now - hour });
    await lock.nextReport(codes, (body) => applied(body).dupe0001 !== undefined);
    await putCode(lock, 'dupe0002', '817264', { from: now - hour });
    const report = await lock.nextReport(codes, (body) => applied(body).dupe0002 !== undefined);
    expect(applied(report).dupe0002).toMatchObject({ status: 'failed', reason: 'duplicate-pin' });
  });

  it('that does not follow the contract is reported failed as invalid, and nothing else changes', async () => {
    const lock = await world().startLock({ connectivity: 'wifi' });
    world().violations.length = 0;
    await lock.updateShadow(codes, {
      state: { desired: { codes: { bad00001: { v: 4, op: 'put', hash: 'x' } } } },
    });
    const report = await lock.nextReport(codes, (body) => applied(body).bad00001 !== undefined);
    expect(applied(report).bad00001).toMatchObject({ v: 4, status: 'failed', reason: 'invalid-entry' });
    expect(lock.lock.snapshot().codes).toEqual([]);
    // The observer flagged the cloud's malformed document (on its own connection, maybe after the lock's
    // report); that was the point here.
    await expect
      .poll(
        () => world().violations.some((violation) => violation.includes('current.desired.codes.bad00001')),
        { timeout: 15_000 },
      )
      .toBe(true);

    await lock.updateShadow(codes, accessCodesDesiredUpdate({ clear: ['bad00001'] }));
    await lock.nextReport(codes, (body) => applied(body).bad00001 === null);
    world().violations.length = 0;
  });

  it('for one use opens once, is reported used, and is refused after', async () => {
    const lock = await world().startLock({ connectivity: 'wifi' });
    const now = nowSeconds(lock);
    const entry = codePut({
      key: lock.key,
      thingName: lock.thingName,
      pin: '920461',
      revision: 1,
      from: now - 60,
      to: now + hour,
      once: true,
    });
    await lock.updateShadow(codes, accessCodesDesiredUpdate({ put: [{ codeId: 'drop0001', entry }] }));
    await lock.nextReport(codes, (body) => applied(body).drop0001 !== undefined);

    expect(await lock.lock.enterPin('920461')).toMatchObject({ admitted: true, codeId: 'drop0001' });
    const used = await lock.nextReport(
      codes,
      (body) => (applied(body).drop0001 as { used?: number })?.used !== undefined,
    );
    expect(applied(used).drop0001).toMatchObject({ status: 'set', used: expect.any(Number) });
    expect(await lock.lock.enterPin('920461')).toMatchObject({ admitted: false, reason: 'used' });
  });
});

describe('the keypad', () => {
  it('locks out after five wrong codes, refuses even a right one meanwhile, and reports it', async () => {
    const lock = await world().startLock({ connectivity: 'wifi' });
    const now = nowSeconds(lock);
    await putCode(lock, 'lockout1', '358140', { from: now - hour, to: now + hour });
    await lock.nextReport(codes, (body) => applied(body).lockout1 !== undefined);

    for (const wrong of ['000001', '000002', '000003', '000004', '000005']) {
      expect(await lock.lock.enterPin(wrong)).toMatchObject({ admitted: false, reason: 'unknown-code' });
    }
    const lockout = await lock.nextEvent((event) => event.type === 'keypad-locked-out');
    expect(lockout).toMatchObject({ lockouts: 1, until: expect.any(Number) });
    const state = await lock.nextReport(
      lockShadows.state,
      (body) =>
        (body.state as { reported: { keypad: { lockedOutUntil: number } } }).reported.keypad.lockedOutUntil >
        0,
    );
    expect((state.state as { reported: { keypad: unknown } }).reported.keypad).toEqual({
      wrongEntries: 0,
      lockedOutUntil: (lockout as { until: number }).until,
    });
    expect(await lock.lock.enterPin('358140')).toMatchObject({ admitted: false, reason: 'locked-out' });

    lock.clock.advance(5 * 60 * 1000);
    expect(await lock.lock.enterPin('358140')).toMatchObject({ admitted: true });
  });
});
