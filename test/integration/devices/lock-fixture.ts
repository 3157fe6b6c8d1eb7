/**
 * A world for the reference lock: a local IoT Core started in-process on free ports with its own data folder,
 * a "cloud" that writes desired state through the IoT Data Plane API (as Lockstay's functions do) with the
 * contract's own builders, and an observer that sees everything locks publish.
 *
 * Both sides are held to the contract: every message a lock publishes (shadow reports, events) and every
 * shadow document that results (desired by the cloud, reported by the lock) is checked against the contract's
 * schemas as it passes; `violations` lists whatever did not conform, and each test file asserts it stays empty.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetThingShadowCommand,
  IoTDataPlaneClient,
  ResourceNotFoundException,
  UpdateThingShadowCommand,
} from '@aws-sdk/client-iot-data-plane';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { z } from 'zod';
import { type LockOptions, type RunningLock, startLock } from '#firmware/lock.ts';
import { type IotCore, startIotCore } from '#infra/local/iot/index.ts';
import { topicMatchesFilter } from '#infra/local/iot/shadow-topics.ts';
import { accessCodesReportUpdateSchema } from '#shared/devices/codes.ts';
import { commandsReportUpdateSchema } from '#shared/devices/commands.ts';
import { type LockShadowName, lockEventsTopicFilter, lockShadows } from '#shared/devices/contract.ts';
import {
  type DeviceKey,
  type EncodedDeviceKey,
  generateDeviceKey,
  parseDeviceKey,
} from '#shared/devices/device-key.ts';
import { readShadowDocuments } from '#shared/devices/documents.ts';
import { type LockEvent, lockEventsMessageSchema } from '#shared/devices/events.ts';
import { lockStateReportUpdateSchema } from '#shared/devices/state.ts';
import { RecordedInbox } from '../iot/iot-fixture.ts';

/** What a lock published, as the observer saw it. */
export interface Observed {
  readonly topic: string;
  readonly thingName: string;
  /** The shadow of a report, or 'events'. */
  readonly channel: LockShadowName | 'events';
  readonly body: Record<string, unknown>;
}

const reportSchemas = {
  [lockShadows.state]: lockStateReportUpdateSchema,
  [lockShadows.accessCodes]: accessCodesReportUpdateSchema,
  [lockShadows.commands]: commandsReportUpdateSchema,
} satisfies Record<LockShadowName, z.ZodType>;

export interface TestClock {
  now(): number;
  advance(ms: number): void;
}

