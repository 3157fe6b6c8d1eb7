/**
 * Emails that tell a host something needs attention: one generic shape (a title, the facts, what to do, and a
 * link to the console) and the alerts built on it. Times are on the property's clocks with the zone named, as
 * in the guests' emails. Hosts have no language setting yet, so alerts are in English unless one is given.
 */
import type { AccessCodeFailureReason } from '#shared/domain/access-code.ts';
import type { IsoInstant } from '#shared/domain/local-time.ts';
import type { MailKind } from '../mail-sender.ts';
import { messagesFor } from './catalogue.ts';
import { formatDateTime, oneLine, zoneName } from './formatting.ts';
import { type Block, type Fact, type RenderedMail, renderDocument, type Tone } from './layout.ts';

export interface HostAlert {
  readonly kind: Extract<MailKind, `host-${string}`>;
  /** How urgent it is; colours the summary. */
  readonly tone: Tone;
  /** Also the subject. */
  readonly title: string;
  /** What happened, in one or two sentences. */
  readonly summary: string;
  readonly facts: readonly Fact[];
  /** What the host should do, in order. */
  readonly actions: readonly string[];
  readonly link?: { readonly label: string; readonly url: string } | undefined;
}

/** The generic alert: title, summary, facts, what to do, and a link. */
export function renderHostAlert({
  language,
  alert,
}: {
  language?: string | undefined;
  alert: HostAlert;
}): RenderedMail {
  const { locale, messages } = messagesFor(language);
  const blocks: Block[] = [
    { kind: 'notice', tone: alert.tone, text: [alert.summary] },
    { kind: 'facts', rows: alert.facts },
    { kind: 'steps', title: messages.common.whatToDo, steps: alert.actions },
  ];
  if (alert.link) {
    blocks.push({ kind: 'button', ...alert.link, fallback: messages.common.linkFallback });
  }
  return {
    kind: alert.kind,
    subject: oneLine(alert.title),
    ...renderDocument({
      lang: locale,
      title: alert.title,
      preheader: alert.summary,
      blocks,
      footer: [messages.common.sentAutomatically],
    }),
  };
}

export interface AlertProperty {
  readonly name: string;
  readonly timeZone: string;
}

interface AlertOptions {
  readonly language?: string | undefined;
  readonly property: AlertProperty;
  /** Where the host can act on the alert (the console page of the lock, grant or booking). */
  readonly consoleUrl?: string | undefined;
}

function writerOf({ language, property, consoleUrl }: AlertOptions) {
  const { locale, messages } = messagesFor(language);
  const { timeZone } = property;
  return {
    words: messages.hostAlerts,
    at: (instant: IsoInstant) =>
      messages.common.inZone(formatDateTime({ instant, timeZone, locale }), zoneName(timeZone)),
    link: consoleUrl === undefined ? undefined : { label: messages.hostAlerts.openConsole, url: consoleUrl },
    render: (alert: HostAlert) => renderHostAlert({ language, alert }),
  };
}

export type CodeProblem = AccessCodeFailureReason | 'not-confirmed' | 'no-offline-code';

export interface CodeNotReadyAlert extends AlertOptions {
  readonly guestName: string;
  readonly checkInAt: IsoInstant;
  /** Each lock on which the guest's code is not `set`, with why. */
  readonly locks: readonly { readonly name: string; readonly problem: CodeProblem }[];
  /** Whether an offline code was issued to the guest as the fallback. */
  readonly fallbackIssued: boolean;
}

/** The readiness check found a code not set on a lock some hours before the guest arrives. */
export function renderCodeNotReadyAlert(options: CodeNotReadyAlert): RenderedMail {
  const { property, guestName, checkInAt, locks, fallbackIssued } = options;
  const { words, at, link, render } = writerOf(options);
  const text = words.codeNotReady;
  const problems = new Set(locks.map((lock) => lock.problem));
  const fixes = [
    ...(problems.has('lock-offline') || problems.has('not-confirmed') || problems.has('not-confirmed-in-time')
      ? [text.fixOffline]
      : []),
    ...(problems.has('lock-full') || problems.has('too-many-codes-for-shadow') ? [text.fixFull] : []),
    ...(problems.has('rejected-by-lock') ? [text.fixOther] : []),
    fallbackIssued ? text.fallbackIssued : text.noFallback,
  ];
  return render({
    kind: 'host-code-not-ready',
    tone: fallbackIssued ? 'warning' : 'danger',
    title: text.title(guestName),
    summary: text.summary(guestName, property.name, at(checkInAt), locks.map((lock) => lock.name).join(', ')),
    facts: [
      { label: words.facts.property, lines: [property.name] },
      { label: words.facts.guest, lines: [guestName] },
      { label: words.facts.checkIn, lines: [at(checkInAt)] },
      ...locks.map((lock) => ({ label: lock.name, lines: [text.problem[lock.problem]] })),
    ],
    actions: fixes,
    link,
  });
}

