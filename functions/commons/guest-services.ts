/**
 * The guest side's composition: the guest link store, the guest emails' ports (storage, the send record, SES
 * and the pages' origin) and the scheduling of guest emails after booking changes, each built once per cold
 * start from the shared clients and the variables the function's catalogue entry gives it. Kept apart from
 * ports.ts so the host composition root stays as it is.
 */

import { createGuestEmailLog } from '#shared/adapters/dynamo/guest-emails.ts';
import { createGuestLinkStore } from '#shared/adapters/dynamo/guest-links.ts';
import { createDynamoStorage } from '#shared/adapters/dynamo/index.ts';
import { createOfflineCodeStore } from '#shared/adapters/dynamo/offline-codes.ts';
import { createDynamoTable } from '#shared/adapters/dynamo/table.ts';
import { createEventBridgeTaskScheduler } from '#shared/adapters/eventbridge-task-scheduler.ts';
import { randomIdGenerator } from '#shared/adapters/random-id-generator.ts';
import { createSesMailSender } from '#shared/adapters/ses-mail-sender.ts';
import { systemClock } from '#shared/adapters/system-clock.ts';
import { optionalEnv, requireEnv, resourceVariables } from '#shared/config.ts';
import type { Booking } from '#shared/domain/booking.ts';
import {
  createGuestEmailWork,
  type GuestEmailLog,
  type GuestEmailPorts,
  type GuestEmailWork,
} from '#shared/guests/guest-email.ts';
import type { GuestLinkStore } from '#shared/guests/guest-link.ts';
import { logger } from '#shared/observability.ts';
import { documents, mail, scheduler } from './clients.ts';

function onFirstUse<T>(build: () => T): () => T {
  let value: { readonly built: T } | undefined;
  return () => {
    value ??= { built: build() };
    return value.built;
  };
}

const table = onFirstUse(() =>
  createDynamoTable({ client: documents, tableName: requireEnv(resourceVariables.table) }),
);

export const guestLinkStore = onFirstUse((): GuestLinkStore => createGuestLinkStore({ table: table() }));

const guestEmailLog = onFirstUse((): GuestEmailLog => createGuestEmailLog({ table: table() }));

/**
 * What sending a guest email takes; only functions whose catalogue entry needs `mail:send` have `MAIL_FROM`.
 * The pages' origin is read when a link is made, so a cancellation email needs none.
 */
export const guestEmailPorts = onFirstUse(
  (): GuestEmailPorts => ({
    ...createDynamoStorage({ client: documents, tableName: requireEnv(resourceVariables.table) }),
    clock: systemClock,
    ids: randomIdGenerator,
    guestLinks: guestLinkStore(),
    sends: guestEmailLog(),
    offlineCodes: createOfflineCodeStore({ table: table() }),
    mail: createSesMailSender({ client: mail, from: requireEnv(resourceVariables.mailFrom) }),
    pagesOrigin: optionalEnv(resourceVariables.pagesOrigin),
  }),
);

const work = onFirstUse((): GuestEmailWork => {
  const deadLetterQueueArn = optionalEnv(resourceVariables.schedulerDeadLetterQueueArn);
  return createGuestEmailWork({
    ports: {
      ...createDynamoStorage({ client: documents, tableName: requireEnv(resourceVariables.table) }),
      clock: systemClock,
      sends: guestEmailLog(),
    },
    tasks: createEventBridgeTaskScheduler({
      client: scheduler,
      groupName: requireEnv(resourceVariables.schedulerGroup),
      targetFunctionArn: requireEnv(resourceVariables.scheduledTaskFunctionArn),
      roleArn: requireEnv(resourceVariables.schedulerRoleArn),
      ...(deadLetterQueueArn !== undefined ? { deadLetterQueueArn } : {}),
    }),
  });
});

/**
 * Guest email scheduling after a committed booking change. A scheduling failure is logged, not answered as an
 * error: the change is committed, and the host can send the email again.
 */
export const guestEmailWork: GuestEmailWork = {
  async afterBookingChange(options: { booking: Booking; change: 'created' | 'modified' | 'cancelled' }) {
    try {
      await work().afterBookingChange(options);
    } catch (error) {
      logger.error('Could not schedule the guest email of a booking', {
        bookingId: options.booking.id,
        error,
      });
    }
  },
};

/**
 * The origins whose guest page may ask for an unlock besides the API's own host: the pages' public origin
 * (CloudFront in AWS, which passes `/guest/*` through to the API with the page's Origin header). Compared with
 * the Origin header as browsers send it (scheme, host, port; no path); a value that is not a URL matches nothing.
 */
export function guestPageOrigins(): readonly string[] {
  const configured = requireEnv(resourceVariables.pagesOrigin);
  return [URL.canParse(configured) ? new URL(configured).origin : configured];
}
