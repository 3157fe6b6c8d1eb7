/**
 * The Integrations page in a real browser against the local cloud, signed in as the demo owner: a webhook's
 * signing secret is shown once (copyable, gone after a reload) and verifies deliveries; a rotation says until
 * when the previous secret still verifies; an iCal feed added for a property shows its health, last import and,
 * when it breaks, the parser's reason.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type HostApiClient, hostApiClient } from '../support/hosts.ts';
import { demoOwnerToken } from '../support/local-cloud.ts';
import { launchChromium, openConsole, phoneViewport, saveScreenshot } from './browser.ts';
import { signInAsDemoHost } from './signing-in.ts';

const endpoints = inject('endpoints');
const consoleUrl = inject('consoleUrl');
const demo =
  endpoints.demo ??
  (() => {
    throw new Error('The local cloud was started without the demo tenant');
  })();
const unique = () => crypto.randomUUID().slice(0, 8);

async function openIntegrations(page: Page): Promise<void> {
  await signInAsDemoHost(page);
  await page
    .getByRole('navigation', { name: 'Sections' })
    .getByRole('link', { name: 'Integrations' })
    .click();
  await page.getByRole('heading', { name: 'Integrations', level: 1 }).waitFor();
  await page.getByRole('heading', { name: 'Your integrations' }).waitFor();
  // The list is read as the page opens: wait for it before adding to it.
  await page.getByText('Loading integrations…').waitFor({ state: 'detached' });
}

const card = (page: Page, name: string) =>
  page.getByTestId('integration').filter({ has: page.getByRole('heading', { name, exact: true }) });

/** A delivery signed the Standard Webhooks way with `secret`; its body is not an event, so 400 means "verified". */
async function deliverSigned(webhookUrl: string, secret: string): Promise<number> {
  const id = `msg_${unique()}`;
  const timestamp = new Date();
  const body = JSON.stringify({ note: 'not an event' });
  const signature = new Webhook(secret).sign(id, timestamp, body);
  const response = await fetch(webhookUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
      'webhook-signature': signature,
    },
    body,
  });
  return response.status;
}

/** Each test drives a whole sign-in and waits on the local cloud; generous, since the machine may be busy. */
const slowCloud = 180_000;

let browser: Browser;
let owner: HostApiClient;
beforeAll(async () => {
  browser = await launchChromium();
  owner = hostApiClient(endpoints, await demoOwnerToken(endpoints));
});
afterAll(async () => {
  await browser?.close();
});

