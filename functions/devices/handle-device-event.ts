/**
 * Target of the IoT rules of infra/iot-rules.ts: one shadow document, presence event or lock events message per
 * invocation. A payload that does not follow the device contract is logged and ignored (no error: retrying it
 * would not make it conform); a failure to store is thrown, so the invocation is retried.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { handleDeviceEvent } from '#shared/access/device-events.ts';
import { logger } from '#shared/observability.ts';
import { devicePorts } from './ports.ts';

export const handler = middy<unknown, void>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const outcome = await handleDeviceEvent({ ports: devicePorts(), payload: event, log: logger });
    logger.info('Device event handled', { outcome });
  });
