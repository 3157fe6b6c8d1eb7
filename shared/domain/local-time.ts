/**
 * Wall-clock time at a property. Hosts think in local dates ("arrives on 24 October") and local times
 * ("check-in from 15:00") in the property's IANA time zone; locks and the cloud think in instants. This module
 * is the one place where the two meet, so that daylight-saving changes are handled once and by one rule.
 *
 * Instants are carried through the domain as ISO 8601 UTC strings with milliseconds
 * (`2026-10-24T13:00:00.000Z`): fixed width, so they sort as text, and storable as they are.
 *
 * Local times that do not exist (the hour skipped when clocks go forward) or exist twice (the hour repeated
 * when clocks go back) are resolved by the caller's choice of `earlier` or `later`, with the meaning Temporal
 * gives them: in a gap, `earlier` is the same wall time on the old offset (just before the jump) and `later`
 * the same wall time on the new offset (just after it); in a repeated hour, `earlier` is the first occurrence
 * and `later` the second. Grant windows use `earlier` for their start and `later` for their end, so a window
 * always covers every moment a wall clock at the property could show the promised time.
 */
import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';

export type IsoInstant = string;
/** `YYYY-MM-DD`, a calendar date at the property. */
export type LocalDate = string;
/** `HH:MM`, 24-hour wall-clock time at the property. */
export type LocalTime = string;
export type Disambiguation = 'earlier' | 'later';

// Offsets (`+02:00`, `UTC+2`) are valid for Intl but are not places: they know nothing of daylight saving.
const offsetLike = /^[+\-\u2212]|^(utc|gmt)[+-]/i;

/** The canonical IANA name of `name` (aliases resolved, case fixed), or undefined when it is not one. */
export function canonicalTimeZone(name: string): string | undefined {
  if (name.trim() !== name || name === '' || offsetLike.test(name)) return undefined;
  try {
    const resolved = new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
    return offsetLike.test(resolved) ? undefined : resolved;
  } catch {
    return undefined;
  }
}

export const timeZoneSchema = z
  .string()
  .transform((name, context) => {
    const canonical = canonicalTimeZone(name);
    if (canonical === undefined) {
      context.addIssue({
        code: 'custom',
        message: 'Must be an IANA time zone name such as Europe/Berlin or America/New_York',
      });
      return z.NEVER;
    }
    return canonical;
  })
  .describe('IANA time zone of the property, e.g. Europe/Berlin');

export const localTimeSchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Must be a 24-hour local time HH:MM, e.g. 15:00')
  .describe('Local wall-clock time at the property, HH:MM');

export const localDateSchema = z.iso
  .date('Must be a calendar date YYYY-MM-DD')
  .describe('Local date at the property');

/** An instant given by a client: ISO 8601 with an explicit offset, normalised to UTC. */
export const instantSchema = z.iso
  .datetime({
    offset: true,
    message: 'Must be an ISO 8601 date-time with an offset, e.g. 2026-10-24T15:00:00+02:00',
  })
  .transform((value) => toIsoInstant(Date.parse(value)));

export function toIsoInstant(epochMilliseconds: number): IsoInstant {
  return new Date(epochMilliseconds).toISOString();
}

export function instantOf(date: Date): IsoInstant {
  return date.toISOString();
}

export function epochOf(instant: IsoInstant): number {
  return Date.parse(instant);
}

export function addMinutes(instant: IsoInstant, minutes: number): IsoInstant {
  return toIsoInstant(epochOf(instant) + minutes * 60_000);
}

export function addHours(instant: IsoInstant, hours: number): IsoInstant {
  return addMinutes(instant, hours * 60);
}

export function isBefore(a: IsoInstant, b: IsoInstant): boolean {
  return epochOf(a) < epochOf(b);
}

export function laterOf(a: IsoInstant, b: IsoInstant): IsoInstant {
  return isBefore(a, b) ? b : a;
}

/** The instant at which the wall clocks in `timeZone` show `time` on `date`. */
export function zonedInstant({
  date,
  time,
  timeZone,
  disambiguation,
}: {
  date: LocalDate;
  time: LocalTime;
  timeZone: string;
  disambiguation: Disambiguation;
}): IsoInstant {
  const zoned = Temporal.PlainDate.from(date)
    .toPlainDateTime(Temporal.PlainTime.from(time))
    .toZonedDateTime(timeZone, { disambiguation });
  return toIsoInstant(zoned.epochMilliseconds);
}

/** The instant as the property's clocks show it, with its offset: `2026-10-24T15:00:00+02:00`. */
export function inZone({ instant, timeZone }: { instant: IsoInstant; timeZone: string }): string {
  return Temporal.Instant.fromEpochMilliseconds(epochOf(instant))
    .toZonedDateTimeISO(timeZone)
    .toString({ timeZoneName: 'never', smallestUnit: 'second' });
}

/** The local date at the property at `instant`. */
export function localDateAt({ instant, timeZone }: { instant: IsoInstant; timeZone: string }): LocalDate {
  return Temporal.Instant.fromEpochMilliseconds(epochOf(instant))
    .toZonedDateTimeISO(timeZone)
    .toPlainDate()
    .toString();
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Temporal.PlainDate.from(from).until(Temporal.PlainDate.from(to), { largestUnit: 'days' }).days;
}

export function compareLocalDates(a: LocalDate, b: LocalDate): number {
  return Temporal.PlainDate.compare(Temporal.PlainDate.from(a), Temporal.PlainDate.from(b));
}
