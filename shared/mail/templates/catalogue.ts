/**
 * The words of every email, one catalogue per language. English is complete and is the fallback; a catalogue
 * for another language must say everything English says (the type checks that). Sentences that carry values are
 * functions of plain text: escaping belongs to the layout, not to the words.
 *
 * To add a language: copy `messages/en.ts`, translate it, and list it in `catalogues` below.
 */
import type { AccessCodeFailureReason } from '#shared/domain/access-code.ts';
import { de } from './messages/de.ts';
import { en } from './messages/en.ts';

type Sentence<Args extends unknown[]> = (...args: Args) => string;

export interface MailMessages {
  /** The locale for dates and the document's language when the reader's tag names no region. */
  readonly defaultLocale: string;
  readonly common: {
    /** A date and time followed by the zone whose clocks it is on. */
    readonly inZone: Sentence<[dateTime: string, zone: string]>;
    readonly greeting: Sentence<[name: string]>;
    readonly linkFallback: string;
    readonly sentAutomatically: string;
    readonly whatToDo: string;
  };
  readonly guest: {
    readonly facts: {
      readonly property: string;
      readonly address: string;
      readonly checkIn: string;
      readonly checkOut: string;
      readonly previously: string;
    };
    readonly codes: {
      readonly yourCode: string;
      readonly yourNewCode: string;
      /** The caption under a code: which doors it opens. */
      readonly opens: Sentence<[lockNames: string]>;
      readonly worksDuringStay: string;
      readonly offline: string;
      readonly offlineFirstUse: Sentence<[before: string]>;
    };
    readonly keypad: {
      readonly title: string;
      readonly steps: readonly string[];
      readonly wrongCode: string;
      readonly lockout: Sentence<[wrongEntries: number, minutes: number]>;
      readonly stillLocked: string;
    };
    readonly guestPage: {
      readonly intro: string;
      readonly remoteUnlock: string;
      readonly button: string;
    };
    readonly hostContact: Sentence<[details: string]>;
    readonly keepPrivate: { readonly title: string; readonly text: string };
    readonly whyYouGetThis: Sentence<[property: string]>;
    readonly access: {
      readonly subject: Sentence<[property: string, dates: string]>;
      readonly preheader: Sentence<[checkIn: string]>;
      readonly title: Sentence<[property: string]>;
      readonly intro: Sentence<[property: string]>;
    };
    readonly changed: {
      readonly subject: Sentence<[property: string, dates: string]>;
      readonly preheader: Sentence<[checkIn: string]>;
      readonly title: Sentence<[property: string]>;
      readonly intro: string;
      readonly codeChanged: string;
      readonly codeUnchanged: string;
    };
    readonly cancelled: {
      readonly subject: Sentence<[property: string, dates: string]>;
      readonly preheader: string;
      readonly title: string;
      readonly intro: Sentence<[property: string, dates: string]>;
      readonly accessRemovedTitle: string;
      readonly accessRemoved: string;
      readonly mistake: string;
    };
  };
  readonly hostAlerts: {
    readonly facts: {
      readonly property: string;
      readonly lock: string;
      readonly guest: string;
      readonly checkIn: string;
      readonly offlineSince: string;
      readonly nextCheckIn: string;
      readonly battery: string;
      readonly reportedAt: string;
      readonly lockedAt: string;
      readonly lockedUntil: string;
      readonly wrongEntries: string;
      readonly givenTo: string;
      readonly reason: string;
      readonly givenBy: string;
      readonly validFrom: string;
      readonly validUntil: string;
    };
    readonly openConsole: string;
    readonly codeNotReady: {
      readonly title: Sentence<[guest: string]>;
      readonly summary: Sentence<[guest: string, property: string, checkIn: string, locks: string]>;
      readonly problem: Readonly<
        Record<AccessCodeFailureReason | 'not-confirmed' | 'no-offline-code', string>
      >;
      readonly fixOffline: string;
      readonly fixFull: string;
      readonly fixOther: string;
      readonly fallbackIssued: string;
      readonly noFallback: string;
    };
    readonly lockOffline: {
      readonly title: Sentence<[lock: string, property: string]>;
      readonly summary: Sentence<[since: string]>;
      readonly checkPower: string;
      readonly meanwhile: string;
    };
    readonly lowBattery: {
      readonly title: Sentence<[lock: string, property: string]>;
      readonly summary: Sentence<[percent: number]>;
      readonly replace: string;
    };
    readonly keypadLockout: {
      readonly title: Sentence<[lock: string, property: string]>;
      readonly summary: Sentence<[wrongEntries: number, until: string]>;
      readonly callGuest: string;
      readonly nobodyExpected: string;
    };
    readonly emergencyAccess: {
      readonly title: Sentence<[property: string]>;
      readonly summary: Sentence<[issuedBy: string, contact: string, property: string]>;
      readonly expected: string;
      readonly unexpected: string;
    };
  };
}

export const catalogues = { en, de } as const satisfies Readonly<Record<string, MailMessages>>;
export type CatalogueLanguage = keyof typeof catalogues;
export const fallbackLanguage: CatalogueLanguage = 'en';

export interface Messages {
  /** The catalogue's language: the reader's, or English when there is no catalogue for theirs. */
  readonly language: CatalogueLanguage;
  /** The locale for dates: the reader's own tag (`en-US`, `de-AT`) when the catalogue is in their language. */
  readonly locale: string;
  readonly messages: MailMessages;
}

function isCatalogueLanguage(language: string): language is CatalogueLanguage {
  return Object.hasOwn(catalogues, language);
}

/** The messages for a reader whose language is `tag` (a BCP 47 tag such as `de`, `pt-BR`), English if none. */
export function messagesFor(tag: string | undefined): Messages {
  let canonical: string | undefined;
  try {
    canonical = tag === undefined ? undefined : Intl.getCanonicalLocales(tag)[0];
  } catch {
    canonical = undefined;
  }
  const primary = canonical?.split('-')[0]?.toLowerCase();
  const language = primary !== undefined && isCatalogueLanguage(primary) ? primary : fallbackLanguage;
  const messages = catalogues[language];
  const locale =
    canonical !== undefined && canonical !== primary && primary === language ? canonical : undefined;
  return { language, locale: locale ?? messages.defaultLocale, messages };
}
