/**
 * What the IoT Core conformance tests share: an IoT Core started in-process on free ports with its own temporary
 * data folder (independent of the rest of the local cloud), MQTT clients for trusted services and for devices
 * with certificates, and an inbox that waits for messages with a timeout instead of sleeping.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import {
  type IotCore,
  type IotCoreOptions,
  type IotRuleMatch,
  type IssuedDeviceCertificate,
  startIotCore,
} from '#infra/local/iot/index.ts';
import { topicMatchesFilter } from '#infra/local/iot/shadow-topics.ts';

export interface TestIotCore {
  readonly iot: IotCore;
  readonly dataDir: string;
  readonly ruleMatches: RecordedInbox<IotRuleMatch>;
  readonly logs: string[];
  /** Starts a new IoT Core on the same data folder (the previous one must be stopped). */
  restart(): Promise<TestIotCore>;
  /** Stops the IoT Core, ends every client the fixture opened, and removes the data folder. */
  dispose(): Promise<void>;
}

export async function startTestIotCore(options: Partial<IotCoreOptions> = {}): Promise<TestIotCore> {
  const dataDir = await mkdtemp(join(tmpdir(), 'lockstay-iot-'));
  return start(dataDir, options);
}

async function start(dataDir: string, options: Partial<IotCoreOptions>): Promise<TestIotCore> {
  const ruleMatches = new RecordedInbox<IotRuleMatch>();
  const logs: string[] = [];
  const iot = await startIotCore({
    dataDir,
    mqttPort: 0,
    mqttTlsPort: 0,
    httpPort: 0,
    log: (message) => logs.push(message),
    onRuleMatch: async (match) => ruleMatches.add(match),
    ...options,
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await Promise.allSettled([...openClients].map((client) => client.endAsync(true)));
    openClients.clear();
    await iot.stop();
  };
  return {
    iot,
    dataDir,
    ruleMatches,
    logs,
    async restart() {
      await stop();
      return start(dataDir, options);
    },
    async dispose() {
      await stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

const openClients = new Set<MqttClient>();

/** A client with its inbox: every message it receives is kept until a test takes it. */
export interface InboxClient {
  readonly mqtt: MqttClient;
  readonly inbox: RecordedInbox<ReceivedMessage>;
  /** Resolves with the next message on a topic matching `filter` (and `where`), received before or after the call. */
  next(
    filter: string,
    where?: (message: ReceivedMessage) => boolean,
    timeoutMs?: number,
  ): Promise<ReceivedMessage>;
  end(): Promise<void>;
}

export interface ReceivedMessage {
  readonly topic: string;
  readonly text: string;
  /** The payload parsed as JSON (undefined when it is not JSON). */
  readonly json: Record<string, unknown> | undefined;
}

function withInbox(client: MqttClient): InboxClient {
  openClients.add(client);
  const inbox = new RecordedInbox<ReceivedMessage>();
  client.on('message', (topic, payload) => {
    const text = payload.toString('utf8');
    let json: Record<string, unknown> | undefined;
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      json = undefined;
    }
    inbox.add({ topic, text, json });
  });
  return {
    mqtt: client,
    inbox,
    next: (filter, where = () => true, timeoutMs) =>
      inbox.next((message) => topicMatchesFilter(filter, message.topic) && where(message), timeoutMs, filter),
    async end() {
      openClients.delete(client);
      await client.endAsync();
    },
  };
}

/** A trusted back-end client on the plain loopback listener. */
export async function connectService(iot: IotCore, clientId = `service-${crypto.randomUUID()}`) {
  const client = await mqtt.connectAsync(iot.endpoints.mqtt, { clientId, reconnectPeriod: 0 });
  return withInbox(client);
}

/** A device on the mutual-TLS listener, by default with its thing name as client id. */
export async function connectDevice(
  iot: IotCore,
  certificate: IssuedDeviceCertificate,
  options: IClientOptions & { clientId: string },
) {
  const client = await mqtt.connectAsync(iot.endpoints.mqtts, deviceOptions(certificate, options));
  return withInbox(client);
}

export function deviceOptions(
  certificate: Pick<IssuedDeviceCertificate, 'certificatePem' | 'privateKeyPem' | 'caPem'>,
  options: IClientOptions,
): IClientOptions {
  return {
    key: certificate.privateKeyPem,
    cert: certificate.certificatePem,
    ca: certificate.caPem,
    reconnectPeriod: 0,
    // A TLS handshake with a client certificate can take seconds on a busy machine: a refusal comes at once.
    connectTimeout: 30_000,
    ...options,
  };
}

/**
 * Tries to connect and reports how it ended: 'connected', or the refusal (an MQTT CONNACK code, a TLS error or
 * a closed socket), without retrying.
 */
export function attemptConnection(url: string, options: IClientOptions): Promise<'connected' | string> {
  return new Promise((resolve) => {
    const client = mqtt.connect(url, { ...options, reconnectPeriod: 0, connectTimeout: 30_000 });
    const finish = (outcome: string) => {
      client.removeAllListeners();
      client.on('error', () => undefined);
      client.end(true, () => resolve(outcome));
    };
    client.once('connect', () => finish('connected'));
    client.once('error', (error) => finish(`refused: ${error.message}`));
    client.once('close', () => finish('refused: connection closed'));
  });
}

/** Resolves when the broker closes the client's connection; fails after a timeout. */
export function closedByBroker(client: MqttClient, timeoutMs = 15_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`connection still open after ${timeoutMs} ms`)),
      timeoutMs,
    );
    client.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export function dataPlaneClient(iot: IotCore) {
  return new IoTDataPlaneClient({
    endpoint: iot.endpoints.http,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
    maxAttempts: 1,
  });
}

export const json = (value: unknown) => JSON.stringify(value);

export function decode(payload: Uint8Array | undefined): Record<string, unknown> {
  return JSON.parse(Buffer.from(payload ?? new Uint8Array()).toString('utf8')) as Record<string, unknown>;
}

/** Items arriving over time, taken by tests in order of arrival; waiting fails after a timeout. */
export class RecordedInbox<T> {
  readonly #items: T[] = [];
  readonly #waiters = new Set<{ matches: (item: T) => boolean; resolve: (item: T) => void }>();

  add(item: T): void {
    for (const waiter of this.#waiters) {
      if (waiter.matches(item)) {
        this.#waiters.delete(waiter);
        waiter.resolve(item);
        return;
      }
    }
    this.#items.push(item);
  }

  /** Every item received so far and not yet taken. */
  get pending(): readonly T[] {
    return this.#items;
  }

  next(matches: (item: T) => boolean, timeoutMs = 15_000, description = 'a matching item'): Promise<T> {
    const index = this.#items.findIndex(matches);
    if (index >= 0) return Promise.resolve(this.#items.splice(index, 1)[0] as T);
    return new Promise((resolve, reject) => {
      const waiter = {
        matches,
        resolve: (item: T) => {
          clearTimeout(timer);
          resolve(item);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${description}`));
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }
}
