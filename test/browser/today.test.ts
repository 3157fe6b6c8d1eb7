/**
 * The Today page in a real browser, signed in as the demo host with password and TOTP: a stay entered through
 * the API for today at the demo property shows among today's arrivals, with its code on each demo lock; the
 * Wi-Fi lock's code becomes `set` as the reference firmware confirms it, and the Bluetooth lock's says the guest
 * uses an offline code. The page keeps itself current: a stay entered while it is open appears without a
 * refresh, in place. The page fits a phone.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { localDateAt } from '#shared/domain/local-time.ts';
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
const demoLocks = endpoints.demoLocks ?? [];
const lockNamed = (connectivity: string) => {
  const lock = demoLocks.find((candidate) => candidate.connectivity === connectivity);
  if (!lock) throw new Error(`No ${connectivity} demo lock`);
  return lock;
};

const scrollsSideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);

let browser: Browser;
let api: HostApiClient;
let bookingId: string;
const guestName = `Today Guest ${crypto.randomUUID().slice(0, 6)}`;
const bookingIds: string[] = [];

/**
 * How long this file may take at most, even on a busy machine: its stays are entered for the property's today,
 * which must still be today when its last test reads the page.
 */
const fileRunsAtMostMs = 10 * 60_000;

/**
 * Near midnight at the property, waits for the day to turn: a stay entered for today a few minutes before
 * midnight would be yesterday's for the later tests, and gone from the arrivals.
 */
async function untilTodayOutlastsTheFile(timeZone: string): Promise<void> {
  const dayAt = (epochMs: number) => localDateAt({ instant: new Date(epochMs).toISOString(), timeZone });
  const dayAfterTheFile = dayAt(Date.now() + fileRunsAtMostMs);
  if (dayAt(Date.now()) === dayAfterTheFile) return;
  await vi.waitFor(
    () => {
      if (dayAt(Date.now()) !== dayAfterTheFile)
        throw new Error(`Waiting for ${dayAfterTheFile} in ${timeZone}`);
    },
    { timeout: fileRunsAtMostMs + 60_000, interval: 5_000 },
  );
}

/** The status of the test booking's code on one lock, as the API has it. */
async function codeStatusOn(lockId: string): Promise<string | undefined> {
  const detail = await api.request('GET', `/bookings/${bookingId}`);
  return (detail.body.grant.accessCodes as { lockId: string; status: string }[]).find(
    (code) => code.lockId === lockId,
  )?.status;
}

/** Enters a stay arriving today at the demo property through the API, as an integration would. */
async function enterStayArrivingToday(name: string): Promise<string> {
  const property = await api.request('GET', `/properties/${demo.propertyId}`);
  const today = localDateAt({ instant: new Date().toISOString(), timeZone: property.body.timeZone });
  const tomorrow = new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const booking = await api.request('POST', '/bookings', {
    body: {
      propertyId: demo.propertyId,
      guest: { name, email: 'today-guest@example.com' },
      arrivalDate: today,
      departureDate: tomorrow,
    },
  });
  expect(booking.status).toBe(201);
  bookingIds.push(booking.body.booking.id);
  return booking.body.booking.id;
}

beforeAll(async () => {
  browser = await launchChromium();
  api = hostApiClient(endpoints, await idTokenOf(endpoints, await demoOwner(endpoints)));
  const property = await api.request('GET', `/properties/${demo.propertyId}`);
  await untilTodayOutlastsTheFile(property.body.timeZone);
  bookingId = await enterStayArrivingToday(guestName);
}, 60_000 + fileRunsAtMostMs);

afterAll(async () => {
  for (const id of bookingIds) {
    await api?.request('POST', `/bookings/${id}/cancel`, { body: { reason: 'End of the browser test' } });
  }
  await browser?.close();
});

/** The card of the test's guest among today's arrivals. */
const arrivalCard = (page: Page) =>
  page.getByTestId('arrivals').getByTestId('stay').filter({ hasText: guestName });

