/**
 * What each kind of webhook integration holds to authenticate its deliveries, and how a delivery proves it:
 *
 * - Lockstay's own webhook: a `whsec_` secret Lockstay issues; Standard Webhooks signatures.
 * - Hostaway: Hostaway does not sign its unified webhooks; the host sets a user name and password on the
 *   webhook in Hostaway, which it sends as HTTP Basic credentials. Lockstay issues them (random, shown once).
 * - Guesty: Guesty delivers its webhooks through Svix (`svix-id`, `svix-timestamp`, `svix-signature`: the
 *   Standard Webhooks scheme under another prefix), signed with a `whsec_` secret that its Open API hands out
 *   (`GET /v1/webhooks-v2/secret`, the "get webhook secret" operation of its webhooks v2); the host copies
 *   it from there into the integration.
 *
 * Every secret is kept sealed; Hostaway's credentials are sealed as `username:password`.
 */
import { randomBytes } from 'node:crypto';
import type { BasicCredentials } from './basic-auth.ts';
import type { WebhookHeaders } from './webhook-signature.ts';

/** New random Basic credentials for a Hostaway webhook: long enough that guessing them is hopeless. */
export function newBasicCredentials(): BasicCredentials {
  return {
    username: `lockstay-${randomBytes(6).toString('hex')}`,
    password: randomBytes(24).toString('base64url'),
  };
}

export const sealedFormOfCredentials = ({ username, password }: BasicCredentials) =>
  `${username}:${password}`;

export function credentialsOfSealedForm(opened: string): BasicCredentials {
  const colon = opened.indexOf(':');
  return { username: opened.slice(0, colon), password: opened.slice(colon + 1) };
}

const svixPrefix = 'svix-';

/**
 * Svix's headers read as the Standard Webhooks ones they are (same id, timestamp and signature format). A
 * sender white-labelled to the `webhook-` prefix is read as it comes.
 */
export function standardWebhookHeadersOf(headers: WebhookHeaders): WebhookHeaders {
  const mapped: Record<string, string | readonly string[] | undefined> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower.startsWith(svixPrefix)) mapped[`webhook-${lower.slice(svixPrefix.length)}`] = value;
  }
  return { ...headers, ...mapped };
}

/** A header's value by name in any case, the first one when repeated. */
export function headerValue(headers: WebhookHeaders, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return typeof value === 'string' ? value : value?.[0];
  }
  return undefined;
}
