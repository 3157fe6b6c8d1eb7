/**
 * Bookings and grants in a real browser against the local cloud: a booking entered by hand at the demo
 * property (whose locks run the reference firmware) whose code the page watches become `set`, a wrong entry
 * answered next to its fields with what was typed kept, the booking changed and cancelled, a delivery code
 * issued and shown, a guest found by name, and the guest's email sent again from the page (a second email
 * arrives in the SES twin). Each step is checked on the page and through the API.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoOwner, type HostApiClient, hostApiClient, idTokenOf } from '../support/hosts.ts';
import { readMime } from '../support/mail-client.ts';
import { launchChromium, openConsole, phoneViewport, saveScreenshot } from './browser.ts';
import { signInAsDemoHost } from './signing-in.ts';

const endpoints = inject('endpoints');
const consoleUrl = inject('consoleUrl');
const demo =
  endpoints.demo ??
  (() => {
    throw new Error('The local cloud was started without the demo tenant');
  })();
const unique = Date.now().toString(36);
const guestName = `Inês Browser ${unique}`;

const lisbonDate = (offsetDays: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Lisbon' }).format(
    new Date(Date.now() + offsetDays * 86_400_000),
  );
// Read once: a date read again after midnight at the property would no longer be the one typed.
const arrival = lisbonDate(1);
const departure = lisbonDate(3);
const changedDeparture = lisbonDate(4);

interface StoredEmail {
  readonly messageId: string;
  readonly destination: { readonly to: readonly string[] };
}

/** The emails the SES twin holds for `to`, oldest first. */
async function emailsTo(to: string): Promise<StoredEmail[]> {
  const store = (await (await fetch(`${endpoints.services.ses}/store`)).json()) as { emails: StoredEmail[] };
  return store.emails.filter((email) => email.destination.to.includes(to));
}

/** The `booking.guest-emailed` events of the test's booking, as its timeline in the API has them. */
async function guestEmailEvents(): Promise<{ details: { reason?: string } }[]> {
  const detail = await api.request('GET', `/bookings/${bookingId}`);
  return (detail.body.timeline.events as { action: string; details: { reason?: string } }[]).filter(
    (event) => event.action === 'booking.guest-emailed',
  );
}

async function openBookings(page: Page): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Sections' })
    .getByRole('link', { name: 'Bookings', exact: true })
    .click();
  await page.getByRole('heading', { name: 'Bookings and grants' }).waitFor();
  await page.getByLabel('Property', { exact: true }).selectOption(demo.propertyId);
  // The schedule arrives after the page and pushes what is below it down: a click aimed before it lands would
  // hit whatever moved under the pointer. Its Search button says "Please wait…" until then.
  await page
    .getByRole('form', { name: 'Search bookings' })
    .getByRole('button', { name: 'Search', exact: true })
    .waitFor();
}

/** Waits until no code on the page is on its way to a lock: the page stops asking, and its layout stops moving. */
async function untilCodesSettle(page: Page): Promise<void> {
  await page.getByText('Waiting for the locks to confirm…').waitFor({ state: 'detached', timeout: 30_000 });
}

let browser: Browser;
let api: HostApiClient;
let page: Page;
let bookingId: string;
beforeAll(async () => {
  browser = await launchChromium();
  api = hostApiClient(endpoints, await idTokenOf(endpoints, await demoOwner(endpoints)));
  ({ page } = await openConsole(browser, { url: consoleUrl }));
  await signInAsDemoHost(page);
});
afterAll(async () => {
  await browser?.close();
});

