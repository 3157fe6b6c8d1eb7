/**
 * Signing in to the host console in a real browser against the local cloud: password and authenticator code,
 * first sign-in of an invited host, password reset, and the refusals a host may meet on the way.
 */
import { AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { Browser, Locator, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signIn, totpFor } from '#infra/local/sign-in.ts';
import { storageOf } from '../support/hosts.ts';
import { cognitoClient } from '../support/local-cloud.ts';
import { launchChromium, openConsole, phoneViewport, saveScreenshot } from './browser.ts';
import {
  createHostWithoutAuthenticator,
  inviteHost,
  resetCodeFromLog,
  strongPassword,
  uniqueEmail,
  wrongCodeFor,
} from './hosts.ts';

const endpoints = inject('endpoints');
const consoleUrl = inject('consoleUrl');
const cognito = cognitoClient(endpoints);
const demo =
  endpoints.demo ??
  (() => {
    throw new Error('The local cloud was started without the demo tenant');
  })();

const codeLabel = '6-digit code from your authenticator app';
const textOf = async (page: Page, testId: string) => {
  const element = page.getByTestId(testId);
  await element.waitFor();
  return (await element.textContent())?.replace(/\s+/g, ' ').trim();
};

/** Waits until `target` holds the keyboard's focus, which the page gives it a frame after showing it. */
async function focusedOn(target: Locator): Promise<void> {
  await target.waitFor();
  await expect
    .poll(() => target.evaluate((element) => element === document.activeElement), { timeout: 20_000 })
    .toBe(true);
}

/** The user pool's answer to the page's password step. */
const isPasswordAnswer = (response: Response) =>
  response.request().method() === 'POST' &&
  response.request().headers()['x-amz-target'] === 'AWSCognitoIdentityProviderService.InitiateAuth';

async function enterPassword(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Continue' }).click();
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe('the demo host', () => {
  it('signs in with password and authenticator code, using only the keyboard, and sees who and which tenant', async () => {
    const { context, page } = await openConsole(browser, { url: consoleUrl });

    // The email field has focus when the page opens; Tab and Enter do the rest.
    await page.getByRole('heading', { name: 'Sign in to Lockstay' }).waitFor();
    await focusedOn(page.getByLabel('Email'));
    await page.keyboard.type(demo.username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(demo.password);
    await page.keyboard.press('Enter');
    // The step's heading takes the focus, so that Tab leads to the code.
    await focusedOn(page.getByRole('heading', { name: 'Two-step sign-in' }));
    await page.keyboard.press('Tab');
    await page.keyboard.type(totpFor(demo.totpSecret).generate());
    await page.keyboard.press('Enter');

    expect(await textOf(page, 'signed-in-as')).toBe(
      `Signed in as ${demo.username} (owner) of tenant ${demo.tenantId}`,
    );
    // Signed in, the console opens on the day at a glance.
    await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
    // The title follows the page a frame after it shows.
    await expect.poll(() => page.title(), { timeout: 20_000 }).toBe('Today · Lockstay');
    const sections = page.getByRole('navigation', { name: 'Sections' });
    expect(
      await sections.getByRole('link', { name: 'Today', exact: true }).getAttribute('aria-current'),
    ).toBe('page');
    await saveScreenshot(page, 'console-signed-in-desktop');

    // A reload keeps the session (this tab's storage); a new tab of another browser profile does not.
    await page.reload();
    expect(await textOf(page, 'signed-in-as')).toContain(demo.username);
    const other = await openConsole(browser, { url: consoleUrl });
    await other.page.getByRole('heading', { name: 'Sign in to Lockstay' }).waitFor();
    await other.context.close();
    await context.close();
  });

  it('is refused with a clear message when the authenticator code is wrong, and can then type the right one', async () => {
    const { context, page } = await openConsole(browser, { url: consoleUrl });
    await enterPassword(page, demo.username, demo.password);

    await page.getByLabel(codeLabel).fill(wrongCodeFor(demo.totpSecret));
    await page.getByRole('button', { name: 'Sign in' }).click();

    const refusal = page.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toBe(
      'That code is not right. Type the 6-digit code your authenticator app shows now for Lockstay.',
    );
    expect(await page.getByLabel(codeLabel).getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);

    await page.getByLabel(codeLabel).fill(totpFor(demo.totpSecret).generate());
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await textOf(page, 'signed-in-as')).toContain(demo.username);
    await context.close();
  });

  it('is told what is missing, and refused with the same words for a wrong password as for an unknown email', async () => {
    const { context, page } = await openConsole(browser, { url: consoleUrl });
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect
      .poll(() => page.getByRole('alert').allTextContents(), { timeout: 20_000 })
      .toEqual(['Type the email you sign in with.', 'Type your password.']);

    // Each refusal is read once the pool has answered that attempt: the page takes the last one's words away
    // as it sends the next, and shows the same words again when the answer comes.
    const refusal = page.getByRole('alert');
    await Promise.all([
      page.waitForResponse(isPasswordAnswer),
      enterPassword(page, demo.username, 'Not-the-password-1!'),
    ]);
    await refusal.waitFor();
    expect(await refusal.textContent()).toBe('The email or password is not right.');

    await Promise.all([
      page.waitForResponse(isPasswordAnswer),
      enterPassword(page, uniqueEmail('nobody'), 'Not-the-password-1!'),
    ]);
    await refusal.waitFor();
    expect(await refusal.textContent()).toBe('The email or password is not right.');
    await context.close();
  });
});

describe('an invited host', () => {
  it('sets a password, enrols an authenticator app from the typed key, verifies a code and lands signed in', async () => {
    const email = uniqueEmail('cleaner');
    const temporaryPassword = strongPassword();
    await inviteHost({
      cognito,
      endpoints,
      email,
      tenantId: demo.tenantId,
      role: 'staff',
      temporaryPassword,
    });
    const { context, page } = await openConsole(browser, { url: consoleUrl, viewport: phoneViewport });

    await enterPassword(page, email, temporaryPassword);
    await page.getByRole('heading', { name: 'Choose your password' }).waitFor();
    // A password that breaks the rules is stopped in the page, with what is missing.
    await page.getByLabel('New password', { exact: true }).fill('short');
    await page.getByLabel('New password again').fill('short');
    await page.getByRole('button', { name: 'Save password and continue' }).click();
    expect(await page.getByRole('alert').first().textContent()).toContain('at least 12 characters');

    const password = strongPassword();
    await page.getByLabel('New password', { exact: true }).fill(password);
    await page.getByLabel('New password again').fill(password);
    await page.getByRole('button', { name: 'Save password and continue' }).click();

    await page.getByRole('heading', { name: 'Set up your authenticator app' }).waitFor();
    await page.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
    await saveScreenshot(page, 'console-enrolment-phone');
    await page.getByText("Can't scan it? Type this key instead").click();
    const typedKey = (await textOf(page, 'totp-secret')) ?? '';
    expect(typedKey).toMatch(/^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/);
    const secret = typedKey.replace(/\s+/g, '');

    await page.getByLabel(codeLabel).fill(totpFor(secret).generate());
    await page.getByRole('button', { name: 'Verify and finish' }).click();

    expect(await textOf(page, 'signed-in-as')).toBe(
      `Signed in as ${email} (staff) of tenant ${demo.tenantId}`,
    );
    const user = await cognito.send(
      new AdminGetUserCommand({ UserPoolId: endpoints.cognito.userPoolId, Username: email }),
    );
    expect(user.UserStatus).toBe('CONFIRMED');
    expect(user.UserMFASettingList).toEqual(['SOFTWARE_TOKEN_MFA']);
    // Their first signed-in request makes the invitation an active membership: the console's pages answer.
    await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
    const userId = user.UserAttributes?.find(({ Name }) => Name === 'sub')?.Value ?? '';
    await expect
      .poll(async () => (await storageOf(endpoints).team.get({ tenantId: demo.tenantId, userId }))?.status, {
        timeout: 30_000,
      })
      .toBe('active');
    // From now on the pool asks this host for a code at every sign-in.
    const next = await signIn({
      cognito,
      clientId: endpoints.cognito.clientId,
      username: email,
      password,
      totpSecret: secret,
    });
    expect(next.IdToken).toBeDefined();
    await context.close();
  });
});

describe('a host without an authenticator app', () => {
  it('resets a forgotten password with the emailed code, and is sent to enrol an authenticator before anything else', async () => {
    const email = uniqueEmail('manager');
    await createHostWithoutAuthenticator({
      cognito,
      endpoints,
      email,
      tenantId: demo.tenantId,
      password: strongPassword(),
    });
    const { context, page } = await openConsole(browser, { url: consoleUrl });

    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    // The link changes the route, which the page follows a moment later: until then its Email is sign-in's.
    await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Email me a code' }).click();
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    const code = await resetCodeFromLog({ stateDir: inject('stateDir'), email });
    const password = strongPassword();
    await page.getByLabel('Code from the email').fill(code);
    await page.getByLabel('New password', { exact: true }).fill(password);
    await page.getByLabel('New password again').fill(password);
    await page.getByRole('button', { name: 'Change password' }).click();

    const notice = page.getByRole('status').filter({ hasText: 'password has been changed' });
    await notice.waitFor();
    await enterPassword(page, email, password);

    await page.getByRole('heading', { name: 'Set up your authenticator app' }).waitFor();
    expect(await page.getByTestId('signed-in-as').count()).toBe(0);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await context.close();
  });
});
