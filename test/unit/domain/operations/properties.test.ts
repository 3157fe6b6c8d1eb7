import { beforeEach, describe, expect, it } from 'vitest';
import { InvalidInputError, NotFoundError, NotPermittedError } from '#shared/domain/errors.ts';
import { createProperty, updateProperty } from '#shared/domain/operations/properties.ts';
import { member, type TestWorld, tenantA, tenantB, testWorld } from '../fakes.ts';

const owner = member({ role: 'owner' });
const loft = {
  name: 'Altbau loft',
  address: { line1: 'Kastanienallee 1', city: 'Berlin', countryCode: 'de' },
  timeZone: 'europe/berlin',
};

let world: TestWorld;
beforeEach(() => {
  world = testWorld({ now: '2026-10-01T09:00:00.000Z' });
});

describe('creating a property', () => {
  it("stores the host's details with sensible access rules and the canonical time zone", async () => {
    const { property, events } = await createProperty({ ports: world.ports, principal: owner, input: loft });

    expect(property).toEqual({
      tenantId: tenantA,
      id: 'prp_0001',
      name: 'Altbau loft',
      address: { line1: 'Kastanienallee 1', city: 'Berlin', countryCode: 'DE' },
      timeZone: 'Europe/Berlin',
      checkInTime: '15:00',
      checkOutTime: '11:00',
      codeBufferBeforeMinutes: 0,
      codeBufferAfterMinutes: 0,
      codePushLeadHours: 48,
      guestEmailLeadHours: 48,
      readinessCheckHours: 6,
      version: 1,
      createdAt: '2026-10-01T09:00:00.000Z',
      updatedAt: '2026-10-01T09:00:00.000Z',
    });
    expect(events).toEqual([
      {
        tenantId: tenantA,
        id: 'evt_0002',
        at: '2026-10-01T09:00:00.000Z',
        actor: { kind: 'user', userId: 'usr_owner', role: 'owner' },
        action: 'property.created',
        target: { kind: 'property', id: 'prp_0001' },
        propertyId: 'prp_0001',
        details: { name: 'Altbau loft', timeZone: 'Europe/Berlin' },
      },
    ]);
    expect(await world.ports.properties.get({ tenantId: tenantA, propertyId: property.id })).toEqual(
      property,
    );
  });

  it('refuses a time zone that is not a place, and a readiness check before the codes are sent', async () => {
    const error = await createProperty({
      ports: world.ports,
      principal: owner,
      input: {
        ...loft,
        timeZone: '+02:00',
        codePushLeadHours: 4,
        readinessCheckHours: 6,
        checkInTime: '3pm',
      },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).problems.map((problem) => problem.field).sort()).toEqual([
      'checkInTime',
      'timeZone',
    ]);
    const readiness = await createProperty({
      ports: world.ports,
      principal: owner,
      input: { ...loft, codePushLeadHours: 4, readinessCheckHours: 6 },
    }).catch((caught: unknown) => caught);
    expect((readiness as InvalidInputError).problems.map((problem) => problem.field)).toEqual([
      'readinessCheckHours',
    ]);
    expect(world.store.commits).toEqual([]);
  });

  it('a cleaner may not create a property', async () => {
    await expect(
      createProperty({ ports: world.ports, principal: member({ role: 'staff' }), input: loft }),
    ).rejects.toThrow(NotPermittedError);
  });
});

describe('changing a property', () => {
  it('changes only the given fields and audits which', async () => {
    const { property } = await createProperty({ ports: world.ports, principal: owner, input: loft });
    world.clock.advanceMinutes(5);
    const result = await updateProperty({
      ports: world.ports,
      principal: member({ role: 'manager' }),
      propertyId: property.id,
      input: { checkInTime: '16:00', codeBufferAfterMinutes: 30 },
    });
    expect(result.changed).toBe(true);
    expect(result.property).toMatchObject({
      checkInTime: '16:00',
      codeBufferAfterMinutes: 30,
      checkOutTime: '11:00',
      version: 2,
      updatedAt: '2026-10-01T09:05:00.000Z',
    });
    expect(result.events[0]?.details).toEqual({ changed: ['checkInTime', 'codeBufferAfterMinutes'] });
  });

  it('checks the readiness rule against the fields it keeps', async () => {
    const { property } = await createProperty({ ports: world.ports, principal: owner, input: loft });
    await expect(
      updateProperty({
        ports: world.ports,
        principal: owner,
        propertyId: property.id,
        input: { codePushLeadHours: 6 },
      }),
    ).rejects.toThrow(InvalidInputError);
  });

  it('a change to the same values writes nothing', async () => {
    const { property } = await createProperty({ ports: world.ports, principal: owner, input: loft });
    const result = await updateProperty({
      ports: world.ports,
      principal: owner,
      propertyId: property.id,
      input: { timeZone: 'Europe/Berlin' },
    });
    expect(result.changed).toBe(false);
    expect(world.store.commits).toHaveLength(1);
  });

  it("another business's property is 'not found'", async () => {
    const { property } = await createProperty({ ports: world.ports, principal: owner, input: loft });
    await expect(
      updateProperty({
        ports: world.ports,
        principal: member({ role: 'owner', tenantId: tenantB }),
        propertyId: property.id,
        input: { name: 'Mine now' },
      }),
    ).rejects.toThrow(NotFoundError);
  });
});
