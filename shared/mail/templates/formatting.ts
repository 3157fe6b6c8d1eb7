/**
 * How emails show times, dates, addresses and codes. Times are always shown on the property's clocks, with the
 * zone named, because the guest reads the email before travelling, in whatever zone their phone is in.
 */
import type { IsoInstant } from '#shared/domain/local-time.ts';
import type { Address } from '#shared/domain/property.ts';

/** `Europe/Lisbon`, `America/New York`: the IANA name as people read it. */
export function zoneName(timeZone: string): string {
  return timeZone.replaceAll('_', ' ');
}

// ICU puts thin and narrow no-break spaces into dates (`23 Oct – 27 Oct`, `3:00 PM`); plain-text readers and
// monospace fonts show them badly, and they make the same words differ from what people type.
const plainSpaces = (text: string) => text.replace(/[\u00a0\u2009\u202f]/g, ' ');

/** `Sat, 24 Oct 2026, 15:00` in `locale`, on the clocks of `timeZone`. */
export function formatDateTime({
  instant,
  timeZone,
  locale,
}: {
  instant: IsoInstant;
  timeZone: string;
  locale: string;
}): string {
  const options: Intl.DateTimeFormatOptions = {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone,
  };
  // A 24-hour clock reads 09:00, not 9:00; a 12-hour one reads 9:00 AM.
  const probe = new Intl.DateTimeFormat(locale, options).resolvedOptions().hourCycle;
  const hour = probe === 'h23' || probe === 'h24' ? '2-digit' : 'numeric';
  return plainSpaces(new Intl.DateTimeFormat(locale, { ...options, hour }).format(new Date(instant)));
}

/** `Sat, 24 Oct – Tue, 27 Oct 2026`: the days of a stay, on the property's calendar. */
export function formatDateRange({
  from,
  to,
  timeZone,
  locale,
}: {
  from: IsoInstant;
  to: IsoInstant;
  timeZone: string;
  locale: string;
}): string {
  const days = new Intl.DateTimeFormat(locale, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone,
  });
  return plainSpaces(days.formatRange(new Date(from), new Date(to)));
}

// Countries that write "City, Region Postcode" on one line; elsewhere "Postcode City".
const cityFirstCountries = new Set(['US', 'CA', 'AU']);

/** The address as lines for an envelope, the country named in `locale`. */
export function addressLines({ address, locale }: { address: Address; locale: string }): string[] {
  const { line1, line2, city, region, postalCode, countryCode } = address;
  const locality = cityFirstCountries.has(countryCode)
    ? [[city, region].filter(Boolean).join(', '), postalCode].filter(Boolean).join(' ')
    : [[postalCode, city].filter(Boolean).join(' '), region].filter(Boolean).join(', ');
  const country = new Intl.DisplayNames([locale], { type: 'region', fallback: 'code' }).of(countryCode);
  return [line1, line2, locality, country].filter((line): line is string => Boolean(line));
}

/**
 * A code as it is easiest to read off a screen and type: `482 913`, `4829 1301`; four digits or fewer stay
 * together.
 */
export function groupDigits(code: string): string {
  if (code.length <= 4) return code;
  const half = Math.ceil(code.length / 2);
  return `${code.slice(0, half)} ${code.slice(half)}`;
}

/** `4 8 2 9 1 3`: for screen readers, which would read `482 913` as two numbers. */
export function digitByDigit(code: string): string {
  return code.split('').join(' ');
}

/** A subject line on one line, whatever the names in it contain. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
