import { describe, expect, it } from 'vitest';
import { createBookingInputSchema, modifyBookingInputSchema } from '#shared/domain/booking.ts';
import { registerLockInputSchema } from '#shared/domain/lock.ts';
import { createPropertyInputSchema, updatePropertyInputSchema } from '#shared/domain/property.ts';

const stay = {
  propertyId: 'prp_loft',
  guest: { name: 'Ada Lovelace' },
  arrivalDate: '2026-10-24',
  departureDate: '2026-10-27',
};

describe('what a booking accepts', () => {
  it('normalises the phone number as hosts type it, and canonicalises the language', () => {
    const booking = createBookingInputSchema.parse({
      ...stay,
      guest: { name: 'Ada', phone: '+49 (30) 123-4567', language: 'pt-br' },
    });
    expect(booking.guest).toEqual({ name: 'Ada', phone: '+49301234567', language: 'pt-BR' });
  });

  it.each([
    [{ guest: { name: 'Ada', phone: 'call me' } }, 'guest.phone'],
    [{ guest: { name: 'Ada', language: 'not a language!' } }, 'guest.language'],
    [{ arrivalDate: '2026-10-27' }, 'departureDate'],
    [{ source: 'fax' }, 'source'],
    [{ checkInTime: '25:00' }, 'checkInTime'],
  ])('refuses %j naming %s', (change, field) => {
    const parsed = createBookingInputSchema.safeParse({ ...stay, ...change });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toContain(field);
  });

  it('names a date typed the wrong way round instead of failing on it', () => {
    const parsed = createBookingInputSchema.safeParse({
      propertyId: 'prp_1',
      guest: { name: 'Ana Silva', email: 'ana@example.com' },
      arrivalDate: '24/10/2026',
      departureDate: '2026-10-27',
    });

    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['arrivalDate']);
  });

  it('a change must change something', () => {
    expect(modifyBookingInputSchema.safeParse({}).success).toBe(false);
    expect(modifyBookingInputSchema.safeParse({ expectedVersion: 2 }).success).toBe(false);
    expect(modifyBookingInputSchema.safeParse({ checkInTime: null }).success).toBe(true);
  });
});

describe('what a property accepts', () => {
  const loft = {
    name: 'Loft',
    address: { line1: 'Kastanienallee 1', city: 'Berlin', countryCode: 'DE' },
    timeZone: 'Europe/Berlin',
  };

  it.each([
    [{ codeBufferBeforeMinutes: -5 }, 'codeBufferBeforeMinutes'],
    [{ codeBufferAfterMinutes: 1.5 }, 'codeBufferAfterMinutes'],
    [{ codePushLeadHours: 0 }, 'codePushLeadHours'],
    [{ address: { line1: 'x', city: 'Berlin', countryCode: 'Germany' } }, 'address.countryCode'],
    [{ name: '   ' }, 'name'],
  ])('refuses %j naming %s', (change, field) => {
    const parsed = createPropertyInputSchema.safeParse({ ...loft, ...change });
    expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toContain(field);
  });

  it('a change must change something', () => {
    expect(updatePropertyInputSchema.safeParse({}).success).toBe(false);
  });
});

describe('what a lock accepts', () => {
  it('takes 6-digit PINs and 20 codes unless its maker says otherwise', () => {
    const lock = registerLockInputSchema.parse({
      propertyId: 'prp_loft',
      name: 'Front door',
      connectivity: 'wifi',
    });
    expect(lock.codeConstraints).toEqual({ pinLength: 6, capacity: 20 });
  });

  it.each([3, 9, 6.5])('refuses a PIN length of %d', (pinLength) => {
    const parsed = registerLockInputSchema.safeParse({
      propertyId: 'prp_loft',
      name: 'Front door',
      connectivity: 'wifi',
      codeConstraints: { pinLength },
    });
    expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['codeConstraints.pinLength']);
  });

  it('knows only WiFi, bridged and Bluetooth locks', () => {
    expect(
      registerLockInputSchema.safeParse({ propertyId: 'prp_loft', name: 'Door', connectivity: 'zigbee' })
        .success,
    ).toBe(false);
  });
});
