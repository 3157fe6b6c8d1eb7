/**
 * A property's listings at its booking sources, read and set from the property: the same mapping the
 * integrations hold, cut the other way, under the same rules (one property per listing and source kind).
 */
import { describe, expect, it } from 'vitest';
import { ConflictError, InvalidInputError, NotFoundError, NotPermittedError } from '#shared/domain/errors.ts';
import { createIntegration } from '#shared/integrations/manage.ts';
import { externalListingsOf, mapPropertyListings } from '#shared/integrations/property-listings.ts';
import { addProperty, member } from '../domain/fakes.ts';
import { type IntegrationWorld, integrationWorld } from './integration-fakes.ts';

const owner = member({ role: 'owner' });

async function setUp() {
  const world = integrationWorld();
  addProperty(world.store);
  addProperty(world.store, { id: 'prp_cabin', name: 'Cabin' });
  const create = async (input: Record<string, unknown>) =>
    (await createIntegration({ services: world.services, principal: owner, input })).integration.id;
  const hostaway = await create({
    kind: 'hostaway',
    name: 'Hostaway',
    listings: { '218666': 'prp_loft', '218667': 'prp_cabin' },
  });
  const pms = await create({ kind: 'lockstay-webhook', name: 'PMS', listings: { 'villa-7': 'prp_loft' } });
  const feed = await create({
    kind: 'ical',
    name: 'Airbnb calendar',
    propertyId: 'prp_loft',
    url: 'https://www.airbnb.com/calendar/ical/1.ics',
  });
  return { world, hostaway, pms, feed };
}

const services = (world: IntegrationWorld) => ({ ports: world.ports, store: world.integrationStore });
const mappingOf = async (world: IntegrationWorld, integrationId: string) =>
  (await world.integrationStore.get({ tenantId: 'tnt_a', integrationId }))?.listings;

