/**
 * Every email with believable sample data, for looking at them (`npm run mail:preview`). The stay crosses the
 * end of summer time in Lisbon, so check-in and check-out are on different offsets.
 */
import { stayOf } from '#shared/domain/grant-window.ts';
import { addHours } from '#shared/domain/local-time.ts';
import {
  type EmailProperty,
  renderGuestAccessEmail,
  renderStayCancelledEmail,
  renderStayChangedEmail,
} from '../templates/guest-emails.ts';
import {
  renderCodeNotReadyAlert,
  renderEmergencyAccessAlert,
  renderKeypadLockoutAlert,
  renderLockOfflineAlert,
  renderLowBatteryAlert,
} from '../templates/host-alerts.ts';
import type { RenderedMail } from '../templates/layout.ts';

export interface MailSample {
  /** The preview's file name, without extension. */
  readonly name: string;
  readonly to: string;
  readonly mail: RenderedMail;
}

const property: EmailProperty = {
  name: 'Casa Azul',
  address: {
    line1: 'Rua das Flores 12',
    line2: '3º Esq.',
    city: 'Lisboa',
    postalCode: '1200-195',
    countryCode: 'PT',
  },
  timeZone: 'Europe/Lisbon',
};
const times = {
  timeZone: property.timeZone,
  checkInTime: '15:00',
  checkOutTime: '11:00',
  codeBufferBeforeMinutes: 0,
  codeBufferAfterMinutes: 0,
};
const stay = stayOf({
  property: times,
  booking: { arrivalDate: '2026-10-23', departureDate: '2026-10-27' },
});
const earlierStay = stayOf({
  property: times,
  booking: { arrivalDate: '2026-10-22', departureDate: '2026-10-26' },
});
const host = { name: 'Rita Costa', phone: '+351 912 345 678', email: 'rita@casa-azul.example' };
const guest = { guestName: 'Ana Müller', to: 'ana.mueller@example.com' };

export function mailSamples({
  guestPageUrl,
  consoleUrl,
}: {
  guestPageUrl: string;
  consoleUrl: string;
}): MailSample[] {
  const access = {
    guestName: guest.guestName,
    property,
    ...stay,
    host,
    guestPageUrl,
    remoteUnlock: true,
    codes: [{ code: '482913', kind: 'pin', lockNames: ['Front door', 'Flat door'] }],
  } as const;
  const alertProperty = { name: property.name, timeZone: property.timeZone };
  const hostAddress = host.email;
  return [
    { name: 'guest-access.en', to: guest.to, mail: renderGuestAccessEmail({ ...access, language: 'en' }) },
    { name: 'guest-access.de', to: guest.to, mail: renderGuestAccessEmail({ ...access, language: 'de-AT' }) },
    {
      name: 'guest-access-offline-code.en',
      to: guest.to,
      mail: renderGuestAccessEmail({
        ...access,
        language: 'en-US',
        remoteUnlock: false,
        codes: [{ code: '70315528', kind: 'offline', firstUseBefore: addHours(stay.checkInAt, 24) }],
      }),
    },
    {
      name: 'guest-stay-changed.en',
      to: guest.to,
      mail: renderStayChangedEmail({ ...access, language: 'en', previous: earlierStay, codeChanged: false }),
    },
    {
      name: 'guest-stay-changed-new-code.fr',
      to: guest.to,
      mail: renderStayChangedEmail({
        ...access,
        language: 'fr',
        previous: earlierStay,
        codeChanged: true,
        codes: [{ code: '915204', kind: 'pin' }],
      }),
    },
    {
      name: 'guest-stay-cancelled.en',
      to: guest.to,
      mail: renderStayCancelledEmail({ language: 'en', guestName: guest.guestName, property, ...stay, host }),
    },
    {
      name: 'host-code-not-ready',
      to: hostAddress,
      mail: renderCodeNotReadyAlert({
        property: alertProperty,
        consoleUrl,
        guestName: guest.guestName,
        checkInAt: stay.checkInAt,
        locks: [{ name: 'Front door', problem: 'lock-offline' }],
        fallbackIssued: true,
      }),
    },
    {
      name: 'host-lock-offline',
      to: hostAddress,
      mail: renderLockOfflineAlert({
        property: alertProperty,
        consoleUrl,
        lockName: 'Front door',
        offlineSince: addHours(stay.checkInAt, -30),
        nextCheckInAt: stay.checkInAt,
      }),
    },
    {
      name: 'host-low-battery',
      to: hostAddress,
      mail: renderLowBatteryAlert({
        property: alertProperty,
        consoleUrl,
        lockName: 'Flat door',
        batteryPercent: 12,
        reportedAt: addHours(stay.checkInAt, -50),
      }),
    },
    {
      name: 'host-keypad-lockout',
      to: hostAddress,
      mail: renderKeypadLockoutAlert({
        property: alertProperty,
        consoleUrl,
        lockName: 'Front door',
        wrongEntries: 5,
        lockedAt: addHours(stay.checkInAt, 6),
        lockedUntil: addHours(stay.checkInAt, 6 + 5 / 60),
      }),
    },
    {
      name: 'host-emergency-access',
      to: hostAddress,
      mail: renderEmergencyAccessAlert({
        property: alertProperty,
        consoleUrl,
        contactName: 'João (neighbour)',
        reason: 'Water leak reported by the flat below',
        issuedByName: 'Rita Costa',
        startsAt: addHours(stay.checkOutAt, 2),
        endsAt: addHours(stay.checkOutAt, 26),
      }),
    },
  ];
}
