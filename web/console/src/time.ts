/**
 * Times as hosts read them: always with the zone named, since a host in Lisbon managing a flat in Paris must
 * never wonder whose 16:00 it is. Property times are shown in the property's zone, the rest in the viewer's.
 */

/** The viewer's own zone, e.g. `Europe/Lisbon`. */
export const viewerTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** An instant to show on a zone's clocks, in the viewer's language unless `locale` is given. */
interface InstantInZone {
  at: Date | string | number;
  timeZone: string;
  locale?: string;
}

/** The time of day with the zone's short name, which every shown time carries. */
const timeOfDay = { hour: '2-digit', minute: '2-digit', timeZoneName: 'short' } as const;

/** `Fri 27 Nov 2026, 16:00 CET` (the zone's short name as the locale writes it, e.g. `GMT+1` in en-US). */
export function formatDateTime({ at, timeZone, locale }: InstantInZone): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    ...timeOfDay,
  }).format(new Date(at));
}

/** `16:00 CET`: for a time whose day is already on screen. */
export function formatTime({ at, timeZone, locale }: InstantInZone): string {
  return new Intl.DateTimeFormat(locale, { timeZone, ...timeOfDay }).format(new Date(at));
}

/**
 * `Central European Time (Europe/Paris)`: the zone's name for headings such as "Times in ...". Named as the zone
 * is now: in 1970 (the epoch) Lisbon kept Central European time.
 */
export function describeTimeZone(options: { timeZone: string; locale?: string; at?: Date }): string {
  const { timeZone, locale, at = new Date() } = options;
  const name = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'longGeneric' })
    .formatToParts(at)
    .find((part) => part.type === 'timeZoneName')?.value;
  return name && name !== timeZone ? `${name} (${timeZone})` : timeZone;
}
