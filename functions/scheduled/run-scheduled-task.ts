/** Target of every one-time schedule: runs the task the schedule carries. */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { integrationTaskRunners } from '#functions/commons/integration-services.ts';
import { logger } from '#shared/observability.ts';
import { createTaskDispatcher } from '#shared/tasks/dispatcher.ts';
import { taskRunners } from './task-runners.ts';

// Integrations bring their runners from their composition root (the delivery worker needs its store).
const dispatch = createTaskDispatcher({ ...taskRunners, ...integrationTaskRunners });

export const handler = middy<unknown, void>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    await dispatch(event);
  });
