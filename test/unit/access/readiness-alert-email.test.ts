import { describe, expect, it } from 'vitest';
import { createEmailHostNotifier } from '#shared/adapters/email-host-notifier.ts';
import type { MailSender, OutgoingMail } from '#shared/mail/mail-sender.ts';

const owner = { userId: 'usr_1', email: 'maria@casa.example', name: 'Maria' };
const properties = { get: async () => ({ name: 'Casa Azul', timeZone: 'Europe/Lisbon' }) as never };

function recordingMail() {
  const sent: OutgoingMail[] = [];
  const mail: MailSender = {
    async send(message) {
      sent.push(message);
      return { messageId: `m-${sent.length}` };
    },
  };
  return { mail, sent };
}

const notice = (fallbackIssued: boolean) =>
  ({
    kind: 'code-not-ready',
    grantId: 'gnt_1',
    propertyId: 'prp_1',
    guestName: 'Ana Müller',
    checkInAt: '2026-11-27T15:00:00.000Z',
    locks: [{ lockId: 'lck_1', lockName: 'Front door', problem: 'lock-offline', fallbackIssued }],
  }) as const;

describe('the readiness alert by email', () => {
  it('tells the owner which lock is not ready and why, on the property clock, and that the guest has an offline code', async () => {
    const { mail, sent } = recordingMail();
    const notifier = createEmailHostNotifier({ mail, properties, log: { warn: () => {} } });

    await notifier.notify({ tenantId: 'tnt_a', recipients: [owner], notice: notice(true) });

    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      to: 'maria@casa.example',
      kind: 'host-code-not-ready',
      subject: 'Door code not ready for Ana Müller',
    });
    expect(sent[0]?.text).toContain('Front door');
    expect(sent[0]?.text).toContain('the lock is offline');
    expect(sent[0]?.text).toContain('Fri, 27 Nov 2026, 15:00');
    expect(sent[0]?.text).toContain('An offline code has been issued and sent to the guest');
    expect(sent[0]?.idempotencyKey).toContain('gnt_1:code-not-ready');
  });

  it('without a fallback, asks the host to give the guest another way in', async () => {
    const { mail, sent } = recordingMail();
    const notifier = createEmailHostNotifier({ mail, properties, log: { warn: () => {} } });

    await notifier.notify({ tenantId: 'tnt_a', recipients: [owner], notice: notice(false) });

    expect(sent[0]?.text).toContain('give the guest another way in');
    expect(sent[0]?.text).not.toContain('An offline code has been issued');
  });
});
