/**
 * MailSender on SES v2: one SendEmail per message, with Simple content (SES builds the MIME message: a
 * multipart/alternative of the text and HTML parts, UTF-8), from the platform's verified sender. Messages are
 * transactional: no list-management options and no List-Unsubscribe header, `Auto-Submitted: auto-generated`
 * so that out-of-office replies stay away, and a `kind` tag so sends, bounces and complaints can be counted per
 * kind of message. Locally the same client talks to the SES twin; only the endpoint differs.
 */
import { type MessageHeader, type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { MailSender, OutgoingMail } from '#shared/mail/mail-sender.ts';

export interface SesMailSenderOptions {
  readonly client: SESv2Client;
  /** The verified sender, MAIL_FROM: `no-reply@mail.example.com` or `Lockstay <no-reply@mail.example.com>`. */
  readonly from: string;
  /**
   * Configuration set for event publishing (bounces, complaints, deliveries).
   * @default the identity's default configuration set, if any
   */
  readonly configurationSetName?: string | undefined;
}

/** Carries the idempotency key with the message, so that a duplicate can be recognised in the mailbox. */
export const idempotencyKeyHeader = 'X-Lockstay-Idempotency-Key';

// SES accepts header names of printable ASCII without a colon, values of printable ASCII up to 870 characters.
const headerName = /^[!-9;-~]{1,126}$/;
const headerValue = /^[ -~]{1,870}$/;
// Set by SES from the request, or would turn a transactional message into a list message.
const headersNotToSet =
  /^(from|to|cc|bcc|subject|reply-to|sender|return-path|date|message-id|mime-version|content-.*|list-.*|precedence)$/i;

function headersOf(mail: OutgoingMail): MessageHeader[] {
  const headers: Record<string, string> = {
    ...mail.headers,
    'Auto-Submitted': 'auto-generated',
    [idempotencyKeyHeader]: mail.idempotencyKey,
  };
  return Object.entries(headers).map(([name, value]) => {
    if (!headerName.test(name) || headersNotToSet.test(name)) {
      throw new Error(`The mail header ${JSON.stringify(name)} cannot be set by the sender`);
    }
    if (!headerValue.test(value)) {
      throw new Error(`The mail header ${name} must be printable ASCII, at most 870 characters`);
    }
    return { Name: name, Value: value };
  });
}

export function createSesMailSender(options: SesMailSenderOptions): MailSender {
  const { client, from, configurationSetName } = options;
  return {
    async send(mail) {
      const { MessageId } = await client.send(
        new SendEmailCommand({
          FromEmailAddress: from,
          Destination: { ToAddresses: [mail.to] },
          Content: {
            Simple: {
              Subject: { Data: mail.subject, Charset: 'UTF-8' },
              Body: {
                Html: { Data: mail.html, Charset: 'UTF-8' },
                Text: { Data: mail.text, Charset: 'UTF-8' },
              },
              Headers: headersOf(mail),
            },
          },
          EmailTags: [{ Name: 'kind', Value: mail.kind }],
          ...(configurationSetName === undefined ? {} : { ConfigurationSetName: configurationSetName }),
        }),
      );
      if (MessageId === undefined) throw new Error('SES accepted the message without giving its id');
      return { messageId: MessageId };
    },
  };
}
