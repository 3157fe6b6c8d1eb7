/**
 * The lock's connection to AWS IoT Core: MQTT over mutual TLS with the lock's own certificate, the thing name
 * as client id, a clean session. It reconnects on its own (with growing, jittered delays) after a broker
 * restart or a network failure, and on every connection subscribes to all the lock's topics before anything
 * else is published, then hands over to the lock (`onConnected`), which reconciles with `/get`.
 *
 * Why a clean session rather than a persistent one: the shadow is the lock's mailbox, and `/get` on every
 * connection returns everything outstanding. A persistent session would replay queued deltas, stale ones
 * included, that the lock would have to refuse anyway; a clean session keeps one path for catching up.
 *
 * A `hybrid` lock reaches the cloud through a Bluetooth-to-WiFi bridge: `bridgeDelayMs` is added to every
 * message in each direction, as the bridge's radio hop would.
 */
import type { Socket } from 'node:net';
import mqtt, { type MqttClient } from 'mqtt';

export interface DeviceCertificate {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
  /** The CA that signed the broker's certificate (Amazon Root CA 1 in AWS, the local CA at home). */
  readonly caPem: string;
}

export interface CloudLinkOptions {
  readonly thingName: string;
  /** `mqtts://host:8883` */
  readonly endpoint: string;
  readonly certificate: DeviceCertificate;
  /** Every topic filter the lock listens to, subscribed at QoS 1 on every connection before any publish. */
  readonly subscriptions: readonly string[];
  /** Runs once per connection, after the subscriptions; a failure drops the connection (it is retried). */
  readonly onConnected: () => Promise<void>;
  /** Runs when a connection that reached CONNACK ends, whether or not `onConnected` had finished. */
  readonly onDisconnected: () => void;
  readonly onMessage: (topic: string, payload: Buffer) => void;
  readonly bridgeDelayMs: number;
  readonly reconnectDelayMs: { readonly min: number; readonly max: number };
  readonly log: (message: string) => void;
}

export interface CloudLink {
  /** Connected, subscribed and past `onConnected`. */
  readonly ready: boolean;
  /** Publishes at QoS 1; resolves on the broker's acknowledgement, fails if the connection is lost first. */
  publish(topic: string, message: unknown): Promise<void>;
  /** A cut network drops the connection at once (no DISCONNECT: the broker sees it lost) and stops retrying. */
  setNetwork(up: boolean): void;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function startCloudLink(options: CloudLinkOptions): CloudLink {
  const { thingName, endpoint, certificate, log, bridgeDelayMs, reconnectDelayMs } = options;
  let stopped = false;
  let networkUp = true;
  let client: MqttClient | undefined;
  let ready = false;
  let closed: Promise<void> = Promise.resolve();
  let wake: () => void = () => undefined;
  const napUntilWoken = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  async function connectOnce(): Promise<MqttClient> {
    return new Promise((resolve, reject) => {
      const candidate = mqtt.connect(endpoint, {
        clientId: thingName,
        clean: true,
        protocolVersion: 4,
        keepalive: 30,
        reconnectPeriod: 0,
        connectTimeout: 5_000,
        queueQoSZero: false,
        resubscribe: false,
        key: certificate.privateKeyPem,
        cert: certificate.certificatePem,
        ca: certificate.caPem,
      });
      const fail = (reason: unknown) => {
        candidate.removeAllListeners();
        candidate.on('error', () => undefined);
        candidate.end(true);
        reject(reason instanceof Error ? reason : new Error(String(reason)));
      };
      candidate.once('error', fail);
      candidate.once('close', () => fail(new Error('connection closed before CONNACK')));
      candidate.once('connect', () => {
        candidate.removeAllListeners('error');
        candidate.removeAllListeners('close');
        candidate.on('error', (error) => log(`mqtt error: ${error.message}`));
        // mqtt.js leaves Nagle's algorithm on, which would hold small messages back by tens of milliseconds.
        (candidate.stream as Partial<Socket>).setNoDelay?.(true);
        resolve(candidate);
      });
    });
  }

  async function run() {
    let delay = reconnectDelayMs.min;
    while (!stopped) {
      if (!networkUp) {
        await napUntilWoken(60_000);
        continue;
      }
      let connection: MqttClient;
      try {
        connection = await connectOnce();
      } catch (error) {
        log(`cannot connect to ${endpoint}: ${(error as Error).message}; retrying in ${delay} ms`);
        await napUntilWoken(delay * (0.75 + Math.random() / 2));
        delay = Math.min(delay * 2, reconnectDelayMs.max);
        continue;
      }
      if (stopped || !networkUp) {
        connection.end(true);
        continue;
      }
      client = connection;
      closed = new Promise((resolve) => connection.once('close', () => resolve()));
      connection.on('message', (topic, payload) => {
        if (bridgeDelayMs > 0) setTimeout(() => options.onMessage(topic, payload), bridgeDelayMs);
        else options.onMessage(topic, payload);
      });
      try {
        await connection.subscribeAsync([...options.subscriptions], { qos: 1 });
        await options.onConnected();
        ready = true;
        delay = reconnectDelayMs.min;
        log(`connected to ${endpoint}`);
      } catch (error) {
        log(`connection setup failed: ${(error as Error).message}`);
        connection.end(true);
      }
      await closed;
      ready = false;
      client = undefined;
      options.onDisconnected();
      if (!stopped && networkUp) {
        log('connection lost; reconnecting');
        await napUntilWoken(delay * (0.75 + Math.random() / 2));
      }
    }
  }

  const running = run();

  return {
    get ready() {
      return ready;
    },
    async publish(topic, message) {
      const connection = client;
      if (connection === undefined) throw new Error('not connected');
      if (bridgeDelayMs > 0) await sleep(bridgeDelayMs);
      const lost = closed.then(() => {
        throw new Error('connection lost before the broker acknowledged');
      });
      await Promise.race([connection.publishAsync(topic, JSON.stringify(message), { qos: 1 }), lost]);
    },
    setNetwork(up) {
      if (networkUp === up) return;
      networkUp = up;
      if (!up) client?.end(true);
      wake();
    },
    async stop() {
      stopped = true;
      const connection = client;
      wake();
      if (connection) await connection.endAsync().catch(() => undefined);
      await running;
    },
  };
}
