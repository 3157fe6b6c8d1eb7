/**
 * The semantics of an AWS IoT device shadow, with no broker, files or clock of its own: validating a request,
 * merging an update into the stored document, per-leaf metadata, the delta, and the exact response documents
 * AWS IoT Core sends (accepted, delta, documents, get, delete, rejected). The local IoT Core's MQTT topics and
 * its Data Plane HTTP API both call these functions, so the two behave alike.
 *
 * Where AWS's behaviour is not documented, the choice made here is marked UNCONFIRMED with the reason.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export type ShadowSection = 'desired' | 'reported';
const sections: readonly ShadowSection[] = ['desired', 'reported'];

/** What is stored for one shadow; `metadata` mirrors `state` with `{ "timestamp": epochSeconds }` per leaf. */
export interface ShadowDocument {
  readonly state: Partial<Record<ShadowSection, JsonObject>>;
  readonly metadata: Partial<Record<ShadowSection, JsonObject>>;
  readonly version: number;
}

export interface ShadowLimits {
  /** Bytes of `{"desired":…,"reported":…}` after the merge, metadata excluded. */
  readonly maxDocumentBytes: number;
  /** Levels of nesting inside desired or reported, the section itself counting as level 1. */
  readonly maxDepth: number;
  readonly maxClientTokenBytes: number;
  /** The largest request payload read at all (the MQTT message limit). */
  readonly maxRequestBytes: number;
}

/**
 * Depth: AWS's error text says "maximum is 6" but sources disagree on what is counted (UNCONFIRMED); this counts
 * desired/reported as level 1, as AWS's Greengrass shadow manager does.
 */
export const defaultShadowLimits: ShadowLimits = {
  maxDocumentBytes: 8192,
  maxDepth: 6,
  maxClientTokenBytes: 64,
  maxRequestBytes: 128 * 1024,
};

/** A request AWS IoT would refuse; `code` is the HTTP-like code of the /rejected document. */
export class ShadowRequestError extends Error {
  readonly code: number;
  readonly clientToken: string | undefined;
  constructor(code: number, message: string, clientToken?: string) {
    super(message);
    this.name = 'ShadowRequestError';
    this.code = code;
    this.clientToken = clientToken;
  }
}

export const shadowErrorMessages = {
  invalidJson: 'Invalid JSON',
  missingState: 'Missing required node: state',
  stateNotObject: 'State node must be an object',
  desiredNotObject: 'Desired node must be an object',
  reportedNotObject: 'Reported node must be an object',
  invalidVersion: 'Invalid version',
  invalidClientToken: 'Invalid clientToken',
  versionConflict: 'Version conflict',
  payloadTooLarge: 'The payload exceeds the maximum size allowed',
  unsupportedEncoding: 'Unsupported documented encoding; supported encoding is UTF-8',
  invalidThingName: 'Invalid thing name',
  invalidShadowName: 'Invalid shadow name',
  tooDeep: (maxDepth: number) => `JSON contains too many levels of nesting; maximum is ${maxDepth}`,
  invalidStateNode: (node: string) => `State contains an invalid node: '${node}'`,
  /** Classic shadows are named after their thing in this message. */
  noShadow: (label: string) => `No shadow exists with name: '${label}'`,
} as const;

/** Identifies one shadow: `shadowName` undefined is the thing's classic (unnamed) shadow. */
export interface ShadowRef {
  readonly thingName: string;
  readonly shadowName?: string | undefined;
}

const thingNamePattern = /^[a-zA-Z0-9:_-]{1,128}$/;
const shadowNamePattern = /^[$a-zA-Z0-9:_-]{1,64}$/;

export function isValidThingName(thingName: string): boolean {
  return thingNamePattern.test(thingName);
}

export function assertValidShadowRef({ thingName, shadowName }: ShadowRef): void {
  if (!thingNamePattern.test(thingName))
    throw new ShadowRequestError(400, shadowErrorMessages.invalidThingName);
  if (shadowName !== undefined && !shadowNamePattern.test(shadowName)) {
    throw new ShadowRequestError(400, shadowErrorMessages.invalidShadowName);
  }
}

/** The name AWS uses in "No shadow exists" messages. */
export function shadowLabel({ thingName, shadowName }: ShadowRef): string {
  return shadowName ?? thingName;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads a request payload: empty means "no body"; anything else must be UTF-8 JSON. */
export function parseShadowPayload({
  payload,
  limits = defaultShadowLimits,
}: {
  payload: Uint8Array;
  limits?: ShadowLimits;
}): unknown {
  if (payload.byteLength > limits.maxRequestBytes) {
    throw new ShadowRequestError(413, shadowErrorMessages.payloadTooLarge);
  }
  if (payload.byteLength === 0) return undefined;
  let text: string;
  try {
    text = utf8.decode(payload);
  } catch {
    throw new ShadowRequestError(415, shadowErrorMessages.unsupportedEncoding);
  }
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new ShadowRequestError(400, shadowErrorMessages.invalidJson);
  }
}

