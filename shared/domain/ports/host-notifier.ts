/**
 * Tells hosts what they must know now (by email in production). The domain decides who is told and about
 * what; the adapter decides how. Sending is best effort from the domain's point of view: the change it reports
 * is already committed and audited.
 */
import type { AccessCodeFailureReason } from '../access-code.ts';
import type { AuditActor } from '../audit.ts';
import type { IsoInstant } from '../local-time.ts';

export interface NoticeRecipient {
  readonly userId: string;
  readonly email: string;
  readonly name: string;
}

export type HostNotice = {
  readonly kind: 'emergency-access-issued';
  readonly grantId: string;
  readonly propertyId: string;
  readonly propertyName: string;
  /** Times shown in the property's time zone. */
  readonly timeZone: string;
  readonly contactName: string;
  readonly reason: string;
  readonly issuedBy: AuditActor;
  readonly startsAt: IsoInstant;
  readonly endsAt: IsoInstant;
};

/**
 * Something a lock needs a person for: codes that did not fit, a low battery, a keypad locked out, the lock
 * offline with a guest arriving soon, firmware older than the business accepts, an offline code that outlives
 * the access it was given for.
 */
export type LockAlertNotice = {
  readonly kind: 'lock-alert';
  readonly alert:
    | 'lock-full'
    | 'low-battery'
    | 'keypad-locked-out'
    | 'lock-offline'
    | 'firmware-outdated'
    /** An offline code outlives a cancelled, revoked or moved access: the lock admits it until it ends. */
    | 'offline-code-still-valid';
  readonly lockId: string;
  readonly lockName: string;
  readonly propertyId: string;
  readonly details: Readonly<Record<string, string | number>>;
};

/** Why a guest's code is not ready on a lock when the readiness check runs. */
export type CodeNotReadyProblem =
  | AccessCodeFailureReason
  /** The lock has not confirmed the code (it is online, or its condition is unknown). */
  | 'not-confirmed'
  /** A Bluetooth lock for which no offline code can be issued (keypad too short, stay too long). */
  | 'no-offline-code';

/** The readiness check found a guest's code not set on some locks some hours before check-in. */
export type CodeNotReadyNotice = {
  readonly kind: 'code-not-ready';
  readonly grantId: string;
  readonly propertyId: string;
  readonly guestName: string;
  readonly checkInAt: IsoInstant;
  readonly locks: readonly {
    readonly lockId: string;
    readonly lockName: string;
    readonly problem: CodeNotReadyProblem;
    /** Whether an offline code was issued as the fallback for this lock. */
    readonly fallbackIssued: boolean;
  }[];
};

/** A booking integration needs a person: an iCal feed stopped importing (failed, or withheld cancellations). */
export type IntegrationAlertNotice = {
  readonly kind: 'integration-alert';
  readonly alert: 'feed-unhealthy';
  readonly integrationId: string;
  readonly integrationName: string;
  readonly propertyId: string;
  readonly status: 'failed' | 'suspicious';
  readonly reason: string;
  /** When the feed last imported cleanly; absent when it never did. */
  readonly lastImportAt?: IsoInstant | undefined;
};

export interface HostNotifier {
  notify(options: {
    tenantId: string;
    recipients: readonly NoticeRecipient[];
    notice: HostNotice | LockAlertNotice | CodeNotReadyNotice | IntegrationAlertNotice;
  }): Promise<void>;
}
