/**
 * How the Today page words what `GET /today` answers: day labels relative to each property's own today, code
 * states and lock problems as hosts say them, and alerts from the audit log as sentences.
 */
import type { AuditEvent } from '#shared/domain/audit.ts';
import type { CodeState, LockProblem, PropertyDay, Stay } from '#shared/overview/today.ts';

export type Tone = 'good' | 'warning' | 'bad' | 'neutral';

/** `Today`, `Tomorrow` or the weekday and date, at the property (`2026-11-28` → `Sat 28 Nov`). */
export function dayLabel({ date, today, locale }: { date: string; today: string; locale?: string }): string {
  const days = Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
  if (days === 0) return 'Today';
  if (days === 1) return 'Tomorrow';
  return formatLocalDate({ date, ...(locale === undefined ? {} : { locale }) });
}

/** A property's local date as hosts read it: `Thu 26 Nov`. */
export function formatLocalDate({ date, locale }: { date: string; locale?: string }): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone: 'UTC',
    weekday: 'short',
    day: 'numeric',
    month: 'short',
  }).format(new Date(`${date}T00:00:00Z`));
}

export const codeStates: Readonly<Record<CodeState, { label: string; tone: Tone }>> = {
  set: { label: 'Set', tone: 'good' },
  setting: { label: 'Setting', tone: 'warning' },
  scheduled: { label: 'Scheduled', tone: 'neutral' },
  failed: { label: 'Failed', tone: 'bad' },
  missing: { label: 'No code', tone: 'bad' },
  'offline-code': { label: 'Offline code', tone: 'neutral' },
  removing: { label: 'Being removed', tone: 'neutral' },
  removed: { label: 'Removed', tone: 'neutral' },
};

export const lockProblemLabels: Readonly<Record<LockProblem, string>> = {
  offline: 'Offline',
  'never-connected': 'Never connected',
  'low-battery': 'Low battery',
  'keypad-locked-out': 'Keypad locked out',
};

/** Stays grouped by the day they arrive (or leave) at their property, in order. */
export function byDay({
  stays,
  properties,
  dateOf,
}: {
  stays: readonly Stay[];
  properties: readonly PropertyDay[];
  dateOf: (stay: Stay) => string;
}): { label: string; stays: Stay[] }[] {
  const groups = new Map<string, Stay[]>();
  for (const stay of stays) {
    const property = properties.find(({ id }) => id === stay.propertyId);
    const label = property ? dayLabel({ date: dateOf(stay), today: property.today }) : dateOf(stay);
    groups.set(label, [...(groups.get(label) ?? []), stay]);
  }
  return [...groups.entries()].map(([label, grouped]) => ({ label, stays: grouped }));
}

const alertSentences: Readonly<Record<string, (details: Readonly<Record<string, unknown>>) => string>> = {
  'lock.battery-low': (details) =>
    `Battery low${typeof details.percent === 'number' ? ` (${details.percent}%)` : ''}: replace the batteries soon.`,
  'lock.keypad-locked-out': () => 'Keypad locked out after repeated wrong codes.',
  'lock.tamper': () => 'The lock reported tampering.',
  'access-code.did-not-fit-lock': () => 'A code did not fit on the lock: it holds as many codes as it can.',
  'access-code.rejected-by-lock': () => 'The lock refused a code.',
  'grant.owners-notified': () => 'Emergency access was issued; every owner was told.',
  'alert.code-not-ready': (details) =>
    details.fallback === 'offline-code'
      ? 'A guest’s code is not confirmed on the lock before arrival: an offline code was issued to the guest instead.'
      : 'A guest’s code is not confirmed on the lock before arrival, and no offline code could be issued: give the guest another way in.',
  'alert.lock-offline': () =>
    'The lock is offline and a guest’s access starts soon: check its power and Wi-Fi.',
  'alert.firmware-outdated': (details) =>
    `The lock runs firmware ${typeof details.firmware === 'string' ? details.firmware : 'older than allowed'}${typeof details.minimumFirmwareVersion === 'string' && details.minimumFirmwareVersion ? `, older than the minimum ${details.minimumFirmwareVersion}` : ''}: update it.`,
};

/** An alert as a sentence; an alert this console does not know yet reads as its action. */
export function describeAlert(event: Pick<AuditEvent, 'action' | 'details'>): string {
  return alertSentences[event.action]?.(event.details) ?? event.action.replace(/[.-]/g, ' ');
}
