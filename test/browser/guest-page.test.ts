/**
 * The guest page in a real browser: following a guest link shows the stay with its PIN in the property's time
 * zone, fits a phone, runs under its strict CSP, and a refused link shows the friendly text.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createGuestLinkStore } from '#shared/adapters/dynamo/guest-links.ts';
import { createDynamoTable } from '#shared/adapters/dynamo/table.ts';
import { issueGuestLink, newGuestLinkToken } from '#shared/guests/guest-link.ts';
import { demoOwner, hostApiClient, idTokenOf, storageOf } from '../support/hosts.ts';
import { launchChromium, phoneViewport, saveScreenshot } from './browser.ts';

const endpoints = inject('endpoints');
const unique = Date.now().toString(36);
const berlinDate = (offsetDays: number) =>
  new Date(Date.now() + offsetDays * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Berlin' });

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

async function openStay(fragment: string) {
  const context = await browser.newContext({
    viewport: phoneViewport,
    locale: 'en-GB',
    timezoneId: 'America/New_York',
  });
  const page = await context.newPage();
  // Generous: the local cloud shares the machine with the browser, and a busy machine is slow, not broken.
  page.setDefaultTimeout(20_000);
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.goto(`${endpoints.api}/stay/#${fragment}`);
  return { context, page, violations };
}

describe('the guest page', () => {
  it("shows the stay behind a guest link: property, window in the property's zone, the PIN", async () => {
    const credentials = await demoOwner(endpoints);
    const owner = hostApiClient(endpoints, await idTokenOf(endpoints, credentials));
    const property = await owner.request('POST', '/properties', {
      body: {
        name: `Browser loft ${unique}`,
        address: { line1: 'Seitenweg 3', city: 'Berlin', countryCode: 'DE' },
        timeZone: 'Europe/Berlin',
      },
    });
    expect(property.status).toBe(201);
    const lock = await owner.request('POST', '/locks', {
      body: { propertyId: property.body.id, name: 'Front door', connectivity: 'wifi' },
    });
    expect(lock.status).toBe(201);
    const created = await owner.request('POST', '/bookings', {
      body: {
        propertyId: property.body.id,
        guest: { name: 'Grace Hopper', email: `grace-browser-${unique}@example.com` },
        arrivalDate: berlinDate(1),
        departureDate: berlinDate(3),
      },
    });
    expect(created.status).toBe(201);
    const grant = await storageOf(endpoints).grants.get({
      tenantId: credentials.tenantId,
      grantId: created.body.grant.id,
    });
    if (!grant) throw new Error('The booking has no grant');
    const { token } = await issueGuestLink({
      store: createGuestLinkStore({
        table: createDynamoTable({ client: storageDocuments(), tableName: endpoints.tableName }),
      }),
      grant,
      now: new Date(),
    });

    const { context, page, violations } = await openStay(token);
    await page.getByRole('heading', { name: `Browser loft ${unique}` }).waitFor();

    expect(await page.locator('.status').textContent()).toBe('Upcoming');
    expect(await page.locator('.pin').first().textContent()).toBe(created.body.accessCodes[0].pin);
    expect(await page.getByRole('button', { name: 'Copy code' }).count()).toBe(1);
    // Check-in 15:00 in Berlin, shown as Berlin's clock although the browser is in New York.
    expect(await page.locator('time').first().textContent()).toContain('15:00');
    expect(await page.getByRole('button', { name: /Unlock/ }).count()).toBe(0);
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth),
    ).toBe(false);
    expect(violations).toEqual([]);
    await saveScreenshot(page, 'guest-page-upcoming');
    await context.close();
  });

  it('shows the friendly text for a link that opens nothing', async () => {
    const { context, page } = await openStay(newGuestLinkToken());

    await page.getByText('This link does not open a stay right now.').waitFor();
    await context.close();
  });
});

function storageDocuments() {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: endpoints.services.dynamodb,
      region: endpoints.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
}