describe('A property’s listings at its sources', () => {
  it('an owner sees every source listing that maps to the property, and only those', async () => {
    const { world, hostaway, pms } = await setUp();

    const listings = await externalListingsOf({
      services: services(world),
      principal: owner,
      propertyId: 'prp_loft',
    });

    expect(listings).toEqual([
      { integrationId: hostaway, kind: 'hostaway', name: 'Hostaway', externalListingId: '218666' },
      { integrationId: pms, kind: 'lockstay-webhook', name: 'PMS', externalListingId: 'villa-7' },
    ]);
  });

  it('a manager or a cleaner sees the property without them', async () => {
    const { world } = await setUp();
    for (const role of ['manager', 'staff'] as const) {
      const principal = member({ role, assignedPropertyIds: ['prp_loft'] });
      expect(
        await externalListingsOf({ services: services(world), principal, propertyId: 'prp_loft' }),
      ).toBeUndefined();
    }
  });

  it('setting them maps the named listings here and unmaps the ones left out, leaving other properties alone', async () => {
    const { world, hostaway, pms } = await setUp();

    const listings = await mapPropertyListings({
      services: services(world),
      principal: owner,
      propertyId: 'prp_loft',
      input: { listings: [{ integrationId: hostaway, externalListingId: '300100' }] },
    });

    expect(listings).toEqual([
      { integrationId: hostaway, kind: 'hostaway', name: 'Hostaway', externalListingId: '300100' },
    ]);
    expect(await mappingOf(world, hostaway)).toEqual({ '218667': 'prp_cabin', '300100': 'prp_loft' });
    expect(await mappingOf(world, pms)).toEqual({});
  });

  it('setting the same listings again changes no integration', async () => {
    const { world, hostaway, pms } = await setUp();
    const before = await world.integrationStore.get({ tenantId: 'tnt_a', integrationId: hostaway });

    await mapPropertyListings({
      services: services(world),
      principal: owner,
      propertyId: 'prp_loft',
      input: {
        listings: [
          { integrationId: pms, externalListingId: 'villa-7' },
          { integrationId: hostaway, externalListingId: '218666' },
          { integrationId: hostaway, externalListingId: '218666' },
        ],
      },
    });

    expect((await world.integrationStore.get({ tenantId: 'tnt_a', integrationId: hostaway }))?.version).toBe(
      before?.version,
    );
  });

  it('changes its integrations all or none: one changed meanwhile refuses the whole, and none is half-mapped', async () => {
    const { world, hostaway, pms } = await setUp();
    const read = await world.integrationStore.list({ tenantId: 'tnt_a' });
    const renamed = await world.integrationStore.get({ tenantId: 'tnt_a', integrationId: pms });
    if (!renamed) throw new Error('the PMS integration is missing');
    // Another request renames the PMS integration after this one read the integrations.
    await world.integrationStore.save({ ...renamed, name: 'PMS (renamed)', version: renamed.version + 1 });

    await expect(
      mapPropertyListings({
        services: {
          ports: world.ports,
          store: {
            list: async () => read,
            saveAll: (changed) => world.integrationStore.saveAll(changed),
          },
        },
        principal: owner,
        propertyId: 'prp_loft',
        input: { listings: [{ integrationId: hostaway, externalListingId: '300100' }] },
      }),
    ).rejects.toBeInstanceOf(ConflictError);

    expect(await mappingOf(world, hostaway)).toEqual({ '218666': 'prp_loft', '218667': 'prp_cabin' });
    expect(await mappingOf(world, pms)).toEqual({ 'villa-7': 'prp_loft' });
  });

  it('a listing of another property is not taken over: the conflict names it and nothing changes', async () => {
    const { world, hostaway } = await setUp();

    await expect(
      mapPropertyListings({
        services: services(world),
        principal: owner,
        propertyId: 'prp_loft',
        input: { listings: [{ integrationId: hostaway, externalListingId: '218667' }] },
      }),
    ).rejects.toThrow(ConflictError);
    expect(await mappingOf(world, hostaway)).toEqual({ '218666': 'prp_loft', '218667': 'prp_cabin' });
  });

  it('a listing another integration of the kind sends elsewhere is a conflict too', async () => {
    const { world, hostaway } = await setUp();
    const second = (
      await createIntegration({
        services: world.services,
        principal: owner,
        input: { kind: 'hostaway', name: 'Second Hostaway account', listings: {} },
      })
    ).integration.id;

    await expect(
      mapPropertyListings({
        services: services(world),
        principal: owner,
        propertyId: 'prp_loft',
        input: { listings: [{ integrationId: second, externalListingId: '218667' }] },
      }),
    ).rejects.toThrow(new RegExp(`218667 is mapped to property prp_cabin by integration ${hostaway}`));
  });

  it('names each listing that points at no integration or at a feed, by its place in the list', async () => {
    const { world, feed } = await setUp();

    const refused = mapPropertyListings({
      services: services(world),
      principal: owner,
      propertyId: 'prp_loft',
      input: {
        listings: [
          { integrationId: 'int_nowhere', externalListingId: '1' },
          { integrationId: feed, externalListingId: '2' },
        ],
      },
    });

    await expect(refused).rejects.toThrow(InvalidInputError);
    await expect(refused).rejects.toMatchObject({
      problems: [
        expect.objectContaining({ field: 'listings.0.integrationId' }),
        expect.objectContaining({ field: 'listings.1.integrationId' }),
      ],
    });
  });

  it('only an owner may set them, and only on a property of their own', async () => {
    const { world, hostaway } = await setUp();
    const input = { listings: [{ integrationId: hostaway, externalListingId: '1' }] };

    await expect(
      mapPropertyListings({
        services: services(world),
        principal: member({ role: 'manager' }),
        propertyId: 'prp_loft',
        input,
      }),
    ).rejects.toThrow(NotPermittedError);
    await expect(
      mapPropertyListings({
        services: services(world),
        principal: member({ role: 'owner', tenantId: 'tnt_b' }),
        propertyId: 'prp_loft',
        input,
      }),
    ).rejects.toThrow(NotFoundError);
    await expect(
      mapPropertyListings({
        services: services(world),
        principal: owner,
        propertyId: 'prp_loft',
        input: { listings: 'all' },
      }),
    ).rejects.toThrow(InvalidInputError);
  });
});
