/**
 * Health of the services the platform depends on: each probe is one cheap call that proves the service
 * answers and the function may reach it. A probe that throws or takes too long reports the service down.
 */

export type ServiceStatus = 'up' | 'down';

export interface ServiceHealth {
  readonly status: ServiceStatus;
  readonly latencyMs: number;
  readonly error?: string;
}

export interface HealthReport {
  readonly status: ServiceStatus;
  readonly services: Record<string, ServiceHealth>;
}

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