export interface LockOfflineAlert extends AlertOptions {
  readonly lockName: string;
  readonly offlineSince: IsoInstant;
  readonly nextCheckInAt?: IsoInstant | undefined;
}

export function renderLockOfflineAlert(options: LockOfflineAlert): RenderedMail {
  const { property, lockName, offlineSince, nextCheckInAt } = options;
  const { words, at, link, render } = writerOf(options);
  return render({
    kind: 'host-lock-offline',
    tone: 'warning',
    title: words.lockOffline.title(lockName, property.name),
    summary: words.lockOffline.summary(at(offlineSince)),
    facts: [
      { label: words.facts.property, lines: [property.name] },
      { label: words.facts.lock, lines: [lockName] },
      { label: words.facts.offlineSince, lines: [at(offlineSince)] },
      ...(nextCheckInAt ? [{ label: words.facts.nextCheckIn, lines: [at(nextCheckInAt)] }] : []),
    ],
    actions: [words.lockOffline.checkPower, words.lockOffline.meanwhile],
    link,
  });
}

export interface FirmwareOutdatedAlert extends AlertOptions {
  readonly lockName: string;
  readonly firmware: string;
  readonly minimumFirmwareVersion: string;
}

/** A lock reports firmware older than the business's minimum (its settings). */
export function renderFirmwareOutdatedAlert(options: FirmwareOutdatedAlert): RenderedMail {
  const { property, lockName, firmware, minimumFirmwareVersion } = options;
  const { words, link, render } = writerOf(options);
  return render({
    kind: 'host-firmware-outdated',
    tone: 'warning',
    title: `Firmware update needed: ${lockName} at ${property.name}`,
    summary: `The lock runs firmware ${firmware}, older than ${minimumFirmwareVersion}, the oldest your business accepts.`,
    facts: [
      { label: words.facts.property, lines: [property.name] },
      { label: words.facts.lock, lines: [lockName] },
      { label: 'Firmware', lines: [firmware] },
      { label: 'Oldest accepted', lines: [minimumFirmwareVersion] },
    ],
    actions: [
      "Update the lock's firmware with its maker's app or installer.",
      'The lock keeps working meanwhile; updates often close security problems, so do not wait long.',
    ],
    link,
  });
}

export interface LowBatteryAlert extends AlertOptions {
  readonly lockName: string;
  readonly batteryPercent: number;
  readonly reportedAt: IsoInstant;
}

export function renderLowBatteryAlert(options: LowBatteryAlert): RenderedMail {
  const { property, lockName, batteryPercent, reportedAt } = options;
  const { words, at, link, render } = writerOf(options);
  return render({
    kind: 'host-low-battery',
    tone: 'warning',
    title: words.lowBattery.title(lockName, property.name),
    summary: words.lowBattery.summary(batteryPercent),
    facts: [
      { label: words.facts.property, lines: [property.name] },
      { label: words.facts.lock, lines: [lockName] },
      { label: words.facts.battery, lines: [`${batteryPercent}%`] },
      { label: words.facts.reportedAt, lines: [at(reportedAt)] },
    ],
    actions: [words.lowBattery.replace],
    link,
  });
}

export interface KeypadLockoutAlert extends AlertOptions {
  readonly lockName: string;
  readonly lockedAt: IsoInstant;
  readonly lockedUntil: IsoInstant;
  readonly wrongEntries: number;
}

export function renderKeypadLockoutAlert(options: KeypadLockoutAlert): RenderedMail {
  const { property, lockName, lockedAt, lockedUntil, wrongEntries } = options;
  const { words, at, link, render } = writerOf(options);
  return render({
    kind: 'host-keypad-lockout',
    tone: 'warning',
    title: words.keypadLockout.title(lockName, property.name),
    summary: words.keypadLockout.summary(wrongEntries, at(lockedUntil)),
    facts: [
      { label: words.facts.property, lines: [property.name] },
      { label: words.facts.lock, lines: [lockName] },
      { label: words.facts.wrongEntries, lines: [String(wrongEntries)] },
      { label: words.facts.lockedAt, lines: [at(lockedAt)] },
      { label: words.facts.lockedUntil, lines: [at(lockedUntil)] },
    ],
    actions: [words.keypadLockout.callGuest, words.keypadLockout.nobodyExpected],
    link,
  });
}

export interface OfflineCodeStillValidAlert extends AlertOptions {
  readonly lockName: string;
  /** Until when the lock admits the code. */
  readonly validUntil: IsoInstant;
  /** What ended or moved the access: `cancelled`, `revoked` or `moved`. */
  readonly change: string;
  /** A Bluetooth lock, which is never online. */
  readonly lockNeverOnline: boolean;
}

