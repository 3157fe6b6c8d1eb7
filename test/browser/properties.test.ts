/**
 * Properties and locks in a real browser, signed in as the demo host with password and TOTP: the demo
 * property's locks with their condition; "Unlock" on the Wi-Fi lock follows the command to `succeeded` while the
 * reference firmware reports opening on that very command; the Bluetooth lock's unlock says plainly that it
 * cannot be opened remotely; a property added and changed through its form (the API's field errors beside the
 * fields, nothing typed lost); a lock registered with its installer bundle shown once, then its keys rotated; the
 * owner mapping a booking source's listing to a property, and told beside the field when it is another's.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { createMember, demoOwner, type HostApiClient, hostApiClient, idTokenOf } from '../support/hosts.ts';
import { desktopViewport, launchChromium, openConsole, phoneViewport, saveScreenshot } from './browser.ts';
import { signInAs, signInAsDemoHost } from './signing-in.ts';

const endpoints = inject('endpoints');
const consoleUrl = inject('consoleUrl');
const demo =
  endpoints.demo ??
  (() => {
    throw new Error('The local cloud was started without the demo tenant');
  })();
const demoLock = (connectivity: string) => {
  const lock = endpoints.demoLocks?.find((candidate) => candidate.connectivity === connectivity);
  if (!lock) throw new Error(`No ${connectivity} demo lock`);
  return lock;
};

async function openDemoPropertyLocks(page: Page): Promise<string> {
  await page.getByRole('link', { name: 'Properties & locks' }).click();
  await page.getByRole('heading', { name: 'Properties & locks', level: 1 }).waitFor();
  const property = await api.request('GET', `/properties/${demo.propertyId}`);
  const name = property.body.name as string;
  await page.getByRole('button', { name: `Show locks of ${name}` }).click();
  await page.getByRole('heading', { name: `Locks of ${name}` }).waitFor();
  return name;
}

const lockCard = (page: Page, lockId: string) =>
  page.locator(`[data-testid="lock"][data-lock-id="${lockId}"]`);

const scrollsSideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);

let browser: Browser;
let api: HostApiClient;

beforeAll(async () => {
  browser = await launchChromium();
  api = hostApiClient(endpoints, await idTokenOf(endpoints, await demoOwner(endpoints)));
  // The demo Wi-Fi lock connects as the local cloud starts; its presence is recorded moments later. The page
  // reads the lock's condition once, so wait until the API has it online.
  const wifi = demoLock('wifi');
  await vi.waitFor(
    async () => {
      const locks = await api.request('GET', '/locks', { query: { propertyId: demo.propertyId } });
      const online = (locks.body.items as { id: string; condition: { online: boolean | null } }[]).find(
        (lock) => lock.id === wifi.lockId,
      )?.condition.online;
      if (online !== true) throw new Error(`The demo Wi-Fi lock is not recorded online yet (${online})`);
    },
    { timeout: 30_000, interval: 500 },
  );
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

describe('the Properties & locks page', () => {
  it('unlocks the Wi-Fi lock with live progress, and the firmware lock opens on that command', async () => {
    const { context, page } = await openConsole(browser, { url: consoleUrl, viewport: desktopViewport });
    await signInAsDemoHost(page);
    await openDemoPropertyLocks(page);
    const wifi = demoLock('wifi');
    const card = lockCard(page, wifi.lockId);
    await card.waitFor();
    expect(await card.getByTestId('lock-connection').textContent()).toMatch(/^Online since /);
    expect(await card.textContent()).toContain('Wi-Fi');

    await card.getByRole('button', { name: `Unlock ${wifi.name}` }).click();

    const progress = card.getByTestId('unlock-progress');
    await card
      .locator('[data-testid="unlock-progress"][data-status="succeeded"]')
      .waitFor({ timeout: 30_000 });
    expect(await progress.textContent()).toContain('The lock opened.');
    const commandId = await progress.getAttribute('data-command-id');
    expect(commandId).toBeTruthy();
    const command = await api.request('GET', `/commands/${commandId}`);
    expect(command.body.status).toBe('succeeded');
    if (!wifi.controlUrl) throw new Error('The demo Wi-Fi lock has no control API');
    const state = await (await fetch(`${wifi.controlUrl}/state`)).json();
    expect(state.recentEvents).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'unlocked', method: 'remote', commandId })]),
    );
    // The lock's last events, from the audit log, name the remote unlock.
    await card.getByText('Last events').click();
    const events = card.getByTestId('lock-events');
    await events.waitFor();
    expect(await events.textContent()).toMatch(/Remote unlock (requested|succeeded)|Opened \(remote\)/);
    await saveScreenshot(page, 'properties-unlocked');
    await context.close();
  }, 90_000);

  it('says plainly that the Bluetooth lock cannot be opened remotely', async () => {
    const { context, page } = await openConsole(browser, { url: consoleUrl, viewport: desktopViewport });
    await signInAsDemoHost(page);
    await openDemoPropertyLocks(page);
    const bluetooth = demoLock('bluetooth');
    const card = lockCard(page, bluetooth.lockId);
    expect(await card.getByTestId('lock-connection').textContent()).toBe('Never online (Bluetooth only)');

    await card.getByRole('button', { name: `Unlock ${bluetooth.name}` }).click();

    const refusal = card.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/Bluetooth only and cannot be opened remotely/);
    await context.close();
  }, 60_000);

  it('adds and changes a property, then registers a lock shown once and rotates its keys', async () => {
    const { context, page } = await openConsole(browser, { url: consoleUrl, viewport: desktopViewport });
    await signInAsDemoHost(page);
    await page.getByRole('link', { name: 'Properties & locks' }).click();
    // The list is read as the page opens: wait for it, so the property added below is added to it.
    await page
      .getByRole('button', { name: /^Show locks of / })
      .first()
      .waitFor();
    const name = `Harbour flat ${crypto.randomUUID().slice(0, 6)}`;

    await page.getByRole('button', { name: 'Add a property' }).click();
    const form = page.locator('form', { has: page.getByRole('heading', { name: 'Add a property' }) });
    await form.getByLabel('Name').fill(name);
    await form.getByLabel('Street and number').fill('Rua do Porto 3');
    await form.getByLabel('City').fill('Porto');
    await form.getByLabel('Country code').fill('P1');
    await form.getByLabel('Time zone').fill('Europe/Lisbon');
    await form.getByRole('button', { name: 'Add property' }).click();
    // The API's field error beside its field; what was typed stays.
    const countryError = form.locator('.field-error');
    await countryError.waitFor();
    expect(await countryError.textContent()).toMatch(/country code/);
    expect(await form.getByLabel('Name').inputValue()).toBe(name);
    await form.getByLabel('Country code').fill('PT');
    await form.getByRole('button', { name: 'Add property' }).click();
    await page.getByRole('heading', { name: `Locks of ${name}` }).waitFor();
    const created = (await api.request('GET', '/properties', { query: { limit: '100' } })).body.items.find(
      (property: { name: string }) => property.name === name,
    );
    expect(created).toMatchObject({ timeZone: 'Europe/Lisbon', address: { countryCode: 'PT' } });

    await page.getByRole('button', { name: `Change ${name}` }).click();
    const edit = page.locator('form', { has: page.getByRole('heading', { name: `Change ${name}` }) });
    await edit.getByLabel('Check-in time').fill('16:30');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    // The form closes and says so once the API has answered (starting to edit cleared the last save's notice).
    await edit.waitFor({ state: 'detached' });
    await page.getByText(`${name} saved.`).waitFor();
    expect((await api.request('GET', `/properties/${created.id}`)).body.checkInTime).toBe('16:30');

    await page.getByLabel('Lock name').fill('Side door');
    await page.getByRole('button', { name: 'Register lock' }).click();
    const bundle = page.getByTestId('installer-bundle');
    await bundle.waitFor();
    expect(await bundle.getByRole('alert').textContent()).toMatch(/Shown this once/);
    const deviceKey = await bundle.getByTestId('bundle-device-key').textContent();
    expect(deviceKey?.length).toBeGreaterThan(40);
    const locks = (await api.request('GET', '/locks', { query: { propertyId: created.id } })).body.items;
    expect(locks.map((lock: { name: string }) => lock.name)).toEqual(['Side door']);
    await saveScreenshot(page, 'properties-bundle');
    await bundle.getByRole('button', { name: 'I have saved it' }).click();
    expect(await page.getByTestId('installer-bundle').count()).toBe(0);

    const card = lockCard(page, locks[0].id);
    await card.getByRole('button', { name: 'Rotate keys' }).click();
    await card.getByRole('button', { name: 'Rotate now' }).click();
    await page.getByTestId('installer-bundle').waitFor();
    const rotatedKey = await page.getByTestId('bundle-device-key').textContent();
    expect(rotatedKey).not.toBe(deviceKey);
    const rotated = await api.request('GET', `/locks/${locks[0].id}`);
    expect(rotated.body.credentials.keyVersion).toBe(2);
    await context.close();
  }, 90_000);

  it('lets the owner map a listing at a booking source to a property, and shows beside the field that a listing of another property is taken', async () => {
    const suffix = crypto.randomUUID().slice(0, 6);
    const propertyBody = (name: string) => ({
      body: {
        name,
        address: { line1: 'Rua 1', city: 'Porto', countryCode: 'PT' },
        timeZone: 'Europe/Lisbon',
      },
    });
    const flat = (await api.request('POST', '/properties', propertyBody(`Listing flat ${suffix}`))).body;
    const other = (await api.request('POST', '/properties', propertyBody(`Other flat ${suffix}`))).body;
    const source = `Booking site ${suffix}`;
    const created = await api.request('POST', '/integrations', {
      body: { kind: 'lockstay-webhook', name: source },
    });
    expect(created.status).toBe(201);
    const integrationId = created.body.integration.id as string;
    const taken = `taken-${suffix}`;
    const elsewhere = await api.request('PUT', `/properties/${other.id}/external-listings`, {
      body: { listings: [{ integrationId, externalListingId: taken }] },
    });
    expect(elsewhere.status).toBe(200);

    const { context, page } = await openConsole(browser, { url: consoleUrl, viewport: desktopViewport });
    await signInAsDemoHost(page);
    await page.getByRole('link', { name: 'Properties & locks' }).click();
    await page.getByRole('button', { name: `Show locks of ${flat.name}` }).click();
    const panel = page.getByTestId('external-listings');
    await panel.getByText('No listings map here yet.').waitFor();
    // The locks above the panel arrive on their own; once they have, the panel's buttons stay where they are.
    await page.getByTestId('locks').getByText('No locks yet').waitFor();
    await panel.getByLabel('Booking source').selectOption({ label: `${source} (Lockstay webhook)` });
    const listingId = `flat-${suffix}`;
    await panel.getByLabel('Listing id at the source').fill(listingId);
    await panel.getByRole('button', { name: 'Add listing' }).click();

    const shown = panel.getByTestId('external-listing').filter({ hasText: listingId });
    await shown.waitFor();
    expect(await shown.textContent()).toContain(source);
    expect(await panel.getByLabel('Listing id at the source').inputValue()).toBe('');
    const mapped = await api.request('GET', `/properties/${flat.id}`);
    expect(mapped.body.externalListings).toEqual([
      expect.objectContaining({ integrationId, externalListingId: listingId, name: source }),
    ]);

    // The other property's listing is refused (409) beside the listing id, naming that property; the id stays.
    await panel.getByLabel('Listing id at the source').fill(taken);
    await panel.getByRole('button', { name: 'Add listing' }).click();
    const refusal = panel.locator('.field-error');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain(`mapped to property “${other.name}”`);
    expect(await panel.getByLabel('Listing id at the source').inputValue()).toBe(taken);
    await saveScreenshot(page, 'properties-listings');
    const unchanged = await api.request('GET', `/properties/${flat.id}`);
    expect(
      unchanged.body.externalListings.map(
        (listing: { externalListingId: string }) => listing.externalListingId,
      ),
    ).toEqual([listingId]);
    expect((await api.request('GET', `/properties/${other.id}`)).body.externalListings).toEqual([
      expect.objectContaining({ integrationId, externalListingId: taken }),
    ]);

    await panel.getByRole('button', { name: `Remove listing ${listingId} of ${source}` }).click();
    await panel.getByText('No listings map here yet.').waitFor();
    expect((await api.request('GET', `/properties/${flat.id}`)).body.externalListings).toEqual([]);
    await context.close();
  }, 90_000);

  it('shows a cleaner their assigned property’s locks without what a cleaner may not do (no Unlock outside their window), and the API refuses their unlock', async () => {
    const cleaner = await createMember({
      endpoints,
      tenantId: demo.tenantId,
      role: 'staff',
      assignedPropertyIds: [demo.propertyId],
    });
    const { context, page } = await openConsole(browser, { url: consoleUrl, viewport: desktopViewport });
    await signInAs(page, cleaner);
    await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Arrivals' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Recent alerts' }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Booking feeds' }).count()).toBe(0);

    const name = await openDemoPropertyLocks(page);
    const wifi = demoLock('wifi');
    const card = lockCard(page, wifi.lockId);
    await card.waitFor();

    expect(await page.getByTestId('property').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Add a property' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: `Change ${name}` }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Register a lock' }).count()).toBe(0);
    expect(await card.getByRole('button', { name: 'Rotate keys' }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Listings at booking sources' }).count()).toBe(0);
    // A cleaner may open a door only inside their own access window; the API says for each lock whether the
    // caller may now, and refuses the request anyway.
    expect(await card.getByRole('button', { name: `Unlock ${wifi.name}` }).count()).toBe(0);
    const asCleaner = hostApiClient(endpoints, await idTokenOf(endpoints, cleaner));
    const direct = await asCleaner.request('POST', `/locks/${wifi.lockId}/unlock`, { body: {} });
    expect(direct.status).toBe(403);
    await saveScreenshot(page, 'properties-cleaner');
    await context.close();
  }, 90_000);

  it('fits a phone without sideways scrolling', async () => {
    const { context, page } = await openConsole(browser, { url: consoleUrl, viewport: phoneViewport });
    await signInAsDemoHost(page);
    await openDemoPropertyLocks(page);
    await lockCard(page, demoLock('wifi').lockId).waitFor();

    expect(await scrollsSideways(page)).toBe(false);
    await saveScreenshot(page, 'properties-phone');
    await context.close();
  }, 60_000);
});
