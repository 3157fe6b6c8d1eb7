/**
 * Sending one email. The port the mail-sending work depends on; the SES v2 adapter implements it, tests swap it.
 *
 * A message is transactional: one recipient, an HTML and a plain-text part, no list headers. What it is about
 * (`kind`) travels with it as a tag, so sends, bounces and complaints can be counted per kind.
 */

export const mailKinds = [
  'guest-access',
  'guest-stay-changed',
  'guest-stay-cancelled',
  'host-alert',
  'host-code-not-ready',
  'host-lock-offline',
  'host-firmware-outdated',
  'host-low-battery',
  'host-keypad-lockout',
  'host-emergency-access',
] as const;
export type MailKind = (typeof mailKinds)[number];

export interface OutgoingMail {
  /** One address; every message goes to one person. */
  readonly to: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  readonly kind: MailKind;
  /** Extra message headers, printable ASCII only (SES's rule). */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /**
   * The same for every attempt to send one message (e.g. `booking-b1:guest-access:v3`). The mail service does
   * not deduplicate on it: the caller records the send under this key and does not send twice; the key goes out
   * with the message so that a duplicate that slips through can still be recognised.
   */
  readonly idempotencyKey: string;
}

export interface SentMail {
  /** The mail service's id of the message, to match bounces and complaints later. */
  readonly messageId: string;
}

export interface MailSender {
  send(mail: OutgoingMail): Promise<SentMail>;
}
