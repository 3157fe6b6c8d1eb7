import { describe, expect, it } from 'vitest';
import { createEmailHostNotifier } from '#shared/adapters/email-host-notifier.ts';
import type { MailSender, OutgoingMail } from '#shared/mail/mail-sender.ts';

const owners = [
  { userId: 'usr_1', email: 'maria@casa.example', name: 'Maria' },
  { userId: 'usr_2', email: 'joao@casa.example', name: 'João' },
];

function recordingMail({ refuse = [] as string[] } = {}) {
  const sent: OutgoingMail[] = [];
  const mail: MailSender = {
    async send(message) {
      if (refuse.includes(message.to)) throw Object.assign(new Error('refused'), { name: 'MessageRejected' });
      sent.push(message);
      return { messageId: `m-${sent.length}` };
    },
  };
  return { mail, sent };
}

const properties = {
  get: async () => ({ name: 'Casa Azul', timeZone: 'Europe/Lisbon' }) as never,
};
const warnings: string[] = [];
const log = { warn: (message: string) => void warnings.push(message) };

describe('telling hosts by email', () => {
  it('sends each owner the emergency access alert with the contact and the window', async () => {
    const { mail, sent } = recordingMail();
    const notifier = createEmailHostNotifier({ mail, properties, log });

    await notifier.notify({
      tenantId: 'tnt_a',
      recipients: owners,
      notice: {
        kind: 'emergency-access-issued',
        grantId: 'grt_1',
        propertyId: 'prp_1',
        propertyName: 'Casa Azul',
        timeZone: 'Europe/Lisbon',
        contactName: 'Neighbour Rita',
        reason: 'Water leak',
        issuedBy: { kind: 'user', userId: 'usr_1', role: 'owner' },
        startsAt: '2026-11-26T10:00:00.000Z',
        endsAt: '2026-11-26T14:00:00.000Z',
      },
    });

    expect(sent.map((message) => message.to)).toEqual(['maria@casa.example', 'joao@casa.example']);
    expect(sent[0]?.kind).toBe('host-emergency-access');
    expect(sent[0]?.text).toContain('Neighbour Rita');
    expect(new Set(sent.map((message) => message.idempotencyKey)).size).toBe(2);
  });

  it('names the lock and its battery level in a low-battery alert, on the property clock', async () => {
    const { mail, sent } = recordingMail();
    const notifier = createEmailHostNotifier({ mail, properties, log });

    await notifier.notify({
      tenantId: 'tnt_a',
      recipients: [owners[0] as (typeof owners)[number]],
      notice: {
        kind: 'lock-alert',
        alert: 'low-battery',
        lockId: 'lck_1',
        lockName: 'Front door',
        propertyId: 'prp_1',
        details: { percent: 12 },
      },
    });

    expect(sent[0]?.kind).toBe('host-low-battery');
    expect(sent[0]?.text).toContain('Front door');
    expect(sent[0]?.text).toContain('12');
  });

  it('still tells the others when one address is refused, and logs the refusal', async () => {
    const { mail, sent } = recordingMail({ refuse: ['maria@casa.example'] });
    const notifier = createEmailHostNotifier({ mail, properties, log });

    await notifier.notify({
      tenantId: 'tnt_a',
      recipients: owners,
      notice: {
        kind: 'lock-alert',
        alert: 'lock-full',
        lockId: 'lck_1',
        lockName: 'Front door',
        propertyId: 'prp_1',
        details: { codes: 3, capacity: 20 },
      },
    });

    expect(sent.map((message) => message.to)).toEqual(['joao@casa.example']);
    expect(warnings).toContain('A host notice could not be emailed');
  });
});