export interface TestLock {
  readonly lock: RunningLock;
  readonly thingName: string;
  /** The lock's own clock: real time plus whatever a test advanced it by (the cloud keeps real time). */
  readonly clock: TestClock;
  readonly key: DeviceKey;
  readonly storagePath: string;
  /** The next report this lock publishes to a shadow (matching `where`), parsed with the contract's schema. */
  nextReport(
    shadow: LockShadowName,
    where?: (body: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  /** The next event this lock publishes matching `where`. */
  nextEvent(where: (event: LockEvent) => boolean, timeoutMs?: number): Promise<LockEvent>;
  /** Every event this lock has published so far. */
  events(): LockEvent[];
  /** Writes an update document to one of the lock's shadows through the Data Plane API, as the cloud does. */
  updateShadow(shadow: LockShadowName, document: unknown): Promise<void>;
  /** The shadow as the cloud reads it (undefined before it exists). */
  readShadow(shadow: LockShadowName): Promise<ShadowRead | undefined>;
}

export interface ShadowRead {
  readonly state: { desired?: Record<string, unknown>; reported?: Record<string, unknown> };
  readonly version: number;
}

export interface PresenceEvent {
  readonly clientId: string;
  readonly eventType: 'connected' | 'disconnected';
  readonly disconnectReason?: string;
}

export interface LockWorld {
  iot(): IotCore;
  readonly violations: string[];
  readonly observed: Observed[];
  /** Presence events, as the presence rule delivers them to the cloud. */
  readonly presence: RecordedInbox<PresenceEvent>;
  startLock(options: Partial<LockOptions> & Pick<LockOptions, 'connectivity'>): Promise<TestLock>;
  /** Stops the IoT Core and starts it again on the same ports and data. */
  restartIot(): Promise<void>;
  dispose(): Promise<void>;
}

let lockCount = 0;

export async function startLockWorld(): Promise<LockWorld> {
  const dataDir = await mkdtemp(join(tmpdir(), 'lockstay-devices-'));
  const violations: string[] = [];
  const presence = new RecordedInbox<PresenceEvent>();
  const observed: Observed[] = [];
  const inbox = new RecordedInbox<Observed>();
  const locks: RunningLock[] = [];

  const startCore = (ports = { mqtt: 0, mqtts: 0, http: 0 }) =>
    startIotCore({
      dataDir: join(dataDir, 'iot'),
      mqttPort: ports.mqtt,
      mqttTlsPort: ports.mqtts,
      httpPort: ports.http,
      log: () => undefined,
      onRuleMatch: async ({ rule, payload }) => {
        if (rule === 'presenceEvents') presence.add(payload as unknown as PresenceEvent);
      },
    });
  let iot = await startCore();
  let sdk = dataPlane(iot);
  const observer = await observe(iot, (message) => {
    const seen = check(message, violations);
    if (seen === undefined) return;
    observed.push(seen);
    inbox.add(seen);
  });

  return {
    iot: () => iot,
    violations,
    observed,
    presence,
    async startLock(options) {
      lockCount += 1;
      const thingName = options.thingName ?? `lockstay-test${String(lockCount).padStart(4, '0')}`;
      const encoded: EncodedDeviceKey = options.deviceKeys?.[0] ?? { version: 1, key: generateDeviceKey() };
      const storagePath = options.storagePath ?? join(dataDir, `${thingName}.json`);
      const online = options.connectivity !== 'bluetooth';
      const certificate = online ? await iot.issueDeviceCertificate({ thingName }) : undefined;
      let offset = 0;
      const clock: TestClock = {
        now: () => Date.now() + offset,
        advance: (ms) => {
          offset += ms;
        },
      };
      const lock = await startLock({
        thingName,
        deviceKeys: [encoded],
        storagePath,
        autoRelockMs: 300,
        reconnectDelayMs: { min: 100, max: 500 },
        now: clock.now,
        log: () => undefined,
        ...(online ? { endpoint: iot.endpoints.mqtts, certificate } : {}),
        ...options,
      });
      locks.push(lock);
      if (online) await lock.whenOnline();
      const takenEvents = new Set<string>();
      const mine = (channel: Observed['channel']) => (message: Observed) =>
        message.thingName === thingName && message.channel === channel;
      return {
        lock,
        thingName,
        clock,
        key: parseDeviceKey(encoded),
        storagePath,
        async nextReport(shadow, where = () => true, timeoutMs) {
          const message = await inbox.next(
            (candidate) => mine(shadow)(candidate) && where(candidate.body),
            timeoutMs,
            `a ${shadow} report from ${thingName}`,
          );
          return message.body;
        },
        async nextEvent(where, timeoutMs) {
          // By event, not by message: a lock may send several events in one message (more so on a busy
          // machine), and each is taken once, whichever message brought it.
          const untaken = (event: LockEvent) => !takenEvents.has(event.id) && where(event);
          let found = observed
            .filter(mine('events'))
            .flatMap((message) => message.body.events as LockEvent[])
            .find(untaken);
          if (found === undefined) {
            await inbox.next(
              (candidate) => {
                if (!mine('events')(candidate)) return false;
                found = (candidate.body.events as LockEvent[]).find(untaken);
                return found !== undefined;
              },
              timeoutMs,
              `an event from ${thingName}`,
            );
          }
          takenEvents.add((found as LockEvent).id);
          return found as LockEvent;
        },
        events: () =>
          observed.filter(mine('events')).flatMap((message) => message.body.events as LockEvent[]),
        async updateShadow(shadow, document) {
          await sdk.send(
            new UpdateThingShadowCommand({
              thingName,
              shadowName: shadow,
              payload: new TextEncoder().encode(JSON.stringify(document)),
            }),
          );
        },
        async readShadow(shadow) {
          try {
            const answer = await sdk.send(new GetThingShadowCommand({ thingName, shadowName: shadow }));
            return JSON.parse(Buffer.from(answer.payload ?? new Uint8Array()).toString('utf8')) as ShadowRead;
          } catch (error) {
            if (error instanceof ResourceNotFoundException) return undefined;
            throw error;
          }
        },
      };
    },
    async restartIot() {
      const { ports } = iot;
      sdk.destroy();
      const observerCut = observer.client.connected
        ? new Promise<void>((resolve) => observer.client.once('close', () => resolve()))
        : Promise.resolve();
      await iot.stop();
      await observerCut;
      iot = await startCore(ports);
      sdk = dataPlane(iot);
      await observer.ready();
    },
    async dispose() {
      await Promise.allSettled(locks.map((lock) => lock.stop()));
      await observer.client.endAsync(true);
      sdk.destroy();
      await iot.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function dataPlane(iot: IotCore) {
  return new IoTDataPlaneClient({
    endpoint: iot.endpoints.http,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
    maxAttempts: 1,
  });
}

/**
 * A trusted client that sees every lock's shadow requests, resulting documents and events. It reconnects after
 * an IoT Core restart and subscribes again; `ready()` resolves once it listens on its current connection.
 */
async function observe(iot: IotCore, onMessage: (message: { topic: string; payload: Buffer }) => void) {
  const client = mqtt.connect(iot.endpoints.mqtt, {
    clientId: `observer-${crypto.randomUUID()}`,
    reconnectPeriod: 100,
    resubscribe: false,
  });
  client.on('error', () => undefined);
  client.on('message', (topic, payload) => onMessage({ topic, payload }));
  let listening: Promise<void> = Promise.resolve();
  const subscribed = () =>
    new Promise<void>((resolve) => {
      client.once('connect', () => {
        client
          .subscribeAsync(
            [
              '$aws/things/+/shadow/name/+/update',
              '$aws/things/+/shadow/name/+/update/documents',
              lockEventsTopicFilter,
            ],
            { qos: 1 },
          )
          .then(() => resolve());
      });
    });
  listening = subscribed();
  await listening;
  client.on('close', () => {
    listening = subscribed();
  });
  return { client: client as MqttClient, ready: () => listening };
}

/** Checks a message against the contract; returns what a lock published (reports and events). */
function check(
  { topic, payload }: { topic: string; payload: Buffer },
  violations: string[],
): Observed | undefined {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(payload.toString('utf8')) as Record<string, unknown>;
  } catch {
    violations.push(`${topic}: not JSON`);
    return undefined;
  }
  const conform = (schema: z.ZodType | undefined, value: unknown, what: string) => {
    if (value === undefined) return;
    if (schema === undefined) {
      violations.push(`${topic}: ${what} is not part of the contract`);
      return;
    }
    const result = schema.safeParse(value);
    if (!result.success) violations.push(`${topic}: ${what} ${JSON.stringify(result.error.issues)}`);
  };

  if (topicMatchesFilter(lockEventsTopicFilter, topic)) {
    conform(lockEventsMessageSchema, body, 'events message');
    return { topic, thingName: topic.split('/')[2] as string, channel: 'events', body };
  }
  const [, , thingName = '', , , shadow = '', , kind] = topic.split('/');
  if (!(shadow in reportSchemas)) {
    violations.push(`${topic}: a shadow outside the contract`);
    return undefined;
  }
  const name = shadow as LockShadowName;
  if (kind === 'documents') {
    // Read as the cloud's device-event handler reads what the rule hands it.
    const reading = readShadowDocuments({ ...body, thingName, shadowName: name });
    if (!reading.ok) violations.push(`${topic}: ${reading.problems.join('; ')}`);
    return undefined;
  }
  conform(reportSchemas[name], body, 'lock report');
  return { topic, thingName, channel: name, body };
}

/**
 * The lock world of one test file: started before its tests, checked after each that no lock broke the device
 * contract, disposed after them all. The getter answers inside tests and hooks, once the world is up.
 */
export function lockWorldOfFile(): () => LockWorld {
  let world: LockWorld | undefined;
  beforeAll(async () => {
    world = await startLockWorld();
  });
  afterAll(async () => {
    await world?.dispose();
  });
  afterEach(() => {
    expect(world?.violations).toEqual([]);
  });
  return () => {
    if (!world) throw new Error('The lock world starts before the tests');
    return world;
  };
}
