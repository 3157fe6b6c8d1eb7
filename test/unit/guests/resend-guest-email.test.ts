/**
 * A host sends a guest's email again: the stay with its codes and a working link goes at once, recorded and
 * audited under the host's name, each request its own send until the booking's cap; a cancelled booking, a guest
 * without an address, another tenant's booking and a cleaner are refused.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { openApiDocument } from '#infra/openapi.ts';
import { ConflictError, NotFoundError, NotPermittedError } from '#shared/domain/errors.ts';
import { cancelBooking, createBooking, modifyBooking } from '#shared/domain/operations/bookings.ts';
import { type GuestEmailPorts, guestEmailPolicy } from '#shared/guests/guest-email.ts';
import { hashGuestLinkToken } from '#shared/guests/guest-link.ts';
import { resendGuestEmail } from '#shared/guests/resend-guest-email.ts';
import { receive } from '../../support/mail-client.ts';
import { member, type TestWorld } from '../domain/fakes.ts';
import {
  guestEmailWorld,
  type InMemoryGuestEmailLog,
  type InMemoryGuestLinks,
  type RecordingMailSender,
} from './guest-email-fakes.ts';

const manager = member({ role: 'manager', userId: 'usr_mia' });
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
  ({ world, sends, mail, guestLinks, ports } = guestEmailWorld());
});

const booked = async (input: Record<string, unknown> = {}) =>
  (await createBooking({ ports: world.ports, principal: manager, input: { ...stay, ...input } })).booking;

describe("sending a guest's email again", () => {
  it('sends the stay with its code and a new link that opens it, at once', async () => {
    const booking = await booked();

    const answer = await resendGuestEmail({ ports, principal: manager, bookingId: booking.id });

    expect(answer).toMatchObject({ bookingId: booking.id, email: 'guest-access', to: 'ada@example.com' });
    expect(answer.sendKey).toMatch(/^resent#v1#/);
    expect(mail.sent).toHaveLength(1);
    const [sent] = mail.sent;
    if (!sent) throw new Error('No email was sent');
    const read = await receive(sent, sent.to);
    const token = /\/stay\/#([A-Za-z0-9_-]{43})/.exec(read.text)?.[1] ?? '';
    expect((await guestLinks.findByTokenHash(hashGuestLinkToken(token)))?.bookingId).toBe(booking.id);
  });

  it('is audited on the booking under the host who asked', async () => {
    const booking = await booked();

    await resendGuestEmail({ ports, principal: manager, bookingId: booking.id });

    expect(sends.auditEvents).toEqual([
      expect.objectContaining({
        action: 'booking.guest-emailed',
        target: { kind: 'booking', id: booking.id },
        actor: { kind: 'user', userId: 'usr_mia', role: 'manager' },
        details: expect.objectContaining({ reason: 'resent', email: 'guest-access' }),
      }),
    ]);
  });

  it('sends each request, and a retried request with the same occasion only once', async () => {
    const booking = await booked();

    await resendGuestEmail({ ports, principal: manager, bookingId: booking.id });
    await resendGuestEmail({ ports, principal: manager, bookingId: booking.id, occasion: 'key-1' });
    const retry = resendGuestEmail({ ports, principal: manager, bookingId: booking.id, occasion: 'key-1' });

    await expect(retry).rejects.toThrow(ConflictError);
    expect(mail.sent).toHaveLength(2);
  });

  it('says the stay changed when its times moved since the last email', async () => {
    const booking = await booked();
    await resendGuestEmail({ ports, principal: manager, bookingId: booking.id });
    await modifyBooking({
      ports: world.ports,
      principal: manager,
      bookingId: booking.id,
      input: { departureDate: '2026-10-28', expectedVersion: booking.version },
    });

    const answer = await resendGuestEmail({ ports, principal: manager, bookingId: booking.id });

    expect(answer.email).toBe('guest-stay-changed');
  });

  it('stops at the booking’s cap with a conflict that says so', async () => {
    const booking = await booked();
    for (let sent = 0; sent < guestEmailPolicy.maxSendsPerBooking; sent += 1) {
      await resendGuestEmail({ ports, principal: manager, bookingId: booking.id });
    }

    const over = resendGuestEmail({ ports, principal: manager, bookingId: booking.id });

    await expect(over).rejects.toThrow(ConflictError);
    await expect(over).rejects.toThrow(/most guest emails/);
    expect(mail.sent).toHaveLength(guestEmailPolicy.maxSendsPerBooking);
  });

  it('refuses a cancelled booking, sending nothing', async () => {
    const booking = await booked();
    await cancelBooking({ ports: world.ports, principal: manager, bookingId: booking.id });

    const refused = resendGuestEmail({ ports, principal: manager, bookingId: booking.id });

    await expect(refused).rejects.toThrow(ConflictError);
    await expect(refused).rejects.toThrow(/cancelled/);
    expect(mail.sent).toHaveLength(0);
  });

  it('refuses a booking whose guest has no email address', async () => {
    const booking = await booked({ guest: { name: 'Ada Lovelace' } });

    const refused = resendGuestEmail({ ports, principal: manager, bookingId: booking.id });

    await expect(refused).rejects.toThrow(/no guest email address/);
    expect(mail.sent).toHaveLength(0);
  });

  it('is not for a cleaner, and another business’s booking is not found', async () => {
    const booking = await booked();

    await expect(
      resendGuestEmail({ ports, principal: member({ role: 'staff' }), bookingId: booking.id }),
    ).rejects.toThrow(NotPermittedError);
    await expect(
      resendGuestEmail({
        ports,
        principal: member({ role: 'owner', tenantId: 'tnt_other' }),
        bookingId: booking.id,
      }),
    ).rejects.toThrow(NotFoundError);
    expect(mail.sent).toHaveLength(0);
  });
});

describe('the API document', () => {
  it('offers sending again to signed-in hosts, with its answer and its refusals', () => {
    const operation = openApiDocument().paths?.['/bookings/{bookingId}/guest-email']?.post;

    expect(operation?.security).toEqual([{ cognito: [] }]);
    expect(Object.keys(operation?.responses ?? {})).toEqual(expect.arrayContaining(['200', '403', '409']));
    expect(JSON.stringify(operation?.responses?.['200'])).toContain('ResentGuestEmail');
  });
});
