/**
 * Signing in through the console's own pages, as a host does: email and password, then the six-digit code
 * of their authenticator app, until the page names who is signed in.
 */
import type { Page } from 'playwright-core';
import { inject } from 'vitest';
import { totpFor } from '#infra/local/sign-in.ts';

export const authenticatorCodeLabel = '6-digit code from your authenticator app';

export interface EnrolledHost {
  readonly email: string;
  readonly password: string;
  /** The secret of the host's authenticator app, to make its current code. */
  readonly totpSecret: string;
}

export async function signInAs(page: Page, host: EnrolledHost): Promise<void> {
  await page.getByLabel('Email').fill(host.email);
  await page.getByLabel('Password', { exact: true }).fill(host.password);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel(authenticatorCodeLabel).fill(totpFor(host.totpSecret).generate());
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('signed-in-as').waitFor();
}

/** Signs in as the owner of the demo tenant that the local cloud creates at start. */
export async function signInAsDemoHost(page: Page): Promise<void> {
  const { demo } = inject('endpoints');
  if (!demo) throw new Error('The local cloud was started without the demo tenant');
  await signInAs(page, { email: demo.username, password: demo.password, totpSecret: demo.totpSecret });
}