describe('a booking entered by hand', () => {
  it('is refused with the API’s field errors next to the fields, keeping what was typed', async () => {
    await openBookings(page);
    await page.getByRole('button', { name: 'New booking' }).click();
    const form = page.getByRole('region', { name: /^New booking at/ });
    await form.getByLabel('Guest’s email (optional)').fill('not an email');
    await form.getByLabel('Arrival').fill(arrival);
    await form.getByLabel('Departure').fill(departure);
    await form.getByRole('button', { name: 'Enter booking' }).click();

    await expect
      .poll(() => form.locator('.field-error').count(), { timeout: 30_000 })
      .toBeGreaterThanOrEqual(2);
    const nameField = form.getByLabel('Guest’s name');
    const emailField = form.getByLabel('Guest’s email (optional)');
    expect(await nameField.getAttribute('aria-invalid')).toBe('true');
    expect(await emailField.getAttribute('aria-invalid')).toBe('true');
    expect(await emailField.inputValue()).toBe('not an email');
    expect(await form.getByLabel('Arrival').inputValue()).toBe(arrival);
    await saveScreenshot(page, 'bookings-field-errors');
  });

  it('once corrected is entered, and its code becomes set on the demo lock', async () => {
    const form = page.getByRole('region', { name: /^New booking at/ });
    await form.getByLabel('Guest’s name').fill(guestName);
    await form.getByLabel('Guest’s email (optional)').fill(`ines-${unique}@example.com`);
    await form.getByRole('button', { name: 'Enter booking' }).click();

    await page.getByRole('heading', { name: `Booking of ${guestName}` }).waitFor({ timeout: 30_000 });
    bookingId = decodeURIComponent(new URL(page.url()).hash.replace('#/bookings/', ''));
    const frontDoor = page.locator('[data-testid="code-status"] li[data-lock="Front door"]');
    await frontDoor.locator('[data-status="set"]').waitFor({ timeout: 30_000 });
    // The other locks' codes may still be on their way; the buttons below them move as they land.
    await untilCodesSettle(page);
    const pinShown = await frontDoor.getByTestId('pin').textContent();

    const detail = await api.request('GET', `/bookings/${bookingId}`);
    expect(detail.body.booking.guest.name).toBe(guestName);
    const lockId = endpoints.demoLocks?.find((lock) => lock.name === 'Front door')?.lockId;
    const code = detail.body.grant.accessCodes.find((each: { lockId: string }) => each.lockId === lockId);
    expect(code).toMatchObject({ status: 'set', pin: pinShown });
    await expect
      .poll(
        () => page.locator('[data-testid="timeline"] li[data-action="access-code.set-on-lock"]').count(),
        {
          timeout: 30_000,
        },
      )
      .toBeGreaterThan(0);
    await saveScreenshot(page, 'bookings-detail');
  });

  it('sends the guest their email again from the page: another email arrives with a link', async () => {
    const guestEmail = `ines-${unique}@example.com`;
    // The access email is due at once (arrival is close); wait for it, so the resent one comes after it.
    await expect
      .poll(async () => (await emailsTo(guestEmail)).length, { timeout: 45_000 })
      .toBeGreaterThanOrEqual(1);
    // Its send is recorded (with its timeline event) only after the mail service took it: wait for that too, so
    // the page's timeline read after the resend holds both emails.
    await expect
      .poll(async () => (await guestEmailEvents()).length, { timeout: 45_000 })
      .toBeGreaterThanOrEqual(1);
    const before = (await emailsTo(guestEmail)).map((email) => email.messageId);

    await page.getByRole('button', { name: 'Resend guest email' }).click();

    await page.getByText(`The guest’s email was sent again to ${guestEmail}.`).waitFor();
    const detail = await api.request('GET', `/bookings/${bookingId}`);
    const resent = (
      detail.body.timeline.events as { action: string; details: { reason?: string; messageId?: string } }[]
    ).find((event) => event.action === 'booking.guest-emailed' && event.details.reason === 'resent');
    const messageId = resent?.details.messageId ?? '';
    expect(messageId).not.toBe('');
    expect(before).not.toContain(messageId);
    await expect
      .poll(async () => (await emailsTo(guestEmail)).map((email) => email.messageId), { timeout: 45_000 })
      .toContain(messageId);
    const eml = (await (
      await fetch(`${endpoints.services.ses}/get-emlContent?messageId=${encodeURIComponent(messageId)}`)
    ).json()) as { body: { data: number[] } };
    const mail = await readMime(Buffer.from(eml.body.data));
    expect(mail.text).toContain(guestName);
    expect(mail.text).toMatch(/\/stay\/#[A-Za-z0-9_-]{43}/);
    await page.locator('[data-testid="timeline"] li[data-action="booking.guest-emailed"]').nth(1).waitFor();
    await saveScreenshot(page, 'bookings-guest-email-resent');
  });

  it('is changed: the new departure shows, and the API has it', async () => {
    await page.getByRole('button', { name: 'Change booking' }).click();
    const form = page.getByRole('region', { name: 'Change booking' });
    await form.getByLabel('Departure').fill(changedDeparture);
    await form.getByRole('button', { name: 'Save changes' }).click();

    await page.getByText('The booking was changed').waitFor();
    expect(await page.getByTestId('booking-facts').textContent()).toContain(changedDeparture);
    const detail = await api.request('GET', `/bookings/${bookingId}`);
    expect(detail.body.booking.departureDate).toBe(changedDeparture);
    await page.locator('[data-testid="timeline"] li[data-action="booking.modified"]').waitFor();
    // Its codes go to the locks again with the new window: wait until they are back, so that the page holds still.
    await untilCodesSettle(page);
  });

  it('is cancelled: the page says so, and its codes come off', async () => {
    await page.getByRole('button', { name: 'Cancel booking' }).click();
    await page.getByLabel('Reason (optional)').fill('Guest changed plans');
    await page.getByRole('button', { name: 'Yes, cancel the booking' }).click();

    await expect
      .poll(() => page.getByTestId('booking-status').textContent(), { timeout: 30_000 })
      .toBe('cancelled');
    const detail = await api.request('GET', `/bookings/${bookingId}`);
    expect(detail.body.booking.status).toBe('cancelled');
    expect(detail.body.grant.status).toBe('revoked');
    await page.locator('[data-testid="timeline"] li[data-action="booking.cancelled"]').waitFor();
    await saveScreenshot(page, 'bookings-cancelled');
  });

  it('is found by part of the guest’s name, without the accent', async () => {
    await page.getByRole('link', { name: '← All bookings' }).click();
    await openBookings(page);
    const search = page.getByRole('form', { name: 'Search bookings' });
    await search.getByLabel('Guest’s name').fill(`ines browser ${unique}`);
    await search.getByRole('button', { name: 'Search' }).click();

    // The upcoming schedule stays shown until the search answers: wait for the rows to be the search's.
    const rows = page.locator('[data-testid="bookings"] tbody tr');
    await expect
      .poll(() => rows.evaluateAll((found) => found.map((row) => row.getAttribute('data-booking'))), {
        timeout: 30_000,
      })
      .toEqual([bookingId]);
    await saveScreenshot(page, 'bookings-search');
  });
});

describe('a delivery code', () => {
  it('is issued from the page and its code shown, as the API has it', async () => {
    await openBookings(page);
    // The grants list above the form arrives after the page; wait for it before aiming at the form's button.
    await page.locator('[data-testid="grants"] tbody tr').first().waitFor();
    await page.getByLabel('Kind of access').selectOption('delivery');
    await page.getByLabel('Who is delivering').fill(`Parcel ${unique}`);
    await page.getByRole('button', { name: 'Give access' }).click();

    await page.getByRole('heading', { name: `Delivery: Parcel ${unique}` }).waitFor({ timeout: 30_000 });
    const grantId = decodeURIComponent(new URL(page.url()).hash.replace('#/bookings/grants/', ''));
    const frontDoor = page.locator('[data-testid="code-status"] li[data-lock="Front door"]');
    const pinShown = (await frontDoor.getByTestId('pin').textContent()) ?? '';
    expect(pinShown).toMatch(/^\d{4,8}$/);
    const grant = await api.request('GET', `/grants/${grantId}`);
    expect(grant.body.grant.kind).toBe('delivery');
    expect(grant.body.accessCodes.map((code: { pin: string }) => code.pin)).toContain(pinShown);
    await frontDoor.locator('[data-status="set"]').waitFor({ timeout: 30_000 });
    await untilCodesSettle(page);
    await saveScreenshot(page, 'bookings-delivery-grant');
  });

  it('is revoked from its page once the host confirms, with the reason in its timeline', async () => {
    const grantId = decodeURIComponent(new URL(page.url()).hash.replace('#/bookings/grants/', ''));
    await page.getByRole('button', { name: 'Revoke access' }).click();
    await page.getByRole('heading', { name: 'Revoke this access now?' }).waitFor();
    await page.getByRole('button', { name: 'Keep it' }).click();
    expect(await page.getByTestId('grant-status').textContent()).toBe('active');

    await page.getByRole('button', { name: 'Revoke access' }).click();
    await page.getByLabel('Reason (optional)').fill('Parcel delivered');
    await page.getByRole('button', { name: 'Yes, revoke' }).click();

    await expect
      .poll(() => page.getByTestId('grant-status').textContent(), { timeout: 30_000 })
      .toBe('revoked');
    expect(await page.getByRole('button', { name: 'Revoke access' }).count()).toBe(0);
    const grant = await api.request('GET', `/grants/${grantId}`);
    expect(grant.body.status).toBe('revoked');
    // The timeline is read from an index, which may lag a moment behind the revocation.
    const revocationReason = async () => {
      const events = (await api.request('GET', `/grants/${grantId}`)).body.timeline.events as {
        action: string;
        details: { reason?: string };
      }[];
      return events.find((event) => event.action === 'grant.revoked')?.details.reason;
    };
    await expect.poll(revocationReason, { timeout: 30_000 }).toBe('Parcel delivered');
  });

  it('fits a phone’s screen', async () => {
    await page.setViewportSize(phoneViewport);
    await openBookings(page);
    // Measured once the schedule and the grants (both hold this file's stays) are on the page.
    await page.locator('[data-testid="bookings"] tbody tr').first().waitFor();
    await page.locator('[data-testid="grants"] tbody tr').first().waitFor();
    const sideways = await page.evaluate(
      () => document.documentElement.scrollWidth > document.documentElement.clientWidth,
    );
    expect(sideways).toBe(false);
    await saveScreenshot(page, 'bookings-phone');
  });
});