describe('a webhook integration', { timeout: slowCloud }, () => {
  it('shows its signing secret once, copies it, forgets it on reload, and tells until when a rotated one still verifies', async () => {
    const { context, page } = await openConsole(browser, { url: consoleUrl });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: new URL(consoleUrl).origin,
    });
    await openIntegrations(page);
    const name = `Channel manager ${unique()}`;

    // A name is required: the API's field error appears beside the field, and the source chosen stays.
    await page.getByRole('button', { name: 'Add webhook' }).click();
    const webhookForm = page.getByRole('region', { name: 'Add a webhook' });
    const nameField = webhookForm.getByLabel('Name');
    await webhookForm.locator('.field-error').waitFor();
    expect(await nameField.getAttribute('aria-invalid')).toBe('true');

    await nameField.fill(name);
    await page.getByRole('button', { name: 'Add webhook' }).click();
    const reveal = page.getByTestId('issued-secret');
    await reveal.waitFor();
    expect(await reveal.textContent()).toContain('Shown once: copy it now.');
    const secret = (await page.getByTestId('secret-value').textContent()) ?? '';
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{20,}$/);
    await saveScreenshot(page, 'integrations-secret-desktop');

    await page.getByRole('button', { name: 'Copy signing secret' }).click();
    await page.getByRole('button', { name: 'Copied', exact: true }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

    // The API lists it without any secret; the secret shown verifies a delivery, another one does not.
    const listed = await owner.request('GET', '/integrations');
    const created = (listed.body.items as { id: string; name: string; webhookPath?: string }[]).find(
      (integration) => integration.name === name,
    );
    expect(created?.webhookPath).toBe(`/webhooks/${created?.id}`);
    expect(JSON.stringify(listed.body)).not.toContain(secret.slice(6));
    const webhookUrl = `${endpoints.api}${created?.webhookPath}`;
    expect(await card(page, name).getByTestId('webhook-url').textContent()).toBe(webhookUrl);
    expect(await deliverSigned(webhookUrl, secret)).toBe(400);
    expect(await deliverSigned(webhookUrl, `whsec_${btoa('another secret of 24 bytes!!')}`)).toBe(401);

    // Gone after a reload: the page kept it in memory only.
    await page.reload();
    await card(page, name).waitFor();
    expect(await page.getByTestId('issued-secret').count()).toBe(0);
    expect(await page.content()).not.toContain(secret);

    // Rotating shows the new secret once and says until when the previous one verifies; both verify meanwhile.
    await card(page, name).getByRole('button', { name: 'Rotate secret' }).click();
    await reveal.waitFor();
    const rotated = (await page.getByTestId('secret-value').textContent()) ?? '';
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    const overlap = (await page.getByTestId('rotation-overlap').textContent()) ?? '';
    expect(overlap).toMatch(/keeps working until .*2\d{3}.*Both verify until that time/);
    const read = await owner.request('GET', `/integrations/${created?.id}`);
    const until = Date.parse(read.body.secretRotation.previousSecretValidUntil);
    expect(until - Date.now()).toBeGreaterThan(23 * 3600_000);
    expect(overlap).toContain(String(new Date(until).getUTCFullYear()));
    expect(await card(page, name).getByTestId('previous-secret').textContent()).toContain(
      'Still verifies until',
    );
    expect(await deliverSigned(webhookUrl, secret)).toBe(400);
    expect(await deliverSigned(webhookUrl, rotated)).toBe(400);

    await page.getByRole('button', { name: 'I have copied the signing secret' }).click();
    expect(await page.getByTestId('issued-secret').count()).toBe(0);
    await context.close();
  });
});

describe('a channel manager', { timeout: slowCloud }, () => {
  it('shows Hostaway’s Basic credentials once, and maps a Hostaway listing to a property', async () => {
    const { context, page } = await openConsole(browser, { url: consoleUrl });
    await openIntegrations(page);
    const name = `Hostaway ${unique()}`;
    const form = page.getByRole('region', { name: 'Add a webhook' });
    await form.getByLabel('Source').selectOption('hostaway');
    await form.getByLabel('Name').fill(name);
    await form.getByRole('button', { name: 'Add webhook' }).click();

    const reveal = page.getByTestId('issued-secret');
    await reveal.waitFor();
    expect(await reveal.textContent()).toContain('Shown once: copy it now.');
    const username = (await page.getByTestId('credentials-username').textContent()) ?? '';
    const password = (await page.getByTestId('secret-value').textContent()) ?? '';
    expect(username.length).toBeGreaterThan(0);
    expect(password.length).toBeGreaterThanOrEqual(16);
    await page.getByRole('button', { name: 'I have copied the credentials' }).click();
    expect(await page.getByTestId('issued-secret').count()).toBe(0);

    const hostaway = card(page, name);
    await hostaway.getByText('Listings (none mapped yet)').click();
    await hostaway.getByRole('button', { name: 'Map listings' }).click();
    const listing = `${Math.floor(Math.random() * 1e8)}`;
    await hostaway.getByLabel('Listing id 1').fill(listing);
    await hostaway.getByLabel('Property of listing 1').selectOption(demo.propertyId);
    await hostaway.getByRole('button', { name: 'Save listings' }).click();
    await hostaway.getByTestId('listings').getByText(listing).waitFor();

    const listed = await owner.request('GET', '/integrations');
    const stored = (
      listed.body.items as { name: string; kind: string; listings: Record<string, string> }[]
    ).find((integration) => integration.name === name);
    expect(stored?.kind).toBe('hostaway');
    expect(stored?.listings).toEqual({ [listing]: demo.propertyId });
    expect(JSON.stringify(listed.body)).not.toContain(password);

    await hostaway.getByText('Failed deliveries').click();
    await hostaway.getByText('None: every delivery was processed.').waitFor();
    await saveScreenshot(page, 'integrations-hostaway-desktop');
    await context.close();
  });
});