/** The clientToken of a request, validated so that only a well-formed token is ever echoed. */
function clientTokenOf(request: unknown, limits: ShadowLimits): string | undefined {
  if (!isJsonObject(request) || request.clientToken === undefined) return undefined;
  const token = request.clientToken;
  if (typeof token !== 'string' || Buffer.byteLength(token, 'utf8') > limits.maxClientTokenBytes) {
    throw new ShadowRequestError(400, shadowErrorMessages.invalidClientToken);
  }
  return token;
}

/** Get and delete requests carry at most a clientToken; their body is otherwise ignored. */
export function readRequestToken({
  payload,
  limits = defaultShadowLimits,
}: {
  payload: Uint8Array;
  limits?: ShadowLimits;
}): string | undefined {
  const request = parseShadowPayload({ payload, limits });
  return clientTokenOf(request, limits);
}

function withToken<T extends object>(document: T, clientToken: string | undefined): T {
  return clientToken === undefined ? document : { ...document, clientToken };
}

/** The /rejected document (and the HTTP error message) for a refused request. */
export function rejectionDocument({
  error,
  timestamp,
  clientToken,
}: {
  error: ShadowRequestError;
  timestamp: number;
  clientToken?: string | undefined;
}): JsonObject {
  return withToken({ code: error.code, message: error.message, timestamp }, clientToken ?? error.clientToken);
}

// ---------------------------------------------------------------------------------------------------------------
// Update

export interface ShadowUpdateResult {
  readonly document: ShadowDocument;
  /** /update/accepted, also the body of an HTTP UpdateThingShadow answer. */
  readonly accepted: JsonObject;
  /** /update/delta, when desired and reported differ after the update. */
  readonly delta: JsonObject | undefined;
  /** /update/documents. */
  readonly documents: JsonObject;
}

/**
 * Applies an update request to a shadow. `current` is the stored document, or undefined when the shadow does not
 * exist; `previousVersion` is then the version to continue from (a shadow deleted recently keeps counting).
 * `timestamp` is in epoch seconds, as every shadow timestamp.
 */
export function applyShadowUpdate({
  current,
  previousVersion = 0,
  payload,
  timestamp,
  limits = defaultShadowLimits,
}: {
  current: ShadowDocument | undefined;
  previousVersion?: number;
  payload: Uint8Array;
  timestamp: number;
  limits?: ShadowLimits;
}): ShadowUpdateResult {
  const request = parseShadowPayload({ payload, limits });
  if (!isJsonObject(request)) throw new ShadowRequestError(400, shadowErrorMessages.invalidJson);
  const clientToken = clientTokenOf(request, limits);
  const refuse = (code: number, message: string) => new ShadowRequestError(code, message, clientToken);

  const requestedVersion = request.version;
  if (
    requestedVersion !== undefined &&
    (typeof requestedVersion !== 'number' || !Number.isSafeInteger(requestedVersion) || requestedVersion < 0)
  ) {
    throw refuse(400, shadowErrorMessages.invalidVersion);
  }
  if (!('state' in request)) throw refuse(400, shadowErrorMessages.missingState);
  const requestedState = request.state;
  if (requestedState !== null && !isJsonObject(requestedState)) {
    throw refuse(400, shadowErrorMessages.stateNotObject);
  }
  if (requestedState !== null) {
    for (const node of Object.keys(requestedState)) {
      if (node !== 'desired' && node !== 'reported')
        throw refuse(400, shadowErrorMessages.invalidStateNode(node));
    }
    for (const section of sections) {
      const value = requestedState[section];
      if (value === undefined || value === null) continue;
      if (!isJsonObject(value)) {
        throw refuse(
          400,
          section === 'desired'
            ? shadowErrorMessages.desiredNotObject
            : shadowErrorMessages.reportedNotObject,
        );
      }
      if (depthOf(value) > limits.maxDepth) throw refuse(400, shadowErrorMessages.tooDeep(limits.maxDepth));
      // Arrays are stored whole and null means "delete", which has no meaning inside an array. AWS refuses
      // such arrays; its exact message is UNCONFIRMED, so the documented generic one is used.
      if (containsNullInArray(value)) throw refuse(400, shadowErrorMessages.invalidJson);
    }
  }

  const currentVersion = current?.version ?? previousVersion;
  if (requestedVersion !== undefined && requestedVersion !== currentVersion) {
    throw refuse(409, shadowErrorMessages.versionConflict);
  }

  const next = mergeRequest({ current, requestedState, timestamp });
  if (Buffer.byteLength(JSON.stringify(next.state), 'utf8') > limits.maxDocumentBytes) {
    throw refuse(413, shadowErrorMessages.payloadTooLarge);
  }
  const document: ShadowDocument = { ...next, version: currentVersion + 1 };

  const accepted =
    requestedState === null
      ? withToken({ state: null, metadata: { timestamp }, version: document.version, timestamp }, clientToken)
      : withToken(
          {
            state: structuredClone(requestedState),
            metadata: requestMetadata(requestedState, timestamp),
            version: document.version,
            timestamp,
          },
          clientToken,
        );

  const deltaState = computeDelta(document.state);
  const delta =
    deltaState === undefined
      ? undefined
      : withToken(
          {
            state: deltaState,
            metadata: metadataFor(deltaState, document.metadata.desired ?? {}),
            version: document.version,
            timestamp,
          },
          clientToken,
        );

  const documents: JsonObject = withToken<JsonObject>(
    current === undefined
      ? { current: snapshot(document), timestamp }
      : { previous: snapshot(current), current: snapshot(document), timestamp },
    clientToken,
  );

  return { document, accepted, delta, documents };
}

