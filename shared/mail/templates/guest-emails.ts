/**
 * The emails a guest gets about a stay: the access email (a lead time before check-in, or at once for a late
 * booking), the same again when the stay changes, and the cancellation that says the access is gone. Each is
 * rendered in the guest's language (English when there is no catalogue for it), with every time on the
 * property's clocks and the zone named.
 *
 * The guest page link is the guest's credential: it is put in the message and nowhere else (never logged).
 */
import { keypadLockoutPolicy } from '#shared/devices/lockout.ts';
import type { IsoInstant } from '#shared/domain/local-time.ts';
import type { Address } from '#shared/domain/property.ts';
import { type MailMessages, type Messages, messagesFor } from './catalogue.ts';
import { addressLines, formatDateRange, formatDateTime, oneLine, zoneName } from './formatting.ts';
import { type Block, type EmailDocument, type Fact, type RenderedMail, renderDocument } from './layout.ts';

export interface EmailProperty {
  readonly name: string;
  readonly address: Address;
  /** IANA zone whose clocks every time in the email is shown on. */
  readonly timeZone: string;
}

export interface DoorCode {
  readonly code: string;
  /**
   * `pin`: a code loaded onto the lock; `offline`: one the lock checks by itself with no network (a Bluetooth
   * lock, or the fallback when a PIN could not be set in time). The email tells the guest which it is.
   */
  readonly kind: 'pin' | 'offline';
  /** The doors it opens; worth saying when a property has more than one lock. */
  readonly lockNames?: readonly string[] | undefined;
  /** An offline code must be entered a first time before this instant. */
  readonly firstUseBefore?: IsoInstant | undefined;
}

export interface HostContact {
  readonly name: string;
  readonly phone?: string | undefined;
  readonly email?: string | undefined;
}

interface StayEmail {
  /** The booking's guest language (a BCP 47 tag); English when absent or without a catalogue. */
  readonly language?: string | undefined;
  readonly guestName: string;
  readonly property: EmailProperty;
  /** Check-in and check-out as instants (see `stayOf` in the domain); shown on the property's clocks. */
  readonly checkInAt: IsoInstant;
  readonly checkOutAt: IsoInstant;
  /** Who the guest can call when something goes wrong. */
  readonly host?: HostContact | undefined;
}

export interface GuestAccessEmail extends StayEmail {
  /** One code for most stays; one per group of locks when the locks need different codes. */
  readonly codes: readonly DoorCode[];
  readonly guestPageUrl: string;
  /** Whether a lock of the stay can be opened from the guest page. */
  readonly remoteUnlock?: boolean | undefined;
}

export interface StayChangedEmail extends GuestAccessEmail {
  readonly previous: { readonly checkInAt: IsoInstant; readonly checkOutAt: IsoInstant };
  /** Whether the codes differ from those in the last email (then the old ones no longer work). */
  readonly codeChanged: boolean;
}

export type StayCancelledEmail = StayEmail;

/** Formatting bound to one reader and one property. */
function readerOf({ language, property }: Pick<StayEmail, 'language' | 'property'>) {
  const reader: Messages = messagesFor(language);
  const { locale, messages } = reader;
  const { timeZone } = property;
  return {
    ...reader,
    at: (instant: IsoInstant) =>
      messages.common.inZone(formatDateTime({ instant, timeZone, locale }), zoneName(timeZone)),
    days: (from: IsoInstant, to: IsoInstant) => formatDateRange({ from, to, timeZone, locale }),
  };
}
type Reader = ReturnType<typeof readerOf>;

function stayFacts({ reader, email }: { reader: Reader; email: StayEmail }): Fact[] {
  const labels = reader.messages.guest.facts;
  return [
    { label: labels.property, lines: [email.property.name] },
    {
      label: labels.address,
      lines: addressLines({ address: email.property.address, locale: reader.locale }),
    },
    { label: labels.checkIn, lines: [reader.at(email.checkInAt)] },
    { label: labels.checkOut, lines: [reader.at(email.checkOutAt)] },
  ];
}

function codeBlocks({
  reader,
  codes,
  label,
}: {
  reader: Reader;
  codes: readonly DoorCode[];
  label: string;
}): Block[] {
  if (codes.length === 0) throw new Error('A guest email with access needs at least one code');
  const words = reader.messages.guest.codes;
  const shown: Block[] = codes.map((code) => ({
    kind: 'code',
    label,
    code: code.code,
    caption: code.lockNames?.length ? words.opens(code.lockNames.join(', ')) : undefined,
  }));
  const sentences: Block[] = [];
  if (codes.some((code) => code.kind === 'pin'))
    sentences.push({ kind: 'paragraph', text: words.worksDuringStay });
  for (const code of codes.filter((candidate) => candidate.kind === 'offline')) {
    const firstUse = code.firstUseBefore ? ` ${words.offlineFirstUse(reader.at(code.firstUseBefore))}` : '';
    sentences.push({ kind: 'paragraph', text: `${words.offline}${firstUse}` });
  }
  return [...shown, ...sentences];
}

