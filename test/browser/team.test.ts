/**
 * The Team page in a real browser against the local cloud: the demo owner reads what each role may do, invites a
 * cleaner assigned to one property, and the cleaner's first sign-in (temporary password from the invitation,
 * a new password, an authenticator app) lands them in a console without the Team and Integrations sections,
 * while the API refuses what a cleaner may not do. The owner then changes the cleaner's properties and removes
 * them.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { totpFor } from '#infra/local/sign-in.ts';
import { type HostApiClient, hostApiClient } from '../support/hosts.ts';
import { demoOwnerToken } from '../support/local-cloud.ts';
import { launchChromium, openConsole, phoneViewport, saveScreenshot } from './browser.ts';
import { strongPassword, uniqueEmail } from './hosts.ts';
import { signInAsDemoHost } from './signing-in.ts';

const endpoints = inject('endpoints');
const consoleUrl = inject('consoleUrl');
const demo =
  endpoints.demo ??
  (() => {
    throw new Error('The local cloud was started without the demo tenant');
  })();
const codeLabel = '6-digit code from your authenticator app';
const sessionKey = 'lockstay.console.session';

const sections = (page: Page) => page.getByRole('navigation', { name: 'Sections' });

/**
 * The temporary password of an invitation: cognito-local "emails" it by printing the message to its log, which
 * the local cloud keeps in its state folder. Waits for it to be written.
 */
async function temporaryPasswordFromLog(email: string): Promise<string> {
  const escaped = email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`Destination:\\s*${escaped}[\\s\\S]*?Code:\\s*(\\S+)`, 'g');
  // Generous: cognito-local's log reaches the file through the local cloud's process, which a busy machine slows.
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const log = await readFile(join(inject('stateDir'), 'logs', 'cognito.log'), 'utf8').catch(() => '');
    const password = [...log.matchAll(pattern)].at(-1)?.[1];
    if (password) return password;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`No invitation for ${email} in cognito-local's log`);
}

interface Member {
  readonly userId: string;
  readonly email: string;
  readonly role: string;
  readonly status: string;
  readonly assignedPropertyIds: string[];
}

async function memberByEmail(owner: HostApiClient, email: string): Promise<Member | undefined> {
  const listed = await owner.request('GET', '/users', { query: { limit: '100' } });
  expect(listed.status).toBe(200);
  return (listed.body.items as Member[]).find((member) => member.email === email);
}

/** Each test drives a whole sign-in and waits on the local cloud; generous, since the machine may be busy. */
const slowCloud = 180_000;

let browser: Browser;
let owner: HostApiClient;
let otherPropertyId: string;
const otherPropertyName = `Dune house ${crypto.randomUUID().slice(0, 8)}`;
beforeAll(async () => {
  browser = await launchChromium();
  owner = hostApiClient(endpoints, await demoOwnerToken(endpoints));
  const created = await owner.request('POST', '/properties', {
    body: {
      name: otherPropertyName,
      address: { line1: 'Strandweg 3', city: 'Texel', countryCode: 'NL' },
      timeZone: 'Europe/Amsterdam',
    },
  });
  expect(created.status).toBe(201);
  otherPropertyId = created.body.id;
});
afterAll(async () => {
  await browser?.close();
});

