import { beforeEach, describe, expect, it } from 'vitest';
import { cancelBooking, createBooking, modifyBooking } from '#shared/domain/operations/bookings.ts';
import {
  createGuestEmailWork,
  type GuestEmailPorts,
  guestEmailPolicy,
  guestEmailTaskId,
  guestEmailTaskType,
  requestGuestEmail,
  sendScheduledGuestEmail,
} from '#shared/guests/guest-email.ts';
import { hashGuestLinkToken } from '#shared/guests/guest-link.ts';
import { readGuestStay } from '#shared/guests/guest-stay.ts';
import { htmlTag, receive } from '../../support/mail-client.ts';
import { member, RecordingTasks, type TestWorld } from '../domain/fakes.ts';
import {
  guestEmailWorld,
  type InMemoryGuestEmailLog,
  type InMemoryGuestLinks,
  type RecordingMailSender,
} from './guest-email-fakes.ts';

const manager = member({ role: 'manager' });
const origin = 'https://stay.lockstay.test';
/** Check-in 24 Oct 15:00 Berlin (13:00 UTC), check-out 27 Oct 11:00 Berlin. */
const stay = {
  propertyId: 'prp_loft',
  guest: { name: 'Ada Lovelace', email: 'ada@example.com' },
  arrivalDate: '2026-10-24',
  departureDate: '2026-10-27',
};

let world: TestWorld;
let sends: InMemoryGuestEmailLog;
let mail: RecordingMailSender;
let guestLinks: InMemoryGuestLinks;
let ports: GuestEmailPorts;

beforeEach(() => {
  ({ world, sends, mail, guestLinks, ports } = guestEmailWorld({ pagesOrigin: origin }));
});

async function booked(input: Record<string, unknown> = {}) {
  return createBooking({ ports: world.ports, principal: manager, input: { ...stay, ...input } });
}

async function lastMail() {
  const sent = mail.sent.at(-1);
  if (!sent) throw new Error('No email was sent');
  return { sent, read: await receive(sent, sent.to) };
}

