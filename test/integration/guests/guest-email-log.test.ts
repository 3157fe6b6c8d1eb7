/**
 * The record of guest emails on DynamoDB Local: a send key is claimed once, a dead attempt's claim can be taken
 * over after its lease, the cap per booking holds, marking a send sent writes its audit event with it (the
 * booking's timeline shows it), and a refused send gives its claim back.
 */
import { describe, expect, inject, it } from 'vitest';
import { createAuditLogRepository } from '#shared/adapters/dynamo/audit-log.ts';
import { createGuestEmailLog } from '#shared/adapters/dynamo/guest-emails.ts';
import { createDynamoTable } from '#shared/adapters/dynamo/table.ts';
import type { AuditEvent } from '#shared/domain/audit.ts';
import type { GuestEmailSend } from '#shared/guests/guest-email.ts';
import { localDocumentClient, newTenantId } from '../storage/dynamo-world.ts';

const endpoints = inject('endpoints');
const table = createDynamoTable({
  client: localDocumentClient(endpoints),
  tableName: endpoints.tableName,
});
const log = createGuestEmailLog({ table });
const lease = { staleBefore: '2026-10-01T08:55:00.000Z', maxSends: 3 };

function sendOf(overrides: Partial<GuestEmailSend> & { tenantId: string }): GuestEmailSend {
  return {
    bookingId: 'bkg_garden',
    propertyId: 'prp_garden',
    sendKey: 'access#v1',
    reason: 'access',
    kind: 'guest-access',
    to: 'grace@example.com',
    checkInAt: '2026-10-24T13:00:00.000Z',
    checkOutAt: '2026-10-27T09:00:00.000Z',
    codesDigest: 'c0ffee',
    claimId: 'evt_first',
    claimedAt: '2026-10-01T09:00:00.000Z',
    status: 'sending',
    ...overrides,
  };
}

function auditOf(send: GuestEmailSend, id: string): AuditEvent {
  return {
    tenantId: send.tenantId,
    id,
    at: '2026-10-01T09:00:01.000Z',
    actor: { kind: 'system', process: 'guest-email' },
    action: 'booking.guest-emailed',
    target: { kind: 'booking', id: send.bookingId },
    propertyId: send.propertyId,
    details: { email: send.kind, reason: send.reason, sendKey: send.sendKey, messageId: 'msg-1' },
  };
}

describe('the guest email record', () => {
  it('claims a send key once; once sent, a retry finds it sent, and the audit names it on the booking', async () => {
    const tenantId = newTenantId();
    const send = sendOf({ tenantId });

    expect(await log.claim({ send, ...lease })).toEqual({ claimed: true });
    expect(await log.claim({ send: { ...send, claimId: 'evt_retry' }, ...lease })).toEqual({
      claimed: false,
      why: 'in-progress',
    });
    await log.recordSent({
      send: { ...send, status: 'sent', sentAt: '2026-10-01T09:00:01.000Z', messageId: 'msg-1' },
      auditEvent: auditOf(send, 'evt_sent1'),
    });

    expect(await log.claim({ send: { ...send, claimId: 'evt_retry' }, ...lease })).toEqual({
      claimed: false,
      why: 'already-sent',
    });
    expect(await log.listSent({ tenantId, bookingId: 'bkg_garden' })).toEqual([
      expect.objectContaining({
        sendKey: 'access#v1',
        status: 'sent',
        messageId: 'msg-1',
        to: 'grace@example.com',
      }),
    ]);
    const audit = await createAuditLogRepository({ table }).list({
      tenantId,
      scope: { kind: 'property', propertyId: 'prp_garden' },
      page: { limit: 10 },
    });
    expect(audit.items.map((event) => event.action)).toEqual(['booking.guest-emailed']);
  });

  it('lets a retry take over a claim older than its lease, and not the dead attempt finish it', async () => {
    const tenantId = newTenantId();
    const dead = sendOf({ tenantId, claimedAt: '2026-10-01T08:00:00.000Z' });
    await log.claim({ send: dead, ...lease });

    const retry = { ...dead, claimId: 'evt_retry', claimedAt: '2026-10-01T09:00:00.000Z' };
    expect(await log.claim({ send: retry, ...lease })).toEqual({ claimed: true });

    await expect(
      log.recordSent({
        send: { ...dead, status: 'sent', messageId: 'late' },
        auditEvent: auditOf(dead, 'evt_x'),
      }),
    ).rejects.toThrow();
    expect(await log.listSent({ tenantId, bookingId: 'bkg_garden' })).toEqual([]);
  });

  it('stops claiming at the cap of the booking', async () => {
    const tenantId = newTenantId();

    const answers = [];
    for (const round of [1, 2, 3, 4]) {
      answers.push(await log.claim({ send: sendOf({ tenantId, sendKey: `resent#v1#${round}` }), ...lease }));
    }

    expect(answers.map((answer) => answer.claimed)).toEqual([true, true, true, false]);
    expect(answers[3]).toEqual({ claimed: false, why: 'cap-reached' });
  });

  it("gives back a claim whose message was refused, so that a retry may claim it; another's claim stays", async () => {
    const tenantId = newTenantId();
    const send = sendOf({ tenantId });
    await log.claim({ send, ...lease });

    await log.release({ send: { ...send, claimId: 'evt_someone_else' } });
    expect(await log.claim({ send: { ...send, claimId: 'evt_retry' }, ...lease })).toMatchObject({
      claimed: false,
    });
    await log.release({ send });

    expect(await log.claim({ send: { ...send, claimId: 'evt_retry' }, ...lease })).toEqual({ claimed: true });
  });
});
