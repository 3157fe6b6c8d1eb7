/** A stay the mail tests share: four nights in Lisbon across the end of summer time (25 October 2026). */
import { stayOf } from '#shared/domain/grant-window.ts';
import type { EmailProperty, GuestAccessEmail } from '#shared/mail/templates/guest-emails.ts';

export const casaAzul: EmailProperty = {
  name: 'Casa Azul',
  address: { line1: 'Rua das Flores 12', city: 'Lisboa', postalCode: '1200-195', countryCode: 'PT' },
  timeZone: 'Europe/Lisbon',
};

const lisbonTimes = {
  timeZone: casaAzul.timeZone,
  checkInTime: '15:00',
  checkOutTime: '11:00',
  codeBufferBeforeMinutes: 0,
  codeBufferAfterMinutes: 0,
};

/** Check-in Fri 23 Oct 15:00 (UTC+1, summer time), check-out Tue 27 Oct 11:00 (UTC+0). */
export const stayAcrossDstChange = stayOf({
  property: lisbonTimes,
  booking: { arrivalDate: '2026-10-23', departureDate: '2026-10-27' },
});

export const guestPageUrl = 'https://stay.lockstay.example/s/k3J9xQ2vTt8pLr5mWz1aYc';

export function accessEmail(overrides: Partial<GuestAccessEmail> = {}): GuestAccessEmail {
  return {
    language: 'en',
    guestName: 'Ana Müller',
    property: casaAzul,
    ...stayAcrossDstChange,
    codes: [{ code: '482913', kind: 'pin' }],
    guestPageUrl,
    ...overrides,
  };
}
