import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSesMailSender } from '#shared/adapters/ses-mail-sender.ts';
import type { OutgoingMail } from '#shared/mail/mail-sender.ts';

const ses = mockClient(SESv2Client);

const mail: OutgoingMail = {
  to: 'ana@example.com',
  subject: 'Your door code for Casa Azul',
  html: '<p>Grüße</p>',
  text: 'Grüße',
  kind: 'guest-access',
  idempotencyKey: 'booking-b1:guest-access:v1',
};

const sender = (options: { configurationSetName?: string } = {}) =>
  createSesMailSender({ client: new SESv2Client({}), from: 'no-reply@mail.lockstay.example', ...options });

describe('sending mail through SES v2', () => {
  beforeEach(() => ses.reset());

  it('sends simple content with UTF-8 text and HTML parts from the platform sender, tagged with its kind', async () => {
    // Prepare
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-message-1' });

    // Act
    const sent = await sender().send(mail);

    // Assess
    expect(sent).toEqual({ messageId: 'ses-message-1' });
    expect(ses).toReceiveCommandWith(SendEmailCommand, {
      FromEmailAddress: 'no-reply@mail.lockstay.example',
      Destination: { ToAddresses: ['ana@example.com'] },
      Content: {
        Simple: {
          Subject: { Data: 'Your door code for Casa Azul', Charset: 'UTF-8' },
          Body: {
            Html: { Data: '<p>Grüße</p>', Charset: 'UTF-8' },
            Text: { Data: 'Grüße', Charset: 'UTF-8' },
          },
          Headers: expect.arrayContaining([{ Name: 'Auto-Submitted', Value: 'auto-generated' }]),
        },
      },
      EmailTags: [{ Name: 'kind', Value: 'guest-access' }],
    });
  });

  it('sends a transactional message: no list management, no List-Unsubscribe', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-message-1' });

    await sender().send(mail);

    const [call] = ses.commandCalls(SendEmailCommand);
    const input = call?.args[0].input;
    expect(input?.ListManagementOptions).toBeUndefined();
    expect(input?.Content?.Simple?.Headers?.map((header) => header.Name)).not.toContain('List-Unsubscribe');
  });

  it('carries the idempotency key and extra headers with the message', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-message-1' });

    await sender().send({ ...mail, headers: { 'X-Entity-Ref-ID': 'grant-g1' } });

    expect(ses).toReceiveCommandWith(SendEmailCommand, {
      Content: {
        Simple: expect.objectContaining({
          Headers: expect.arrayContaining([
            { Name: 'X-Lockstay-Idempotency-Key', Value: 'booking-b1:guest-access:v1' },
            { Name: 'X-Entity-Ref-ID', Value: 'grant-g1' },
          ]),
        }),
      },
    });
  });

  it('uses the configuration set when one is given', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-message-1' });

    await sender({ configurationSetName: 'lockstay-events' }).send(mail);

    expect(ses).toReceiveCommandWith(SendEmailCommand, { ConfigurationSetName: 'lockstay-events' });
  });

  it('refuses headers SES would reject or that would make it a list message, before sending anything', async () => {
    const refused: Record<string, string>[] = [
      { 'List-Unsubscribe': '<mailto:x@example.com>' },
      { Subject: 'other' },
      { 'X-Note': 'Grüße' },
      { 'X-Bad:Name': 'x' },
    ];
    for (const headers of refused) {
      await expect(sender().send({ ...mail, headers })).rejects.toThrow(/mail header/);
    }
    expect(ses).not.toHaveReceivedCommand(SendEmailCommand);
  });

  it('passes on a refusal from SES', async () => {
    ses.on(SendEmailCommand).rejects(new Error('Email address is not verified.'));

    await expect(sender().send(mail)).rejects.toThrow('Email address is not verified.');
  });
});
