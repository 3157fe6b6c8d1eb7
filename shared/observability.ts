/**
 * Logger, metrics and tracer, built once here so that every handler shares one configured instance per cold
 * start (Powertools reads its settings from POWERTOOLS_* variables the stack sets).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'lockstay';

export const logger = new Logger({ serviceName });
export const metrics = new Metrics({
  serviceName,
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Lockstay',
});
export const tracer = new Tracer({ serviceName });