function keypadBlocks({
  messages,
  host,
}: {
  messages: MailMessages;
  host?: HostContact | undefined;
}): Block[] {
  const keypad = messages.guest.keypad;
  const lockoutMinutes = Math.round(keypadLockoutPolicy.firstLockoutSeconds / 60);
  return [
    { kind: 'steps', title: keypad.title, steps: keypad.steps },
    { kind: 'paragraph', text: keypad.wrongCode },
    {
      kind: 'paragraph',
      text: `${keypad.lockout(keypadLockoutPolicy.wrongEntriesPerLockout, lockoutMinutes)} ${keypad.stillLocked}`,
    },
    ...hostContactBlocks({ messages, host }),
  ];
}

function hostContactBlocks({
  messages,
  host,
}: {
  messages: MailMessages;
  host?: HostContact | undefined;
}): Block[] {
  if (host === undefined) return [];
  const details = [host.name, host.phone, host.email].filter(Boolean).join(', ');
  return [{ kind: 'paragraph', text: messages.guest.hostContact(details) }];
}

function guestPageBlocks({
  messages,
  url,
  remoteUnlock,
}: {
  messages: MailMessages;
  url: string;
  remoteUnlock: boolean;
}): Block[] {
  const page = messages.guest.guestPage;
  return [
    { kind: 'paragraph', text: remoteUnlock ? `${page.intro} ${page.remoteUnlock}` : page.intro },
    { kind: 'button', label: page.button, url, fallback: messages.common.linkFallback },
    {
      kind: 'notice',
      tone: 'info',
      title: messages.guest.keepPrivate.title,
      text: [messages.guest.keepPrivate.text],
    },
  ];
}

function footerOf({ messages, email }: { messages: MailMessages; email: StayEmail }): string[] {
  return [messages.guest.whyYouGetThis(email.property.name), messages.common.sentAutomatically];
}

function rendered(kind: RenderedMail['kind'], subject: string, document: EmailDocument): RenderedMail {
  return { kind, subject: oneLine(subject), ...renderDocument(document) };
}

/** The email with everything a guest needs to let themselves in. */
export function renderGuestAccessEmail(email: GuestAccessEmail): RenderedMail {
  const reader = readerOf(email);
  const { messages } = reader;
  const words = messages.guest.access;
  return rendered(
    'guest-access',
    words.subject(email.property.name, reader.days(email.checkInAt, email.checkOutAt)),
    {
      lang: reader.locale,
      title: words.title(email.property.name),
      preheader: words.preheader(reader.at(email.checkInAt)),
      greeting: messages.common.greeting(email.guestName),
      blocks: [
        { kind: 'paragraph', text: words.intro(email.property.name) },
        { kind: 'facts', rows: stayFacts({ reader, email }) },
        ...codeBlocks({ reader, codes: email.codes, label: messages.guest.codes.yourCode }),
        ...keypadBlocks({ messages, host: email.host }),
        ...guestPageBlocks({ messages, url: email.guestPageUrl, remoteUnlock: email.remoteUnlock ?? false }),
      ],
      footer: footerOf({ messages, email }),
    },
  );
}

/** The stay's new times and the code to use, when a booking is modified. */
export function renderStayChangedEmail(email: StayChangedEmail): RenderedMail {
  const reader = readerOf(email);
  const { messages } = reader;
  const words = messages.guest.changed;
  const facts = messages.guest.facts;
  const previously: Fact = {
    label: facts.previously,
    lines: [
      `${facts.checkIn}: ${reader.at(email.previous.checkInAt)}`,
      `${facts.checkOut}: ${reader.at(email.previous.checkOutAt)}`,
    ],
  };
  return rendered(
    'guest-stay-changed',
    words.subject(email.property.name, reader.days(email.checkInAt, email.checkOutAt)),
    {
      lang: reader.locale,
      title: words.title(email.property.name),
      preheader: words.preheader(reader.at(email.checkInAt)),
      greeting: messages.common.greeting(email.guestName),
      blocks: [
        { kind: 'paragraph', text: words.intro },
        { kind: 'facts', rows: [...stayFacts({ reader, email }), previously] },
        email.codeChanged
          ? { kind: 'notice', tone: 'warning', text: [words.codeChanged] }
          : { kind: 'paragraph', text: words.codeUnchanged },
        ...codeBlocks({
          reader,
          codes: email.codes,
          label: email.codeChanged ? messages.guest.codes.yourNewCode : messages.guest.codes.yourCode,
        }),
        ...keypadBlocks({ messages, host: email.host }),
        ...guestPageBlocks({ messages, url: email.guestPageUrl, remoteUnlock: email.remoteUnlock ?? false }),
      ],
      footer: footerOf({ messages, email }),
    },
  );
}

/** Tells the guest the stay is cancelled and that the code and the link no longer work. */
export function renderStayCancelledEmail(email: StayCancelledEmail): RenderedMail {
  const reader = readerOf(email);
  const { messages } = reader;
  const words = messages.guest.cancelled;
  const dates = reader.days(email.checkInAt, email.checkOutAt);
  return rendered('guest-stay-cancelled', words.subject(email.property.name, dates), {
    lang: reader.locale,
    title: words.title,
    preheader: words.preheader,
    greeting: messages.common.greeting(email.guestName),
    blocks: [
      { kind: 'paragraph', text: words.intro(email.property.name, dates) },
      { kind: 'notice', tone: 'danger', title: words.accessRemovedTitle, text: [words.accessRemoved] },
      { kind: 'paragraph', text: words.mistake },
      ...hostContactBlocks({ messages, host: email.host }),
    ],
    footer: footerOf({ messages, email }),
  });
}
