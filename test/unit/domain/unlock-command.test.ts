import { describe, expect, it } from 'vitest';
import { ConflictError } from '#shared/domain/errors.ts';
import { IllegalTransitionError } from '#shared/domain/state-machine.ts';
import {
  expireUnlockCommand,
  newUnlockCommand,
  settleUnlockCommand,
  unlockCommandLifecycle,
  unlockCommandStatusAt,
} from '#shared/domain/unlock-command.ts';

const now = new Date('2026-10-25T18:00:00.000Z');
const pending = newUnlockCommand({
  tenantId: 'tnt_a',
  id: 'cmd_1',
  lock: { id: 'lck_front', propertyId: 'prp_loft' },
  requestedBy: { kind: 'guest', grantId: 'gnt_1' },
  grantId: 'gnt_1',
  now,
});

describe('a remote unlock command', () => {
  it('is pending with a short expiry when issued', () => {
    expect(pending).toMatchObject({
      status: 'pending',
      issuedAt: '2026-10-25T18:00:00.000Z',
      expiresAt: '2026-10-25T18:00:30.000Z',
      version: 1,
    });
  });

  it('succeeds or fails on the lock report, with the lock reason', () => {
    const at = '2026-10-25T18:00:01.000Z';
    expect(settleUnlockCommand({ command: pending, outcome: { status: 'succeeded' }, at })).toMatchObject({
      status: 'succeeded',
      settledAt: at,
    });
    expect(
      settleUnlockCommand({ command: pending, outcome: { status: 'failed', reason: 'jammed' }, at }),
    ).toMatchObject({ status: 'failed', failureReason: 'jammed' });
  });

  it('reads as expired once its expiry has passed, even before it is marked so', () => {
    expect(unlockCommandStatusAt({ command: pending, now: new Date('2026-10-25T18:00:29.999Z') })).toBe(
      'pending',
    );
    expect(unlockCommandStatusAt({ command: pending, now: new Date('2026-10-25T18:00:30.000Z') })).toBe(
      'expired',
    );
  });

  it('is marked expired only after its expiry', () => {
    expect(() => expireUnlockCommand({ command: pending, now })).toThrow(ConflictError);
    const expired = expireUnlockCommand({ command: pending, now: new Date('2026-10-25T18:01:00.000Z') });
    expect(expired.status).toBe('expired');
  });

  it('never changes once settled: an expired command cannot succeed later', () => {
    const expired = expireUnlockCommand({ command: pending, now: new Date('2026-10-25T18:01:00.000Z') });
    expect(() =>
      settleUnlockCommand({
        command: expired,
        outcome: { status: 'succeeded' },
        at: '2026-10-25T18:02:00.000Z',
      }),
    ).toThrow(IllegalTransitionError);
    const succeeded = settleUnlockCommand({
      command: pending,
      outcome: { status: 'succeeded' },
      at: now.toISOString(),
    });
    expect(() => expireUnlockCommand({ command: succeeded, now: new Date('2026-10-25T19:00:00Z') })).toThrow(
      IllegalTransitionError,
    );
    expect([...unlockCommandLifecycle.terminal].sort()).toEqual(['expired', 'failed', 'succeeded']);
  });
});