describe('the Today page', () => {
  it('shows today’s arrival with its code on each lock, and the Wi-Fi lock’s code becoming set', async () => {
    const { context, page } = await openConsole(browser, { url: consoleUrl, viewport: desktopViewport });
    await signInAsDemoHost(page);

    await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
    const card = arrivalCard(page);
    await card.waitFor();
    const arrivalsHeading = page.getByTestId('arrivals').getByRole('heading', { name: 'Today', level: 3 });
    expect(await arrivalsHeading.isVisible()).toBe(true);
    const bluetooth = card.getByTestId('code').filter({ hasText: lockNamed('bluetooth').name });
    expect(await bluetooth.getAttribute('data-state')).toBe('offline-code');
    expect(await bluetooth.textContent()).toMatch(/never online: .*offline code/);

    // The firmware confirms the Wi-Fi lock's code within moments; once the API says so, Refresh shows it.
    await expect.poll(() => codeStatusOn(lockNamed('wifi').lockId), { timeout: 30_000 }).toBe('set');
    await page.getByRole('button', { name: 'Refresh' }).click();
    const wifi = card.getByTestId('code').filter({ hasText: lockNamed('wifi').name });
    await card
      .locator('[data-testid="code"][data-state="set"]')
      .filter({ hasText: lockNamed('wifi').name })
      .waitFor();
    expect(await wifi.getAttribute('data-state')).toBe('set');
    expect(await wifi.getByText('Set', { exact: true }).isVisible()).toBe(true);
    const detail = await api.request('GET', `/bookings/${bookingId}`);
    const wifiCode = detail.body.grant.accessCodes.find(
      (code: { lockId: string }) => code.lockId === lockNamed('wifi').lockId,
    );
    expect(wifiCode.status).toBe('set');
    const summary = await api.request('GET', '/today', { query: { days: '3' } });
    expect(summary.body.arrivals.map((stay: { bookingId: string }) => stay.bookingId)).toContain(bookingId);
    await saveScreenshot(page, 'today-arrivals');
    await context.close();
  }, 90_000);

  it('shows a lock whose battery runs low among the locks needing care and in the recent alerts', async () => {
    const wifi = lockNamed('wifi');
    if (!wifi.controlUrl) throw new Error('The demo Wi-Fi lock has no control API');
    const battery = (percent: number) =>
      fetch(`${wifi.controlUrl}/battery`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ percent }),
      });
    const { context, page } = await openConsole(browser, { url: consoleUrl, viewport: desktopViewport });
    try {
      await signInAsDemoHost(page);
      await arrivalCard(page).waitFor();

      expect((await battery(12)).ok).toBe(true);

      const care = page.getByTestId('locks-attention').getByRole('listitem').filter({ hasText: wifi.name });
      const alert = page
        .getByTestId('recent-alerts')
        .getByText('Battery low (12%): replace the batteries soon.');
      // The lock reports its battery and the report is recorded (its condition, then the alert) moments later:
      // once the API's summary has both, Refresh shows them.
      const reported = async () => {
        const summary = (await api.request('GET', '/today')).body as {
          locks: { lockId: string; problems: string[]; condition: { battery: number | null } }[];
          alerts: { action: string; lockId?: string; details: { percent?: number } }[] | null;
        };
        const lock = summary.locks.find((candidate) => candidate.lockId === wifi.lockId);
        return {
          lowBattery: (lock?.problems.includes('low-battery') ?? false) && lock?.condition.battery === 12,
          alerted: (summary.alerts ?? []).some(
            (event) =>
              event.action === 'lock.battery-low' &&
              event.lockId === wifi.lockId &&
              event.details.percent === 12,
          ),
        };
      };
      await expect.poll(reported, { timeout: 30_000 }).toEqual({ lowBattery: true, alerted: true });
      await page.getByRole('button', { name: 'Refresh' }).click();
      await care.filter({ hasText: 'Battery 12%' }).waitFor();
      await alert.first().waitFor();
      expect(await care.getByText('Low battery').isVisible()).toBe(true);
      expect(await care.textContent()).toContain('Battery 12%');
      expect(await alert.first().isVisible()).toBe(true);
      const summary = await api.request('GET', '/today');
      const lock = summary.body.locks.find(
        (candidate: { lockId: string }) => candidate.lockId === wifi.lockId,
      );
      expect(lock.problems).toContain('low-battery');
      await saveScreenshot(page, 'today-alerts');
    } finally {
      await battery(100);
      await context.close();
    }
  }, 90_000);

  it('shows a stay entered while the page is open without the host pressing Refresh, in place', async () => {
    // The page's address may shorten the one-minute interval; the page itself is the one hosts get.
    const { context, page } = await openConsole(browser, {
      url: `${consoleUrl}?refresh=3`,
      viewport: desktopViewport,
    });
    try {
      await signInAsDemoHost(page);
      await arrivalCard(page).waitFor();
      // Wait for the week's summary, so that the stay below can only appear through a later refresh.
      const weekLoaded = page.waitForResponse((response) => response.url().includes('/today?days=7'));
      await page.getByLabel('Show', { exact: true }).selectOption('7');
      await weekLoaded;
      // From now on, note whether the arrivals ever leave the page (a "Loading" flash) while it refreshes.
      await page.evaluate(() => {
        const record = window as unknown as { todayFlashed: boolean };
        record.todayFlashed = false;
        new MutationObserver(() => {
          if (!document.querySelector('[data-testid="arrivals"]')) record.todayFlashed = true;
        }).observe(document.body, { childList: true, subtree: true });
      });

      const lateGuest = `Late Guest ${crypto.randomUUID().slice(0, 6)}`;
      await enterStayArrivingToday(lateGuest);

      const lateCard = page.getByTestId('arrivals').getByTestId('stay').filter({ hasText: lateGuest });
      await lateCard.waitFor({ timeout: 30_000 });
      expect(await lateCard.getByRole('heading', { name: lateGuest }).isVisible()).toBe(true);
      expect(await arrivalCard(page).isVisible()).toBe(true);
      expect(await page.getByLabel('Show', { exact: true }).inputValue()).toBe('7');
      expect(await page.getByRole('button', { name: 'Refresh' }).isVisible()).toBe(true);
      expect(await page.evaluate(() => (window as unknown as { todayFlashed: boolean }).todayFlashed)).toBe(
        false,
      );
    } finally {
      await context.close();
    }
  }, 90_000);

  it('refreshes at once when its tab is shown again, not waiting for the next minute', async () => {
    const { context, page } = await openConsole(browser, { url: consoleUrl, viewport: desktopViewport });
    try {
      await signInAsDemoHost(page);
      await arrivalCard(page).waitFor();
      // The browser tells a page it was hidden or shown with `visibilitychange`; headless Chromium has no tabs
      // to switch, so the test says it the same way.
      const setVisibility = (state: 'hidden' | 'visible') =>
        page.evaluate((next) => {
          Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => next });
          document.dispatchEvent(new Event('visibilitychange'));
        }, state);
      await setVisibility('hidden');

      const returningGuest = `Returning Guest ${crypto.randomUUID().slice(0, 6)}`;
      await enterStayArrivingToday(returningGuest);
      const asked = page.waitForRequest((request) => request.url().includes('/today?'));
      await setVisibility('visible');
      await asked;

      const card = page.getByTestId('arrivals').getByTestId('stay').filter({ hasText: returningGuest });
      await card.waitFor();
      expect(await card.getByRole('heading', { name: returningGuest }).isVisible()).toBe(true);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('fits a phone without sideways scrolling', async () => {
    const { context, page } = await openConsole(browser, { url: consoleUrl, viewport: phoneViewport });
    await signInAsDemoHost(page);

    await arrivalCard(page).waitFor();

    expect(await scrollsSideways(page)).toBe(false);
    expect(await page.getByRole('heading', { name: 'Locks needing care' }).isVisible()).toBe(true);
    expect(await page.getByRole('heading', { name: 'Recent alerts' }).isVisible()).toBe(true);
    await saveScreenshot(page, 'today-phone');
    await context.close();
  }, 60_000);
});
