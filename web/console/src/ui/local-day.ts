/**
 * Calendar days at a place: what day it is in a time zone, and the instant a local day begins there, so a
 * host's "from 20 Nov to 22 Nov" at a Lisbon flat means Lisbon's days whatever the viewer's own zone.
 */

/** `YYYY-MM-DD` of `at` in the zone. */
export function localDate({ at = new Date(), timeZone }: { at?: Date; timeZone: string }): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

/** Minutes the zone's clock is ahead of UTC at `at`. */
function offsetMinutes(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(at));
  const part = (type: string) => Number(parts.find((candidate) => candidate.type === type)?.value ?? 0);
  const asUtc = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  return Math.round((asUtc - Math.floor(at / 1000) * 1000) / 60_000);
}

/**
 * The instant the local day `date` (`YYYY-MM-DD`) begins in the zone, as ISO text. Where midnight does not
 * exist (clocks jump forward at 00:00), the day begins at the first instant after the jump.
 */
export function startOfLocalDay({ date, timeZone }: { date: string; timeZone: string }): string {
  const [year = 0, month = 1, day = 1] = date.split('-').map(Number);
  const wall = Date.UTC(year, month - 1, day);
  let at = wall - offsetMinutes(wall, timeZone) * 60_000;
  // The offset at the first guess may differ from the offset at the true instant (a change that day).
  at = wall - offsetMinutes(at, timeZone) * 60_000;
  if (localDate({ at: new Date(at), timeZone }) < date)
    at = wall - offsetMinutes(at + 86_400_000, timeZone) * 60_000;
  return new Date(at).toISOString();
}

/** `date` moved by whole days. */
export function addDays(date: string, days: number): string {
  const [year = 0, month = 1, day = 1] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}
