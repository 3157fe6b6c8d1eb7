/**
 * Tells hosts what they must know now (by email in production). The domain decides who is told and about
 * what; the adapter decides how. Sending is best effort from the domain's point of view: the change it reports
 * is already committed and audited.
 */
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

/** Something a lock needs a person for: codes that did not fit, a low battery, a keypad locked out. */
export type LockAlertNotice = {
  readonly kind: 'lock-alert';
  readonly alert: 'lock-full' | 'low-battery' | 'keypad-locked-out';
  readonly lockId: string;
  readonly lockName: string;
  readonly propertyId: string;
  readonly details: Readonly<Record<string, string | number>>;
};

export interface HostNotifier {
  notify(options: {
    tenantId: string;
    recipients: readonly NoticeRecipient[];
    notice: HostNotice | LockAlertNotice;
  }): Promise<void>;
}
