/**
 * `GET /bookings/{bookingId}` answers a stay's codes and its timeline from two reads. A lock may confirm a code
 * between them; the answer must never show a code as set whose event is missing from the timeline, since the
 * console stops asking again once no code is on its way and would keep that timeline.
 */
import { describe, expect, it } from 'vitest';
import type { AccessCode } from '#shared/domain/access-code.ts';
import { moveAccessCode } from '#shared/domain/access-code.ts';
import { auditTrail } from '#shared/domain/audit.ts';
import { addLock, addProperty, addTeamMember, tenantA } from '../domain/fakes.ts';
import { type Caller, hostApi } from './host-api-harness.ts';

const owner: Caller = { tenantId: tenantA, userId: 'usr_owner' };

const stay = {
  propertyId: 'prp_loft',
  guest: { name: 'Ada Lovelace', email: 'ada@example.com' },
  arrivalDate: '2026-10-24',
  departureDate: '2026-10-27',
};

describe('a booking read while its lock confirms a code', () => {
  it('never shows the code set without its set-on-lock event in the timeline', async () => {
    const api = hostApi();
    addTeamMember(api.store, { role: 'owner' });
    addProperty(api.store);
    addLock(api.store, { id: 'lck_front' });
    const created = await api.call('POST /bookings', { as: owner, body: stay });
    expect(created.status).toBe(201);
    const at = api.ports.clock.now().toISOString();
    // The code is on its way to the lock.
    const [scheduled] = api.store.all('accessCode', tenantA) as AccessCode[];
    if (!scheduled) throw new Error('The booking made no code');
    const setting = moveAccessCode({ code: scheduled, move: { to: 'setting' }, at });
    const sent = await api.store.commit({
      writes: [{ entity: 'accessCode', op: 'update', value: setting }],
      auditEvents: [],
    });
    expect(sent.ok).toBe(true);

    // The lock's confirmation lands right after the first of the answer's two reads, whichever that is.
    let confirmed = false;
    const confirm = async () => {
      if (confirmed) return;
      confirmed = true;
      const audit = auditTrail({
        tenantId: tenantA,
        actor: { kind: 'device', lockId: setting.lockId },
        at,
        newId: () => 'evt_confirmed',
      });
      audit.record({
        action: 'access-code.set-on-lock',
        target: { kind: 'access-code', id: setting.id },
        lockId: setting.lockId,
        details: { grantId: setting.grantId },
      });
      const set = moveAccessCode({ code: setting, move: { to: 'set' }, at });
      await api.store.commit({
        writes: [{ entity: 'accessCode', op: 'update', value: set }],
        auditEvents: audit.events,
      });
    };
    const { auditLog, accessCodes } = api.store;
    const readTimeline = auditLog.listOfStay.bind(auditLog);
    const readCodes = accessCodes.listByGrant.bind(accessCodes);
    auditLog.listOfStay = async (query) => {
      const read = await readTimeline(query);
      await confirm();
      return read;
    };
    accessCodes.listByGrant = async (query) => {
      const read = await readCodes(query);
      await confirm();
      return read;
    };

    const answer = await api.call('GET /bookings/{bookingId}', {
      as: owner,
      path: { bookingId: created.body.booking.id },
    });

    expect(answer.status).toBe(200);
    expect(confirmed).toBe(true);
    const shownSet = (answer.body.grant.accessCodes as AccessCode[])
      .filter((code) => code.status === 'set')
      .map((code) => code.id);
    const toldSet = (answer.body.timeline.events as { action: string; target: { id: string } }[])
      .filter((event) => event.action === 'access-code.set-on-lock')
      .map((event) => event.target.id);
    expect(toldSet).toEqual(expect.arrayContaining(shownSet));
  });
});