describe("a booking's access email", () => {
  it('gives the guest the property, the PIN and a link to the stay page that opens their stay', async () => {
    const { booking, accessCodes } = await booked();

    const result = await requestGuestEmail({
      ports,
      tenantId: 'tnt_a',
      bookingId: booking.id,
      reason: 'access',
    });

    expect(result).toMatchObject({ outcome: 'sent', kind: 'guest-access' });
    const { sent, read } = await lastMail();
    expect(sent.to).toBe('ada@example.com');
    expect(read.subject).toContain('Altbau loft');
    expect(read.text).toContain(
      `${accessCodes[0]?.pin?.slice(0, 3)} ${accessCodes[0]?.pin?.slice(3)}`.trim(),
    );
    expect(read.text).toContain('Sat, 24 Oct 2026, 15:00');
    expect(read.text).not.toMatch(htmlTag);
    const link = /https:\/\/stay\.lockstay\.test\/stay\/#([A-Za-z0-9_-]{43})/.exec(read.text);
    expect(link).not.toBeNull();
    const token = link?.[1] ?? '';
    expect(read.html).toContain(`href="${origin}/stay/#${token}"`);
    expect((await guestLinks.findByTokenHash(hashGuestLinkToken(token)))?.bookingId).toBe(booking.id);
    const view = await readGuestStay({
      ports: { ...world.ports, guestLinks },
      token,
      now: new Date('2026-10-22T13:00:00.000Z'),
    });
    expect(view.property.name).toBe('Altbau loft');
  });

  it('is recorded on the booking and audited as sent, without the link or the code in the record', async () => {
    const { booking } = await booked();

    await requestGuestEmail({ ports, tenantId: 'tnt_a', bookingId: booking.id, reason: 'access' });

    const [recorded] = await sends.listSent({ tenantId: 'tnt_a', bookingId: booking.id });
    expect(recorded).toMatchObject({ sendKey: 'access#v1', status: 'sent', messageId: 'msg-1' });
    expect(JSON.stringify(recorded)).not.toContain('stay/#');
    expect(sends.auditEvents).toEqual([
      expect.objectContaining({
        action: 'booking.guest-emailed',
        target: { kind: 'booking', id: booking.id },
        propertyId: 'prp_loft',
        actor: { kind: 'system', process: 'guest-email' },
        details: expect.objectContaining({ email: 'guest-access', reason: 'access', messageId: 'msg-1' }),
      }),
    ]);
    expect(mail.sent[0]?.idempotencyKey).toBe(`${booking.id}:access#v1`);
  });

  it('goes out once however often its task is run again', async () => {
    const { booking } = await booked();
    const again = () =>
      requestGuestEmail({ ports, tenantId: 'tnt_a', bookingId: booking.id, reason: 'access' });

    await again();
    const repeated = await again();

    expect(repeated).toEqual({ outcome: 'skipped', why: 'already-sent' });
    expect(mail.sent).toHaveLength(1);
  });

  it('is sent by a retry after the mail service refused it, once', async () => {
    const { booking } = await booked();
    mail.refuseNext = 1;
    const attempt = () =>
      requestGuestEmail({ ports, tenantId: 'tnt_a', bookingId: booking.id, reason: 'access' });

    await expect(attempt()).rejects.toThrow('Throttling');
    await attempt();
    await attempt();

    expect(mail.sent).toHaveLength(1);
  });

  it('is not sent while another attempt holds a fresh claim, but is once the claim is stale', async () => {
    const { booking } = await booked();
    // An attempt that claimed the send and died before it finished.
    await sends.claim({
      send: {
        tenantId: 'tnt_a',
        bookingId: booking.id,
        propertyId: 'prp_loft',
        sendKey: 'access#v1',
        reason: 'access',
        kind: 'guest-access',
        to: 'ada@example.com',
        checkInAt: '2026-10-24T13:00:00.000Z',
        checkOutAt: '2026-10-27T10:00:00.000Z',
        claimId: 'evt_dead',
        claimedAt: world.clock.now().toISOString(),
        status: 'sending',
      },
      maxSends: 10,
      staleBefore: '2000-01-01T00:00:00.000Z',
    });
    const attempt = () =>
      requestGuestEmail({ ports, tenantId: 'tnt_a', bookingId: booking.id, reason: 'access' });

    expect(await attempt()).toEqual({ outcome: 'skipped', why: 'in-progress' });
    world.clock.advanceMinutes(guestEmailPolicy.claimLeaseSeconds / 60 + 1);
    expect(await attempt()).toMatchObject({ outcome: 'sent' });
    expect(mail.sent).toHaveLength(1);
  });

  it('stops at the cap of emails per booking', async () => {
    const { booking } = await booked();

    const outcomes = [];
    for (let round = 0; round < guestEmailPolicy.maxSendsPerBooking + 2; round += 1) {
      outcomes.push(
        await requestGuestEmail({
          ports,
          tenantId: 'tnt_a',
          bookingId: booking.id,
          reason: 'resent',
          occasion: `host-${round}`,
        }),
      );
    }

    expect(mail.sent).toHaveLength(guestEmailPolicy.maxSendsPerBooking);
    expect(outcomes.at(-1)).toEqual({ outcome: 'skipped', why: 'cap-reached' });
  });

  it('is not sent to a guest without an address, nor for a cancelled booking', async () => {
    const { booking: noAddress } = await booked({ guest: { name: 'Walk-in' } });
    const { booking: cancelled } = await booked({ arrivalDate: '2026-11-02', departureDate: '2026-11-04' });
    await cancelBooking({ ports: world.ports, principal: manager, bookingId: cancelled.id });

    expect(
      await requestGuestEmail({ ports, tenantId: 'tnt_a', bookingId: noAddress.id, reason: 'access' }),
    ).toEqual({ outcome: 'skipped', why: 'no-email-address' });
    expect(
      await requestGuestEmail({ ports, tenantId: 'tnt_a', bookingId: cancelled.id, reason: 'access' }),
    ).toEqual({ outcome: 'skipped', why: 'cancelled' });
    expect(mail.sent).toEqual([]);
  });

  it('needs the pages origin to make the link, and sends nothing without it', async () => {
    const { booking } = await booked();

    await expect(
      requestGuestEmail({
        ports: { ...ports, pagesOrigin: undefined },
        tenantId: 'tnt_a',
        bookingId: booking.id,
        reason: 'access',
      }),
    ).rejects.toThrow('PAGES_ORIGIN');
    expect(mail.sent).toEqual([]);
  });
});

