/**
 * The signed-in console in a real browser: signing out (here and on every device) really ends the session, and
 * the pages fit a phone's screen without sideways scrolling.
 */
import { InitiateAuthCommand, NotAuthorizedException } from '@aws-sdk/client-cognito-identity-provider';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cognitoClient } from '../support/local-cloud.ts';
import { desktopViewport, launchChromium, openConsole, phoneViewport, saveScreenshot } from './browser.ts';
import { signInAsDemoHost } from './signing-in.ts';

const endpoints = inject('endpoints');
const consoleUrl = inject('consoleUrl');
const cognito = cognitoClient(endpoints);
const demo =
  endpoints.demo ??
  (() => {
    throw new Error('The local cloud was started without the demo tenant');
  })();

const sessionKey = 'lockstay.console.session';

const storedSession = (page: Page) =>
  page.evaluate((key) => JSON.parse(sessionStorage.getItem(key) ?? 'null'), sessionKey) as Promise<{
    idToken: string;
    refreshToken: string;
  } | null>;

/** Waits until the page the console opens on has read the host's day: only then is it all laid out. */
const dayShown = (page: Page) => page.getByRole('heading', { name: 'At a glance' }).waitFor();

/** Whether the page is wider than the screen, i.e. the host would have to scroll sideways. */
const scrollsSideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);

async function refreshWith(refreshToken: string) {
  return cognito.send(
    new InitiateAuthCommand({
      ClientId: endpoints.cognito.clientId,
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: refreshToken },
    }),
  );
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe('signing out', () => {
  it('returns to the sign-in page, and neither the page nor the pool accepts its tokens any more', async () => {
    const { context, page } = await openConsole(browser, { url: consoleUrl });
    await signInAsDemoHost(page);
    const held = await storedSession(page);
    expect(held?.refreshToken).toBeTruthy();

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();

    await page.getByRole('heading', { name: 'Sign in to Lockstay' }).waitFor();
    // "You are signed out." once the pool revoked the refresh token; cognito-local 5.3 does not keep refresh
    // tokens issued after an MFA challenge, so it cannot revoke them, and the page says "on this device".
    expect(await page.getByRole('status').textContent()).toMatch(/^You are signed out( on this device)?\.$/);
    expect(await storedSession(page)).toBeNull();
    await page.goto(`${consoleUrl}#/account`);
    await page.getByRole('heading', { name: 'Sign in to Lockstay' }).waitFor();
    expect(await page.getByTestId('signed-in-as').count()).toBe(0);
    await expect(refreshWith(held?.refreshToken ?? '')).rejects.toBeInstanceOf(NotAuthorizedException);
    await context.close();
  });

  it('on every device ends this session too, and says so when the pool cannot reach the others', async () => {
    const { context, page } = await openConsole(browser, { url: consoleUrl });
    await signInAsDemoHost(page);
    const held = await storedSession(page);

    await page.getByRole('button', { name: 'Sign out on every device' }).click();

    await page.getByRole('heading', { name: 'Sign in to Lockstay' }).waitFor();
    // cognito-local has no GlobalSignOut; in AWS the page says "You are signed out on every device."
    expect(await page.getByRole('status').textContent()).toMatch(/^You are signed out/);
    expect(await storedSession(page)).toBeNull();
    await expect(refreshWith(held?.refreshToken ?? '')).rejects.toBeInstanceOf(NotAuthorizedException);
    await context.close();
  });
});

describe('a session', () => {
  it('that can no longer be refreshed ends with a message, and the host signs in again', async () => {
    const { context, page } = await openConsole(browser, { url: consoleUrl });
    await signInAsDemoHost(page);
    // As if the tab had slept past the ID token's expiry while the refresh token was revoked elsewhere.
    await page.evaluate((key) => {
      const held = JSON.parse(sessionStorage.getItem(key) ?? '{}');
      const [header, , signature] = held.idToken.split('.');
      const claims = { sub: 'someone', exp: Math.floor(Date.now() / 1000) - 60 };
      const payload = btoa(JSON.stringify(claims)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
      sessionStorage.setItem(
        key,
        JSON.stringify({ ...held, idToken: `${header}.${payload}.${signature}`, refreshToken: 'revoked' }),
      );
    }, sessionKey);

    await page.reload();

    await page.getByRole('heading', { name: 'Sign in to Lockstay' }).waitFor();
    expect(await page.getByRole('alert').textContent()).toBe(
      'Your session has ended. Sign in again to continue.',
    );
    expect(await storedSession(page)).toBeNull();
    await signInAsDemoHost(page);
    expect(await page.getByTestId('signed-in-as').textContent()).toContain(demo.username);
    await context.close();
  });
});

describe('on a phone', () => {
  it('shows the sign-in steps and the signed-in console without sideways scrolling', async () => {
    const { context, page } = await openConsole(browser, { url: consoleUrl, viewport: phoneViewport });
    await page.getByRole('heading', { name: 'Sign in to Lockstay' }).waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    await saveScreenshot(page, 'console-sign-in-phone');

    await signInAsDemoHost(page);
    await dayShown(page);
    expect(await scrollsSideways(page)).toBe(false);
    const navigation = page.getByRole('navigation', { name: 'Sections' });
    expect(await navigation.isVisible()).toBe(true);
    // Touch targets: the sign-out button is at least 44 px tall.
    const signOut = await page.getByRole('button', { name: 'Sign out', exact: true }).boundingBox();
    expect(signOut?.height).toBeGreaterThanOrEqual(44);
    await saveScreenshot(page, 'console-account-phone');
    await context.close();
  });

  it('lays the navigation beside the page on a desktop screen', async () => {
    const { context, page } = await openConsole(browser, { url: consoleUrl, viewport: desktopViewport });
    await signInAsDemoHost(page);
    await dayShown(page);
    const navigation = await page.getByRole('navigation', { name: 'Sections' }).boundingBox();
    const main = await page.getByRole('main').boundingBox();
    expect(navigation && main && navigation.x + navigation.width <= main.x).toBe(true);
    await context.close();
  });
});
