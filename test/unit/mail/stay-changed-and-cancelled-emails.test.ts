import { describe, expect, it } from 'vitest';
import { renderStayCancelledEmail, renderStayChangedEmail } from '#shared/mail/templates/guest-emails.ts';
import { htmlTag, receive } from '../../support/mail-client.ts';
import { accessEmail, casaAzul, stayAcrossDstChange } from './fixtures.ts';

const oneDayEarlier = { checkInAt: '2026-10-22T14:00:00.000Z', checkOutAt: '2026-10-26T11:00:00.000Z' };

describe('the email when a stay changes', () => {
  it('shows the new times, and the old ones as what they were', async () => {
    const mail = await receive(
      renderStayChangedEmail({ ...accessEmail(), previous: oneDayEarlier, codeChanged: false }),
    );

    expect(mail.subject).toBe('Your stay at Casa Azul has changed (Fri, 23 Oct – Tue, 27 Oct 2026)');
    expect(mail.text).toMatch(/Check-in:\s+Fri, 23 Oct 2026, 15:00 \(Europe\/Lisbon time\)/);
    expect(mail.text).toMatch(/Previously:\s+Check-in: Thu, 22 Oct 2026, 15:00 \(Europe\/Lisbon time\)/);
    expect(mail.text).toContain('Check-out: Mon, 26 Oct 2026, 11:00 (Europe/Lisbon time)');
  });

  it('says the code stays the same when only the dates moved, and gives it again', async () => {
    const mail = await receive(
      renderStayChangedEmail({ ...accessEmail(), previous: oneDayEarlier, codeChanged: false }),
    );

    for (const part of [mail.text, mail.html]) {
      expect(part).toContain('Your door code stays the same and works at the new times.');
      expect(part).toContain('482 913');
    }
  });

  it('says a new code replaces the old one, which no longer works', async () => {
    const mail = await receive(
      renderStayChangedEmail({
        ...accessEmail({ codes: [{ code: '915204', kind: 'pin' }] }),
        previous: oneDayEarlier,
        codeChanged: true,
      }),
    );

    for (const part of [mail.text, mail.html]) {
      expect(part).toContain('Your door code has changed. The old code no longer works.');
      expect(part).toContain('Your new door code');
      expect(part).toContain('915 204');
    }
  });
});

describe('the email when a stay is cancelled', () => {
  const cancelled = () =>
    receive(
      renderStayCancelledEmail({
        language: 'en',
        guestName: 'Ana Müller',
        property: casaAzul,
        ...stayAcrossDstChange,
        host: { name: 'Rita Costa', email: 'rita@casa-azul.example' },
      }),
    );

  it('says the stay is cancelled, and for which dates', async () => {
    const mail = await cancelled();

    expect(mail.subject).toBe('Cancelled: your stay at Casa Azul (Fri, 23 Oct – Tue, 27 Oct 2026)');
    expect(mail.text).toContain(
      'Your booking at Casa Azul for Fri, 23 Oct – Tue, 27 Oct 2026 has been cancelled.',
    );
  });

  it('says the door code and the guest page link no longer work, in both parts', async () => {
    const mail = await cancelled();

    for (const part of [mail.text, mail.html]) {
      expect(part).toContain('Access removed');
      expect(part).toContain(
        'Your door code no longer works, and the link to your guest page has been switched off.',
      );
    }
  });

  it('carries no code and no link, and says who to contact', async () => {
    const mail = await cancelled();

    expect(mail.html).not.toMatch(/href=/);
    expect(mail.text).not.toMatch(/https?:\/\//);
    expect(mail.text).not.toMatch(/\d{3} \d{3}/);
    expect(mail.text).not.toMatch(htmlTag);
    expect(mail.text).toContain('Contact your host: Rita Costa, rita@casa-azul.example.');
  });
});
