import { beforeEach, describe, expect, it } from 'vitest';
import {
  applyCommandResults,
  type CommandsShadowDocuments,
  expireCommandTaskType,
  expireUnlockCommand,
  getUnlockCommand,
  requestUnlock,
} from '#shared/access/unlock-commands.ts';
import { verifyUnlockCommand } from '#shared/devices/commands.ts';
import {
  ConflictError,
  NotFoundError,
  NotPermittedError,
  TooManyRequestsError,
} from '#shared/domain/errors.ts';
import type { UnlockCommand } from '#shared/domain/unlock-command.ts';
import { cleanersTurnover, member, tenantA, tenantB } from '../domain/fakes.ts';
import { deviceKey, type UnlockWorld, unlockWorld } from './remote-unlock-fakes.ts';

const owner = member({ role: 'owner' });
const manager = member({ role: 'manager' });
const cleaner = member({ role: 'staff', userId: 'usr_cleaner', assignedPropertyIds: ['prp_loft'] });

/** A `commands` document as readShadowDocuments gives it. */
function commandsDocument({
  desired,
  results,
}: {
  desired: Record<string, unknown>;
  results: Record<
    string,
    { status: 'succeeded'; at: number } | { status: 'failed'; reason: 'expired'; at: number }
  >;
}): CommandsShadowDocuments {
  return {
    thingName: 'lockstay-lck_front',
    shadow: 'commands',
    previous: undefined,
    current: {
      desired: { commands: desired } as CommandsShadowDocuments['current']['desired'],
      reported: { results },
      version: 3,
    },
    timestamp: 1_793_000_000,
  };
}

const lockRef = {
  tenantId: tenantA,
  id: 'lck_front',
  propertyId: 'prp_loft',
  thingName: 'lockstay-lck_front',
};

/** The owner has asked the Front door to open: the world, and the command still pending. */
async function ownerAskedTheFrontDoorToOpen() {
  const world = unlockWorld();
  const { command } = await requestUnlock({
    ports: world.unlockPorts,
    principal: owner,
    lockId: 'lck_front',
  });
  return { world, command };
}

