import { describe, expect, it } from 'vitest';
import { renderGuestAccessEmail } from '#shared/mail/templates/guest-emails.ts';
import { htmlTag, receive } from '../../support/mail-client.ts';
import { accessEmail, casaAzul, guestPageUrl, stayAcrossDstChange } from './fixtures.ts';

describe('the guest access email', () => {
  it("shows check-in and check-out on the property's clocks, naming the zone, across a change of summer time", async () => {
    // Prepare: 15:00 in Lisbon is 14:00 UTC before the change and 11:00 is 11:00 UTC after it
    expect(stayAcrossDstChange).toEqual({
      checkInAt: '2026-10-23T14:00:00.000Z',
      checkOutAt: '2026-10-27T11:00:00.000Z',
    });

    // Act
    const mail = await receive(renderGuestAccessEmail(accessEmail()));

    // Assess
    for (const part of [mail.text, mail.html]) {
      expect(part).toContain('Fri, 23 Oct 2026, 15:00 (Europe/Lisbon time)');
      expect(part).toContain('Tue, 27 Oct 2026, 11:00 (Europe/Lisbon time)');
    }
    expect(mail.subject).toBe('Your door code for Casa Azul (Fri, 23 Oct – Tue, 27 Oct 2026)');
  });

  it('names a zone with an underscore as people write it', async () => {
    const mail = await receive(
      renderGuestAccessEmail(
        accessEmail({
          property: { ...casaAzul, timeZone: 'America/New_York' },
          checkInAt: '2026-03-07T20:00:00.000Z',
          checkOutAt: '2026-03-10T15:00:00.000Z',
        }),
      ),
    );

    // 15:00 EST before the spring change, 11:00 EDT after it
    expect(mail.text).toContain('Sat, 7 Mar 2026, 15:00 (America/New York time)');
    expect(mail.text).toContain('Tue, 10 Mar 2026, 11:00 (America/New York time)');
  });

  it('gives the PIN in both parts, large in the HTML and read digit by digit to screen readers', async () => {
    const mail = await receive(renderGuestAccessEmail(accessEmail()));

    expect(mail.text).toContain('482 913');
    expect(mail.html).toContain('482 913');
    expect(mail.html).toMatch(/aria-label="4 8 2 9 1 3"[^>]*font-size:40px/);
    expect(mail.text).toContain('Your code works from check-in until check-out.');
  });

  it('never puts the PIN in the subject, which lock screens and inbox lists show', async () => {
    const mail = await receive(renderGuestAccessEmail(accessEmail()));

    expect(mail.subject).not.toMatch(/482\s?913/);
  });

  it('says which doors a code opens when it opens several', async () => {
    const mail = await receive(
      renderGuestAccessEmail(
        accessEmail({ codes: [{ code: '482913', kind: 'pin', lockNames: ['Front door', 'Flat door'] }] }),
      ),
    );

    expect(mail.text).toContain('Opens: Front door, Flat door');
    expect(mail.html).toContain('Opens: Front door, Flat door');
  });

  it('tells the guest when the code to use is an offline code, and by when to use it first', async () => {
    const mail = await receive(
      renderGuestAccessEmail(
        accessEmail({
          codes: [{ code: '70315528', kind: 'offline', firstUseBefore: '2026-10-24T14:00:00.000Z' }],
        }),
      ),
    );

    for (const part of [mail.text, mail.html]) {
      expect(part).toContain('7031 5528');
      expect(part).toContain('This is an offline code: the lock checks it by itself');
      expect(part).toContain('Use it for the first time before Sat, 24 Oct 2026, 15:00 (Europe/Lisbon time)');
    }
    expect(mail.text).not.toContain('Your code works from check-in until check-out.');
  });

  it('explains the keypad: enter the code, press the ✓ key, what a wrong try does and how long a lockout lasts', async () => {
    const mail = await receive(renderGuestAccessEmail(accessEmail()));

    for (const part of [mail.text, mail.html]) {
      expect(part).toContain('Enter your code.');
      expect(part).toContain('Press the ✓ key to confirm');
      expect(part).toContain('enter the whole code again from the start');
      expect(part).toContain('After 5 wrong tries in a row the keypad locks itself for 5 minutes');
    }
  });

  it("gives the property's address with the country named", async () => {
    const mail = await receive(renderGuestAccessEmail(accessEmail()));

    expect(mail.text).toMatch(/Address:\s+Rua das Flores 12\n\s+1200-195 Lisboa\n\s+Portugal\n/);
    expect(mail.html).toContain('Rua das Flores 12<br>1200-195 Lisboa<br>Portugal');
  });

  it('links to the guest page from a button and as a plain link', async () => {
    const mail = await receive(renderGuestAccessEmail(accessEmail({ remoteUnlock: true })));

    expect(mail.html.match(new RegExp(`href="${guestPageUrl}"`, 'g'))).toHaveLength(2);
    expect(mail.html).toContain('Open your guest page</a>');
    expect(mail.text).toContain(`Open your guest page:\n${guestPageUrl}\n`);
    expect(mail.text).toContain('During your stay it can also open the door from your phone.');
  });

  it('does not promise a remote unlock when no lock of the stay can be opened remotely', async () => {
    const mail = await receive(renderGuestAccessEmail(accessEmail({ remoteUnlock: false })));

    expect(mail.text).not.toContain('open the door from your phone');
  });

  it('refuses a guest page link that is not a web address', () => {
    expect(() => renderGuestAccessEmail(accessEmail({ guestPageUrl: 'javascript:alert(1)' }))).toThrow(
      'absolute http(s) URL',
    );
  });

  it('shows hostile names from a host or a channel as text, never as markup', async () => {
    // Prepare
    const hostileProperty = '<script>alert("owned")</script> & Sons';
    const hostileGuest = '<img src=x onerror=alert(1)>';

    // Act
    const mail = await receive(
      renderGuestAccessEmail(
        accessEmail({
          guestName: hostileGuest,
          property: { ...casaAzul, name: hostileProperty },
          host: { name: 'Rita "the host" <rita>', phone: '+351 912 345 678' },
        }),
      ),
    );

    // Assess
    expect(mail.html).not.toMatch(/<script|<img|<rita/i);
    expect(mail.html).toContain('&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt; &amp; Sons');
    expect(mail.html).toContain('Hello &lt;img src=x onerror=alert(1)&gt;,');
    expect(mail.text).toContain(`Your stay at ${hostileProperty}`);
    expect(mail.subject).toContain(hostileProperty);
  });

  it('keeps the subject on one line whatever the property name holds', async () => {
    const mail = renderGuestAccessEmail(
      accessEmail({ property: { ...casaAzul, name: 'Casa\r\nBcc: x@evil.example' } }),
    );

    expect(mail.subject).toBe('Your door code for Casa Bcc: x@evil.example (Fri, 23 Oct – Tue, 27 Oct 2026)');
  });

  it('has a plain-text part that reads on its own: no markup, no entities, a paragraph a line, the link whole', async () => {
    const mail = await receive(renderGuestAccessEmail(accessEmail()));

    expect(mail.text).not.toMatch(htmlTag);
    expect(mail.text).not.toMatch(/&[a-z]+;|&#\d+;/);
    expect(mail.text).toContain(
      '\n\nYour door code for Casa Azul is ready. Everything you need to let yourself in is below.\n\n',
    );
    expect(mail.text).toContain(`\n${guestPageUrl}\n`);
    expect(mail.text).toMatch(
      / {2}1\. Touch the keypad to wake it up: its keys light up\.\n {2}2\. Enter your code\.\n/,
    );
  });

  it('asks the guest to keep the email to themselves', async () => {
    const mail = await receive(renderGuestAccessEmail(accessEmail()));

    expect(mail.text).toContain('please do not forward this email');
  });

  it('is built for mail clients: a 600px column, tables, inline styles, dark mode declared, no images', () => {
    const { html } = renderGuestAccessEmail(accessEmail());

    expect(html).toContain('max-width:600px');
    expect(html).toContain('<meta name="color-scheme" content="light dark">');
    expect(html).toContain('@media (prefers-color-scheme: dark)');
    expect(html).toContain('<html lang="en-GB"');
    expect(html).not.toMatch(/<img\b/);
  });
});
