// Reads the recorded channel payloads and calendar feeds in test/fixtures/integrations.
import { readFileSync } from 'node:fs';

export function fixtureText(name: string): string {
  return readFileSync(new URL(`../../fixtures/integrations/${name}`, import.meta.url), 'utf8');
}

/** A fresh copy each time, so that a test may change it. */
export function fixtureJson<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(fixtureText(name)) as T;
}
