/**
 * HostNotifier that only logs, until the SES mail sender of shared/mail/ is wired in: every notice is written as
 * one structured log line an operator can alarm on (who should be told, about what), with nothing secret in it.
 * The domain has already audited the notice (`grant.owners-notified`) before this runs.
 */
import type { HostNotifier } from '#shared/domain/ports/host-notifier.ts';

export function createLoggingHostNotifier({
  log,
}: {
  log: { warn(message: string, details: Record<string, unknown>): void };
}): HostNotifier {
  return {
    async notify({ tenantId, recipients, notice }) {
      log.warn('Host notice not sent by email yet: mail delivery is not wired in', {
        tenantId,
        notice,
        recipientUserIds: recipients.map((recipient) => recipient.userId),
      });
    },
  };
}
