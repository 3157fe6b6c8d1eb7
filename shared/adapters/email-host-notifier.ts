/**
 * HostNotifier by email: each notice becomes one of the host alert emails, sent to each recipient through the
 * mail port (SES v2 in AWS, the SES twin locally). Best effort, as the port says: the change was committed and
 * audited before anyone is told, so a recipient the mail service refuses is logged and the others still get
 * theirs. Times are on the property's clock.
 */

import type {
  CodeNotReadyNotice,
  HostNotice,
  HostNotifier,
  IntegrationAlertNotice,
  LockAlertNotice,
} from '#shared/domain/ports/host-notifier.ts';
import type { PropertyRepository } from '#shared/domain/ports/repositories.ts';
import type { Property } from '#shared/domain/property.ts';
import type { MailSender } from '#shared/mail/mail-sender.ts';
import {
  renderCodeNotReadyAlert,
  renderEmergencyAccessAlert,
  renderFeedUnhealthyAlert,
  renderFirmwareOutdatedAlert,
  renderHostAlert,
  renderKeypadLockoutAlert,
  renderLockOfflineAlert,
  renderLowBatteryAlert,
  renderOfflineCodeStillValidAlert,
} from '#shared/mail/templates/host-alerts.ts';
import type { RenderedMail } from '#shared/mail/templates/layout.ts';

export interface EmailHostNotifierOptions {
  readonly mail: MailSender;
  readonly properties: Pick<PropertyRepository, 'get'>;
  readonly log: { warn(message: string, details?: Record<string, unknown>): void };
  /** Where hosts act on an alert; the console's address. */
  readonly consoleUrl?: string;
  readonly now?: () => Date;
}

const numberOf = (value: string | number | undefined): number | undefined =>
  value === undefined || Number.isNaN(Number(value)) ? undefined : Number(value);

function lockAlertMail({
  notice,
  property,
  consoleUrl,
  at,
}: {
  notice: LockAlertNotice;
  property: Pick<Property, 'name' | 'timeZone'>;
  consoleUrl: string | undefined;
  at: string;
}): RenderedMail {
  const { details } = notice;
  switch (notice.alert) {
    case 'low-battery':
      return renderLowBatteryAlert({
        property,
        consoleUrl,
        lockName: notice.lockName,
        batteryPercent: numberOf(details.percent) ?? 0,
        reportedAt: at,
      });
    case 'keypad-locked-out':
      return renderKeypadLockoutAlert({
        property,
        consoleUrl,
        lockName: notice.lockName,
        lockedAt: at,
        lockedUntil: String(details.until ?? at),
        wrongEntries: numberOf(details.wrongEntries) ?? numberOf(details.lockouts) ?? 0,
      });
    case 'lock-offline':
      return renderLockOfflineAlert({
        property,
        consoleUrl,
        lockName: notice.lockName,
        offlineSince: String(details.offlineSince ?? at),
        nextCheckInAt: details.accessStartsAt === undefined ? undefined : String(details.accessStartsAt),
      });
    case 'firmware-outdated':
      return renderFirmwareOutdatedAlert({
        property,
        consoleUrl,
        lockName: notice.lockName,
        firmware: String(details.firmware ?? ''),
        minimumFirmwareVersion: String(details.minimumFirmwareVersion ?? ''),
      });
    case 'offline-code-still-valid':
      return renderOfflineCodeStillValidAlert({
        property,
        consoleUrl,
        lockName: notice.lockName,
        validUntil: String(details.validUntil ?? at),
        change: String(details.change ?? 'cancelled'),
        lockNeverOnline: details.connectivity === 'bluetooth',
      });
    case 'lock-full':
      return renderHostAlert({
        alert: {
          kind: 'host-alert',
          tone: 'danger',
          title: `${notice.lockName} at ${property.name} is full`,
          summary: `Some guests' codes could not be loaded onto ${notice.lockName}: it holds no more codes.`,
          facts: Object.entries(details).map(([label, value]) => ({ label, lines: [String(value)] })),
          actions: [
            'Revoke codes that are no longer needed (ended stays, old delivery codes).',
            "Or give the guests the lock's offline code for their stay.",
          ],
          link: consoleUrl ? { label: 'Open the console', url: consoleUrl } : undefined,
        },
      });
  }
}

export function createEmailHostNotifier(options: EmailHostNotifierOptions): HostNotifier {
  const { mail, properties, log, consoleUrl, now = () => new Date() } = options;

  // A notice about a property removed since it was raised still goes out, naming no property, on UTC clocks.
  const propertyOf = async ({
    tenantId,
    propertyId,
  }: {
    tenantId: string;
    propertyId: string;
  }): Promise<Pick<Property, 'name' | 'timeZone'>> =>
    (await properties.get({ tenantId, propertyId })) ?? { name: 'your property', timeZone: 'UTC' };

  const render = async (
    tenantId: string,
    notice: HostNotice | LockAlertNotice | CodeNotReadyNotice | IntegrationAlertNotice,
  ): Promise<RenderedMail> => {
    if (notice.kind === 'integration-alert') {
      return renderFeedUnhealthyAlert({
        property: await propertyOf({ tenantId, propertyId: notice.propertyId }),
        consoleUrl,
        integrationName: notice.integrationName,
        status: notice.status,
        reason: notice.reason,
        lastImportAt: notice.lastImportAt,
      });
    }
    if (notice.kind === 'code-not-ready') {
      return renderCodeNotReadyAlert({
        property: await propertyOf({ tenantId, propertyId: notice.propertyId }),
        consoleUrl,
        guestName: notice.guestName,
        checkInAt: notice.checkInAt,
        locks: notice.locks.map((lock) => ({ name: lock.lockName, problem: lock.problem })),
        fallbackIssued: notice.locks.every((lock) => lock.fallbackIssued),
      });
    }
    if (notice.kind === 'emergency-access-issued') {
      return renderEmergencyAccessAlert({
        property: { name: notice.propertyName, timeZone: notice.timeZone },
        consoleUrl,
        contactName: notice.contactName,
        reason: notice.reason,
        issuedByName:
          notice.issuedBy.kind === 'user' ? `a team member (${notice.issuedBy.role})` : 'Lockstay',
        startsAt: notice.startsAt,
        endsAt: notice.endsAt,
      });
    }
    return lockAlertMail({
      notice,
      property: await propertyOf({ tenantId, propertyId: notice.propertyId }),
      consoleUrl,
      at: now().toISOString(),
    });
  };

  return {
    async notify({ tenantId, recipients, notice }) {
      const rendered = await render(tenantId, notice);
      const subject =
        notice.kind === 'emergency-access-issued'
          ? notice.grantId
          : notice.kind === 'integration-alert'
            ? `${notice.integrationId}:${notice.alert}`
            : notice.kind === 'code-not-ready'
              ? `${notice.grantId}:code-not-ready`
              : `${notice.lockId}:${notice.alert}`;
      const sentAt = now().toISOString().slice(0, 16);
      await Promise.all(
        recipients.map(async (recipient) => {
          try {
            await mail.send({
              to: recipient.email,
              subject: rendered.subject,
              html: rendered.html,
              text: rendered.text,
              kind: rendered.kind,
              idempotencyKey: `${tenantId}:${subject}:${recipient.userId}:${sentAt}`,
            });
          } catch (error) {
            log.warn('A host notice could not be emailed', {
              tenantId,
              notice: notice.kind,
              userId: recipient.userId,
              error: error instanceof Error ? error.name : String(error),
            });
          }
        }),
      );
    },
  };
}