describe('the emails after a change', () => {
  it('tells a guest who had their email the new times beside the old ones, with a new working link', async () => {
    const { booking } = await booked();
    await requestGuestEmail({ ports, tenantId: 'tnt_a', bookingId: booking.id, reason: 'access' });
    const firstLink = [...guestLinks.links.values()][0]?.tokenHash;
    await modifyBooking({
      ports: world.ports,
      principal: manager,
      bookingId: booking.id,
      input: { arrivalDate: '2026-10-25' },
    });

    const result = await requestGuestEmail({
      ports,
      tenantId: 'tnt_a',
      bookingId: booking.id,
      reason: 'changed',
    });

    expect(result).toMatchObject({ outcome: 'sent', kind: 'guest-stay-changed', sendKey: 'changed#v2' });
    const { read } = await lastMail();
    expect(read.text).toMatch(/Check-in:\s+Sun, 25 Oct 2026, 15:00/);
    expect(read.text).toMatch(/Previously:\s+Check-in: Sat, 24 Oct 2026, 15:00/);
    expect(read.text).toContain('Your door code stays the same');
    expect([...guestLinks.links.values()][0]?.tokenHash).not.toBe(firstLink);
  });

  it('sends the access email, not a "changed" one, to a guest who was never told', async () => {
    const { booking } = await booked();
    await modifyBooking({
      ports: world.ports,
      principal: manager,
      bookingId: booking.id,
      input: { arrivalDate: '2026-10-25' },
    });

    expect(
      await requestGuestEmail({ ports, tenantId: 'tnt_a', bookingId: booking.id, reason: 'changed' }),
    ).toMatchObject({ outcome: 'sent', kind: 'guest-access' });
  });

  it('tells a guest who had their email that the booking is cancelled and access is gone', async () => {
    const { booking } = await booked();
    await requestGuestEmail({ ports, tenantId: 'tnt_a', bookingId: booking.id, reason: 'access' });
    await cancelBooking({ ports: world.ports, principal: manager, bookingId: booking.id });

    const result = await requestGuestEmail({
      ports,
      tenantId: 'tnt_a',
      bookingId: booking.id,
      reason: 'cancelled',
    });

    expect(result).toMatchObject({ outcome: 'sent', kind: 'guest-stay-cancelled' });
    const { read } = await lastMail();
    expect(read.subject).toMatch(/cancelled/i);
    expect(read.text).not.toContain('/stay/#');
  });

  it('sends no cancellation to a guest who was never told about the stay', async () => {
    const { booking } = await booked();
    await cancelBooking({ ports: world.ports, principal: manager, bookingId: booking.id });

    expect(
      await requestGuestEmail({ ports, tenantId: 'tnt_a', bookingId: booking.id, reason: 'cancelled' }),
    ).toEqual({ outcome: 'skipped', why: 'never-told' });
  });
});

describe('a booking cancelled while its email is on its way', () => {
  /** Ports whose mail sender cancels the booking as the first email leaves, as a host might at that moment. */
  function cancellingAsTheFirstEmailLeaves(bookingId: string): GuestEmailPorts {
    let cancelled = false;
    return {
      ...ports,
      mail: {
        send: async (message) => {
          const accepted = await mail.send(message);
          if (!cancelled) {
            cancelled = true;
            await cancelBooking({ ports: world.ports, principal: manager, bookingId });
          }
          return accepted;
        },
      },
    };
  }

  it('tells the guest, now told of the stay, that it is cancelled', async () => {
    const { booking } = await booked();

    const result = await sendScheduledGuestEmail({
      ports: cancellingAsTheFirstEmailLeaves(booking.id),
      tenantId: 'tnt_a',
      bookingId: booking.id,
      reason: 'access',
    });

    expect(result).toMatchObject({ outcome: 'sent', kind: 'guest-access' });
    expect(mail.sent).toHaveLength(2);
    const { read } = await lastMail();
    expect(read.subject).toMatch(/cancelled/i);
    expect(
      (await sends.listSent({ tenantId: 'tnt_a', bookingId: booking.id })).map((send) => send.reason),
    ).toEqual(['access', 'cancelled']);
  });

  it('sends the cancellation on the retry when it could not leave the first time', async () => {
    const { booking } = await booked();
    const cancelling = cancellingAsTheFirstEmailLeaves(booking.id);
    const refusingTheSecond: GuestEmailPorts = {
      ...cancelling,
      mail: {
        send: async (message) => {
          const accepted = await cancelling.mail.send(message);
          mail.refuseNext = mail.sent.length === 1 ? 1 : 0;
          return accepted;
        },
      },
    };
    const task = { tenantId: 'tnt_a', bookingId: booking.id, reason: 'access' } as const;

    await expect(sendScheduledGuestEmail({ ports: refusingTheSecond, ...task })).rejects.toThrow(
      /Throttling/,
    );
    expect(mail.sent).toHaveLength(1);

    expect(await sendScheduledGuestEmail({ ports, ...task })).toEqual({
      outcome: 'skipped',
      why: 'cancelled',
    });
    expect(mail.sent).toHaveLength(2);
    expect((await lastMail()).read.subject).toMatch(/cancelled/i);
  });

  it('sends nothing more for a booking still on', async () => {
    const { booking } = await booked();

    await sendScheduledGuestEmail({ ports, tenantId: 'tnt_a', bookingId: booking.id, reason: 'access' });

    expect(mail.sent).toHaveLength(1);
  });
});

