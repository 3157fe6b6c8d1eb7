/**
 * Remote unlock through the local cloud, end to end, with N reference locks (firmware/lock.ts) over mutual TLS and
 * concurrent requests from one host, each request timed from the moment its HTTP POST leaves the client:
 * - cloud side: until the command's delta leaves the broker for the lock (gateway, token, team record, lock,
 *   presence, pending count, device key, commit, schedule, shadow write);
 * - lock confirmation: until the firmware has verified, remembered and executed it (its own log callback);
 * - API succeeded: until `GET /commands/{id}?wait=10` answers `succeeded` (the lock's report through the IoT
 *   rule, the device-event handler closing the command, and the reader's polling);
 * beside the floor on the same broker: a bare MQTT publish echoed by another client.
 *
 * Where the time goes on the local cloud (one Node process runs the gateway, the functions, the broker, the
 * scheduler twin and the locks; DynamoDB Local answers each call in 10-30 ms when the machine is idle): the
 * broker and the firmware take about a millisecond (the firmware executes as the delta arrives; bare MQTT echoes
 * in under one), so the cloud side is the request's storage round trips in a row: team record; lock beside its
 * presence and its pending commands; device key (in memory after first use); commit; expiry and shadow write at
 * once. `succeeded` follows through the lock's report, the IoT rule and the device-event handler (lock, command,
 * commit closing it) and the reader's polling (20 ms at first, backing off). With several in flight the same
 * steps queue on the one event loop and DynamoDB Local. README.md ("Remote unlock: where the time goes") keeps
 * the figures.
 *
 * `measureRemoteUnlock({ endpoints })` is for `npm run bench`; run this file alone to measure on a local cloud
 * of its own: `node bench/remote-unlock.ts`.
 */
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import type { Endpoints } from '#infra/local/endpoints.ts';
import { roundTrip } from '#infra/local/iot/round-trip-benchmark.ts';
import { demoOwner, hostApiClient, idTokenOf } from '../test/support/hosts.ts';
import { lockTestBed } from '../test/support/registered-locks.ts';
import { formatRow, type LatencySummary, summarise } from './stats.ts';

export interface RemoteUnlockReport {
  readonly locks: number;
  readonly requests: number;
  readonly concurrency: number;
  /** The floor: a bare MQTT publish echoed by another client on the same broker. */
  readonly bareMqtt: LatencySummary;
  /** POST sent → the command's delta published by the broker. */
  readonly cloudSide: LatencySummary;
  /** POST sent → 202 answered. */
  readonly accepted: LatencySummary;
  /** POST sent → the firmware executed the command. */
  readonly lockConfirmed: LatencySummary;
  /** POST sent → GET /commands/{id}?wait answered succeeded. */
  readonly apiSucceeded: LatencySummary;
  /** Commands that did not end `succeeded`, by status. */
  readonly notSucceeded: Readonly<Record<string, number>>;
}

