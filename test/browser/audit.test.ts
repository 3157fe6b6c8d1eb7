/**
 * The audit log in a real browser against the local cloud: a property of its own with a booking entered
 * through the API, the log narrowed to that property, the owner and administrative changes on today's date,
 * and the same selection downloaded as CSV whose rows match what the page and the API show.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import type { Browser, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoOwner, type HostApiClient, hostApiClient, idTokenOf } from '../support/hosts.ts';
import { desktopViewport, launchChromium, openConsole, phoneViewport, saveScreenshot } from './browser.ts';
import { signInAsDemoHost } from './signing-in.ts';

const endpoints = inject('endpoints');
const consoleUrl = inject('consoleUrl');
const demo =
  endpoints.demo ??
  (() => {
    throw new Error('The local cloud was started without the demo tenant');
  })();
const unique = Date.now().toString(36);
const propertyName = `Audit flat ${unique}`;
const lisbonDayOf = (instant: Date) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Lisbon' }).format(instant);
const lisbonDate = (offsetDays: number) => lisbonDayOf(new Date(Date.now() + offsetDays * 86_400_000));

let browser: Browser;
let api: HostApiClient;
let page: Page;
let propertyId: string;
let lockId: string;
let ownerUserId: string;

const shownRows = (action?: string) =>
  page.locator(`[data-testid="audit-events"] tbody tr${action ? `[data-action="${action}"]` : ''}`);
const shownActions = () =>
  shownRows().evaluateAll((found) => found.map((row) => row.getAttribute('data-action')));

/** The query of the page's own read of the log's first page, narrowed as `narrowed` says and no further. */
function isFirstPageOf(narrowed: { propertyId?: string; lockId?: string; userId?: string; method?: string }) {
  return (response: Response) => {
    const url = new URL(response.url());
    return (
      response.request().method() === 'GET' &&
      url.pathname.endsWith('/audit') &&
      !url.searchParams.has('cursor') &&
      !url.searchParams.has('format') &&
      (['propertyId', 'lockId', 'userId', 'method'] as const).every(
        (name) => url.searchParams.get(name) === (narrowed[name] ?? null),
      )
    );
  };
}

/**
 * Submits the filters and waits until the table shows the API's answer to them: until then it still shows the
 * list read before (the page's first, unfiltered read, or the last test's), which may hold the same actions.
 */
async function showEvents(narrowed: Parameters<typeof isFirstPageOf>[0]): Promise<{ action: string }[]> {
  const [answer] = await Promise.all([
    page.waitForResponse(isFirstPageOf(narrowed)),
    page.getByRole('button', { name: 'Show events' }).click(),
  ]);
  expect(answer.status()).toBe(200);
  const { items } = (await answer.json()) as { items: { action: string }[] };
  await expect.poll(shownActions, { timeout: 30_000 }).toEqual(items.map((event) => event.action));
  return items;
}

beforeAll(async () => {
  browser = await launchChromium();
  const owner = await demoOwner(endpoints);
  ownerUserId = owner.userId;
  api = hostApiClient(endpoints, await idTokenOf(endpoints, owner));
  const property = await api.request('POST', '/properties', {
    body: {
      name: propertyName,
      address: { line1: 'Rua de Santa Catarina 9', city: 'Porto', countryCode: 'PT' },
      timeZone: 'Europe/Lisbon',
    },
  });
  expect(property.status).toBe(201);
  propertyId = property.body.id;
  const lock = await api.request('POST', '/locks', {
    body: { propertyId, name: 'Back door', connectivity: 'bluetooth' },
  });
  expect(lock.status).toBe(201);
  lockId = lock.body.lock.id;
  const booking = await api.request('POST', '/bookings', {
    body: {
      propertyId,
      guest: { name: `Audit guest ${unique}` },
      arrivalDate: lisbonDate(10),
      departureDate: lisbonDate(12),
    },
  });
  expect(booking.status).toBe(201);
  ({ page } = await openConsole(browser, { url: consoleUrl }));
  await signInAsDemoHost(page);
});
afterAll(async () => {
  await browser?.close();
});

