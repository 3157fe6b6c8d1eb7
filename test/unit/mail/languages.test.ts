import { describe, expect, it } from 'vitest';
import { catalogues, messagesFor } from '#shared/mail/templates/catalogue.ts';
import { renderGuestAccessEmail, renderStayCancelledEmail } from '#shared/mail/templates/guest-emails.ts';
import { receive } from '../../support/mail-client.ts';
import { accessEmail, casaAzul, stayAcrossDstChange } from './fixtures.ts';

describe("emails in the guest's language", () => {
  it('writes to a German-speaking guest in German, with German dates', async () => {
    const mail = await receive(renderGuestAccessEmail(accessEmail({ language: 'de' })));

    expect(mail.subject).toBe('Ihr Türcode für Casa Azul (Fr., 23. – Di., 27. Okt. 2026)');
    expect(mail.text).toContain('Hallo Ana Müller,');
    expect(mail.text).toMatch(/Check-in:\s+Fr\., 23\. Okt\. 2026, 15:00 \(Ortszeit Europe\/Lisbon\)/);
    expect(mail.text).toContain('Bestätigen Sie mit der ✓-Taste');
    expect(mail.html).toContain('<html lang="de-DE"');
  });

  it("uses a regional tag for the dates when the catalogue is in that region's language", async () => {
    const american = await receive(renderGuestAccessEmail(accessEmail({ language: 'en-US' })));
    const austrian = await receive(renderGuestAccessEmail(accessEmail({ language: 'de-AT' })));

    expect(american.text).toContain('Fri, Oct 23, 2026, 3:00 PM (Europe/Lisbon time)');
    expect(austrian.text).toContain('Ihr Türcode');
    expect(austrian.html).toContain('<html lang="de-AT"');
  });

  it('falls back to English, with English dates, for a language without a catalogue', async () => {
    const mail = await receive(renderGuestAccessEmail(accessEmail({ language: 'pt-BR' })));

    expect(mail.subject).toBe('Your door code for Casa Azul (Fri, 23 Oct – Tue, 27 Oct 2026)');
    expect(mail.text).toContain('Fri, 23 Oct 2026, 15:00 (Europe/Lisbon time)');
    expect(mail.html).toContain('<html lang="en-GB"');
  });

  it('falls back to English when the booking names no language, or something that is not one', async () => {
    const cancelled = (language: string | undefined) =>
      renderStayCancelledEmail({ language, guestName: 'Ana', property: casaAzul, ...stayAcrossDstChange });

    expect(cancelled(undefined).subject).toMatch(/^Cancelled: /);
    expect(cancelled('not a language!').subject).toMatch(/^Cancelled: /);
    expect(cancelled('DE').subject).toMatch(/^Storniert: /);
  });

  it('has every catalogue say everything English says', () => {
    const shape = (value: unknown): unknown =>
      typeof value === 'object' && value !== null
        ? Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, shape(inner)]))
        : Array.isArray(value)
          ? value.length
          : typeof value;

    for (const [language, messages] of Object.entries(catalogues)) {
      expect(shape(messages), language).toEqual(shape(catalogues.en));
    }
    expect(messagesFor('fr').language).toBe('en');
  });
});
