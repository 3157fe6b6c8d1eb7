/**
 * Measures, on a running local IoT Core, the round trip of a shadow change to a connected lock and back (desired
 * written by the cloud, delta delivered to the lock over mutual TLS, reported state back, accepted to the cloud)
 * beside the floor measured in the same run: a bare MQTT publish-and-echo between two clients of the same broker.
 * Bounded in count and time; meant for `npm run bench`.
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import mqtt, { type MqttClient } from 'mqtt';
import type { IotCore } from './index.ts';

export interface RoundTripStats {
  readonly samples: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly maxMs: number;
}

/** A bounded measurement on a running IoT Core: `warmup` rounds not counted, then `iterations` measured. */
export interface RoundTripOptions {
  readonly iot: IotCore;
  readonly iterations?: number;
  readonly warmup?: number;
  /** How long one round waits for its answer before the measurement fails. */
  readonly timeoutMs?: number;
}

export interface RoundTripReport {
  readonly bareMqtt: RoundTripStats;
  readonly shadowDeltaAndReport: RoundTripStats;
}

export async function measureRoundTrips({
  iot,
  iterations = 200,
  warmup = 20,
  timeoutMs = 5000,
}: RoundTripOptions): Promise<RoundTripReport> {
  const thingName = `bench-lock-${randomUUID().slice(0, 8)}`;
  const certificate = await iot.issueDeviceCertificate({ thingName });
  const cloud = await mqtt.connectAsync(iot.endpoints.mqtt, { clientId: `bench-cloud-${thingName}` });
  const echo = await mqtt.connectAsync(iot.endpoints.mqtt, { clientId: `bench-echo-${thingName}` });
  const lock = await mqtt.connectAsync(iot.endpoints.mqtts, {
    clientId: thingName,
    key: certificate.privateKeyPem,
    cert: certificate.certificatePem,
    ca: certificate.caPem,
  });
  // mqtt.js leaves Nagle's algorithm on; measured round trips would then be its delays, not the broker's.
  for (const client of [cloud, echo, lock]) (client.stream as Partial<Socket>).setNoDelay?.(true);
  try {
    const shadow = `$aws/things/${thingName}/shadow/name/bench`;
    // The lock applies every delta at once and reports it, as firmware would.
    await lock.subscribeAsync(`${shadow}/update/delta`, { qos: 1 });
    lock.on('message', (_topic, payload) => {
      const { state } = JSON.parse(payload.toString()) as { state: Record<string, unknown> };
      lock.publish(`${shadow}/update`, JSON.stringify({ state: { reported: state } }), { qos: 1 });
    });
    await echo.subscribeAsync('bench/ping', { qos: 1 });
    echo.on('message', (_topic, payload) => echo.publish('bench/pong', payload, { qos: 1 }));
    await cloud.subscribeAsync(['bench/pong', `${shadow}/update/accepted`], { qos: 1 });

    const bare = await sample({ iterations, warmup }, (round) =>
      roundTrip(
        cloud,
        timeoutMs,
        (topic, text) => topic === 'bench/pong' && text === round,
        () => cloud.publish('bench/ping', round, { qos: 1 }),
      ),
    );
    const shadowed = await sample({ iterations, warmup }, (round) =>
      roundTrip(
        cloud,
        timeoutMs,
        (topic, text) =>
          topic === `${shadow}/update/accepted` && text.includes(`"reported":{"round":"${round}"}`),
        () =>
          cloud.publish(`${shadow}/update`, JSON.stringify({ state: { desired: { round } } }), { qos: 1 }),
      ),
    );
    return { bareMqtt: bare, shadowDeltaAndReport: shadowed };
  } finally {
    await Promise.allSettled([cloud.endAsync(), echo.endAsync(), lock.endAsync()]);
    await iot.revokeCertificate(certificate.certificateId);
  }
}

/** Runs `once` warmup + iterations times, one after another, and summarises the measured ones. */
export async function sample(
  { iterations, warmup }: { iterations: number; warmup: number },
  once: (round: string) => Promise<number>,
): Promise<RoundTripStats> {
  const durations: number[] = [];
  for (let index = 0; index < warmup + iterations; index++) {
    const duration = await once(`r${index}`);
    if (index >= warmup) durations.push(duration);
  }
  durations.sort((left, right) => left - right);
  const at = (quantile: number) =>
    durations[Math.min(durations.length - 1, Math.floor(quantile * durations.length))] ?? 0;
  const round = (value: number) => Math.round(value * 1000) / 1000;
  return {
    samples: durations.length,
    meanMs: round(durations.reduce((sum, value) => sum + value, 0) / Math.max(1, durations.length)),
    p50Ms: round(at(0.5)),
    p95Ms: round(at(0.95)),
    maxMs: round(durations.at(-1) ?? 0),
  };
}

/** Milliseconds from `send()` to the first message on `client` that `isAnswer` accepts. */
export function roundTrip(
  client: MqttClient,
  timeoutMs: number,
  isAnswer: (topic: string, text: string) => boolean,
  send: () => void,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const timer = setTimeout(() => {
      client.off('message', onMessage);
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    function onMessage(topic: string, payload: Buffer) {
      if (!isAnswer(topic, payload.toString())) return;
      clearTimeout(timer);
      client.off('message', onMessage);
      resolve(performance.now() - started);
    }
    client.on('message', onMessage);
    send();
  });
}
