/** Latency statistics for the benchmarks: percentiles of a sample, in milliseconds. */

export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

export function summarise(samplesMs: readonly number[]): LatencySummary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const at = (quantile: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)] ?? 0;
  return { count: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted.at(-1) ?? 0 };
}

/** Runs `request` `total` times with `concurrency` in flight, returning each one's latency. */
export async function measure(
  request: () => Promise<void>,
  { total, concurrency }: { total: number; concurrency: number },
) {
  const samples: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < total) {
      next += 1;
      const started = performance.now();
      await request();
      samples.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return summarise(samples);
}

export const formatRow = (label: string, summary: LatencySummary): string =>
  `${label.padEnd(44)} n=${String(summary.count).padEnd(5)} p50 ${summary.p50.toFixed(2).padStart(7)} ms   p95 ${summary.p95
    .toFixed(2)
    .padStart(7)} ms   p99 ${summary.p99.toFixed(2).padStart(7)} ms`;
