/**
 * Health of the services the platform depends on: each probe is one cheap call that proves the service
 * answers and the function may reach it. A probe that throws or takes too long reports the service down.
 */

import { z } from 'zod';

export const serviceStatusSchema = z.enum(['up', 'down']);
export type ServiceStatus = z.infer<typeof serviceStatusSchema>;

export const serviceHealthSchema = z.object({
  status: serviceStatusSchema,
  latencyMs: z.number().int().nonnegative(),
  error: z.string().optional().meta({ description: 'Why the service counts as down' }),
});
export type ServiceHealth = z.infer<typeof serviceHealthSchema>;

export const healthReportSchema = z
  .object({
    status: serviceStatusSchema.meta({ description: '`up` only when every service is up' }),
    services: z.record(z.string(), serviceHealthSchema),
  })
  .meta({ id: 'HealthReport' });
export type HealthReport = z.infer<typeof healthReportSchema>;

export type Probe = () => Promise<unknown>;

export interface CheckHealthOptions {
  readonly probes: Readonly<Record<string, Probe>>;
  /** @default 2000 */
  readonly timeoutMs?: number;
}

async function runProbe(probe: Probe, timeoutMs: number): Promise<ServiceHealth> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    await Promise.race([probe(), timeout]);
    return { status: 'up', latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    const message =
      error instanceof Error ? (error.name === 'Error' ? error.message : error.name) : String(error);
    return { status: 'down', latencyMs: Math.round(performance.now() - started), error: message };
  } finally {
    clearTimeout(timer);
  }
}

export async function checkHealth(options: CheckHealthOptions): Promise<HealthReport> {
  const { probes, timeoutMs = 2000 } = options;
  const entries = await Promise.all(
    Object.entries(probes).map(async ([name, probe]) => [name, await runProbe(probe, timeoutMs)] as const),
  );
  const services = Object.fromEntries(entries);
  const status = entries.every(([, health]) => health.status === 'up') ? 'up' : 'down';
  return { status, services };
}
