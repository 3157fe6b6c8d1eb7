import { describe, expect, it } from 'vitest';
import { actorOf, auditTrail } from '#shared/domain/audit.ts';
import { integration, member } from './fakes.ts';

describe('the audit trail of one operation', () => {
  let next = 0;
  const trail = () =>
    auditTrail({
      tenantId: 'tnt_a',
      actor: actorOf(member({ role: 'manager' })),
      at: '2026-10-01T09:00:00.000Z',
      newId: () => `evt_${++next}`,
    });

  it('stamps every event with the same tenant, actor and time', () => {
    const audit = trail();
    audit.record({
      action: 'booking.created',
      target: { kind: 'booking', id: 'bkg_1' },
      propertyId: 'prp_loft',
    });
    audit.record({
      action: 'access-code.allocated',
      target: { kind: 'access-code', id: 'acd_1' },
      propertyId: 'prp_loft',
      lockId: 'lck_front',
      details: { grantId: 'gnt_1' },
    });
    expect(audit.events).toEqual([
      {
        tenantId: 'tnt_a',
        id: expect.stringMatching(/^evt_/),
        at: '2026-10-01T09:00:00.000Z',
        actor: { kind: 'user', userId: 'usr_manager', role: 'manager' },
        action: 'booking.created',
        target: { kind: 'booking', id: 'bkg_1' },
        propertyId: 'prp_loft',
        details: {},
      },
      expect.objectContaining({ lockId: 'lck_front', details: { grantId: 'gnt_1' } }),
    ]);
    expect(audit.events[0]?.id).not.toBe(audit.events[1]?.id);
  });

  it('refuses to carry a PIN or a secret in its details', () => {
    const audit = trail();
    for (const key of ['pin', 'code', 'deviceKey', 'privateKey', 'secret', 'token']) {
      expect(() =>
        audit.record({ action: 'x.y', target: { kind: 'grant', id: 'gnt_1' }, details: { [key]: '480371' } }),
      ).toThrow(/must not carry/);
    }
    expect(audit.events).toEqual([]);
  });

  it('names an integration as the actor when a channel made the change', () => {
    expect(actorOf(integration())).toEqual({ kind: 'integration', integrationId: 'int_hostaway' });
  });
});
