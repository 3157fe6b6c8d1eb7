/**
 * The guest access email sent through the local cloud's SES twin with the production adapter, then fetched back
 * as the raw MIME message the twin would deliver and read as a mail client reads it.
 */
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { describe, expect, inject, it } from 'vitest';
import { createSesMailSender } from '#shared/adapters/ses-mail-sender.ts';
import { stayOf } from '#shared/domain/grant-window.ts';
import { renderGuestAccessEmail } from '#shared/mail/templates/guest-emails.ts';
import { htmlTag, readMime } from '../../support/mail-client.ts';

const endpoints = inject('endpoints');
const ses = endpoints.services.ses;
if (ses === undefined) throw new Error('The local cloud reports no SES endpoint');

interface StoredEmail {
  readonly messageId: string;
  readonly destination: { readonly to: readonly string[] };
  readonly subject: string;
}

describe('the guest access email through the SES twin', () => {
  it('arrives with its subject, a text part and an HTML part that both give the code and the link', async () => {
    // Prepare
    const sender = createSesMailSender({
      client: new SESv2Client({
        endpoint: ses,
        region: endpoints.region,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
      from: 'no-reply@lockstay.localhost',
    });
    const guestPageUrl = `${endpoints.api}/stay/integration-${Date.now()}`;
    const to = `guest-${Date.now()}@example.com`;
    const stay = stayOf({
      property: {
        timeZone: 'Europe/Lisbon',
        checkInTime: '15:00',
        checkOutTime: '11:00',
        codeBufferBeforeMinutes: 0,
        codeBufferAfterMinutes: 0,
      },
      booking: { arrivalDate: '2026-10-23', departureDate: '2026-10-27' },
    });
    const rendered = renderGuestAccessEmail({
      language: 'en',
      guestName: 'Ana Müller',
      property: {
        name: 'Casa Azul',
        address: { line1: 'Rua das Flores 12', city: 'Lisboa', postalCode: '1200-195', countryCode: 'PT' },
        timeZone: 'Europe/Lisbon',
      },
      ...stay,
      codes: [{ code: '482913', kind: 'pin' }],
      guestPageUrl,
    });

    // Act
    const { messageId } = await sender.send({
      ...rendered,
      to,
      idempotencyKey: 'booking-it:guest-access:v1',
    });

    // Assess: the twin lists it, and its MIME reads as the email we rendered
    const store = (await (await fetch(`${ses}/store`)).json()) as { emails: StoredEmail[] };
    const stored = store.emails.find((email) => email.messageId === messageId);
    expect(stored?.destination.to).toEqual([to]);

    const eml = (await (
      await fetch(`${ses}/get-emlContent?messageId=${encodeURIComponent(messageId)}`)
    ).json()) as {
      body: { data: number[] };
    };
    const mail = await readMime(Buffer.from(eml.body.data));

    expect(mail.subject).toBe('Your door code for Casa Azul (Fri, 23 Oct – Tue, 27 Oct 2026)');
    expect(mail.parsed.from?.text).toBe('no-reply@lockstay.localhost');
    expect(mail.parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.parsed.headers.get('x-lockstay-idempotency-key')).toBe('booking-it:guest-access:v1');
    expect(mail.parsed.headers.has('list-unsubscribe')).toBe(false);
    for (const part of [mail.text, mail.html]) {
      expect(part).toContain('Hello Ana Müller,');
      expect(part).toContain('482 913');
      expect(part).toContain('Fri, 23 Oct 2026, 15:00 (Europe/Lisbon time)');
      expect(part).toContain(guestPageUrl);
    }
    expect(mail.html).toContain(`href="${guestPageUrl}"`);
    expect(mail.text).not.toMatch(htmlTag);
  });
});
