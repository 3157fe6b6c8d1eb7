/**
 * A guest's link on the local cloud: a booking entered by the host issues none until the guest's email goes
 * (at once here, the stay being close); the emailed link, stored only as a hash, makes the public guest API show
 * the stay with the PIN, the page is served with its security headers, and cancelling the booking closes it.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { createGuestLinkStore, guestLinkKeys } from '#shared/adapters/dynamo/guest-links.ts';
import { createDynamoTable } from '#shared/adapters/dynamo/table.ts';
import { hashGuestLinkToken, newGuestLinkToken } from '#shared/guests/guest-link.ts';
import { guestLinkRefusal } from '#shared/guests/guest-stay.ts';
import { demoOwner, type HostApiClient, hostApiClient, idTokenOf } from '../../support/hosts.ts';
import { readMime } from '../../support/mail-client.ts';

const endpoints = inject('endpoints');
const unique = Date.now().toString(36);

const table = createDynamoTable({
  client: DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: endpoints.services.dynamodb,
      region: endpoints.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  ),
  tableName: endpoints.tableName,
});
const guestLinks = createGuestLinkStore({ table });
const ses = endpoints.services.ses;

interface StoredEmail {
  readonly messageId: string;
  readonly destination: { readonly to: readonly string[] };
}

/** The guest links in the emails the SES twin holds for `to`, oldest first, once there are `count` of them. */
async function emailedLinksTo(to: string, count: number): Promise<string[]> {
  const link = new RegExp(
    `${endpoints.api.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/stay/#([A-Za-z0-9_-]{43})`,
  );
  const deadline = Date.now() + 45_000;
  for (;;) {
    const store = (await (await fetch(`${ses}/store`)).json()) as { emails: StoredEmail[] };
    const tokens: string[] = [];
    for (const email of store.emails.filter((each) => each.destination.to.includes(to))) {
      const eml = (await (
        await fetch(`${ses}/get-emlContent?messageId=${encodeURIComponent(email.messageId)}`)
      ).json()) as { body: { data: number[] } };
      const token = link.exec((await readMime(Buffer.from(eml.body.data))).text)?.[1];
      if (token) tokens.push(token);
    }
    if (tokens.length >= count) return tokens;
    if (Date.now() > deadline) throw new Error(`${count} emails with a guest link did not reach ${to}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const berlinDate = (offsetDays: number) =>
  new Date(Date.now() + offsetDays * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Berlin' });

async function guestGet(token: string) {
  const response = await fetch(`${endpoints.api}/guest/stays/${token}`);
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe("a guest's link", () => {
  let owner: HostApiClient;
  let tenantId: string;
  let bookingId: string;
  let grantId: string;
  let pin: string;
  let token: string;
  let propertyId: string;
  const guestEmail = `grace-${unique}@example.com`;

  it('is issued when the guest is emailed, not when the host enters the booking, and stored only as a hash', async () => {
    const credentials = await demoOwner(endpoints);
    tenantId = credentials.tenantId;
    owner = hostApiClient(endpoints, await idTokenOf(endpoints, credentials));
    const property = await owner.request('POST', '/properties', {
      body: {
        name: `Guest loft ${unique}`,
        address: { line1: 'Gästeweg 7', city: 'Berlin', countryCode: 'DE' },
        timeZone: 'Europe/Berlin',
      },
    });
    propertyId = property.body.id;
    const lock = await owner.request('POST', '/locks', {
      body: { propertyId, name: 'Front door', connectivity: 'wifi' },
    });
    expect(lock.status).toBe(201);

    const created = await owner.request('POST', '/bookings', {
      body: {
        propertyId,
        guest: { name: 'Grace Hopper', email: guestEmail },
        arrivalDate: berlinDate(0),
        departureDate: berlinDate(2),
      },
    });

    expect(created.status).toBe(201);
    bookingId = created.body.booking.id;
    grantId = created.body.grant.id;
    pin = created.body.accessCodes[0].pin;
    expect(JSON.stringify(created.body)).not.toMatch(/token/i);

    [token = ''] = await emailedLinksTo(guestEmail, 1);

    const stored = await table.queryAll({
      tenantId,
      partition: guestLinkKeys.grant({ tenantId, grantId }),
      sort: { beginsWith: 'GUEST_LINK' },
    });
    // One link, the emailed one: entering the booking issued none of its own.
    expect(stored.map((item) => item.tokenHash)).toEqual([hashGuestLinkToken(token)]);
    expect(stored[0]?.gsi2pk).toBe(`LINK#${hashGuestLinkToken(token)}`);
    expect(JSON.stringify(stored)).not.toContain(token);
    expect((await guestLinks.findByTokenHash(hashGuestLinkToken(token)))?.bookingId).toBe(bookingId);
    // The email is sent by a scheduled task: its wait (up to 45 s) needs a longer timeout than the default.
  }, 90_000);

  it('shows the stay with the PIN to anyone holding the token, without signing in', async () => {
    const answer = await guestGet(token);

    expect(answer.status).toBe(200);
    expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
    const stay = JSON.parse(answer.text);
    expect(['upcoming', 'active']).toContain(stay.status);
    expect(stay.property).toMatchObject({ name: `Guest loft ${unique}`, timeZone: 'Europe/Berlin' });
    expect(stay.locks[0]).toMatchObject({ name: 'Front door', pin, codeKind: 'pin' });
  });

  it('is sent again when the host asks: a second email, audited, whose new link opens the stay too', async () => {
    const resent = await owner.request('POST', `/bookings/${bookingId}/guest-email`);

    expect(resent.status, JSON.stringify(resent.body)).toBe(200);
    expect(resent.body).toMatchObject({ bookingId, email: 'guest-access', to: guestEmail });
    const [first, second = ''] = await emailedLinksTo(guestEmail, 2);
    expect(first).toBe(token);
    expect(second).not.toBe(token);
    expect((await guestGet(second)).status).toBe(200);
    expect((await guestGet(token)).status).toBe(200);
    const detail = await owner.request('GET', `/bookings/${bookingId}`);
    const emailed = (detail.body.timeline?.events ?? []) as {
      action: string;
      actor: { kind: string };
      details: { reason?: string };
    }[];
    expect(emailed.find((event) => event.details?.reason === 'resent')).toMatchObject({
      action: 'booking.guest-emailed',
      actor: { kind: 'user' },
    });
  }, 90_000);

  it('answers an unknown token 404 with the friendly text', async () => {
    const answer = await guestGet(newGuestLinkToken());

    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.text).detail).toBe(guestLinkRefusal);
  });

  it('serves the page at /stay/ with a strict CSP and no referrer', async () => {
    const page = await fetch(`${endpoints.api}/stay/`);

    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await page.text()).toContain('guest.js');
  });

  it('answers 410 once the booking is cancelled', async () => {
    const cancelled = await owner.request('POST', `/bookings/${bookingId}/cancel`, { body: {} });
    expect(cancelled.status).toBe(200);

    const answer = await guestGet(token);

    expect(answer.status, answer.text).toBe(410);
    expect(JSON.parse(answer.text).detail).toBe(guestLinkRefusal);
    expect(answer.text).not.toContain(token);
  });

  it('is not sent again once the booking is cancelled (409)', async () => {
    const refused = await owner.request('POST', `/bookings/${bookingId}/guest-email`);

    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/cancelled/);
  });

  it('is not sent to a booking without a guest email address (409)', async () => {
    const created = await owner.request('POST', '/bookings', {
      body: {
        propertyId,
        guest: { name: 'No Address' },
        arrivalDate: berlinDate(3),
        departureDate: berlinDate(5),
      },
    });

    const refused = await owner.request('POST', `/bookings/${created.body.booking.id}/guest-email`);

    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/no guest email address/);
  });
});