describe('asking a lock to open remotely', () => {
  let world: UnlockWorld;
  beforeEach(() => {
    world = unlockWorld();
  });

  it('an owner gets a pending command expiring 30 s later, signed for the lock, with its expiry scheduled', async () => {
    const { command } = await requestUnlock({
      ports: world.unlockPorts,
      principal: owner,
      lockId: 'lck_front',
    });

    expect(command).toMatchObject({
      status: 'pending',
      lockId: 'lck_front',
      requestedBy: { kind: 'user', userId: 'usr_owner', role: 'owner' },
      issuedAt: '2026-10-27T11:00:00.000Z',
      expiresAt: '2026-10-27T11:00:30.000Z',
    });
    const sent = world.shadows.desired.get('lockstay-lck_front')?.[command.id];
    const verdict = verifyUnlockCommand({
      keys: [deviceKey],
      thingName: 'lockstay-lck_front',
      commandId: command.id,
      command: sent,
      now: Date.parse('2026-10-27T11:00:01.000Z'),
      wasExecuted: () => false,
    });
    expect(verdict.ok).toBe(true);
    expect([...world.tasks.scheduled.values()]).toEqual([
      expect.objectContaining({
        type: expireCommandTaskType,
        runAt: new Date('2026-10-27T11:00:30.000Z'),
        payload: { tenantId: tenantA, commandId: command.id },
      }),
    ]);
  });

  it('commits the command and its audit event before anything reaches the shadow', async () => {
    const committedBeforeShadow: boolean[] = [];
    const update = world.shadows.updateShadow.bind(world.shadows);
    world.shadows.updateShadow = async (options) => {
      committedBeforeShadow.push(world.store.tables.unlockCommand.size === 1);
      await update(options);
    };
    const { command } = await requestUnlock({
      ports: world.unlockPorts,
      principal: manager,
      lockId: 'lck_front',
    });

    expect(committedBeforeShadow).toEqual([true]);
    expect(world.store.auditEvents).toEqual([
      expect.objectContaining({
        action: 'unlock-command.requested',
        actor: { kind: 'user', userId: 'usr_manager', role: 'manager' },
        target: { kind: 'unlock-command', id: command.id },
        lockId: 'lck_front',
      }),
    ]);
  });

  it('a cleaner may only inside their own active grant on the lock, which the command names', async () => {
    await expect(
      requestUnlock({ ports: world.unlockPorts, principal: cleaner, lockId: 'lck_front' }),
    ).rejects.toBeInstanceOf(NotPermittedError);
    world.store.put('grant', cleanersTurnover);

    const { command } = await requestUnlock({
      ports: world.unlockPorts,
      principal: cleaner,
      lockId: 'lck_front',
    });
    expect(command.grantId).toBe('gnt_turnover');
  });

  it('checks who may first: another tenant is 404, a cleaner without a grant 403, even on an offline Bluetooth lock', async () => {
    world.conditions.set('lck_shed', { connection: { online: false, since: '2026-10-27T10:00:00.000Z' } });
    await expect(
      requestUnlock({
        ports: world.unlockPorts,
        principal: member({ role: 'owner', tenantId: tenantB }),
        lockId: 'lck_front',
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      requestUnlock({ ports: world.unlockPorts, principal: cleaner, lockId: 'lck_shed' }),
    ).rejects.toBeInstanceOf(NotPermittedError);
    expect(world.shadows.updates).toEqual([]);
    expect(world.store.commits).toEqual([]);
  });

  it('a Bluetooth-only lock is refused before its presence is looked at: use a code', async () => {
    world.conditions.set('lck_shed', { connection: { online: false, since: '2026-10-27T10:00:00.000Z' } });
    const refusal = requestUnlock({ ports: world.unlockPorts, principal: owner, lockId: 'lck_shed' });
    await expect(refusal).rejects.toBeInstanceOf(ConflictError);
    await expect(refusal).rejects.toThrow(/cannot be opened remotely; use the code/);
    expect(world.shadows.updates).toEqual([]);
    expect(world.store.commits).toEqual([]);
    expect(world.tasks.scheduled.size).toBe(0);
  });

  it('an offline lock is refused: use your code', async () => {
    world.conditions.set('lck_front', { connection: { online: false, since: '2026-10-27T10:59:00.000Z' } });
    await expect(
      requestUnlock({ ports: world.unlockPorts, principal: owner, lockId: 'lck_front' }),
    ).rejects.toThrow(/offline.*use the code/);
    expect(world.shadows.updates).toEqual([]);
    expect(world.store.commits).toEqual([]);
  });

  it('holds at most 10 commands pending on one lock', async () => {
    for (let count = 0; count < 10; count += 1) {
      await requestUnlock({ ports: world.unlockPorts, principal: owner, lockId: 'lck_front' });
    }
    await expect(
      requestUnlock({ ports: world.unlockPorts, principal: owner, lockId: 'lck_front' }),
    ).rejects.toBeInstanceOf(TooManyRequestsError);
    expect(world.store.tables.unlockCommand.size).toBe(10);
  });
});

describe("the lock's results", () => {
  let world: UnlockWorld;
  let command: UnlockCommand;
  beforeEach(async () => {
    ({ world, command } = await ownerAskedTheFrontDoorToOpen());
    world.clock.set('2026-10-27T11:00:02.000Z');
  });

  it('close the command once, audited as the lock, and clear its desired entry', async () => {
    const document = commandsDocument({
      desired: world.shadows.desired.get('lockstay-lck_front') ?? {},
      results: { [command.id]: { status: 'succeeded', at: 1_793_098_801 } },
    });
    const first = await applyCommandResults({ ports: world.unlockPorts, lock: lockRef, document });
    const again = await applyCommandResults({ ports: world.unlockPorts, lock: lockRef, document });

    expect(first.settled.map((closed) => closed.status)).toEqual(['succeeded']);
    expect(first.cleared).toEqual([command.id]);
    expect(again.settled).toEqual([]);
    expect(again.ignored).toEqual([command.id]);
    expect(world.store.auditEvents.filter((event) => event.action === 'unlock-command.succeeded')).toEqual([
      expect.objectContaining({ actor: { kind: 'device', lockId: 'lck_front' } }),
    ]);
    expect(world.shadows.desired.get('lockstay-lck_front')).toEqual({});
    expect(
      await getUnlockCommand({ ports: world.ports, principal: owner, commandId: command.id }),
    ).toMatchObject({
      status: 'succeeded',
    });
  });

  it("a failure carries the lock's reason; a later contrary report changes nothing", async () => {
    await applyCommandResults({
      ports: world.unlockPorts,
      lock: lockRef,
      document: commandsDocument({
        desired: {},
        results: { [command.id]: { status: 'failed', reason: 'expired', at: 1_793_098_801 } },
      }),
    });
    await applyCommandResults({
      ports: world.unlockPorts,
      lock: lockRef,
      document: commandsDocument({ desired: {}, results: { [command.id]: { status: 'succeeded', at: 1 } } }),
    });
    expect(
      await getUnlockCommand({ ports: world.ports, principal: owner, commandId: command.id }),
    ).toMatchObject({
      status: 'failed',
      reason: 'expired',
    });
  });

  it("leave another lock's command alone, and clear desired entries the cloud does not know", async () => {
    const applied = await applyCommandResults({
      ports: world.unlockPorts,
      lock: { ...lockRef, id: 'lck_back', thingName: 'lockstay-lck_back' },
      document: commandsDocument({
        desired: { cmd_unknown: {} },
        results: { [command.id]: { status: 'succeeded', at: 1 } },
      }),
    });
    expect(applied).toEqual({ settled: [], cleared: ['cmd_unknown'], ignored: [] });
    const stored = await world.ports.unlockCommands.get({ tenantId: tenantA, commandId: command.id });
    expect(stored?.status).toBe('pending');
  });
});

describe('expiry', () => {
  it('a command still pending at its expiry is expired and taken off the shadow, so it never runs later', async () => {
    const { world, command } = await ownerAskedTheFrontDoorToOpen();
    world.clock.set(command.expiresAt);

    const first = await expireUnlockCommand({
      ports: world.unlockPorts,
      tenantId: tenantA,
      commandId: command.id,
    });
    const again = await expireUnlockCommand({
      ports: world.unlockPorts,
      tenantId: tenantA,
      commandId: command.id,
    });

    expect(first).toMatchObject({ expired: true, command: { status: 'expired' } });
    expect(again.expired).toBe(false);
    expect(world.shadows.desired.get('lockstay-lck_front')).toEqual({});
    expect(world.store.auditEvents.filter((event) => event.action === 'unlock-command.expired')).toHaveLength(
      1,
    );
    // A result arriving afterwards leaves it expired.
    await applyCommandResults({
      ports: world.unlockPorts,
      lock: lockRef,
      document: commandsDocument({ desired: {}, results: { [command.id]: { status: 'succeeded', at: 1 } } }),
    });
    expect(
      await getUnlockCommand({ ports: world.ports, principal: owner, commandId: command.id }),
    ).toMatchObject({
      status: 'expired',
    });
  });

  it('is recorded expired only once it is off the shadow: a shadow that refuses leaves it pending for the retry', async () => {
    const { world, command } = await ownerAskedTheFrontDoorToOpen();
    world.clock.set(command.expiresAt);
    const refusal = new Error('shadow unavailable');
    const refusing = {
      ...world.unlockPorts,
      shadows: {
        updateShadow: async () => {
          throw refusal;
        },
        getShadow: world.shadows.getShadow.bind(world.shadows),
      },
    };

    await expect(
      expireUnlockCommand({ ports: refusing, tenantId: tenantA, commandId: command.id }),
    ).rejects.toBe(refusal);

    expect((await world.ports.unlockCommands.get({ tenantId: tenantA, commandId: command.id }))?.status).toBe(
      'pending',
    );
    expect(world.store.auditEvents.some((event) => event.action === 'unlock-command.expired')).toBe(false);
    const retried = await expireUnlockCommand({
      ports: world.unlockPorts,
      tenantId: tenantA,
      commandId: command.id,
    });
    expect(retried).toMatchObject({ expired: true, command: { status: 'expired' } });
    expect(world.shadows.desired.get('lockstay-lck_front')).toEqual({});
  });

  it('a command past its expiry reads as expired even before the task ran', async () => {
    const { world, command } = await ownerAskedTheFrontDoorToOpen();
    world.clock.set('2026-10-27T11:01:00.000Z');
    expect(
      await getUnlockCommand({ ports: world.ports, principal: owner, commandId: command.id }),
    ).toMatchObject({
      status: 'expired',
    });
  });
});

describe('reading a command', () => {
  it('waits briefly for the outcome when asked to', async () => {
    const { world, command } = await ownerAskedTheFrontDoorToOpen();
    setTimeout(() => {
      void applyCommandResults({
        ports: world.unlockPorts,
        lock: lockRef,
        document: commandsDocument({
          desired: {},
          results: { [command.id]: { status: 'succeeded', at: 1 } },
        }),
      });
    }, 50);
    const view = await getUnlockCommand({
      ports: world.ports,
      principal: owner,
      commandId: command.id,
      // The longest wait there is: the answer comes as soon as the result lands, however late a busy machine
      // runs the lock's timer.
      waitSeconds: 10,
      pollMs: 10,
    });
    expect(view.status).toBe('succeeded');
  });

  it('is not found for another tenant or a cleaner who neither asked nor may see the lock', async () => {
    const { world, command } = await ownerAskedTheFrontDoorToOpen();
    await expect(
      getUnlockCommand({
        ports: world.ports,
        principal: member({ role: 'owner', tenantId: tenantB }),
        commandId: command.id,
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      getUnlockCommand({ ports: world.ports, principal: member({ role: 'staff' }), commandId: command.id }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});
