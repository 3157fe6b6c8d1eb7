/**
 * Reading an email the way a guest's mail client does: the message is composed as MIME the way SES composes
 * Simple content (multipart/alternative, text then HTML, UTF-8; nodemailer's composer, which the SES twin uses
 * too) and parsed back with mailparser. Tests then assert on what a reader would see, not on template internals.
 */
import { type ParsedMail, simpleParser } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { RenderedMail } from '#shared/mail/templates/layout.ts';

export interface ReceivedMail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly parsed: ParsedMail;
}

export async function readMime(raw: Buffer | string): Promise<ReceivedMail> {
  const parsed = await simpleParser(raw);
  return {
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : '',
    parsed,
  };
}

/** `mail` as it arrives in an inbox. */
export async function receive(mail: RenderedMail, to = 'guest@example.com'): Promise<ReceivedMail> {
  const raw = await new MailComposer({
    from: 'no-reply@lockstay.test',
    to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
  })
    .compile()
    .build();
  return readMime(raw);
}

/** Markup a plain-text reader would see as noise: anything that looks like an HTML tag. */
export const htmlTag = /<\/?[a-z][a-z0-9-]*(\s[^>]*)?\/?>/i;
