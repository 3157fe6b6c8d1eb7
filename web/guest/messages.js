/**
 * The guest page's words, one catalogue per language. A language is added by adding its catalogue here with
 * every key of `en`; the page picks the booking's language, then the browser's, then English.
 */
export const catalogues = {
  en: {
    title: 'Your stay',
    loading: 'Loading your stay…',
    refused:
      'This link does not open a stay right now. Guest links work from a few days before check-in until shortly after check-out, and stop working when a booking is cancelled. Please use the latest email from your host, or contact them.',
    tooMany: 'Too many attempts. Please try again in {seconds} seconds.',
    failed:
      'Your stay could not be loaded. Check your connection and reload; your code from the email still works.',
    status: { upcoming: 'Upcoming', active: 'Your stay is on', ended: 'Ended' },
    address: 'Address',
    checkIn: 'Check-in',
    checkOut: 'Check-out',
    timesIn: 'Times are local to the property ({zone}).',
    doors: 'Your doors',
    pinLabel: 'Code for {lock}',
    offlineCode: 'Use the offline code from your email on this lock.',
    offlineCodeLabel: 'Offline code for {lock}',
    offlineFirstUse:
      'The lock checks this code by itself, even without internet. Enter it a first time before {when}.',
    copy: 'Copy code',
    copied: 'Code copied',
    online: 'Online',
    offline: 'Offline',
    locked: 'Locked',
    unlocked: 'Unlocked',
    unlock: 'Unlock {lock}',
    unlocking: 'Unlocking…',
    unlockedNow: 'The door is open.',
    unlockOffline: 'The lock cannot be reached right now. Please use your code.',
    unlockRefused: 'The door could not be opened remotely. Please use your code.',
    unlockTooMany: 'Too many attempts. Please wait a minute, or use your code.',
    phoneLabel: 'Last {digits} digits of the phone number on the booking',
    phoneWrong: 'Those digits do not match the phone number on the booking.',
    keypad: 'Enter the code on the keypad, then press the lock button.',
  },
  de: {
    title: 'Ihr Aufenthalt',
    loading: 'Ihr Aufenthalt wird geladen…',
    refused:
      'Dieser Link öffnet gerade keinen Aufenthalt. Gast-Links gelten von einigen Tagen vor dem Check-in bis kurz nach dem Check-out und nicht mehr nach einer Stornierung. Bitte nutzen Sie die neueste E-Mail Ihres Gastgebers oder wenden Sie sich an ihn.',
    tooMany: 'Zu viele Versuche. Bitte in {seconds} Sekunden erneut versuchen.',
    failed:
      'Ihr Aufenthalt konnte nicht geladen werden. Prüfen Sie die Verbindung und laden Sie neu; Ihr Code aus der E-Mail funktioniert weiterhin.',
    status: { upcoming: 'Bevorstehend', active: 'Ihr Aufenthalt läuft', ended: 'Beendet' },
    address: 'Adresse',
    checkIn: 'Check-in',
    checkOut: 'Check-out',
    timesIn: 'Zeiten in Ortszeit der Unterkunft ({zone}).',
    doors: 'Ihre Türen',
    pinLabel: 'Code für {lock}',
    offlineCode: 'Nutzen Sie an diesem Schloss den Offline-Code aus Ihrer E-Mail.',
    offlineCodeLabel: 'Offline-Code für {lock}',
    offlineFirstUse:
      'Das Schloss prüft diesen Code selbst, auch ohne Internet. Geben Sie ihn erstmals vor {when} ein.',
    copy: 'Code kopieren',
    copied: 'Code kopiert',
    online: 'Online',
    offline: 'Offline',
    locked: 'Verriegelt',
    unlocked: 'Entriegelt',
    unlock: '{lock} öffnen',
    unlocking: 'Wird geöffnet…',
    unlockedNow: 'Die Tür ist offen.',
    unlockOffline: 'Das Schloss ist gerade nicht erreichbar. Bitte nutzen Sie Ihren Code.',
    unlockRefused: 'Die Tür konnte nicht aus der Ferne geöffnet werden. Bitte nutzen Sie Ihren Code.',
    unlockTooMany: 'Zu viele Versuche. Bitte warten Sie eine Minute oder nutzen Sie Ihren Code.',
    phoneLabel: 'Letzte {digits} Ziffern der Telefonnummer der Buchung',
    phoneWrong: 'Diese Ziffern passen nicht zur Telefonnummer der Buchung.',
    keypad: 'Geben Sie den Code am Tastenfeld ein und drücken Sie die Schloss-Taste.',
  },
};

/** The catalogue for the first of `languages` there is one for (`pt-BR` falls back to `pt`), else English. */
export function catalogueFor(languages) {
  for (const tag of languages) {
    if (!tag) continue;
    const base = String(tag).toLowerCase().split('-')[0];
    if (base && Object.hasOwn(catalogues, base)) return { language: base, messages: catalogues[base] };
  }
  return { language: 'en', messages: catalogues.en };
}

export function fill(text, values = {}) {
  return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ''));
}
