/**
 * Round trips through a reference lock (firmware/lock.ts) connected to a local IoT Core over mutual TLS,
 * each beside the floors measured in the same run on the same broker:
 * - bare MQTT: a publish echoed by another client (no shadow, no lock);
 * - shadow echo: desired written, delta to a client that reports it back at once (the shadow service alone);
 * - code push: a code put in the lock's access-codes shadow, applied (saved to its memory) and reported set;
 * - remote unlock: a signed command written to the commands shadow, verified, remembered on disk, executed
 *   and reported succeeded.
 * Each lock round trip ends when the cloud sees the lock's report accepted, as the device-event rule would.
 *
 * `measureLockRoundTrips({ iot })` is for `npm run bench`; run this file alone to measure on an IoT Core of
 * its own: `node bench/lock-round-trip.ts`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { startLock } from '#firmware/lock.ts';
import {
  measureRoundTrips,
  type RoundTripOptions,
  type RoundTripStats,
  roundTrip,
  sample,
} from '#infra/local/iot/round-trip-benchmark.ts';
import { accessCodesDesiredUpdate, codePut } from '#shared/devices/codes.ts';
import { commandsDesiredUpdate, signUnlockCommand } from '#shared/devices/commands.ts';
import { lockShadows, shadowTopic } from '#shared/devices/contract.ts';
import { generateDeviceKey, parseDeviceKey } from '#shared/devices/device-key.ts';

export interface LockRoundTripReport {
  readonly bareMqtt: RoundTripStats;
  readonly shadowEcho: RoundTripStats;
  readonly codePush: RoundTripStats;
  readonly remoteUnlock: RoundTripStats;
}

export async function measureLockRoundTrips({
  iot,
  iterations = 200,
  warmup = 20,
  timeoutMs = 5000,
}: RoundTripOptions): Promise<LockRoundTripReport> {
  const floors = await measureRoundTrips({ iot, iterations, warmup, timeoutMs });
  const memoryDir = await mkdtemp(join(tmpdir(), 'lockstay-bench-lock-'));
  const thingName = `bench-lock-${crypto.randomUUID().slice(0, 8)}`;
  const certificate = await iot.issueDeviceCertificate({ thingName });
  const encodedKey = { version: 1, key: generateDeviceKey() };
  const key = parseDeviceKey(encodedKey);
  const lock = await startLock({
    thingName,
    connectivity: 'wifi',
    endpoint: iot.endpoints.mqtts,
    certificate,
    deviceKeys: [encodedKey],
    storagePath: join(memoryDir, 'lock.json'),
    autoRelockMs: 60_000,
    log: () => undefined,
  });
  const cloud = await mqtt.connectAsync(iot.endpoints.mqtt, { clientId: `bench-cloud-${thingName}` });
  (cloud.stream as Partial<Socket>).setNoDelay?.(true);
  try {
    await lock.whenOnline();
    const codes = shadowTopic(thingName, lockShadows.accessCodes, 'update');
    const commands = shadowTopic(thingName, lockShadows.commands, 'update');
    await cloud.subscribeAsync([`${codes}/accepted`, `${commands}/accepted`], { qos: 1 });
    const publish = (topic: string, document: unknown) =>
      cloud.publishAsync(topic, JSON.stringify(document), { qos: 1 });
    // Housekeeping between rounds, as the cloud does once it has recorded an outcome (not measured).
    const clear = async (topic: string, document: unknown, id: string) => {
      await roundTrip(
        cloud,
        timeoutMs,
        (answer, text) => answer === `${topic}/accepted` && text.includes(`"${id}":null`),
        () => {
          void publish(topic, document);
        },
      );
    };

    const now = () => Math.floor(Date.now() / 1000);
    let revision = 0;
    const codePush = await sample({ iterations, warmup }, async () => {
      revision += 1;
      const entry = codePut({ key, thingName, pin: '482916', revision, from: now() - 60, to: now() + 3600 });
      const elapsed = await roundTrip(
        cloud,
        timeoutMs,
        (topic, text) =>
          topic === `${codes}/accepted` && text.includes(`"bench-code":{"v":${revision},"status":"set"`),
        () => void publish(codes, accessCodesDesiredUpdate({ put: [{ codeId: 'bench-code', entry }] })),
      );
      await clear(codes, accessCodesDesiredUpdate({ clear: ['bench-code'] }), 'bench-code');
      return elapsed;
    });

    const remoteUnlock = await sample({ iterations, warmup }, async (round) => {
      const commandId = `bench-${round}`;
      const issuedAt = Date.now();
      const command = signUnlockCommand({
        key,
        thingName,
        commandId,
        issuedAt,
        expiresAt: issuedAt + 30_000,
      });
      const elapsed = await roundTrip(
        cloud,
        timeoutMs,
        (topic, text) =>
          topic === `${commands}/accepted` && text.includes(`"${commandId}":{"status":"succeeded"`),
        () => void publish(commands, commandsDesiredUpdate({ issue: [{ commandId, command }] })),
      );
      await clear(commands, commandsDesiredUpdate({ clear: [commandId] }), commandId);
      return elapsed;
    });

    return { bareMqtt: floors.bareMqtt, shadowEcho: floors.shadowDeltaAndReport, codePush, remoteUnlock };
  } finally {
    await cloud.endAsync();
    await lock.stop();
    await iot.revokeCertificate(certificate.certificateId);
    await rm(memoryDir, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const { startIotCore } = await import('#infra/local/iot/index.ts');
  const dataDir = await mkdtemp(join(tmpdir(), 'lockstay-bench-iot-'));
  const iot = await startIotCore({ dataDir, mqttPort: 0, mqttTlsPort: 0, httpPort: 0, log: () => undefined });
  try {
    const report = await measureLockRoundTrips({ iot, iterations: Number(process.env.BENCH_ROUNDS ?? 200) });
    const row = (label: string, stats: RoundTripStats) =>
      `${label.padEnd(48)} p50 ${stats.p50Ms.toFixed(2)} ms  p95 ${stats.p95Ms.toFixed(2)} ms  max ${stats.maxMs.toFixed(2)} ms  (${stats.samples})`;
    console.log(row('floor: bare MQTT publish and echo', report.bareMqtt));
    console.log(row('floor: shadow delta and report (no firmware)', report.shadowEcho));
    console.log(row('code push through the reference lock', report.codePush));
    console.log(row('remote unlock through the reference lock', report.remoteUnlock));
  } finally {
    await iot.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
