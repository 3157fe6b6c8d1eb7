import { describe, expect, it } from 'vitest';
import { createPropertyInputSchema, type Property } from '#shared/domain/property.ts';
import { withSaved } from '../../../web/console/src/properties/properties-page.tsx';
import { draftOf, propertyBody } from '../../../web/console/src/properties/property-form.tsx';

describe('the property form', () => {
  it('sends the readiness hours and the guests’ phone check as the API takes them', () => {
    const draft = {
      ...draftOf(undefined),
      name: 'Casa Verde',
      line1: 'Rua Nova 2',
      city: 'Porto',
      countryCode: 'PT',
      timeZone: 'Europe/Lisbon',
      readinessCheckHours: '8',
      guestUnlockPhoneDigits: '4',
    };

    const body = propertyBody(draft);

    expect(body).toMatchObject({ readinessCheckHours: 8, guestUnlockPhoneDigits: 4 });
    expect(createPropertyInputSchema.safeParse(body).success).toBe(true);
  });

  it('starts a new property with the phone check off, and sends what is not a number as typed for the API to name', () => {
    const draft = draftOf(undefined);

    expect(draft.guestUnlockPhoneDigits).toBe('0');
    expect(propertyBody({ ...draft, guestUnlockPhoneDigits: 'four' }).guestUnlockPhoneDigits).toBe('four');
  });
});

describe('the list of properties', () => {
  const settings = createPropertyInputSchema.parse({
    name: 'Casa Verde',
    address: { line1: 'Rua Nova 2', city: 'Porto', countryCode: 'PT' },
    timeZone: 'Europe/Lisbon',
  });
  const property = (id: string, name: string): Property => ({
    ...settings,
    tenantId: 'tnt_a',
    id,
    name,
    version: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  });

  it('keeps what the host saved since it was asked for, when its answer was read before, by name', () => {
    const listed = [property('prp_b', 'Beach hut'), property('prp_a', 'Attic')];
    const added = property('prp_c', 'Canal loft');
    const renamed = { ...property('prp_b', 'Boathouse'), version: 2 };

    const shown = withSaved(listed, [added, renamed]);

    expect(shown.map(({ id, name }) => [id, name])).toEqual([
      ['prp_a', 'Attic'],
      ['prp_b', 'Boathouse'],
      ['prp_c', 'Canal loft'],
    ]);
    expect(withSaved(listed, []).map(({ name }) => name)).toEqual(['Attic', 'Beach hut']);
  });
});
