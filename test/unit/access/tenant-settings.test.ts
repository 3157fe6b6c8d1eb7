import { describe, expect, it } from 'vitest';
import { firmwareBelowMinimum } from '#shared/access/tenant-settings.ts';
import { addLock, addProperty, addTeamMember, tenantA, tenantB } from '../domain/fakes.ts';
import { type Caller, documented, hostApi } from '../http/host-api-harness.ts';

const owner: Caller = { tenantId: tenantA, userId: 'usr_owner' };
const manager: Caller = { tenantId: tenantA, userId: 'usr_manager', role: 'manager' };
const cleaner: Caller = { tenantId: tenantA, userId: 'usr_staff', role: 'staff' };
const otherOwner: Caller = { tenantId: tenantB, userId: 'usr_b_owner' };

function world() {
  const api = hostApi({ now: '2026-10-27T11:00:00.000Z' });
  addTeamMember(api.store, { role: 'owner' });
  addTeamMember(api.store, { role: 'manager' });
  addTeamMember(api.store, { role: 'staff' });
  addTeamMember(api.store, { role: 'owner', tenantId: tenantB, userId: 'usr_b_owner' });
  return api;
}

describe('the business’s lock settings', () => {
  it('are the defaults until an owner changes them: no firmware minimum, offline alerts 24 hours ahead', async () => {
    const api = world();

    const answer = await api.call('GET /settings', { as: manager });

    expect(documented('GET /settings', answer)).toEqual({
      minimumFirmwareVersion: null,
      offlineAlertHours: 24,
      version: 0,
      updatedAt: null,
    });
  });

  it('take an owner’s minimum firmware, keep the other setting, and audit the change', async () => {
    const api = world();

    const changed = await api.call('PATCH /settings', {
      as: owner,
      body: { minimumFirmwareVersion: '1.4.0' },
    });
    const read = await api.call('GET /settings', { as: owner });

    expect(documented('PATCH /settings', changed)).toMatchObject({
      minimumFirmwareVersion: '1.4.0',
      offlineAlertHours: 24,
      version: 1,
      updatedAt: '2026-10-27T11:00:00.000Z',
    });
    expect(read.body.minimumFirmwareVersion).toBe('1.4.0');
    expect(api.settings.audit.map((event) => [event.action, event.details])).toEqual([
      ['settings.updated', { minimumFirmwareVersion: '1.4.0' }],
    ]);
  });

  it('report at once the locks already running firmware older than a new minimum', async () => {
    const api = world();
    addProperty(api.store);
    addLock(api.store, { id: 'lck_front' });
    addLock(api.store, { id: 'lck_back' });
    api.conditions.set('lck_front', { firmware: '1.2.0' });
    api.conditions.set('lck_back', { firmware: '1.6.0' });

    await api.call('PATCH /settings', { as: owner, body: { minimumFirmwareVersion: '1.5.0' } });
    await api.call('PATCH /settings', { as: owner, body: { offlineAlertHours: 12 } });

    expect(api.notifier.sent.map(({ notice }) => notice)).toEqual([
      expect.objectContaining({ alert: 'firmware-outdated', lockId: 'lck_front' }),
    ]);
  });

  it('are each tenant’s own', async () => {
    const api = world();

    await api.call('PATCH /settings', { as: owner, body: { offlineAlertHours: 12 } });
    const other = await api.call('GET /settings', { as: otherOwner });

    expect(other.body.offlineAlertHours).toBe(24);
  });

  it('refuse a version that is not semantic, an unknown field and an empty change, naming the fields', async () => {
    const api = world();

    const notSemantic = await api.call('PATCH /settings', {
      as: owner,
      body: { minimumFirmwareVersion: 'v1.4' },
    });
    const unknown = await api.call('PATCH /settings', { as: owner, body: { minimumFirmware: '1.4.0' } });
    const tooFar = await api.call('PATCH /settings', { as: owner, body: { offlineAlertHours: 500 } });
    const empty = await api.call('PATCH /settings', { as: owner, body: {} });

    expect(notSemantic.status).toBe(400);
    expect(notSemantic.body.errors[0].field).toBe('minimumFirmwareVersion');
    expect(unknown.status).toBe(400);
    expect(tooFar.body.errors[0].field).toBe('offlineAlertHours');
    expect(empty.status).toBe(400);
    expect(api.settings.stored.size).toBe(0);
  });

  it('may be changed by owners only, and read by owners and managers', async () => {
    const api = world();

    const byManager = await api.call('PATCH /settings', { as: manager, body: { offlineAlertHours: 6 } });
    const readByCleaner = await api.call('GET /settings', { as: cleaner });

    expect(byManager.status).toBe(403);
    expect(readByCleaner.status).toBe(403);
    expect(api.settings.stored.size).toBe(0);
  });
});

describe('firmware older than the minimum', () => {
  it('compares semantic versions, pre-releases before their release', () => {
    expect(firmwareBelowMinimum({ firmware: '1.3.9', minimum: '1.4.0' })).toBe(true);
    expect(firmwareBelowMinimum({ firmware: '1.10.0', minimum: '1.9.2' })).toBe(false);
    expect(firmwareBelowMinimum({ firmware: '1.4.0-rc.1', minimum: '1.4.0' })).toBe(true);
    expect(firmwareBelowMinimum({ firmware: '1.4.0', minimum: '1.4.0' })).toBe(false);
  });

  it('is never the case without a minimum or without a reported version', () => {
    expect(firmwareBelowMinimum({ firmware: '0.0.1', minimum: null })).toBe(false);
    expect(firmwareBelowMinimum({ firmware: undefined, minimum: '1.0.0' })).toBe(false);
  });
});
