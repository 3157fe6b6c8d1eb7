/**
 * The guest page on the local cloud, as a guest's phone opens it from the email's link: what it transfers (every
 * response of the first visit, as the gateway serves them, with what gzip would make of them) and its time to
 * interactive (from navigation start until the stay is on screen and its buttons work), unthrottled and over an
 * emulated slow mobile connection, in headless Chromium. Beside it the floor, measured the same way in the same
 * run: an empty HTML page served by the same gateway.
 *
 * `measureGuestPage({ endpoints, pagesDir })` is for `npm run bench`; run this file alone to measure on a local
 * cloud of its own: `npm run bench:guest`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import type { Endpoints } from '#infra/local/endpoints.ts';
import { createGuestLinkStore } from '#shared/adapters/dynamo/guest-links.ts';
import { createDynamoTable } from '#shared/adapters/dynamo/table.ts';
import { guestPageUrlOf } from '#shared/guests/guest-email.ts';
import { issueGuestLink } from '#shared/guests/guest-link.ts';
import { launchChromium, phoneViewport } from '../test/browser/browser.ts';
import { localDocumentClient } from '../test/integration/storage/dynamo-world.ts';
import { demoOwner, hostApiClient, idTokenOf, storageOf } from '../test/support/hosts.ts';
import { type LatencySummary, summarise } from './stats.ts';

/** A slow mobile connection, as Chrome's DevTools "Slow 3G" preset: 400 ms round trips, 400 kbit/s down. */
export const slowMobile = { latency: 400, downloadThroughput: 50_000, uploadThroughput: 50_000 } as const;

export interface FirstVisit {
  readonly requests: number;
  /** Bytes on the wire as the gateway serves them (headers and bodies, uncompressed). */
  readonly transferred: number;
  /** The bodies gzipped, as a CDN would serve them. */
  readonly gzipBodies: number;
}

export interface PageFigures {
  readonly firstVisit: FirstVisit;
  readonly interactive: LatencySummary;
  readonly interactiveSlow: LatencySummary;
  /** Of the unthrottled time, the guest API's answer (GET /guest/stays/{token}). */
  readonly api: LatencySummary;
}

export interface GuestPageReport {
  readonly runs: number;
  readonly floor: PageFigures;
  readonly guestPage: PageFigures;
}

/**
 * One first visit of `url` in a fresh context: the bytes of every response, and the time from navigation start
 * until `ready` holds in the page.
 */
async function visit({
  browser,
  url,
  ready,
  network,
}: {
  browser: Browser;
  url: string;
  ready: (page: Page) => Promise<number>;
  network?: typeof slowMobile | undefined;
}): Promise<{ visit: FirstVisit; interactiveMs: number; apiMs: number }> {
  const context = await browser.newContext({ viewport: phoneViewport, locale: 'en-GB' });
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(60_000);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    if (network) await cdp.send('Network.emulateNetworkConditions', { offline: false, ...network });
    let requests = 0;
    let transferred = 0;
    const bodies: Promise<number>[] = [];
    cdp.on('Network.loadingFinished', (event) => {
      requests += 1;
      transferred += event.encodedDataLength;
      bodies.push(
        cdp
          .send('Network.getResponseBody', { requestId: event.requestId })
          .then(
            ({ body, base64Encoded }) =>
              gzipSync(Buffer.from(body, base64Encoded ? 'base64' : 'utf8')).length,
          )
          .catch(() => 0),
      );
    });
    await page.goto(url);
    const interactiveMs = await ready(page);
    // How long the guest API took to answer the stay, as the browser saw it (none for the floor).
    const apiMs = await page.evaluate(() => {
      const stay = performance
        .getEntriesByType('resource')
        .find((entry) => entry.name.includes('/guest/stays/')) as PerformanceResourceTiming | undefined;
      return stay ? stay.responseEnd - stay.startTime : Number.NaN;
    });
    await page.waitForLoadState('networkidle');
    const gzipBodies = (await Promise.all(bodies)).reduce((sum, size) => sum + size, 0);
    return { visit: { requests, transferred, gzipBodies }, interactiveMs, apiMs };
  } finally {
    await context.close();
  }
}

async function figuresOf({
  browser,
  url,
  ready,
  runs,
}: {
  browser: Browser;
  url: () => Promise<string>;
  ready: (page: Page) => Promise<number>;
  runs: number;
}): Promise<PageFigures> {
  const fast: number[] = [];
  const slow: number[] = [];
  const api: number[] = [];
  let firstVisit: FirstVisit | undefined;
  // One unmeasured visit first: the gateway and the handlers warm up.
  await visit({ browser, url: await url(), ready });
  for (let run = 0; run < runs; run += 1) {
    const measured = await visit({ browser, url: await url(), ready });
    firstVisit ??= measured.visit;
    fast.push(measured.interactiveMs);
    if (!Number.isNaN(measured.apiMs)) api.push(measured.apiMs);
    slow.push((await visit({ browser, url: await url(), ready, network: slowMobile })).interactiveMs);
  }
  if (!firstVisit) throw new Error('No run was measured');
  return { firstVisit, interactive: summarise(fast), interactiveSlow: summarise(slow), api: summarise(api) };
}

