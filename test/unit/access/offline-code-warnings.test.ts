/**
 * Specification: an offline code cannot be withdrawn from a lock, so cancelling, revoking or moving an access
 * whose guest holds one tells the host plainly: the API's answer names the lock and until when the code still
 * opens it, and the first time the owners are emailed and the audit log has an `alert.offline-code-still-valid`
 * event per lock. Codes that no longer open anything, or a change that keeps within the code's reach, say nothing.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  type BluetoothOfflineCodePorts,
  issueBluetoothOfflineCodes,
  issueOfflineCodes,
} from '#shared/access/offline-code-issuance.ts';
import { withOfflineCodeWarnings } from '#shared/access/offline-code-warnings.ts';
import { createBooking } from '#shared/domain/operations/bookings.ts';
import { renderOfflineCodeStillValidAlert } from '#shared/mail/templates/host-alerts.ts';
import { addLock, addProperty, addTeamMember, member, tenantA } from '../domain/fakes.ts';
import { type Caller, documented, type HostApi, hostApi } from '../http/host-api-harness.ts';
import { FakeDeviceKeys } from './access-fakes.ts';
import { InMemoryOfflineCodes } from './offline-code-fakes.ts';

const owner: Caller = { tenantId: tenantA, userId: 'usr_owner' };
const stay = {
  propertyId: 'prp_loft',
  guest: { name: 'Ada Lovelace', email: 'ada@example.com' },
  arrivalDate: '2026-10-24',
  departureDate: '2026-10-27',
};
// The stay is 13:00Z on the 24th to 10:00Z on the 27th: its offline code's grid window ends at 13:00Z on the 27th.
const codeEnds = '2026-10-27T13:00:00.000Z';

let api: HostApi;
let offlineCodes: InMemoryOfflineCodes;
let ports: BluetoothOfflineCodePorts;

beforeEach(() => {
  offlineCodes = new InMemoryOfflineCodes();
  api = hostApi({ now: '2026-10-01T09:00:00.000Z', offlineCodes });
  addProperty(api.store);
  addTeamMember(api.store, { role: 'owner' });
  addLock(api.store, { id: 'lck_shed', name: 'Garden shed', connectivity: 'bluetooth' });
  addLock(api.store, { id: 'lck_front', name: 'Front door' });
  ports = {
    ...api.ports,
    deviceKeys: new FakeDeviceKeys(),
    offlineCodes,
    guestEmails: { codesChanged: async () => undefined },
  };
});

async function bookedWithOfflineCode() {
  const { booking, grant } = await createBooking({
    ports: api.ports,
    principal: member({ role: 'manager' }),
    input: stay,
  });
  await issueBluetoothOfflineCodes({ ports, tenantId: tenantA, grantId: grant.id });
  expect(offlineCodes.saves).toHaveLength(1);
  return { booking, grant };
}

const alertEvents = () =>
  api.store.auditEvents.filter((event) => event.action === 'alert.offline-code-still-valid');
const alertNotices = () =>
  api.notifier.sent.filter((sent) => {
    // The recording notifier keeps every notice it is given, lock alerts included.
    const notice = sent.notice as { kind: string; alert?: string };
    return notice.kind === 'lock-alert' && notice.alert === 'offline-code-still-valid';
  });

describe('cancelling a stay whose guest holds an offline code', () => {
  it('answers which lock the code still opens and until when, audits an alert and emails the owners', async () => {
    const { booking, grant } = await bookedWithOfflineCode();

    const answer = await api.call('POST /bookings/{bookingId}/cancel', {
      as: owner,
      path: { bookingId: booking.id },
      body: {},
    });

    expect(answer.status).toBe(200);
    const body = documented('POST /bookings/{bookingId}/cancel', answer);
    expect(body.stillValidOfflineCodes).toEqual([
      {
        offlineCodeId: `ofc_${grant.id}_lck_shed`,
        lockId: 'lck_shed',
        lockName: 'Garden shed',
        connectivity: 'bluetooth',
        purpose: 'bluetooth-lock',
        validUntil: codeEnds,
      },
    ]);
    expect(body.warnings).toHaveLength(1);
    expect(body.warnings[0]).toContain('Garden shed');
    expect(body.warnings[0]).toContain('2026-10-27 13:00 UTC');
    expect(alertEvents()).toEqual([
      expect.objectContaining({
        lockId: 'lck_shed',
        target: { kind: 'grant', id: grant.id },
        details: expect.objectContaining({
          change: 'cancelled',
          validUntil: codeEnds,
          bookingId: booking.id,
        }),
      }),
    ]);
    expect(JSON.stringify(alertEvents())).not.toContain(offlineCodes.saves[0]?.code);
    expect(alertNotices()).toHaveLength(1);
    expect(alertNotices()[0]?.recipients.map((recipient) => recipient.userId)).toEqual(['usr_owner']);
  });

  it('a second cancellation answers the same warning but alerts nobody again', async () => {
    const { booking } = await bookedWithOfflineCode();
    await api.call('POST /bookings/{bookingId}/cancel', {
      as: owner,
      path: { bookingId: booking.id },
      body: {},
    });

    const again = await api.call('POST /bookings/{bookingId}/cancel', {
      as: owner,
      path: { bookingId: booking.id },
      body: {},
    });

    expect(again.body.stillValidOfflineCodes).toHaveLength(1);
    expect(alertEvents()).toHaveLength(1);
    expect(alertNotices()).toHaveLength(1);
  });

  it('says nothing once the code has ended, nor for a stay that never had one', async () => {
    const { booking } = await bookedWithOfflineCode();
    const plain = await createBooking({
      ports: api.ports,
      principal: member({ role: 'manager' }),
      input: { ...stay, arrivalDate: '2026-11-02', departureDate: '2026-11-04' },
    });
    api.clock.set('2026-10-27T13:00:00.000Z');

    const ended = await api.call('POST /bookings/{bookingId}/cancel', {
      as: owner,
      path: { bookingId: booking.id },
      body: {},
    });
    const none = await api.call('POST /bookings/{bookingId}/cancel', {
      as: owner,
      path: { bookingId: plain.booking.id },
      body: {},
    });

    expect(ended.body.stillValidOfflineCodes).toEqual([]);
    expect(none.body.stillValidOfflineCodes).toEqual([]);
    expect(alertEvents()).toEqual([]);
    expect(alertNotices()).toEqual([]);
  });

  it('names a readiness fallback code on an online lock too', async () => {
    const { booking, grant } = await createBooking({
      ports: api.ports,
      principal: member({ role: 'manager' }),
      input: stay,
    });
    await issueOfflineCodes({
      ports,
      tenantId: tenantA,
      grantId: grant.id,
      lockIds: ['lck_front'],
      purpose: 'readiness-fallback',
    });

    const answer = await api.call('POST /bookings/{bookingId}/cancel', {
      as: owner,
      path: { bookingId: booking.id },
      body: {},
    });

    expect(answer.body.stillValidOfflineCodes).toEqual([
      expect.objectContaining({ lockId: 'lck_front', connectivity: 'wifi', purpose: 'readiness-fallback' }),
    ]);
    expect(answer.body.warnings[0]).toContain('Front door');
  });
});

describe('revoking a grant and moving a stay', () => {
  it('revoking warns and alerts as cancelling does', async () => {
    const { grant } = await bookedWithOfflineCode();

    const answer = await api.call('POST /grants/{grantId}/revoke', {
      as: owner,
      path: { grantId: grant.id },
      body: {},
    });

    expect(answer.status).toBe(200);
    expect(documented('POST /grants/{grantId}/revoke', answer).stillValidOfflineCodes).toEqual([
      expect.objectContaining({ lockId: 'lck_shed', validUntil: codeEnds }),
    ]);
    expect(alertEvents()).toEqual([
      expect.objectContaining({ details: expect.objectContaining({ change: 'revoked' }) }),
    ]);
  });

  it('a shortened stay warns that the earlier code opens the lock past the new departure', async () => {
    const { booking } = await bookedWithOfflineCode();

    const answer = await api.call('PATCH /bookings/{bookingId}', {
      as: owner,
      path: { bookingId: booking.id },
      body: { departureDate: '2026-10-25' },
    });

    expect(answer.status).toBe(200);
    expect(documented('PATCH /bookings/{bookingId}', answer).stillValidOfflineCodes).toEqual([
      expect.objectContaining({ lockId: 'lck_shed', validUntil: codeEnds }),
    ]);
    expect(alertEvents()).toEqual([
      expect.objectContaining({ details: expect.objectContaining({ change: 'moved' }) }),
    ]);
  });

  it('a longer stay, which the earlier code stays within, says nothing', async () => {
    const { booking } = await bookedWithOfflineCode();

    const answer = await api.call('PATCH /bookings/{bookingId}', {
      as: owner,
      path: { bookingId: booking.id },
      body: { departureDate: '2026-10-28' },
    });

    expect(answer.status).toBe(200);
    expect(answer.body.stillValidOfflineCodes).toEqual([]);
    expect(alertEvents()).toEqual([]);
  });
});

describe('the owners’ email', () => {
  it('names the lock, the property and until when on the property’s clock, and says the code cannot be withdrawn', () => {
    const mail = renderOfflineCodeStillValidAlert({
      property: { name: 'Loft', timeZone: 'Europe/Berlin' },
      lockName: 'Garden shed',
      validUntil: codeEnds,
      change: 'cancelled',
      lockNeverOnline: true,
    });

    expect(mail.subject).toBe('An offline code still opens Garden shed at Loft');
    expect(mail.text).toContain('was cancelled');
    expect(mail.text).toMatch(/27.*14:00/);
    expect(mail.text).toContain('never online');
  });
});

describe('around the change’s follow-up work', () => {
  const quietLog = () => {
    const errors: string[] = [];
    return { errors, error: (message: string) => errors.push(message) };
  };

  it('reads the codes before the follow-up work and alerts after it', async () => {
    const { grant } = await bookedWithOfflineCode();
    const order: string[] = [];
    const reading = offlineCodes.listByGrant.bind(offlineCodes);
    offlineCodes.listByGrant = async (options) => {
      order.push('read');
      return reading(options);
    };
    const notify = api.notifier.notify.bind(api.notifier);
    api.notifier.notify = async (options) => {
      order.push('alert');
      return notify(options);
    };

    const found = await withOfflineCodeWarnings({
      ports: { ...api.ports, offlineCodes },
      grant: {
        ...grant,
        revocation: { at: grant.createdAt, reason: 'test', by: { kind: 'system', process: 'test' } },
      },
      change: 'revoked',
      changed: true,
      actor: { kind: 'system', process: 'test' },
      log: quietLog(),
      followUp: async () => {
        order.push('follow-up');
      },
    });

    expect(order).toEqual(['read', 'follow-up', 'alert']);
    expect(found?.stillValidOfflineCodes).toHaveLength(1);
  });

  it('answers the cancellation with its warnings even when the owners cannot be emailed', async () => {
    const { booking } = await bookedWithOfflineCode();
    api.notifier.failWith = new Error('SES throttled');

    const answer = await api.call('POST /bookings/{bookingId}/cancel', {
      as: owner,
      path: { bookingId: booking.id },
      body: {},
    });

    expect(answer.status).toBe(200);
    expect(answer.body.grant.revocation).toBeDefined();
    expect(answer.body.stillValidOfflineCodes).toHaveLength(1);
  });

  it('runs the follow-up work even when the codes cannot be read, and logs it', async () => {
    const { grant } = await bookedWithOfflineCode();
    offlineCodes.listByGrant = async () => {
      throw new Error('DynamoDB throttled');
    };
    const log = quietLog();
    let followedUp = false;

    const found = await withOfflineCodeWarnings({
      ports: { ...api.ports, offlineCodes },
      grant,
      change: 'moved',
      changed: true,
      actor: { kind: 'system', process: 'test' },
      log,
      followUp: async () => {
        followedUp = true;
      },
    });

    expect(found).toBeUndefined();
    expect(followedUp).toBe(true);
    expect(log.errors).toHaveLength(1);
  });
});
