/**
 * The sources' listings on the property, over the host API: an owner reads them in the property's view and
 * sets them with `PUT /properties/{propertyId}/external-listings`; the answers are as the route table documents.
 */
import { describe, expect, it } from 'vitest';
import { addProperty, addTeamMember, tenantA, tenantB } from '../domain/fakes.ts';
import { type Caller, documented, hostApi } from '../http/host-api-harness.ts';

const owner: Caller = { tenantId: tenantA, userId: 'usr_owner' };
const manager: Caller = { tenantId: tenantA, userId: 'usr_manager', role: 'manager' };
const otherOwner: Caller = { tenantId: tenantB, userId: 'usr_b_owner' };

async function setUp() {
  const api = hostApi();
  addTeamMember(api.store, { role: 'owner' });
  addTeamMember(api.store, { role: 'manager' });
  addTeamMember(api.store, { role: 'owner', tenantId: tenantB, userId: 'usr_b_owner' });
  addProperty(api.store);
  const created = await api.call('POST /integrations', {
    as: owner,
    body: { kind: 'hostaway', name: 'Hostaway', listings: { '218666': 'prp_loft' } },
  });
  expect(created.status).toBe(201);
  return { api, hostawayId: created.body.integration.id as string };
}

describe('GET /properties/{propertyId} with the sources’ listings', () => {
  it('shows an owner the listings mapped to the property; a manager the property alone', async () => {
    const { api, hostawayId } = await setUp();

    const forOwner = await api.call('GET /properties/{propertyId}', {
      as: owner,
      path: { propertyId: 'prp_loft' },
    });
    const forManager = await api.call('GET /properties/{propertyId}', {
      as: manager,
      path: { propertyId: 'prp_loft' },
    });

    expect(forOwner.status).toBe(200);
    expect(documented('GET /properties/{propertyId}', forOwner).externalListings).toEqual([
      { integrationId: hostawayId, kind: 'hostaway', name: 'Hostaway', externalListingId: '218666' },
    ]);
    expect(forManager.status).toBe(200);
    expect(forManager.body.id).toBe('prp_loft');
    expect(forManager.body).not.toHaveProperty('externalListings');
  });
});

describe('PUT /properties/{propertyId}/external-listings', () => {
  it('replaces the property’s listings, which the integration then maps', async () => {
    const { api, hostawayId } = await setUp();

    const answer = await api.call('PUT /properties/{propertyId}/external-listings', {
      as: owner,
      path: { propertyId: 'prp_loft' },
      body: { listings: [{ integrationId: hostawayId, externalListingId: '300100' }] },
    });

    expect(answer.status).toBe(200);
    expect(documented('PUT /properties/{propertyId}/external-listings', answer).externalListings).toEqual([
      { integrationId: hostawayId, kind: 'hostaway', name: 'Hostaway', externalListingId: '300100' },
    ]);
    const integration = await api.call('GET /integrations/{integrationId}', {
      as: owner,
      path: { integrationId: hostawayId },
    });
    expect(integration.body.listings).toEqual({ '300100': 'prp_loft' });
  });

  it('answers 400 naming the field, 403 to a manager, 404 for another tenant’s property, 409 for a taken listing', async () => {
    const { api, hostawayId } = await setUp();
    addProperty(api.store, { id: 'prp_cabin', name: 'Cabin' });
    await api.call('PUT /properties/{propertyId}/external-listings', {
      as: owner,
      path: { propertyId: 'prp_cabin' },
      body: { listings: [{ integrationId: hostawayId, externalListingId: '400200' }] },
    });
    const put = (as: Caller, body: unknown) =>
      api.call('PUT /properties/{propertyId}/external-listings', {
        as,
        path: { propertyId: 'prp_loft' },
        body,
      });

    const invalid = await put(owner, { listings: [{ integrationId: hostawayId }] });
    const forbidden = await put(manager, { listings: [] });
    const theirs = await put(otherOwner, { listings: [] });
    const taken = await put(owner, {
      listings: [{ integrationId: hostawayId, externalListingId: '400200' }],
    });

    expect(invalid.status).toBe(400);
    expect(JSON.stringify(invalid.body)).toContain('listings.0.externalListingId');
    expect(forbidden.status).toBe(403);
    expect(theirs.status).toBe(404);
    expect(taken.status).toBe(409);
  });
});