/** A guest link to an active stay at the demo property (whose locks are online, so Unlock is offered). */
async function guestLinkMaker(endpoints: Endpoints): Promise<() => Promise<string>> {
  const credentials = await demoOwner(endpoints);
  const owner = hostApiClient(endpoints, await idTokenOf(endpoints, credentials));
  const propertyId = endpoints.demo?.propertyId;
  if (!propertyId) throw new Error('The local cloud has no demo property');
  const day = (offset: number) =>
    new Date(Date.now() + offset * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Berlin' });
  const created = await owner.request('POST', '/bookings', {
    body: {
      propertyId,
      guest: { name: 'Benchmark Guest' },
      arrivalDate: day(-1),
      departureDate: day(2),
    },
  });
  if (created.status !== 201) throw new Error(`The benchmark booking was refused: ${created.status}`);
  const grant = await storageOf(endpoints).grants.get({
    tenantId: credentials.tenantId,
    grantId: created.body.grant.id,
  });
  if (!grant) throw new Error('The benchmark booking has no grant');
  const store = createGuestLinkStore({
    table: createDynamoTable({ client: localDocumentClient(endpoints), tableName: endpoints.tableName }),
  });
  // A new link per visit keeps each visit within the guest API's lookup limit.
  return async () => {
    const { token } = await issueGuestLink({ store, grant, now: new Date() });
    return guestPageUrlOf({ pagesOrigin: endpoints.api, token });
  };
}

/** Measures the guest page and the floor; `pagesDir` is the folder the gateway serves at `/`. */
export async function measureGuestPage({
  endpoints,
  pagesDir,
  runs = 10,
}: {
  endpoints: Endpoints;
  pagesDir: string;
  runs?: number;
}): Promise<GuestPageReport> {
  const floorDir = join(pagesDir, 'bench-floor');
  await mkdir(floorDir, { recursive: true });
  await writeFile(
    join(floorDir, 'index.html'),
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Floor</title></head><body></body></html>\n',
  );
  const browser = await launchChromium();
  try {
    const floor = await figuresOf({
      browser,
      url: async () => `${endpoints.api}/bench-floor/`,
      // An empty page is interactive once loaded; times count from the navigation's start.
      ready: async (page) => {
        await page.waitForLoadState('load');
        return page.evaluate(
          () => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd,
        );
      },
      runs,
    });
    const guestPage = await figuresOf({
      browser,
      url: await guestLinkMaker(endpoints),
      // Interactive: the stay is shown with its code and its buttons, which work from then on (the page marks it).
      ready: async (page) => {
        await page.locator('#stay[aria-busy="false"] .pin').first().waitFor();
        return page.evaluate(() => performance.getEntriesByName('stay-shown')[0]?.startTime ?? Number.NaN);
      },
      runs,
    });
    return { runs, floor, guestPage };
  } finally {
    await browser.close();
  }
}

const kilobytes = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (value: number) => `${value.toFixed(0)} ms`;

export function formatGuestPageReport(report: GuestPageReport): string {
  const row = (label: string, figures: PageFigures) =>
    `${label.padEnd(30)} ${String(figures.firstVisit.requests).padStart(3)} requests ${kilobytes(
      figures.firstVisit.transferred,
    ).padStart(9)} (${kilobytes(figures.firstVisit.gzipBodies)} gzip)   interactive p50 ${ms(
      figures.interactive.p50,
    ).padStart(7)} p95 ${ms(figures.interactive.p95).padStart(7)}   slow mobile p50 ${ms(
      figures.interactiveSlow.p50,
    ).padStart(7)} p95 ${ms(figures.interactiveSlow.p95).padStart(7)}`;
  return [
    `First visits in headless Chromium, ${report.runs} runs each; slow mobile = ${slowMobile.latency} ms RTT, ${
      (slowMobile.downloadThroughput * 8) / 1000
    } kbit/s`,
    row('floor: empty page, same gateway', report.floor),
    row('guest page: active stay', report.guestPage),
    `${'  of which GET /guest/stays/{token}'.padEnd(30)} p50 ${ms(report.guestPage.api.p50)} p95 ${ms(report.guestPage.api.p95)}`,
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.env.LOG_LEVEL ??= 'ERROR';
  const { startScratchLocalCloud } = await import('#infra/local/cloud.ts');
  const cloud = await startScratchLocalCloud({ projectRoot: process.cwd(), label: 'bench' });
  try {
    const report = await measureGuestPage({
      endpoints: cloud.endpoints,
      pagesDir: join(cloud.stateDir, 'pages'),
      runs: Number(process.env.BENCH_GUEST_RUNS ?? 10),
    });
    console.log(formatGuestPageReport(report));
  } finally {
    await cloud.stop();
  }
}
