/**
 * The Device Shadow service of the local IoT Core: runs get, update and delete requests (from MQTT request topics
 * or from the Data Plane HTTP API) against the shadow store, one request at a time per shadow, and publishes the
 * same response topics AWS IoT does. A change is on disk before it is announced.
 */
import {
  applyShadowUpdate,
  assertValidShadowRef,
  isValidThingName,
  type JsonObject,
  readRequestToken,
  rejectionDocument,
  type ShadowLimits,
  type ShadowRef,
  ShadowRequestError,
  shadowDeleteDocument,
  shadowErrorMessages,
  shadowGetDocument,
} from './shadow-document.ts';
import type { ShadowStore } from './shadow-store.ts';
import { parseShadowRequestTopic, type ShadowOperation, shadowTopic } from './shadow-topics.ts';

/** Publishes one message from the service itself (QoS 1, so persistent sessions queue it). */
export type ServicePublish = (topic: string, document: JsonObject) => Promise<void>;

export interface NamedShadowPage {
  readonly results: string[];
  readonly nextToken?: string;
  readonly timestamp: number;
}

export interface ShadowService {
  /** Handles a message published on any topic; only shadow request topics are acted on. */
  handleMessage(topic: string, payload: Uint8Array): Promise<void>;
  /** The request the HTTP API makes: publishes the same notifications as MQTT, but no /rejected on errors. */
  update(ref: ShadowRef, payload: Uint8Array): Promise<JsonObject>;
  get(ref: ShadowRef): Promise<JsonObject>;
  delete(ref: ShadowRef): Promise<JsonObject>;
  listNamedShadows(options: { thingName: string; pageSize?: number; nextToken?: string }): NamedShadowPage;
  /** Settles when every request received so far has been answered. */
  idle(): Promise<void>;
}

export function createShadowService({
  store,
  publish,
  limits,
  now,
  log,
}: {
  store: ShadowStore;
  publish: ServicePublish;
  limits: ShadowLimits;
  now: () => number;
  log: (message: string) => void;
}): ShadowService {
  const queues = new Map<string, Promise<unknown>>();
  const seconds = () => Math.floor(now() / 1000);

  /** Requests to one shadow run one after the other, in the order received. */
  function serially<T>(ref: ShadowRef, task: () => Promise<T>): Promise<T> {
    const key = `${ref.thingName}\u0000${ref.shadowName ?? ''}`;
    const previous = queues.get(key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(task);
    queues.set(key, next);
    const forget = () => {
      if (queues.get(key) === next) queues.delete(key);
    };
    next.then(forget, forget);
    return next;
  }

  async function runUpdate(ref: ShadowRef, payload: Uint8Array): Promise<JsonObject> {
    const current = store.get(ref);
    const result = applyShadowUpdate({
      current,
      previousVersion: store.previousVersion(ref, now()),
      payload,
      timestamp: seconds(),
      limits,
    });
    await store.save(ref, result.document);
    await publish(shadowTopic(ref, 'update', 'accepted'), result.accepted);
    // AWS publishes the delta after every accepted update that leaves desired and reported apart, with all the
    // differences, not only when this update changed them (as Greengrass does; UNCONFIRMED for AWS IoT Core).
    if (result.delta !== undefined) await publish(shadowTopic(ref, 'update', 'delta'), result.delta);
    await publish(shadowTopic(ref, 'update', 'documents'), result.documents);
    return result.accepted;
  }

  async function runDelete(ref: ShadowRef, clientToken: string | undefined): Promise<JsonObject> {
    const current = store.get(ref);
    const accepted = shadowDeleteDocument({ ref, current, timestamp: seconds(), clientToken });
    await store.remove(ref, current?.version ?? 0, now());
    await publish(shadowTopic(ref, 'delete', 'accepted'), accepted);
    return accepted;
  }

  async function handleMqttRequest(ref: ShadowRef, operation: ShadowOperation, payload: Uint8Array) {
    let clientToken: string | undefined;
    try {
      assertValidShadowRef(ref);
      if (operation === 'update') {
        await runUpdate(ref, payload);
        return;
      }
      clientToken = readRequestToken({ payload, limits });
      if (operation === 'get') {
        const document = shadowGetDocument({
          ref,
          current: store.get(ref),
          timestamp: seconds(),
          clientToken,
        });
        await publish(shadowTopic(ref, 'get', 'accepted'), document);
        return;
      }
      await runDelete(ref, clientToken);
    } catch (error) {
      const refusal =
        error instanceof ShadowRequestError ? error : new ShadowRequestError(500, 'Internal service failure');
      if (!(error instanceof ShadowRequestError)) log(`shadow ${operation} failed: ${String(error)}`);
      await publish(
        shadowTopic(ref, operation, 'rejected'),
        rejectionDocument({ error: refusal, timestamp: seconds(), clientToken }),
      );
    }
  }

  return {
    async handleMessage(topic, payload) {
      const request = parseShadowRequestTopic(topic);
      if (request === undefined) return;
      const { operation, ...ref } = request;
      await serially(ref, () => handleMqttRequest(ref, operation, payload));
    },
    update(ref, payload) {
      assertValidShadowRef(ref);
      return serially(ref, () => runUpdate(ref, payload));
    },
    get(ref) {
      assertValidShadowRef(ref);
      return serially(ref, async () =>
        shadowGetDocument({ ref, current: store.get(ref), timestamp: seconds() }),
      );
    },
    delete(ref) {
      assertValidShadowRef(ref);
      return serially(ref, () => runDelete(ref, undefined));
    },
    listNamedShadows({ thingName, pageSize = 25, nextToken }) {
      if (!isValidThingName(thingName))
        throw new ShadowRequestError(400, shadowErrorMessages.invalidThingName);
      if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) {
        throw new ShadowRequestError(400, 'Invalid page size');
      }
      const names = store.namedShadows(thingName);
      const after =
        nextToken === undefined ? undefined : Buffer.from(nextToken, 'base64url').toString('utf8');
      const remaining = after === undefined ? names : names.filter((name) => name > after);
      const results = remaining.slice(0, pageSize);
      const last = results.at(-1);
      return remaining.length > pageSize && last !== undefined
        ? { results, nextToken: Buffer.from(last, 'utf8').toString('base64url'), timestamp: seconds() }
        : { results, timestamp: seconds() };
    },
    async idle() {
      await Promise.allSettled([...queues.values()]);
    },
  };
}
