/**
 * Headless Chromium for the browser tests: Debian's `chromium` driven by playwright-core. The flags keep it from
 * reaching for the network (updates, sync, QUIC probes), which would stall it on a machine without internet.
 * Each test gets a fresh browser context, so no storage or session leaks from one test to the next.
 */
import { access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const phoneViewport = { width: 360, height: 740 };
export const desktopViewport = { width: 1280, height: 800 };

export async function launchChromium(): Promise<Browser> {
  await access(chromiumPath).catch(() => {
    throw new Error(
      `No Chromium at ${chromiumPath}: install Debian's (apt-get install -y chromium) or set CHROMIUM_PATH.`,
    );
  });
  return chromium.launch({
    executablePath: chromiumPath,
    // playwright-core gives every launch a fresh, temporary user data directory.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    timeout: 30_000,
  });
}

export async function openConsole(
  browser: Browser,
  options: { url: string; viewport?: { width: number; height: number } },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: options.viewport ?? desktopViewport,
    locale: 'en-GB',
    timezoneId: 'Europe/Paris',
  });
  const page = await context.newPage();
  // Generous: the local cloud shares the machine with the browser, and a busy machine is slow, not broken.
  page.setDefaultTimeout(20_000);
  await page.goto(options.url);
  return { context, page };
}

/** Saved for review beside the test report; `test-results/` is ignored by git. */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  const folder = join(process.cwd(), 'test-results', 'screenshots');
  await mkdir(folder, { recursive: true });
  await page.screenshot({ path: join(folder, `${name}.png`), fullPage: true });
}