describe('an iCal feed', { timeout: slowCloud }, () => {
  let server: Server;
  let feedUrl: string;
  let feedBody = '';
  beforeAll(async () => {
    server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/calendar; charset=utf-8' });
      response.end(feedBody);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    feedUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/listing.ics`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('is added for a property, synced now with its health and last import, and says why when it fails', async () => {
    const propertyName = `Harbour loft ${unique()}`;
    const property = await owner.request('POST', '/properties', {
      body: {
        name: propertyName,
        address: { line1: 'Rua das Flores 8', city: 'Porto', countryCode: 'PT' },
        timeZone: 'Europe/Lisbon',
      },
    });
    expect(property.status).toBe(201);
    const uid = `feed-${unique()}@airbnb.com`;
    feedBody = [
      'BEGIN:VCALENDAR',
      'PRODID:-//Airbnb Inc//Hosting Calendar 1.0//EN',
      'VERSION:2.0',
      'BEGIN:VEVENT',
      'DTEND;VALUE=DATE:20270912',
      'DTSTART;VALUE=DATE:20270909',
      `UID:${uid}`,
      'SUMMARY:Reserved',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');

    const { context, page } = await openConsole(browser, { url: consoleUrl, viewport: phoneViewport });
    await openIntegrations(page);
    const name = `Airbnb ${unique()}`;
    const form = page.getByRole('region', { name: 'Add an iCal feed' });
    await form.getByLabel('Feed name').fill(name);
    await form.getByLabel('Property').selectOption({ label: propertyName });
    await form.getByLabel('Feed address').fill(feedUrl);
    await form.getByLabel('Channel').selectOption('airbnb');
    await form.getByRole('button', { name: 'Add feed' }).click();
    await form.getByText(`${name} was added`).waitFor();

    const feed = card(page, name);
    await feed.getByRole('button', { name: 'Sync now' }).click();
    await feed.getByText('Read just now: healthy').waitFor({ timeout: 30_000 });
    expect(await feed.getByTestId('integration-status').textContent()).toBe('Healthy');
    expect(await feed.getByTestId('last-import').textContent()).toMatch(/2\d{3}.*, 1 reservation$/);
    expect(await feed.textContent()).toContain('(Europe/Lisbon)');
    await saveScreenshot(page, 'integrations-feed-phone');

    const listed = await owner.request('GET', '/integrations');
    const stored = (
      listed.body.items as { id: string; name: string; feed?: { health?: { status: string } } }[]
    ).find((integration) => integration.name === name);
    expect(stored?.feed?.health?.status).toBe('healthy');
    const bookings = await owner.request('GET', '/bookings', {
      query: { propertyId: property.body.id, limit: '100' },
    });
    expect(bookings.body.items).toHaveLength(1);

    // A feed that stops being a calendar fails, cancels nothing, and the page shows the parser's reason.
    feedBody = '<html>Sign in to continue</html>';
    await feed.getByRole('button', { name: 'Sync now' }).click();
    // The first sync's notice says "Read just now" too: wait for this one's.
    await feed.getByText('Read just now: failing').waitFor({ timeout: 30_000 });
    await feed.getByRole('alert').waitFor();
    const read = await owner.request('GET', `/integrations/${stored?.id}`);
    expect(read.body.feed.health.status).toBe('failed');
    expect(await feed.getByTestId('integration-status').textContent()).toBe('Failing');
    expect(await feed.getByRole('alert').textContent()).toContain(read.body.feed.health.reason);
    const after = await owner.request('GET', '/bookings', {
      query: { propertyId: property.body.id, limit: '100' },
    });
    expect(after.body.items.map((booking: { status: string }) => booking.status)).toEqual(['confirmed']);
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth),
    ).toBe(false);
    await saveScreenshot(page, 'integrations-feed-failing-phone');
    await context.close();
  });
});