/** Resolves when `key` is recorded in `seen`, with its time; waits for it otherwise (bounded). */
function arrival(seen: Map<string, number>, waiting: Map<string, (at: number) => void>, key: string) {
  const at = seen.get(key);
  if (at !== undefined) return Promise.resolve(at);
  return new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${key} never arrived`)), 15_000);
    waiting.set(key, (time) => {
      clearTimeout(timer);
      resolve(time);
    });
  });
}

function recorder() {
  const seen = new Map<string, number>();
  const waiting = new Map<string, (at: number) => void>();
  return {
    record(key: string, at = performance.now()) {
      if (seen.has(key)) return;
      seen.set(key, at);
      waiting.get(key)?.(at);
      waiting.delete(key);
    },
    when: (key: string) => arrival(seen, waiting, key),
  };
}

export async function measureRemoteUnlock({
  endpoints,
  locks = 5,
  requests = 100,
  concurrency = 5,
}: {
  endpoints: Endpoints;
  locks?: number;
  requests?: number;
  concurrency?: number;
}): Promise<RemoteUnlockReport> {
  const owner = hostApiClient(endpoints, await idTokenOf(endpoints, await demoOwner(endpoints)));
  const unique = Date.now().toString(36);
  const deltas = recorder();
  const executions = recorder();
  const bed = await lockTestBed({ endpoints, host: owner, label: 'bench-unlock' });
  const observer = await mqtt.connectAsync(endpoints.services.mqtt, { clientId: `bench-observer-${unique}` });
  const ping = await mqtt.connectAsync(endpoints.services.mqtt, { clientId: `bench-ping-${unique}` });
  const echo = await mqtt.connectAsync(endpoints.services.mqtt, { clientId: `bench-echo-${unique}` });
  for (const client of [observer, ping, echo]) (client.stream as Partial<Socket>).setNoDelay?.(true);
  try {
    const lockIds: string[] = [];
    for (let index = 0; index < locks; index += 1) {
      const registered = await bed.registerLock({ name: `Bench door ${index}` });
      await bed.startRegisteredLock(registered, {
        autoRelockMs: 100,
        log: (message) => {
          const executed = /^command (\S+) executed$/.exec(message);
          if (executed?.[1]) executions.record(executed[1]);
        },
      });
      lockIds.push(registered.lockId);
    }

    await observer.subscribeAsync('$aws/things/+/shadow/name/commands/update/delta', { qos: 1 });
    observer.on('message', (_topic, payload) => {
      const { state } = JSON.parse(payload.toString()) as { state?: { commands?: Record<string, unknown> } };
      for (const [commandId, command] of Object.entries(state?.commands ?? {})) {
        if (command !== null) deltas.record(commandId);
      }
    });

    await echo.subscribeAsync('bench/unlock-ping', { qos: 1 });
    echo.on('message', (_topic, payload) => echo.publish('bench/unlock-pong', payload, { qos: 1 }));
    await ping.subscribeAsync('bench/unlock-pong', { qos: 1 });
    const bareSamples: number[] = [];
    for (let index = 0; index < 220; index += 1) {
      const round = `r${index}`;
      const took = await roundTrip(
        ping,
        5000,
        (topic, text) => topic === 'bench/unlock-pong' && text === round,
        () => ping.publish('bench/unlock-ping', round, { qos: 1 }),
      );
      if (index >= 20) bareSamples.push(took);
    }
    const bareMqtt = summarise(bareSamples);

    const cloudSide: number[] = [];
    const accepted: number[] = [];
    const lockConfirmed: number[] = [];
    const apiSucceeded: number[] = [];
    const notSucceeded: Record<string, number> = {};
    let next = 0;
    const worker = async () => {
      while (next < requests) {
        const lockId = lockIds[next % lockIds.length] as string;
        next += 1;
        const started = performance.now();
        const answer = await owner.request('POST', `/locks/${lockId}/unlock`);
        const answeredAt = performance.now();
        if (answer.status !== 202) {
          notSucceeded[`http ${answer.status}`] = (notSucceeded[`http ${answer.status}`] ?? 0) + 1;
          continue;
        }
        const commandId: string = answer.body.id;
        const outcome = await owner.request('GET', `/commands/${commandId}`, { query: { wait: '10' } });
        const succeededAt = performance.now();
        accepted.push(answeredAt - started);
        cloudSide.push((await deltas.when(commandId)) - started);
        if (outcome.body?.status !== 'succeeded') {
          notSucceeded[outcome.body?.status ?? 'unknown'] =
            (notSucceeded[outcome.body?.status ?? 'unknown'] ?? 0) + 1;
          continue;
        }
        lockConfirmed.push((await executions.when(commandId)) - started);
        apiSucceeded.push(succeededAt - started);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return {
      locks,
      requests,
      concurrency,
      bareMqtt,
      cloudSide: summarise(cloudSide),
      accepted: summarise(accepted),
      lockConfirmed: summarise(lockConfirmed),
      apiSucceeded: summarise(apiSucceeded),
      notSucceeded,
    };
  } finally {
    await bed.stopAll();
    await Promise.allSettled([observer.endAsync(), ping.endAsync(), echo.endAsync()]);
  }
}

export function formatRemoteUnlockReport(report: RemoteUnlockReport): string {
  return [
    `${report.requests} unlocks over ${report.locks} locks, ${report.concurrency} in flight`,
    formatRow('floor: bare MQTT publish and echo', report.bareMqtt),
    formatRow('POST -> command delta out (cloud side)', report.cloudSide),
    formatRow('POST -> 202 answered', report.accepted),
    formatRow('POST -> lock executed (firmware)', report.lockConfirmed),
    formatRow('POST -> GET ?wait answers succeeded', report.apiSucceeded),
    ...(Object.keys(report.notSucceeded).length > 0
      ? [`not succeeded: ${JSON.stringify(report.notSucceeded)}`]
      : []),
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { startScratchLocalCloud } = await import('#infra/local/cloud.ts');
  const cloud = await startScratchLocalCloud({ projectRoot: process.cwd(), label: 'bench' });
  try {
    // One request at a time (the latency a person feels), then several locks opened at once.
    const single = await measureRemoteUnlock({
      endpoints: cloud.endpoints,
      locks: 1,
      requests: Number(process.env.BENCH_SINGLE_UNLOCKS ?? 30),
      concurrency: 1,
    });
    console.log(`${formatRemoteUnlockReport(single)}\n`);
    const report = await measureRemoteUnlock({
      endpoints: cloud.endpoints,
      locks: Number(process.env.BENCH_LOCKS ?? 5),
      requests: Number(process.env.BENCH_UNLOCKS ?? 100),
      concurrency: Number(process.env.BENCH_CONCURRENCY ?? 5),
    });
    console.log(formatRemoteUnlockReport(report));
  } finally {
    await cloud.stop();
  }
}
