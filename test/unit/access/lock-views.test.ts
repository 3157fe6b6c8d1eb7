import { describe, expect, it } from 'vitest';
import { viewOfCondition } from '#shared/access/lock-condition.ts';
import { addLock, addProperty, addTeamMember, cleanersTurnover, tenantA, tenantB } from '../domain/fakes.ts';
import { type Caller, documented, hostApi } from '../http/host-api-harness.ts';

const owner: Caller = { tenantId: tenantA, userId: 'usr_owner' };
const cleaner: Caller = { tenantId: tenantA, userId: 'usr_staff', role: 'staff' };
const otherOwner: Caller = { tenantId: tenantB, userId: 'usr_b_owner' };

const now = '2026-10-27T11:00:00.000Z';

function world() {
  const api = hostApi({ now });
  addTeamMember(api.store, { role: 'owner' });
  addTeamMember(api.store, { role: 'staff', assignedPropertyIds: ['prp_loft'] });
  addTeamMember(api.store, { role: 'owner', tenantId: tenantB, userId: 'usr_b_owner' });
  addProperty(api.store);
  addLock(api.store, { id: 'lck_front' });
  addLock(api.store, { id: 'lck_shed', connectivity: 'bluetooth' });
  api.conditions.set('lck_front', {
    connection: { online: false, since: '2026-10-27T09:30:00.000Z' },
    bolt: 'locked',
    door: 'closed',
    battery: 64,
    firmware: '1.4.2',
    keypadLockedOutUntil: '2026-10-27T11:05:00.000Z',
    reportedAt: '2026-10-27T09:12:00.000Z',
  });
  return api;
}

describe('lock views', () => {
  it('lists a property’s locks each with its reported condition, as documented', async () => {
    const api = world();

    const answer = await api.call('GET /locks', { as: cleaner, query: { propertyId: 'prp_loft' } });

    const items: { id: string; condition: Record<string, unknown> }[] = documented(
      'GET /locks',
      answer,
    ).items;
    const byId = new Map(items.map((lock) => [lock.id, lock] as const));
    expect(byId.get('lck_front')?.condition).toEqual({
      online: false,
      onlineSince: '2026-10-27T09:30:00.000Z',
      bolt: 'locked',
      door: 'closed',
      battery: 64,
      firmware: '1.4.2',
      keypadLockedOut: true,
      keypadLockedOutUntil: '2026-10-27T11:05:00.000Z',
      lastSeenAt: '2026-10-27T09:30:00.000Z',
      reportedAt: '2026-10-27T09:12:00.000Z',
    });
    expect(byId.get('lck_shed')?.condition).toMatchObject({
      online: null,
      battery: null,
      keypadLockedOut: false,
      lastSeenAt: null,
    });
  });

  it('reads one lock with its condition, and answers 404 to another tenant', async () => {
    const api = world();

    const answer = await api.call('GET /locks/{lockId}', { as: owner, path: { lockId: 'lck_front' } });
    const hidden = await api.call('GET /locks/{lockId}', { as: otherOwner, path: { lockId: 'lck_front' } });

    const lock = documented('GET /locks/{lockId}', answer);
    expect(lock.thingName).toBe('lockstay-lck_front');
    expect(lock.condition.battery).toBe(64);
    expect(lock.condition.online).toBe(false);
    expect(hidden.status).toBe(404);
  });
});

describe('whether the caller may open each lock remotely now', () => {
  it('an owner may; a cleaner only during a turnover of their own on that lock, as an unlock request is judged', async () => {
    const api = world();
    const mayUnlock = async (as: Caller) => {
      const answer = await api.call('GET /locks', { as, query: { propertyId: 'prp_loft' } });
      const items: { id: string; mayUnlock: boolean }[] = documented('GET /locks', answer).items;
      return Object.fromEntries(items.map((lock) => [lock.id, lock.mayUnlock]));
    };
    const outsideTheirWindow = await mayUnlock(cleaner);
    api.store.put('grant', {
      ...cleanersTurnover,
      subject: { kind: 'staff-member', userId: 'usr_staff' },
      issuedBy: { kind: 'user', userId: 'usr_owner', role: 'owner' },
    });

    expect(await mayUnlock(owner)).toEqual({ lck_front: true, lck_shed: true });
    expect(outsideTheirWindow).toEqual({ lck_front: false, lck_shed: false });
    expect(await mayUnlock(cleaner)).toEqual({ lck_front: true, lck_shed: false });
  });
});

describe('a lock’s condition as hosts see it', () => {
  it('shows a keypad lockout only while it lasts', () => {
    const condition = { keypadLockedOutUntil: '2026-10-27T11:05:00.000Z' };

    const during = viewOfCondition({ condition, now: new Date('2026-10-27T11:04:59Z') });
    const after = viewOfCondition({ condition, now: new Date('2026-10-27T11:05:00Z') });

    expect(during).toMatchObject({ keypadLockedOut: true, keypadLockedOutUntil: '2026-10-27T11:05:00.000Z' });
    expect(after).toMatchObject({ keypadLockedOut: false, keypadLockedOutUntil: null });
  });

  it('was last seen at its latest report or connection change, whichever came last', () => {
    const online = viewOfCondition({
      condition: {
        connection: { online: true, since: '2026-10-27T08:00:00.000Z' },
        reportedAt: '2026-10-27T10:15:00.000Z',
      },
      now: new Date(now),
    });

    expect(online).toMatchObject({
      online: true,
      onlineSince: '2026-10-27T08:00:00.000Z',
      lastSeenAt: '2026-10-27T10:15:00.000Z',
    });
  });
});
