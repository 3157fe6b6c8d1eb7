/**
 * Verifies and signs webhooks the Standard Webhooks way (standardwebhooks.com): the sender signs
 * `<webhook-id>.<webhook-timestamp>.<raw body>` with HMAC-SHA256 under a `whsec_<base64>` secret and sends
 * `webhook-signature: v1,<base64 signature>` (several, space-separated, while it rotates its own keys).
 *
 * Written here rather than taken from the reference package `standardwebhooks` (used by the tests as an
 * oracle instead): the package reads `Date.now()` itself where we inject the clock, tells its failures apart
 * only by message text where a handler needs a typed reason, and decodes the body as UTF-8 text before
 * signing where the signature must cover the raw bytes. What is left is node:crypto and a few lines.
 *
 * An integration may hold several secrets at once: during a rotation the old and the new one both verify,
 * so deliveries already signed and queued by the sender with the old secret are not refused.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { InvalidInputError, NotAuthenticatedError } from '#shared/domain/errors.ts';
import type { IsoInstant } from '#shared/domain/local-time.ts';

/** How far a delivery's timestamp may be from our clock, either way, before it counts as a replay. */
export const webhookToleranceSeconds = 5 * 60;

const secretPrefix = 'whsec_';
/** The Standard Webhooks recommendation: between 24 and 64 bytes of key. */
const minSecretBytes = 24;
const maxSecretBytes = 64;
const maxWebhookIdLength = 256;
// More candidates than any sender rotates through would only be work for an attacker to make us do.
const maxSignatures = 16;

export const webhookHeaderNames = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const;
export type WebhookHeaderName = (typeof webhookHeaderNames)[number];

export type WebhookRejection =
  | 'missing-header'
  | 'malformed-header'
  | 'stale-timestamp'
  | 'future-timestamp'
  | 'bad-signature';

/**
 * A delivery that cannot be trusted. A 401 through the usual mapping: the message says which check failed
 * (useful to the sender's developer) but never anything about our secrets.
 */
export class WebhookSignatureError extends NotAuthenticatedError {
  readonly reason: WebhookRejection;
  readonly header?: WebhookHeaderName | undefined;
  constructor(reason: WebhookRejection, message: string, header?: WebhookHeaderName) {
    super(message);
    this.reason = reason;
    this.header = header;
  }
}

/** Header names in any case, values as HTTP frameworks give them (a repeated header may come as a list). */
export type WebhookHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

export type RawBody = string | Uint8Array;

export interface VerifiedWebhook {
  /** The sender's id of this message: the same id delivered again is the same message. */
  readonly webhookId: string;
  readonly sentAt: IsoInstant;
  /** Which of the integration's secrets matched; once the old one stops matching, a rotation can finish. */
  readonly secretIndex: number;
}

/**
 * Checks that `rawBody` was signed by the holder of one of `secrets` less than five minutes from `now`.
 * Throws WebhookSignatureError saying which check failed.
 */
export function verifyWebhook({
  secrets,
  headers,
  rawBody,
  now,
}: {
  /** `whsec_…` secrets, all currently valid (one, or two during a rotation). */
  secrets: readonly string[];
  headers: WebhookHeaders;
  rawBody: RawBody;
  now: Date;
}): VerifiedWebhook {
  const webhookId = requiredHeader(headers, 'webhook-id');
  const timestamp = requiredHeader(headers, 'webhook-timestamp');
  const signatureHeader = requiredHeader(headers, 'webhook-signature');
  if (webhookId.length > maxWebhookIdLength || /[\s\p{Cc}]/u.test(webhookId)) {
    throw new WebhookSignatureError(
      'malformed-header',
      `The webhook-id header must be at most ${maxWebhookIdLength} characters without spaces`,
      'webhook-id',
    );
  }
  const sentAtSeconds = parseTimestamp(timestamp);
  const skewSeconds = Math.floor(now.getTime() / 1000) - sentAtSeconds;
  if (skewSeconds > webhookToleranceSeconds) {
    throw new WebhookSignatureError(
      'stale-timestamp',
      'The webhook-timestamp is more than 5 minutes old: refused as a possible replay',
      'webhook-timestamp',
    );
  }
  if (-skewSeconds > webhookToleranceSeconds) {
    throw new WebhookSignatureError(
      'future-timestamp',
      'The webhook-timestamp is more than 5 minutes ahead of our clock',
      'webhook-timestamp',
    );
  }

  const candidates = signatureCandidates(signatureHeader);
  const keys = secrets.map((secret) => secretKey(secret));
  for (const [secretIndex, key] of keys.entries()) {
    const expected = hmac({ key, webhookId, timestamp, rawBody });
    // Every candidate is compared in constant time; stopping at the first match only reveals the answer.
    if (candidates.some((candidate) => timingSafeEqual(candidate, expected))) {
      return { webhookId, sentAt: new Date(sentAtSeconds * 1000).toISOString(), secretIndex };
    }
  }
  throw new WebhookSignatureError(
    'bad-signature',
    'No webhook-signature matches the body with this integration’s secret',
    'webhook-signature',
  );
}

