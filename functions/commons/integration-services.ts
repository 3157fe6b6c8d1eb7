/**
 * The composition root of booking integrations: the domain's ports of the host API, the integration store on
 * the same table, the sealer of webhook secrets (AES-GCM on the local cloud, KMS in AWS) and the task
 * scheduler that runs accepted deliveries (EventBridge Scheduler, or its local twin). Built on first use.
 */

import { codeWork } from '#functions/devices/code-work.ts';
import { withOfflineCodeWarnings } from '#shared/access/offline-code-warnings.ts';
import type { SecretSealer } from '#shared/adapters/device-key-vault.ts';
import {
  createChannelCodeIndex,
  createIntegrationStore,
  createReservationCommits,
} from '#shared/adapters/dynamo/integrations.ts';
import { createOfflineCodeStore } from '#shared/adapters/dynamo/offline-codes.ts';
import { createDynamoTable } from '#shared/adapters/dynamo/table.ts';
import { createEventBridgeTaskScheduler } from '#shared/adapters/eventbridge-task-scheduler.ts';
import { optionalEnv, requireEnv, resourceVariables } from '#shared/config.ts';
import type { TaskScheduler } from '#shared/domain/ports/task-scheduler.ts';
import {
  deliveryTaskType,
  type IntegrationServices,
  processDelivery,
} from '#shared/integrations/deliveries.ts';
import {
  type FeedOutbound,
  feedPollIntervalMinutes,
  feedPollTaskType,
  pollFeed,
  scheduleFeedPoll,
} from '#shared/integrations/feeds.ts';
import { pinnedFetch } from '#shared/integrations/pinned-fetch.ts';
import { dnsHostResolver } from '#shared/integrations/url-guard.ts';
import { logger } from '#shared/observability.ts';
import type { TaskRunner } from '#shared/tasks/dispatcher.ts';
import { documents, scheduler } from './clients.ts';
import { guestEmailWork } from './guest-services.ts';
import { hostServices, sealer } from './ports.ts';

function onFirstUse<T>(build: () => T): () => T {
  let value: { readonly built: T } | undefined;
  return () => {
    value ??= { built: build() };
    return value.built;
  };
}

function buildIntegrationServices(): IntegrationServices {
  const table = createDynamoTable({ client: documents, tableName: requireEnv(resourceVariables.table) });
  const openSealer = onFirstUse(sealer);
  const lazySealer: SecretSealer = {
    seal: (options) => openSealer().seal(options),
    open: (options) => openSealer().open(options),
  };
  const openScheduler = onFirstUse(() =>
    createEventBridgeTaskScheduler({
      client: scheduler,
      groupName: requireEnv(resourceVariables.schedulerGroup),
      targetFunctionArn: requireEnv(resourceVariables.scheduledTaskFunctionArn),
      roleArn: requireEnv(resourceVariables.schedulerRoleArn),
      deadLetterQueueArn: optionalEnv(resourceVariables.schedulerDeadLetterQueueArn),
    }),
  );
  const tasks: TaskScheduler = {
    schedule: (task) => openScheduler().schedule(task),
    cancel: (taskId) => openScheduler().cancel(taskId),
  };
  const offlineCodes = createOfflineCodeStore({ table });
  return {
    ports: hostServices().ports,
    store: createIntegrationStore({ table }),
    sealer: lazySealer,
    tasks,
    channelCodes: createChannelCodeIndex({ table }),
    reservations: createReservationCommits({ table }),
    async afterBookingChange({ change, result }) {
      const followUp = async () => {
        await codeWork.afterGrantChange(result);
        await guestEmailWork.afterBookingChange({ booking: result.booking, change });
      };
      if (change === 'created') return followUp();
      // An offline code that a channel's cancellation or change cannot withdraw: the owners are told.
      await withOfflineCodeWarnings({
        ports: { ...hostServices().ports, offlineCodes },
        grant: result.grant,
        change: change === 'cancelled' ? 'cancelled' : 'moved',
        changed: true,
        actor: result.events[0]?.actor ?? { kind: 'system', process: 'booking-integrations' },
        log: logger,
        followUp,
      });
    },
  };
}

/**
 * Set to `true` only by the local cloud, whose demo feeds are served on loopback; anywhere else a feed URL
 * reaching loopback is refused like any private address.
 */
export const allowLoopbackFeedsVariable = 'LOCKSTAY_LOCAL_ALLOW_LOOPBACK_FEEDS';

export const integrationServices = onFirstUse((): IntegrationServices & { outbound: FeedOutbound } => {
  const allowLoopback = optionalEnv(allowLoopbackFeedsVariable) === 'true';
  return {
    ...buildIntegrationServices(),
    // The guard checks a feed's URL before each poll; the pinned fetch checks the address it connects to.
    outbound: { resolver: dnsHostResolver, allowLoopback, fetch: pinnedFetch({ allowLoopback }) },
  };
});

const deliveryTaskPayload = (payload: Record<string, unknown>) => {
  const { tenantId, integrationId, deliveryId } = payload;
  if (typeof tenantId !== 'string' || typeof integrationId !== 'string' || typeof deliveryId !== 'string') {
    throw new Error('An integration delivery task needs tenantId, integrationId and deliveryId');
  }
  return { tenantId, integrationId, deliveryId };
};

/** Scheduled tasks of integrations: an accepted webhook delivery, applied to its booking. */
export const integrationTaskRunners: Readonly<Record<string, TaskRunner>> = {
  [deliveryTaskType]: async (task) => {
    await processDelivery({ services: integrationServices(), ...deliveryTaskPayload(task.payload) });
  },
  /** A feed's poll, which schedules the next one; a removed feed's poll ends the chain. */
  [feedPollTaskType]: async (task) => {
    const { tenantId, integrationId } = task.payload;
    if (typeof tenantId !== 'string' || typeof integrationId !== 'string') {
      throw new Error('A feed poll task needs tenantId and integrationId');
    }
    const services = integrationServices();
    const polled = await pollFeed({ services, outbound: services.outbound, tenantId, integrationId });
    if (!polled) return;
    const runAt = new Date(services.ports.clock.now().getTime() + feedPollIntervalMinutes * 60_000);
    await scheduleFeedPoll({ services, integration: polled.integration, runAt });
  },
};