describe('the audit log page', () => {
  it('narrows to a property, a person, administrative changes and today', async () => {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await page.getByLabel('Property', { exact: true }).selectOption(propertyId);
    await page.getByLabel('Person').selectOption(ownerUserId);
    await page.getByLabel('Method').selectOption('admin');
    // The owner's changes, all made in beforeAll: newest first, so the days they span (today's, unless
    // Lisbon's midnight fell between them) run from the last one's to the first one's.
    const listed = await api.request('GET', '/audit', {
      query: { propertyId, userId: ownerUserId, method: 'admin', limit: '100' },
    });
    const listedEvents: { action: string; at: string }[] = listed.body.items;
    expect(listedEvents.at(-1)?.action).toBe('property.created');
    await page.getByLabel('From').fill(lisbonDayOf(new Date(listedEvents.at(-1)?.at ?? '')));
    await page.getByLabel('To (included)').fill(lisbonDayOf(new Date(listedEvents[0]?.at ?? '')));
    await showEvents({ propertyId, userId: ownerUserId, method: 'admin' });

    const rows = shownRows();
    expect(await shownRows('booking.created').count()).toBe(1);
    const actions = await shownActions();
    expect(actions).toEqual(
      expect.arrayContaining(['property.created', 'lock.registered', 'booking.created']),
    );
    expect(actions).toEqual(listedEvents.map((event) => event.action));
    const texts = await rows.allTextContents();
    expect(texts.every((text) => text.includes(propertyName))).toBe(true);
    expect(texts.some((text) => text.includes('Booking entered by'))).toBe(true);
    await saveScreenshot(page, 'audit-filtered');
  });

  it('downloads the selection as CSV: the same events as the page, with names and the property’s zone', async () => {
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    const path = await file.path();
    const rows = parse(await readFile(path, 'utf8'), { columns: true }) as Record<string, string>[];

    expect(file.suggestedFilename()).toMatch(/^lockstay-audit-\d{4}-\d{2}-\d{2}\.csv$/);
    const shown = await page
      .locator('[data-testid="audit-events"] tbody tr')
      .evaluateAll((found) => found.map((row) => row.getAttribute('data-action')));
    expect(rows.map((row) => row.action)).toEqual(shown);
    expect(rows.every((row) => row.property === propertyName && row.method === 'admin')).toBe(true);
    expect(rows.every((row) => row.person === demo.username && row.time_zone === 'Europe/Lisbon')).toBe(true);
    await page.getByText(`Downloaded ${rows.length} events as CSV.`).waitFor();
  });

  it('answers a lock’s own log, and fits a phone’s screen', async () => {
    await page.setViewportSize(phoneViewport);
    await page.getByLabel('Lock').selectOption({ label: 'Back door' });
    await page.getByLabel('Method').selectOption('');
    // The person and the days chosen before still narrow it, to the owner registering the lock.
    await showEvents({ lockId, userId: ownerUserId });

    expect(await shownRows('lock.registered').count()).toBe(1);
    const sideways = await page.evaluate(
      () => document.documentElement.scrollWidth > document.documentElement.clientWidth,
    );
    expect(sideways).toBe(false);
    await saveScreenshot(page, 'audit-phone');
  });

  it('reads a long log a page at a time: "Show older events" adds the next page until the first event', async () => {
    // More stays than one page of 50 events holds: each adds its entry, its grant and its code.
    for (let stay = 0; stay < 18; stay += 1) {
      const booking = await api.request('POST', '/bookings', {
        body: {
          propertyId,
          guest: { name: `Paged guest ${unique} ${stay}` },
          arrivalDate: lisbonDate(20 + stay),
          departureDate: lisbonDate(21 + stay),
        },
      });
      expect(booking.status).toBe(201);
    }
    // A stay's code events are written as its grant is processed, after the booking's answer: wait until the
    // log holds more than one page before asking the page for it.
    await expect
      .poll(
        async () => {
          const first = await api.request('GET', '/audit', { query: { propertyId, limit: '50' } });
          const events: { action: string }[] = first.body.items ?? [];
          return (
            first.body.nextCursor !== undefined &&
            events.length === 50 &&
            !events.some((event) => event.action === 'property.created')
          );
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    await page.setViewportSize(desktopViewport);
    await page.getByLabel('Property', { exact: true }).selectOption(propertyId);
    await page.getByLabel('Lock').selectOption('');
    await page.getByLabel('Person').selectOption('');
    await page.getByLabel('Method').selectOption('');
    await page.getByLabel('From').fill('');
    await page.getByLabel('To (included)').fill('');
    await showEvents({ propertyId });

    const rows = shownRows();
    const older = page.getByRole('button', { name: 'Show older events' });
    await older.waitFor().catch(async (failure: Error) => {
      // Say what the page showed instead, and what the API holds, so a failure here explains itself.
      const shown = await rows.count();
      const alerts = await page.getByRole('alert').allTextContents();
      const held = await api.request('GET', '/audit', { query: { propertyId, limit: '50' } });
      throw new Error(
        `${failure.message}\nrows shown: ${shown}; alerts: ${JSON.stringify(alerts)}; the API's first page: ${held.body.items?.length} events, next cursor ${held.body.nextCursor ? 'present' : 'absent'}`,
      );
    });
    expect(await rows.count()).toBe(50);
    const propertyCreated = page.locator(
      '[data-testid="audit-events"] tbody tr[data-action="property.created"]',
    );
    expect(await propertyCreated.count()).toBe(0);
    const firstPage = await rows.evaluateAll((found) => found.map((row) => row.textContent));

    await older.click();

    await propertyCreated.waitFor();
    expect(await rows.count()).toBeGreaterThan(50);
    const both = await rows.evaluateAll((found) => found.map((row) => row.textContent));
    expect(both.slice(0, 50)).toEqual(firstPage);
    // The property's first event is the oldest: the list is read to its end.
    expect(await rows.last().getAttribute('data-action')).toBe('property.created');
    await older.waitFor({ state: 'detached' });
  }, 90_000);
});