/** The `v1,<base64>` signature of a message, as a sender puts it in `webhook-signature`. */
export function signWebhook({
  secret,
  webhookId,
  sentAt,
  rawBody,
}: {
  secret: string;
  webhookId: string;
  sentAt: Date;
  rawBody: RawBody;
}): string {
  const timestamp = String(Math.floor(sentAt.getTime() / 1000));
  return `v1,${hmac({ key: secretKey(secret), webhookId, timestamp, rawBody }).toString('base64')}`;
}

/** The three headers of a signed delivery, for tests and for the documentation's examples. */
export function signedWebhookHeaders(options: {
  secret: string;
  webhookId: string;
  sentAt: Date;
  rawBody: RawBody;
}): Record<WebhookHeaderName, string> {
  return {
    'webhook-id': options.webhookId,
    'webhook-timestamp': String(Math.floor(options.sentAt.getTime() / 1000)),
    'webhook-signature': signWebhook(options),
  };
}

/** A new random secret in the `whsec_` format, shown to the host once. */
export function newWebhookSecret(): string {
  return `${secretPrefix}${randomBytes(32).toString('base64')}`;
}

/** Throws InvalidInputError unless `secret` is a usable `whsec_<base64>` secret (for secrets a host brings). */
export function assertWebhookSecret(secret: string, field = 'secret'): void {
  secretKey(secret, field);
}

function secretKey(secret: string, field = 'secret'): Buffer {
  const encoded = secret.startsWith(secretPrefix) ? secret.slice(secretPrefix.length) : undefined;
  const key =
    encoded !== undefined && /^[A-Za-z0-9+/]+={0,2}$/.test(encoded)
      ? Buffer.from(encoded, 'base64')
      : undefined;
  if (key === undefined || key.length < minSecretBytes || key.length > maxSecretBytes) {
    throw new InvalidInputError('The webhook secret is not valid', [
      {
        field,
        message: `Must be whsec_ followed by ${minSecretBytes} to ${maxSecretBytes} bytes in base64`,
      },
    ]);
  }
  return key;
}

function hmac({
  key,
  webhookId,
  timestamp,
  rawBody,
}: {
  key: Buffer;
  webhookId: string;
  timestamp: string;
  rawBody: RawBody;
}): Buffer {
  return createHmac('sha256', key).update(`${webhookId}.${timestamp}.`).update(rawBody).digest();
}

function requiredHeader(headers: WebhookHeaders, name: WebhookHeaderName): string {
  let value: string | readonly string[] | undefined;
  for (const [key, candidate] of Object.entries(headers)) {
    if (key.toLowerCase() === name) value = candidate;
  }
  const text = typeof value === 'string' ? value : value?.join(' ');
  if (text === undefined || text.trim() === '') {
    throw new WebhookSignatureError('missing-header', `The ${name} header is missing`, name);
  }
  return text.trim();
}

function parseTimestamp(timestamp: string): number {
  // Seconds since the epoch; ten or so digits today, and never a fraction or a date string.
  if (!/^\d{1,12}$/.test(timestamp)) {
    throw new WebhookSignatureError(
      'malformed-header',
      'The webhook-timestamp header must be whole seconds since the Unix epoch',
      'webhook-timestamp',
    );
  }
  return Number(timestamp);
}

function signatureCandidates(header: string): Buffer[] {
  const entries = header.split(' ').filter((entry) => entry !== '');
  if (entries.length > maxSignatures) {
    throw new WebhookSignatureError(
      'malformed-header',
      `The webhook-signature header may list at most ${maxSignatures} signatures`,
      'webhook-signature',
    );
  }
  const candidates: Buffer[] = [];
  for (const entry of entries) {
    const separator = entry.indexOf(',');
    // Other schemes (v1a for asymmetric keys) are not ours to check; they simply do not match.
    if (separator < 0 || entry.slice(0, separator) !== 'v1') continue;
    const signature = Buffer.from(entry.slice(separator + 1), 'base64');
    if (signature.length === 32) candidates.push(signature);
  }
  return candidates;
}
