import { describe, expect, it } from 'vitest';
import type { IntegrationView } from '#shared/integrations/integration.ts';
import { type ExternalListing, propertyListingsInputSchema } from '#shared/integrations/property-listings.ts';
import { ApiError } from '../../../web/console/src/api.ts';
import {
  inHostWords,
  newListingErrors,
  sourceChoices,
  withListing,
  withoutListing,
} from '../../../web/console/src/properties/property-listings.ts';

const mapped: ExternalListing[] = [
  { integrationId: 'int-hostaway', kind: 'hostaway', name: 'Hostaway', externalListingId: '4411' },
  { integrationId: 'int-webhook', kind: 'lockstay-webhook', name: 'Own site', externalListingId: 'casa-1' },
];

const integration = (id: string, kind: IntegrationView['kind'], name: string) =>
  ({ id, kind, name }) as IntegrationView;

describe('changing a property’s listings at its booking sources', () => {
  it('sends every mapped listing with the new one last, its id trimmed, as the API takes it', () => {
    const body = withListing(mapped, { integrationId: 'int-webhook', externalListingId: '  casa-2 ' });

    expect(body.listings).toEqual([
      { integrationId: 'int-hostaway', externalListingId: '4411' },
      { integrationId: 'int-webhook', externalListingId: 'casa-1' },
      { integrationId: 'int-webhook', externalListingId: 'casa-2' },
    ]);
    expect(propertyListingsInputSchema.safeParse(body).success).toBe(true);
  });

  it('sends a listing already mapped once, last', () => {
    const body = withListing(mapped, { integrationId: 'int-hostaway', externalListingId: '4411' });

    expect(body.listings).toEqual([
      { integrationId: 'int-webhook', externalListingId: 'casa-1' },
      { integrationId: 'int-hostaway', externalListingId: '4411' },
    ]);
  });

  it('removes one listing and keeps the others, including the same id at another source', () => {
    const withTwin = [
      ...mapped,
      { ...mapped[0], integrationId: 'int-other', name: 'Other' } as ExternalListing,
    ];

    const body = withoutListing(withTwin, { integrationId: 'int-hostaway', externalListingId: '4411' });

    expect(body.listings).toEqual([
      { integrationId: 'int-webhook', externalListingId: 'casa-1' },
      { integrationId: 'int-other', externalListingId: '4411' },
    ]);
  });

  it('offers the webhooks and channel managers by name and kind, never an iCal feed', () => {
    const choices = sourceChoices([
      integration('int-feed', 'ical', 'Airbnb calendar'),
      integration('int-webhook', 'lockstay-webhook', 'Own site'),
      integration('int-guesty', 'guesty', 'Channel manager'),
    ]);

    expect(choices).toEqual([
      { value: 'int-guesty', label: 'Channel manager (Guesty)' },
      { value: 'int-webhook', label: 'Own site (Lockstay webhook)' },
    ]);
  });
});

describe('the API’s refusal of a new listing', () => {
  const names = new Map([
    ['prop-9', 'Casa Azul'],
    ['int-webhook', 'Own site'],
  ]);

  it('puts the field errors of the new listing beside its two fields', () => {
    const failure = new ApiError({
      status: 400,
      title: 'Bad Request',
      detail: 'The listings name unusable integrations',
      fieldProblems: [
        { field: 'listings.0.integrationId', message: 'not this one' },
        { field: 'listings.2.integrationId', message: 'No integration int-gone' },
        { field: 'listings.2.externalListingId', message: 'Too small' },
      ],
    });

    expect(newListingErrors({ failure, index: 2, names })).toEqual({
      integrationId: 'No integration int-gone',
      externalListingId: 'Too small',
    });
  });

  it('puts a listing of another property (409) beside the listing id, naming the property and source', () => {
    const failure = new ApiError({
      status: 409,
      title: 'Conflict',
      detail: 'Listing casa-1 of integration int-webhook is mapped to property prop-9; unmap it there first',
    });

    expect(newListingErrors({ failure, index: 1, names })).toEqual({
      externalListingId:
        'Listing casa-1 of integration “Own site” is mapped to property “Casa Azul”; unmap it there first',
    });
  });

  it('says what belongs to neither field apart, and nothing when there was no failure', () => {
    const offline = new ApiError({ status: 0, title: 'Offline', detail: 'Lockstay could not be reached.' });
    const elsewhere = new ApiError({
      status: 400,
      title: 'Bad Request',
      detail: 'The listings are not valid',
      fieldProblems: [{ field: 'listings', message: 'Too big' }],
    });

    expect(newListingErrors({ failure: offline, index: 0, names })).toEqual({
      other: 'Lockstay could not be reached.',
    });
    expect(newListingErrors({ failure: elsewhere, index: 0, names })).toEqual({
      other: 'The listings are not valid',
    });
    expect(newListingErrors({ failure: undefined, index: 0, names })).toEqual({});
  });

  it('leaves a message that names no known id as it is', () => {
    expect(inHostWords('Listing 7 is mapped to property prop-x', names)).toBe(
      'Listing 7 is mapped to property prop-x',
    );
  });
});
