import { describe, expect, it } from 'vitest';
import { createPropertyInputSchema } from '#shared/domain/property.ts';
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
