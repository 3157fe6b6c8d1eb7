import { describe, expect, it } from 'vitest';
import {
  type AccessCode,
  type AccessCodeStatus,
  accessCodeLifecycle,
  accessCodeStatuses,
  holdsPin,
  moveAccessCode,
  rescheduleAccessCode,
  withdrawAccessCode,
} from '#shared/domain/access-code.ts';
import { IllegalTransitionError } from '#shared/domain/state-machine.ts';

const at = '2026-10-20T10:00:00.000Z';
const window = { startsAt: '2026-10-24T13:00:00.000Z', endsAt: '2026-10-27T10:00:00.000Z' };

function code(status: AccessCodeStatus): AccessCode {
  return {
    tenantId: 'tnt_a',
    id: 'acd_1',
    grantId: 'gnt_1',
    lockId: 'lck_front',
    propertyId: 'prp_loft',
    pin: '480371',
    status,
    window,
    singleUse: false,
    version: 3,
    createdAt: '2026-10-01T00:00:00.000Z',
    updatedAt: '2026-10-01T00:00:00.000Z',
    ...(status === 'failed' ? { failure: { reason: 'lock-offline', during: 'setting', at } } : {}),
  } as AccessCode;
}

describe('the life of a code on a lock, as the table allows it', () => {
  const moves = accessCodeStatuses.flatMap((from) => accessCodeStatuses.map((to) => [from, to] as const));

  it.each(moves.filter(([from, to]) => accessCodeLifecycle.canMove(from, to)))(
    '%s → %s is allowed',
    (from, to) => {
      const moved = moveAccessCode({
        code: code(from),
        move: to === 'failed' ? { to, reason: 'lock-full' } : { to },
        at,
      });
      expect(moved.status).toBe(to);
      expect(moved.version).toBe(4);
      expect(moved.updatedAt).toBe(at);
    },
  );

  it.each(moves.filter(([from, to]) => !accessCodeLifecycle.canMove(from, to)))(
    '%s → %s is refused',
    (from, to) => {
      expect(() =>
        moveAccessCode({
          code: code(from),
          move: to === 'failed' ? { to, reason: 'lock-full' } : { to },
          at,
        }),
      ).toThrow(IllegalTransitionError);
    },
  );

  it('matches the device contract: setting → set, removing → removed, failure from either', () => {
    expect(accessCodeLifecycle.canMove('setting', 'set')).toBe(true);
    expect(accessCodeLifecycle.canMove('removing', 'removed')).toBe(true);
    expect(accessCodeLifecycle.canMove('setting', 'failed')).toBe(true);
    expect(accessCodeLifecycle.canMove('removing', 'failed')).toBe(true);
    expect(accessCodeLifecycle.canMove('removed', 'setting')).toBe(false);
    expect(accessCodeLifecycle.canMove('set', 'removed')).toBe(false);
    expect(accessCodeLifecycle.terminal).toEqual(['removed']);
  });

  it('a failure keeps its reason and whether it happened going on or coming off', () => {
    const onTheWayOut = moveAccessCode({
      code: code('removing'),
      move: { to: 'failed', reason: 'lock-offline' },
      at,
    });
    expect(onTheWayOut.failure).toEqual({
      reason: 'lock-offline',
      during: 'removing',
      at,
      detail: undefined,
    });
    const onTheWayIn = moveAccessCode({
      code: code('setting'),
      move: { to: 'failed', reason: 'lock-full', detail: 'slots 20/20' },
      at,
    });
    expect(onTheWayIn.failure).toMatchObject({
      reason: 'lock-full',
      during: 'setting',
      detail: 'slots 20/20',
    });
    expect(moveAccessCode({ code: onTheWayIn, move: { to: 'setting' }, at }).failure).toBeUndefined();
  });

  it('holds its PIN on the lock until it is removed', () => {
    for (const status of accessCodeStatuses) expect(holdsPin({ status })).toBe(status !== 'removed');
  });
});

describe('a code whose grant ends early', () => {
  it.each([
    ['scheduled', 'removed'],
    ['setting', 'removing'],
    ['set', 'removing'],
    ['failed', 'removing'],
    ['removing', 'removing'],
    ['removed', 'removed'],
  ] as const)('goes from %s to %s', (from, to) => {
    expect(withdrawAccessCode({ code: code(from), at }).status).toBe(to);
  });
});

describe('a code whose window moves', () => {
  const moved = { startsAt: '2026-10-25T13:00:00.000Z', endsAt: '2026-10-28T10:00:00.000Z' };

  it.each([
    ['scheduled', 'scheduled'],
    ['setting', 'setting'],
    ['set', 'setting'],
    ['failed', 'setting'],
  ] as const)('from %s is %s with the new window and the same PIN', (from, to) => {
    const rescheduled = rescheduleAccessCode({ code: code(from), window: moved, at });
    expect(rescheduled).toMatchObject({ status: to, window: moved, pin: '480371', version: 4 });
  });

  it.each(['removing', 'removed'] as const)('from %s is left as it is', (from) => {
    const original = code(from);
    expect(rescheduleAccessCode({ code: original, window: moved, at })).toBe(original);
  });
});
