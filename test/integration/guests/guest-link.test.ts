/**
 * A guest's link on the local cloud: a booking entered by the host issues it, the public guest API shows the
 * stay with the PIN, the page is served with its security headers, and cancelling the booking closes the link.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { createGuestLinkStore, guestLinkKeys } from '#shared/adapters/dynamo/guest-links.ts';
import { createDynamoTable } from '#shared/adapters/dynamo/table.ts';
import { issueGuestLink, newGuestLinkToken } from '#shared/guests/guest-link.ts';
import { guestLinkRefusal } from '#shared/guests/guest-stay.ts';
import { demoOwner, type HostApiClient, hostApiClient, idTokenOf, storageOf } from '../../support/hosts.ts';

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

  it('is issued when the host enters a booking, and stored only as a hash', async () => {
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
    const lock = await owner.request('POST', '/locks', {
      body: { propertyId: property.body.id, name: 'Front door', connectivity: 'wifi' },
    });
    expect(lock.status).toBe(201);

    const created = await owner.request('POST', '/bookings', {
      body: {
        propertyId: property.body.id,
        guest: { name: 'Grace Hopper', email: `grace-${unique}@example.com` },
        arrivalDate: berlinDate(0),
        departureDate: berlinDate(2),
      },
    });

    expect(created.status).toBe(201);
    bookingId = created.body.booking.id;
    grantId = created.body.grant.id;
    pin = created.body.accessCodes[0].pin;
    expect(JSON.stringify(created.body)).not.toMatch(/token/i);
    const stored = await table.queryFirst({
      tenantId,
      partition: guestLinkKeys.grant({ tenantId, grantId }),
      sort: { beginsWith: 'GUEST_LINK' },
    });
    expect(stored?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored?.gsi2pk).toBe(`LINK#${stored?.tokenHash}`);
  });

  it('shows the stay with the PIN to anyone holding the token, without signing in', async () => {
    const grant = await storageOf(endpoints).grants.get({ tenantId, grantId });
    if (!grant) throw new Error('The booking has no grant');
    // The token goes only into the guest's email; the test issues one of its own beside it.
    ({ token } = await issueGuestLink({ store: guestLinks, grant, now: new Date() }));

    const answer = await guestGet(token);

    expect(answer.status).toBe(200);
    expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
    const stay = JSON.parse(answer.text);
    expect(['upcoming', 'active']).toContain(stay.status);
    expect(stay.property).toMatchObject({ name: `Guest loft ${unique}`, timeZone: 'Europe/Berlin' });
    expect(stay.locks[0]).toMatchObject({ name: 'Front door', pin, codeKind: 'pin' });
  });

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
});