/**
 * An access was cancelled, revoked or moved, but the offline code its guest was given keeps opening a lock: the
 * lock checks offline codes on its own, and the cloud cannot withdraw one.
 */
export function renderOfflineCodeStillValidAlert(options: OfflineCodeStillValidAlert): RenderedMail {
  const { property, lockName, validUntil, change, lockNeverOnline } = options;
  const { words, at, link, render } = writerOf(options);
  const what = change === 'moved' ? 'was moved' : change === 'revoked' ? 'was revoked' : 'was cancelled';
  return render({
    kind: 'host-alert',
    tone: 'danger',
    title: `An offline code still opens ${lockName} at ${property.name}`,
    summary: `The access ${what}, but the offline code its guest was given keeps opening ${lockName} until ${at(validUntil)}. ${
      lockNeverOnline
        ? 'The lock is never online, so Lockstay cannot withdraw the code.'
        : 'Locks check offline codes on their own, so Lockstay cannot withdraw the code.'
    }`,
    facts: [
      { label: words.facts.property, lines: [property.name] },
      { label: words.facts.lock, lines: [lockName] },
      { label: words.facts.validUntil, lines: [at(validUntil)] },
    ],
    actions: [
      'If the guest must not enter before then, tell them their access has ended and keep an eye on the lock.',
      "Only a new device key loaded on site by the lock's installer, without the old one, shuts the code out sooner; it ends the lock's other offline codes too.",
    ],
    link,
  });
}

/** Mirrors the domain's `emergency-access-issued` host notice, with the issuer's name looked up. */
export interface EmergencyAccessAlert extends AlertOptions {
  readonly contactName: string;
  readonly reason: string;
  readonly issuedByName: string;
  readonly startsAt: IsoInstant;
  readonly endsAt: IsoInstant;
}

export function renderEmergencyAccessAlert(options: EmergencyAccessAlert): RenderedMail {
  const { property, contactName, reason, issuedByName, startsAt, endsAt } = options;
  const { words, at, link, render } = writerOf(options);
  return render({
    kind: 'host-emergency-access',
    tone: 'danger',
    title: words.emergencyAccess.title(property.name),
    summary: words.emergencyAccess.summary(issuedByName, contactName, property.name),
    facts: [
      { label: words.facts.property, lines: [property.name] },
      { label: words.facts.givenTo, lines: [contactName] },
      { label: words.facts.reason, lines: [reason] },
      { label: words.facts.givenBy, lines: [issuedByName] },
      { label: words.facts.validFrom, lines: [at(startsAt)] },
      { label: words.facts.validUntil, lines: [at(endsAt)] },
    ],
    actions: [words.emergencyAccess.expected, words.emergencyAccess.unexpected],
    link,
  });
}

export interface FeedUnhealthyAlert extends AlertOptions {
  readonly integrationName: string;
  readonly status: 'failed' | 'suspicious';
  readonly reason: string;
  readonly lastImportAt?: IsoInstant | undefined;
}

/**
 * An iCal feed stopped importing: it failed (unreachable, an HTTP error, not a calendar), or it dropped
 * bookings suspiciously and its cancellations were withheld. Sent once when the feed turns unhealthy.
 */
export function renderFeedUnhealthyAlert(options: FeedUnhealthyAlert): RenderedMail {
  const { property, integrationName, status, reason, lastImportAt } = options;
  const { at, link, render } = writerOf(options);
  const failed = status === 'failed';
  return render({
    kind: 'host-alert',
    tone: failed ? 'danger' : 'warning',
    title: failed
      ? `The calendar "${integrationName}" of ${property.name} is not importing`
      : `The calendar "${integrationName}" of ${property.name} dropped bookings suspiciously`,
    summary: failed
      ? 'Lockstay could not read the calendar. Bookings already imported are kept, and nothing is cancelled until it reads cleanly again; new bookings from it are not imported meanwhile.'
      : 'Several upcoming bookings vanished from the calendar at once. Lockstay did not cancel them: it cancels only what a calendar it trusts drops.',
    facts: [
      { label: 'Property', lines: [property.name] },
      { label: 'Calendar', lines: [integrationName] },
      { label: 'Why', lines: [reason] },
      { label: 'Last imported', lines: [lastImportAt ? at(lastImportAt) : 'Never'] },
    ],
    actions: failed
      ? [
          'Check that the calendar link is still the one the channel shows (channels change it when a listing is re-created).',
          'Sync the calendar from the console once it is fixed.',
        ]
      : [
          'Check the bookings on the channel: cancel in Lockstay those that were really cancelled.',
          'If the channel serves the wrong calendar, correct the link.',
        ],
    link,
  });
}
