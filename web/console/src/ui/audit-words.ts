/**
 * Audit events told in a host's words: "Code set on Front door", "Door opened by keypad on Front door". Used
 * by a booking's timeline and the audit log page; the event's time is shown beside, in the property's zone.
 */
import type { AuditEvent } from '#shared/domain/audit.ts';
import type { AuditMethod } from '#shared/domain/audit-filter.ts';

export const methodWords: Readonly<Record<AuditMethod, string>> = {
  keypad: 'Keypad code',
  'offline-code': 'Offline code',
  remote: 'Remote unlock',
  rfid: 'Card',
  fingerprint: 'Fingerprint',
  face: 'Face',
  key: 'Mechanical key',
  admin: 'Change by a person or integration',
  system: 'Lock or Lockstay itself',
};

const unlockMethodWords: Readonly<Record<string, string>> = {
  keypad: 'keypad code',
  'offline-code': 'offline code',
  remote: 'remote unlock',
  rfid: 'card',
  fingerprint: 'fingerprint',
  face: 'face',
  key: 'mechanical key',
};

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

export interface EventWordsContext {
  /** The lock's name, or undefined when unknown. */
  lockName(lockId: string): string | undefined;
  /** The team member's email or name, when known. */
  personName?(userId: string): string | undefined;
}

/** Who did it: a person, the guest, the lock, an integration or Lockstay. */
export function actorWords(event: AuditEvent, context: EventWordsContext): string {
  const { actor } = event;
  switch (actor.kind) {
    case 'user':
      return `${context.personName?.(actor.userId) ?? actor.userId} (${actor.role})`;
    case 'guest':
      return 'the guest';
    case 'device':
      return context.lockName(actor.lockId) ?? 'the lock';
    case 'integration':
      return 'an integration';
    case 'system':
      return 'Lockstay';
  }
}

/** What happened, in one sentence without the time. */
export function eventWords(event: AuditEvent, context: EventWordsContext): string {
  const { details } = event;
  const lock = (event.lockId && context.lockName(event.lockId)) || (event.lockId ? 'a lock' : 'the locks');
  const reason = text(details.reason);
  const withReason = (sentence: string) =>
    reason ? `${sentence} (${reason.replaceAll('-', ' ')})` : sentence;
  const method = text(details.method);
  switch (event.action) {
    case 'booking.created':
      return `Booking entered by ${actorWords(event, context)}`;
    case 'booking.modified': {
      const changed = Array.isArray(details.changed) ? details.changed.join(', ') : undefined;
      return `Booking changed by ${actorWords(event, context)}${changed ? `: ${changed}` : ''}`;
    }
    case 'booking.cancelled':
      return withReason(`Booking cancelled by ${actorWords(event, context)}`);
    case 'booking.guest-emailed':
      return `Guest emailed: ${text(details.email)?.replaceAll('-', ' ') ?? 'message'}`;
    case 'grant.issued':
      return `Access granted by ${actorWords(event, context)}`;
    case 'grant.window-moved':
      return 'Access window moved with the stay';
    case 'grant.revoked':
      return withReason(`Access revoked by ${actorWords(event, context)}`);
    case 'grant.lock-added':
      return `${lock} added to the access`;
    case 'grant.owners-notified':
      return 'All owners notified';
    case 'access-code.allocated':
      return `Code allocated for ${lock}`;
    case 'access-code.sent-to-lock':
      return `Code sent to ${lock}`;
    case 'access-code.set-on-lock':
      return `Code set on ${lock}`;
    case 'access-code.removed-on-lock':
      return `Code removed from ${lock}`;
    case 'access-code.rejected-by-lock':
      return withReason(`${lock} refused the code`);
    case 'access-code.did-not-fit-lock':
      return withReason(`Code did not fit on ${lock}`);
    case 'access-code.withdrawn':
      return `Code withdrawn from ${lock}`;
    case 'access-code.withdrawn-after-window':
      return `Code taken off ${lock} after its window`;
    case 'access-code.rescheduled':
      return `Code window moved on ${lock}`;
    case 'access-code.used-once':
      return `One-time code used on ${lock}`;
    case 'lock.unlocked':
      return `Door opened by ${unlockMethodWords[method ?? ''] ?? 'an unknown method'} on ${lock}`;
    case 'lock.access-denied':
      return withReason(`${lock} refused a ${unlockMethodWords[method ?? ''] ?? 'credential'}`);
    case 'lock.locked':
      return withReason(`${lock} locked`);
    case 'lock.keypad-locked-out':
      return `${lock} keypad locked out after wrong codes`;
    case 'lock.battery-low':
      return `${lock} battery low${typeof details.percent === 'number' ? ` (${details.percent}%)` : ''}`;
    case 'unlock-command.requested':
      return `Remote unlock of ${lock} asked by ${actorWords(event, context)}`;
    case 'unlock-command.succeeded':
      return `Remote unlock of ${lock} done`;
    case 'unlock-command.failed':
      return withReason(`Remote unlock of ${lock} failed`);
    case 'unlock-command.expired':
      return `Remote unlock of ${lock} expired before the lock acted`;
    default: {
      const [subject = '', what = ''] = event.action.split('.');
      const sentence = `${subject.replaceAll('-', ' ')} ${what.replaceAll('-', ' ')}`.trim();
      return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}${event.lockId ? ` (${lock})` : ''}`;
    }
  }
}