function mergeRequest({
  current,
  requestedState,
  timestamp,
}: {
  current: ShadowDocument | undefined;
  requestedState: JsonObject | null;
  timestamp: number;
}): Pick<ShadowDocument, 'state' | 'metadata'> {
  if (requestedState === null) return { state: {}, metadata: {} };
  const state: Partial<Record<ShadowSection, JsonObject>> = structuredClone(current?.state ?? {});
  const metadata: Partial<Record<ShadowSection, JsonObject>> = structuredClone(current?.metadata ?? {});
  for (const section of sections) {
    const patch = requestedState[section];
    if (patch === undefined) continue;
    if (patch === null) {
      delete state[section];
      delete metadata[section];
      continue;
    }
    const merged = state[section] ?? {};
    const mergedMetadata = metadata[section] ?? {};
    mergeObject(merged, mergedMetadata, patch as JsonObject, timestamp);
    if (Object.keys(merged).length === 0) {
      delete state[section];
      delete metadata[section];
    } else {
      state[section] = merged;
      metadata[section] = mergedMetadata;
    }
  }
  return { state, metadata };
}

/**
 * Merges `patch` into `target` in place: null deletes a key, objects merge recursively, anything else (arrays
 * included) replaces the old value whole. An object emptied by the deletions of this very update is removed with
 * its key, as a section is (UNCONFIRMED for nested objects); an empty object written as such is kept.
 */
function mergeObject(
  target: JsonObject,
  targetMetadata: JsonObject,
  patch: JsonObject,
  timestamp: number,
): void {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete target[key];
      delete targetMetadata[key];
      continue;
    }
    const existing = target[key];
    if (isJsonObject(value) && isJsonObject(existing)) {
      const existingMetadata = targetMetadata[key];
      const childMetadata = isJsonObject(existingMetadata) ? existingMetadata : {};
      const hadKeys = Object.keys(existing).length > 0;
      mergeObject(existing, childMetadata, value, timestamp);
      if (hadKeys && Object.keys(existing).length === 0) {
        delete target[key];
        delete targetMetadata[key];
      } else {
        targetMetadata[key] = childMetadata;
      }
      continue;
    }
    const added = withoutNulls(value);
    if (added === undefined) {
      delete target[key];
      delete targetMetadata[key];
      continue;
    }
    target[key] = added;
    targetMetadata[key] = leafMetadata(added, timestamp);
  }
}

/** A value as it is stored when newly written: null leaves dropped, objects left empty by them dropped too. */
function withoutNulls(value: JsonValue): JsonValue | undefined {
  if (!isJsonObject(value)) return structuredClone(value);
  const result: JsonObject = {};
  let droppedSome = false;
  for (const [key, child] of Object.entries(value)) {
    const kept = child === null ? undefined : withoutNulls(child);
    if (kept === undefined) droppedSome = true;
    else result[key] = kept;
  }
  return droppedSome && Object.keys(result).length === 0 ? undefined : result;
}

/** Metadata for a freshly written value: one timestamp per leaf; arrays get one entry per element. */
function leafMetadata(value: JsonValue, timestamp: number): JsonValue {
  if (Array.isArray(value)) return value.map((element) => leafMetadata(element, timestamp));
  if (isJsonObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => [key, leafMetadata(child, timestamp)]),
    );
  }
  return { timestamp };
}