describe('the team', { timeout: slowCloud }, () => {
  it('shows what each role may do, as the API enforces it', async () => {
    const { context, page } = await openConsole(browser, { url: consoleUrl });
    await signInAsDemoHost(page);
    await sections(page).getByRole('link', { name: 'Team' }).click();
    const matrix = page.getByTestId('role-matrix');
    await matrix.waitFor();

    const row = (action: string) => matrix.getByRole('row', { name: action, exact: false });
    expect(await row('Open a lock remotely').getByRole('cell').allTextContents()).toEqual([
      'Yes',
      'Yes',
      'Only during their own access window',
    ]);
    expect(await row('Invite a team member').getByRole('cell').allTextContents()).toEqual([
      'Yes',
      'No',
      'No',
    ]);
    expect(await row("See a property's bookings").getByRole('cell').allTextContents()).toEqual([
      'Yes',
      'Yes',
      'Only at their assigned properties',
    ]);
    await context.close();
  });

  it('invites a cleaner for one property, who signs in for the first time and sees only what a cleaner may', async () => {
    const email = uniqueEmail('cleaner');
    const name = `Rosa ${crypto.randomUUID().slice(0, 4)}`;
    const ownerView = await openConsole(browser, { url: consoleUrl });
    const page = ownerView.page;
    await signInAsDemoHost(page);
    await sections(page).getByRole('link', { name: 'Team' }).click();
    const invite = page.getByRole('region', { name: 'Invite someone' });
    await invite.waitFor();
    // The members are listed above the form once read; wait for them, so the form's button holds still.
    await page.getByText('Loading the team…').waitFor({ state: 'detached' });

    // A malformed email is refused by the API next to the field; what was typed stays.
    await invite.getByLabel('Email').fill('rosa-at-example');
    await invite.getByLabel('Name').fill(name);
    await invite.getByRole('button', { name: 'Send invitation' }).click();
    await invite.locator('.field-error').first().waitFor();
    expect(await invite.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');
    expect(await invite.getByLabel('Name').inputValue()).toBe(name);
    expect(await memberByEmail(owner, 'rosa-at-example')).toBeUndefined();

    await invite.getByLabel('Email').fill(email);
    await invite.getByLabel('Role').selectOption('staff');
    const demoProperty = (await owner.request('GET', `/properties/${demo.propertyId}`)).body as {
      name: string;
    };
    await invite.getByRole('checkbox', { name: demoProperty.name }).check();
    await invite.getByRole('button', { name: 'Send invitation' }).click();
    await invite.getByText(`Invitation sent to ${email}`).waitFor();

    const card = page.getByTestId('team-member').filter({ hasText: email });
    expect(await card.getByTestId('member-role').textContent()).toBe('Staff (e.g. a cleaner)');
    expect(await card.getByTestId('member-properties').textContent()).toBe(demoProperty.name);
    expect(await card.textContent()).toContain('Invited: has not signed in yet');
    const invited = await memberByEmail(owner, email);
    expect(invited).toMatchObject({
      role: 'staff',
      status: 'invited',
      assignedPropertyIds: [demo.propertyId],
    });
    await saveScreenshot(page, 'team-invited-desktop');

    // The cleaner's first sign-in, on a phone, with the invitation's temporary password.
    const cleanerView = await openConsole(browser, { url: consoleUrl, viewport: phoneViewport });
    const cleaner = cleanerView.page;
    await cleaner.getByLabel('Email').fill(email);
    await cleaner.getByLabel('Password', { exact: true }).fill(await temporaryPasswordFromLog(email));
    await cleaner.getByRole('button', { name: 'Continue' }).click();
    await cleaner.getByRole('heading', { name: 'Choose your password' }).waitFor();
    const password = strongPassword();
    await cleaner.getByLabel('New password', { exact: true }).fill(password);
    await cleaner.getByLabel('New password again').fill(password);
    await cleaner.getByRole('button', { name: 'Save password and continue' }).click();
    await cleaner.getByRole('heading', { name: 'Set up your authenticator app' }).waitFor();
    await cleaner.getByText("Can't scan it? Type this key instead").click();
    const secret = ((await cleaner.getByTestId('totp-secret').textContent()) ?? '').replace(/\s+/g, '');
    await cleaner.getByLabel(codeLabel).fill(totpFor(secret).generate());
    await cleaner.getByRole('button', { name: 'Verify and finish' }).click();
    await cleaner.getByTestId('signed-in-as').waitFor();
    expect(await cleaner.getByTestId('signed-in-as').textContent()).toContain(`${email} (staff)`);

    // No Team, Integrations or Audit log sections; a typed address of one leads elsewhere.
    const links = await sections(cleaner).getByRole('link').allTextContents();
    expect(links).toContain('Your account');
    expect(links).not.toContain('Team');
    expect(links).not.toContain('Integrations');
    expect(links).not.toContain('Audit log');
    await cleaner.goto(`${consoleUrl}#/team`);
    await cleaner.waitForFunction(() => window.location.hash !== '#/team');
    expect(await cleaner.getByRole('heading', { name: 'Team', level: 1 }).count()).toBe(0);
    await saveScreenshot(cleaner, 'team-cleaner-phone');

    // The API agrees: their property only, and refusals for the rest; their first request made them active.
    const session = (await cleaner.evaluate((key) => sessionStorage.getItem(key), sessionKey)) ?? 'null';
    const cleanerApi = hostApiClient(endpoints, (JSON.parse(session) as { idToken: string }).idToken);
    const properties = await cleanerApi.request('GET', '/properties', { query: { limit: '100' } });
    expect(properties.status).toBe(200);
    expect(properties.body.items.map((property: { id: string }) => property.id)).toEqual([demo.propertyId]);
    expect((await cleanerApi.request('GET', `/properties/${otherPropertyId}`)).status).toBe(403);
    expect((await cleanerApi.request('GET', '/integrations')).status).toBe(403);
    expect((await cleanerApi.request('GET', '/users')).status).toBe(403);
    const lock = endpoints.demoLocks?.find((candidate) => candidate.connectivity === 'wifi');
    if (!lock) throw new Error('The local cloud was started without the demo locks');
    const unlock = await cleanerApi.request('POST', `/locks/${lock.lockId}/unlock`, {
      body: {},
      headers: { 'idempotency-key': crypto.randomUUID() },
    });
    expect(unlock.status).toBe(403);
    expect((await memberByEmail(owner, email))?.status).toBe('active');
    await cleanerView.context.close();

    // The owner adds a property to the cleaner's, then removes the cleaner.
    await page.reload();
    const member = page.getByTestId('team-member').filter({ hasText: email });
    await member.getByRole('button', { name: 'Change role or properties' }).click();
    await member.getByRole('checkbox', { name: otherPropertyName }).check();
    await member.getByRole('button', { name: 'Save changes' }).click();
    await member.getByTestId('member-properties').getByText(otherPropertyName, { exact: false }).waitFor();
    expect(new Set((await memberByEmail(owner, email))?.assignedPropertyIds)).toEqual(
      new Set([demo.propertyId, otherPropertyId]),
    );

    await member.getByRole('button', { name: 'Remove' }).click();
    await member.getByRole('button', { name: 'Yes, remove' }).click();
    await page.getByText('Removed members (', { exact: false }).waitFor();
    expect((await memberByEmail(owner, email))?.status).toBe('removed');
    await ownerView.context.close();
  });
});