describe('when guest emails are scheduled', () => {
  let tasks: RecordingTasks;
  const work = () => createGuestEmailWork({ tasks, ports: { ...world.ports, sends } });

  beforeEach(() => {
    tasks = new RecordingTasks();
  });

  it("schedules a new booking's access email at the property's lead time before check-in", async () => {
    const { booking } = await booked();

    await work().afterBookingChange({ booking, change: 'created' });

    expect(tasks.scheduled.get(guestEmailTaskId(booking.id))).toEqual({
      id: guestEmailTaskId(booking.id),
      type: guestEmailTaskType,
      // 48 hours before 24 Oct 15:00 in Berlin.
      runAt: new Date('2026-10-22T13:00:00.000Z'),
      payload: { tenantId: 'tnt_a', bookingId: booking.id, reason: 'access' },
    });
  });

  it('schedules it at once for a booking made after the lead time', async () => {
    world.clock.set('2026-10-23T20:00:00.000Z');
    const { booking } = await booked();

    await work().afterBookingChange({ booking, change: 'created' });

    expect(tasks.scheduled.get(guestEmailTaskId(booking.id))?.runAt).toEqual(
      new Date('2026-10-23T20:00:00.000Z'),
    );
  });

  it('moves the access email with the stay while the guest was not told yet', async () => {
    const { booking } = await booked();
    const moved = await modifyBooking({
      ports: world.ports,
      principal: manager,
      bookingId: booking.id,
      input: { arrivalDate: '2026-10-28', departureDate: '2026-10-30' },
    });

    await work().afterBookingChange({ booking: moved.booking, change: 'modified' });

    expect(tasks.scheduled.get(guestEmailTaskId(booking.id))).toMatchObject({
      runAt: new Date('2026-10-26T14:00:00.000Z'),
      payload: { reason: 'access' },
    });
  });

  it('sends the "changed" email at once when the guest was told other times, and nothing for a phone number', async () => {
    const { booking } = await booked();
    await requestGuestEmail({ ports, tenantId: 'tnt_a', bookingId: booking.id, reason: 'access' });
    const phone = await modifyBooking({
      ports: world.ports,
      principal: manager,
      bookingId: booking.id,
      input: { guest: { phone: '+49 30 1234567' } },
    });
    await work().afterBookingChange({ booking: phone.booking, change: 'modified' });
    expect(tasks.scheduled.size).toBe(0);

    const moved = await modifyBooking({
      ports: world.ports,
      principal: manager,
      bookingId: booking.id,
      input: { checkInTime: '17:00' },
    });
    await work().afterBookingChange({ booking: moved.booking, change: 'modified' });

    expect(tasks.scheduled.get(guestEmailTaskId(booking.id))).toMatchObject({
      runAt: world.clock.now(),
      payload: { reason: 'changed' },
    });
  });

  it('sends the cancellation at once to a guest who was told, and only drops the pending email otherwise', async () => {
    const { booking: told } = await booked();
    await requestGuestEmail({ ports, tenantId: 'tnt_a', bookingId: told.id, reason: 'access' });
    const { booking: untold } = await booked({ arrivalDate: '2026-11-02', departureDate: '2026-11-04' });
    const cancelledTold = await cancelBooking({ ports: world.ports, principal: manager, bookingId: told.id });
    const cancelledUntold = await cancelBooking({
      ports: world.ports,
      principal: manager,
      bookingId: untold.id,
    });

    await work().afterBookingChange({ booking: cancelledTold.booking, change: 'cancelled' });
    await work().afterBookingChange({ booking: cancelledUntold.booking, change: 'cancelled' });

    expect(tasks.scheduled.get(guestEmailTaskId(told.id))).toMatchObject({
      payload: { reason: 'cancelled' },
    });
    expect(tasks.scheduled.has(guestEmailTaskId(untold.id))).toBe(false);
    expect(tasks.cancelled).toEqual([guestEmailTaskId(untold.id)]);
  });

  it('schedules nothing for a guest without an email address', async () => {
    const { booking } = await booked({ guest: { name: 'Walk-in' } });

    await work().afterBookingChange({ booking, change: 'created' });

    expect(tasks.scheduled.size).toBe(0);
  });
});
