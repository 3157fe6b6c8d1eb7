/**
 * A property's listings at its booking sources, as the Properties page changes them: the API replaces the whole
 * set (`PUT /properties/{id}/external-listings`), so adding or removing one sends the others with it; and the
 * API's refusal of a new listing, read back onto the two fields the host typed it in. Pure, so it is specified
 * by unit tests apart from the page.
 */
import type { IntegrationView } from '#shared/integrations/integration.ts';
import type { ExternalListing, PropertyListingsInput } from '#shared/integrations/property-listings.ts';
import { ApiError } from '../api.ts';
import { kindLabel } from '../integrations/integration-status.ts';
import type { Choice } from '../ui/admin.tsx';
import { failureMessage } from '../ui/admin.tsx';

export interface NewListing {
  readonly integrationId: string;
  readonly externalListingId: string;
}

const sameListing = (a: NewListing, b: NewListing) =>
  a.integrationId === b.integrationId && a.externalListingId === b.externalListingId;

const bodyOf = (listings: readonly NewListing[]): PropertyListingsInput => ({
  listings: listings.map(({ integrationId, externalListingId }) => ({ integrationId, externalListingId })),
});

/** Every mapped listing and then the new one last (its index is what the API's field errors name). */
export function withListing(current: readonly ExternalListing[], added: NewListing): PropertyListingsInput {
  const listing = { integrationId: added.integrationId, externalListingId: added.externalListingId.trim() };
  return bodyOf([...current.filter((mapped) => !sameListing(mapped, listing)), listing]);
}

/** Every mapped listing but the one removed, which then maps to no property. */
export function withoutListing(
  current: readonly ExternalListing[],
  removed: NewListing,
): PropertyListingsInput {
  return bodyOf(current.filter((mapped) => !sameListing(mapped, removed)));
}

/** The booking sources that have listings: webhooks and channel managers (an iCal feed is one property). */
export function sourceChoices(integrations: readonly IntegrationView[]): Choice[] {
  return integrations
    .filter((integration) => integration.kind !== 'ical')
    .map((integration) => ({
      value: integration.id,
      label: `${integration.name} (${kindLabel(integration.kind)})`,
    }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

export interface NewListingErrors {
  readonly integrationId?: string;
  readonly externalListingId?: string;
  /** What belongs to neither field (the API unreachable, a refusal). */
  readonly other?: string;
}

/**
 * The API's refusal of the body `withListing` made, by field: its field errors for the new listing (at `index`);
 * a 409 (the listing id is another property's) beside the listing id, with the ids it names in the host's words.
 */
export function newListingErrors({
  failure,
  index,
  names,
}: {
  failure: unknown;
  index: number;
  /** Property and integration names by id, to read the API's ids as names. */
  names: ReadonlyMap<string, string>;
}): NewListingErrors {
  if (failure === undefined) return {};
  if (failure instanceof ApiError && failure.status === 409) {
    return { externalListingId: inHostWords(failure.message, names) };
  }
  if (failure instanceof ApiError && failure.fieldProblems.length > 0) {
    const messageOf = (field: string) =>
      failure.fieldProblems.find(
        (problem) => problem.field.replace(/^body\./, '') === `listings.${index}.${field}`,
      )?.message;
    const integrationId = messageOf('integrationId');
    const externalListingId = messageOf('externalListingId');
    if (integrationId !== undefined || externalListingId !== undefined) {
      return {
        ...(integrationId === undefined ? {} : { integrationId }),
        ...(externalListingId === undefined ? {} : { externalListingId }),
      };
    }
  }
  return { other: failureMessage(failure, 'add the listing') };
}

/** The message with each id it names replaced by that thing's name, quoted. */
export function inHostWords(message: string, names: ReadonlyMap<string, string>): string {
  let words = message;
  for (const [id, name] of names) words = words.split(id).join(`“${name}”`);
  return words;
}