/** The metadata of an accepted response mirrors the request, nulls included (a null leaf has a timestamp too). */
function requestMetadata(requestedState: JsonObject, timestamp: number): JsonObject {
  return leafMetadata(requestedState, timestamp) as JsonObject;
}

function depthOf(value: JsonValue): number {
  if (Array.isArray(value)) return 1 + Math.max(0, ...value.map(depthOf));
  if (isJsonObject(value)) return 1 + Math.max(0, ...Object.values(value).map(depthOf));
  return 0;
}

function containsNullInArray(value: JsonValue): boolean {
  if (Array.isArray(value)) return value.some((element) => element === null || containsNullInArray(element));
  if (isJsonObject(value)) return Object.values(value).some(containsNullInArray);
  return false;
}

function snapshot(document: ShadowDocument): JsonObject {
  return structuredClone({ state: document.state, metadata: document.metadata, version: document.version });
}

// ---------------------------------------------------------------------------------------------------------------
// Delta

/**
 * What desired asks for that reported does not show: keys of desired missing from reported or different there,
 * nested objects compared key by key with their full path kept, arrays and scalars compared whole and by type
 * (true is not 1), keys only in reported ignored, empty sub-results dropped. Undefined when in sync or when
 * there is no desired section.
 */
export function computeDelta(state: ShadowDocument['state']): JsonObject | undefined {
  const { desired, reported } = state;
  if (desired === undefined) return undefined;
  const delta = diffObjects(desired, reported ?? {});
  return Object.keys(delta).length === 0 ? undefined : delta;
}

function diffObjects(desired: JsonObject, reported: JsonObject): JsonObject {
  const delta: JsonObject = {};
  for (const [key, wanted] of Object.entries(desired)) {
    if (!Object.hasOwn(reported, key)) {
      delta[key] = structuredClone(wanted);
      continue;
    }
    const actual = reported[key] as JsonValue;
    if (isJsonObject(wanted) && isJsonObject(actual)) {
      const nested = diffObjects(wanted, actual);
      if (Object.keys(nested).length > 0) delta[key] = nested;
      continue;
    }
    if (!jsonEquals(wanted, actual)) delta[key] = structuredClone(wanted);
  }
  return delta;
}

export function jsonEquals(left: JsonValue, right: JsonValue): boolean {
  if (left === right) return true;
  if (Array.isArray(left) || Array.isArray(right)) {
    return (
      Array.isArray(left) &&
      Array.isArray(right) &&
      left.length === right.length &&
      left.every((element, index) => jsonEquals(element, right[index] as JsonValue))
    );
  }
  if (isJsonObject(left) && isJsonObject(right)) {
    const keys = Object.keys(left);
    return (
      keys.length === Object.keys(right).length &&
      keys.every(
        (key) => Object.hasOwn(right, key) && jsonEquals(left[key] as JsonValue, right[key] as JsonValue),
      )
    );
  }
  return false;
}

/** The part of a metadata tree that covers `value`, following the shape of `value`. */
function metadataFor(value: JsonObject, metadata: JsonObject): JsonObject {
  const result: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    const childMetadata = metadata[key];
    if (childMetadata === undefined) continue;
    result[key] =
      isJsonObject(child) && isJsonObject(childMetadata)
        ? metadataFor(child, childMetadata)
        : structuredClone(childMetadata);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Get and delete

/** A get or delete of one shadow, which `current` holds unless there is none. */
interface StoredShadowRequest {
  ref: ShadowRef;
  current: ShadowDocument | undefined;
  timestamp: number;
  clientToken?: string | undefined;
}

/** The shadow a get or delete acts on; none is AWS's 404 naming the shadow. */
function existingShadow({ ref, current, clientToken }: StoredShadowRequest): ShadowDocument {
  if (current === undefined) {
    throw new ShadowRequestError(404, shadowErrorMessages.noShadow(shadowLabel(ref)), clientToken);
  }
  return current;
}

/** /get/accepted, also the body of an HTTP GetThingShadow answer. */
export function shadowGetDocument(request: StoredShadowRequest): JsonObject {
  const { timestamp, clientToken } = request;
  const current = existingShadow(request);
  const delta = computeDelta(current.state);
  const state = structuredClone(current.state) as JsonObject;
  if (delta !== undefined) state.delta = delta;
  return withToken(
    { state, metadata: structuredClone(current.metadata), version: current.version, timestamp },
    clientToken,
  );
}

/** /delete/accepted, also the body of an HTTP DeleteThingShadow answer: the deleted document's last version. */
export function shadowDeleteDocument(request: StoredShadowRequest): JsonObject {
  const { timestamp, clientToken } = request;
  const { version } = existingShadow(request);
  return withToken({ version, timestamp }, clientToken);
}
