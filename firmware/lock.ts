/**
 * The reference lock firmware: a lock as Lockstay's device contract (docs/device-contract.md) expects one to
 * behave, written as the example lock makers follow. Everything it says to the cloud is built and checked
 * with the contract's own module (shared/devices/), the one the cloud uses too.
 *
 * What it does, in the order a firmware team would meet it:
 * - Memory (`storage.ts`): codes as keyed hashes with their windows, never a PIN; executed command ids; the
 *   keypad lockout; the outbox of events. Saved atomically before anything that depends on it happens.
 * - Connection (`cloud-link.ts`, `wifi` and `hybrid` only): mutual TLS with its own certificate, client id =
 *   thing name, subscribe before publish, then `/get` of the shadows the cloud writes and a reconciliation.
 * - Codes: applies desired changes, removals first; reports each outcome under the code's id; enforces each
 *   code's window with its own clock, so codes keep working with no network at all.
 * - Remote unlock: executes a command only if signed with its device key, not expired, not executed before;
 *   reports every outcome, refusals with their reason; relocks by itself after a few seconds.
 * - Local methods: keypad (with the contract's lockout), offline codes, fingerprint, RFID card, face,
 *   mechanical key; every unlock and refusal becomes an event with its attribution.
 * - `bluetooth` locks never connect: they admit offline codes and local credentials, and keep their events.
 *
 * All state changes run one at a time through a single queue (`serial`), as a firmware main loop would, so a
 * keypad entry and a cloud message can never interleave halfway.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import {
  type AppliedAccessCode,
  accessCodesReport,
  type CodePut,
  type CodeRemoval,
  type DesiredAccessCode,
  desiredAccessCodeSchema,
  hashPin,
  orderCodeChanges,
} from '#shared/devices/codes.ts';
import {
  type CommandResult,
  commandsReport,
  rememberUntil,
  verifyUnlockCommand,
} from '#shared/devices/commands.ts';
import {
  contractIdSchema,
  deviceContractVersion,
  type LockShadowName,
  lockEventsTopic,
  lockShadows,
  shadowTopic,
  thingNameSchema,
} from '#shared/devices/contract.ts';
import {
  constantTimeEquals,
  type DeviceKey,
  type EncodedDeviceKey,
  parseDeviceKey,
} from '#shared/devices/device-key.ts';
import {
  type accessDeniedReasons,
  type LockEvent,
  lockEventsMessageSchema,
  maxEventsPerMessage,
} from '#shared/devices/events.ts';
import { afterRightEntry, afterWrongEntry, isLockedOut } from '#shared/devices/lockout.ts';
import { singleUseCodeOver, verifyOfflineCode } from '#shared/devices/offline-codes.ts';
import {
  firmwareVersionSchema,
  type LocalUnlockMethod,
  type LockStateReported,
  localUnlockMethods,
  lockStateReportUpdateSchema,
  lowBatteryPercent,
} from '#shared/devices/state.ts';
import type { LockConnectivity } from '#shared/domain/lock.ts';
import { type CloudLink, type DeviceCertificate, startCloudLink } from './cloud-link.ts';
import { startControlApi } from './control-api.ts';
import { type LockStorage, openLockStorage, type StoredCode } from './storage.ts';

export type { DeviceCertificate } from './cloud-link.ts';

/** A fingerprint, card or face enrolled on the lock itself (locks enrol these locally, not through the cloud). */
export interface EnrolledCredential {
  readonly method: 'fingerprint' | 'rfid' | 'face';
  readonly id: string;
}

export interface LockOptions {
  readonly thingName: string;
  readonly connectivity: LockConnectivity;
  /** The device keys from the installer bundle (two during a rotation). */
  readonly deviceKeys: readonly EncodedDeviceKey[];
  /** Where the lock keeps its memory (a JSON file). */
  readonly storagePath: string;
  /** `mqtts://host:port` of IoT Core; required unless the lock is `bluetooth`. */
  readonly endpoint?: string;
  /** The lock's own certificate; required unless the lock is `bluetooth`. */
  readonly certificate?: DeviceCertificate;
  /** @default 6 */
  readonly pinLength?: number;
  /** How many codes the lock can hold. @default 20 */
  readonly capacity?: number;
  /** @default '1.0.0' */
  readonly firmwareVersion?: string;
  /** @default every local method */
  readonly methods?: readonly LocalUnlockMethod[];
  readonly credentials?: readonly EnrolledCredential[];
  /** @default true */
  readonly doorSensor?: boolean;
  /** @default 5000 */
  readonly autoRelockMs?: number;
  /** Added to every message in each direction for a `hybrid` lock. @default 150 (0 for other kinds) */
  readonly bridgeDelayMs?: number;
  /** @default { min: 1000, max: 30000 } */
  readonly reconnectDelayMs?: { readonly min: number; readonly max: number };
  /** The local HTTP control (see control-api.ts); none when absent. */
  readonly control?: { readonly port: number; readonly host?: string };
  /** The lock's clock, epoch milliseconds. @default Date.now */
  readonly now?: () => number;
  readonly log?: (message: string) => void;
}

type DeniedReason = (typeof accessDeniedReasons)[number];
type Without<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An event before the lock stamps it with id, sequence number and time. */
type NewLockEvent = Without<LockEvent, 'id' | 'seq' | 'at'>;
type UnlockAttribution = Without<Extract<LockEvent, { type: 'unlocked' }>, 'id' | 'seq' | 'at' | 'type'>;

export type EntryOutcome =
  | ({ readonly admitted: true } & UnlockAttribution)
  | { readonly admitted: false; readonly reason: DeniedReason; readonly codeId?: string };

export interface LockSnapshot {
  readonly thingName: string;
  readonly connectivity: LockConnectivity;
  /** Connected to IoT Core and reconciled. */
  readonly online: boolean;
  readonly network: 'up' | 'cut';
  readonly state: LockStateReported;
  /** The codes held, without their hashes. */
  readonly codes: readonly {
    codeId: string;
    v: number;
    from: number;
    to?: number;
    once?: true;
    used?: number;
  }[];
  readonly activatedOfflineCodes: number;
  readonly pendingEvents: number;
  readonly recentEvents: readonly LockEvent[];
}

export interface RunningLock {
  readonly thingName: string;
  readonly connectivity: LockConnectivity;
  /** The local control API, when one was asked for. */
  readonly controlUrl: string | undefined;
  enterPin(pin: string): Promise<EntryOutcome>;
  presentCredential(method: EnrolledCredential['method'], id: string): Promise<EntryOutcome>;
  turnKey(): Promise<EntryOutcome>;
  /** The lock button on the inside: locks at once. */
  lockNow(): Promise<void>;
  setNetwork(up: boolean): void;
  setBattery(percent: number): Promise<void>;
  setDoor(open: boolean): Promise<void>;
  reportTamper(kind: 'forced-door' | 'cover-removed' | 'jammed'): Promise<void>;
  snapshot(): LockSnapshot;
  /** Resolves once the lock is connected and has reconciled with its shadows (never, for `bluetooth`). */
  whenOnline(): Promise<void>;
  /** Resolves once every queued task has run. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const maxOutboxEvents = 1_000;
const pinLengthOption = z.int().min(4).max(8);
const capacityOption = z.int().min(1).max(10_000);
const shadowRequestTimeoutMs = 10_000;

export async function startLock(options: LockOptions): Promise<RunningLock> {
  const lock = new ReferenceLock(
    options,
    await openLockStorage({ path: options.storagePath, log: logOf(options) }),
  );
  return lock.start();
}

function logOf(options: LockOptions) {
  return options.log ?? ((message: string) => console.error(`[${options.thingName}] ${message}`));
}

class ReferenceLock {
  readonly #thingName: string;
  readonly #connectivity: LockConnectivity;
  readonly #options: LockOptions;
  readonly #keys: readonly DeviceKey[];
  readonly #pinLength: number;
  readonly #capacity: number;
  readonly #methods: readonly LocalUnlockMethod[];
  readonly #now: () => number;
  readonly #log: (message: string) => void;
  readonly #storage: LockStorage;

  #link: CloudLink | undefined;
  #control: { server: Server; url: string } | undefined;
  #canPublish = false;
  #online = false;
  #networkUp = true;
  #onlineWaiters: (() => void)[] = [];
  #queue: Promise<unknown> = Promise.resolve();
  #bolt: 'locked' | 'unlocked' = 'locked';
  #door: 'open' | 'closed' = 'closed';
  #relockTimer: NodeJS.Timeout | undefined;
  #relockWhenClosed = false;
  #flushing = false;
  #recentEvents: LockEvent[] = [];
  /** Shadows whose `/get` answered on this connection; their deltas count from then on. */
  readonly #reconciled = new Set<LockShadowName>();
  readonly #versions = new Map<LockShadowName, number>();
  readonly #pendingGets = new Map<string, { resolve: () => void; reject: (error: Error) => void }>();
  #tokens = 0;

  constructor(options: LockOptions, storage: LockStorage) {
    this.#options = options;
    this.#thingName = options.thingName;
    this.#connectivity = options.connectivity;
    this.#keys = options.deviceKeys.map(parseDeviceKey);
    if (this.#keys.length === 0) throw new Error('A lock needs its device key');
    thingNameSchema.parse(options.thingName);
    firmwareVersionSchema.parse(options.firmwareVersion ?? '1.0.0');
    this.#pinLength = pinLengthOption.parse(options.pinLength ?? 6);
    this.#capacity = capacityOption.parse(options.capacity ?? 20);
    this.#methods = options.methods ?? localUnlockMethods;
    this.#now = options.now ?? Date.now;
    this.#log = logOf(options);
    this.#storage = storage;
  }

  get #memory() {
    return this.#storage.memory;
  }

  #nowSeconds() {
    return Math.floor(this.#now() / 1000);
  }

  /** Runs state changes one at a time, in the order they were asked for. */
  #serial<T>(task: () => Promise<T> | T): Promise<T> {
    const run = this.#queue.then(task);
    this.#queue = run.catch((error: unknown) => this.#log(`task failed: ${String(error)}`));
    return run;
  }

  async start(): Promise<RunningLock> {
    if (this.#connectivity !== 'bluetooth') {
      const { endpoint, certificate } = this.#options;
      if (endpoint === undefined || certificate === undefined) {
        throw new Error(`A ${this.#connectivity} lock needs an endpoint and its certificate`);
      }
      this.#link = startCloudLink({
        thingName: this.#thingName,
        endpoint,
        certificate,
        subscriptions: this.#subscriptions(),
        onConnected: () => this.#onConnected(),
        onDisconnected: () => this.#onDisconnected(),
        onMessage: (topic, payload) => this.#onMessage(topic, payload),
        bridgeDelayMs: this.#options.bridgeDelayMs ?? (this.#connectivity === 'hybrid' ? 150 : 0),
        reconnectDelayMs: this.#options.reconnectDelayMs ?? { min: 1_000, max: 30_000 },
        log: this.#log,
      });
    }
    if (this.#options.control !== undefined) {
      this.#control = await startControlApi({ lock: this.#api(), ...this.#options.control });
    }
    this.#log(`started (${this.#connectivity})${this.#control ? `, control at ${this.#control.url}` : ''}`);
    return this.#api();
  }

  #api(): RunningLock {
    return {
      thingName: this.#thingName,
      connectivity: this.#connectivity,
      controlUrl: this.#control?.url,
      enterPin: (pin) => this.#serial(() => this.#enterPin(pin)),
      presentCredential: (method, id) => this.#serial(() => this.#presentCredential(method, id)),
      turnKey: () => this.#serial(() => this.#turnKey()),
      lockNow: () => this.#serial(() => this.#relock('manual')),
      setNetwork: (up) => this.#setNetwork(up),
      setBattery: (percent) => this.#serial(() => this.#setBattery(percent)),
      setDoor: (open) => this.#serial(() => this.#setDoor(open)),
      reportTamper: (kind) => this.#serial(() => this.#commit({ type: 'tamper', kind })),
      snapshot: () => this.#snapshot(),
      whenOnline: () =>
        this.#online ? Promise.resolve() : new Promise((resolve) => this.#onlineWaiters.push(resolve)),
      idle: async () => {
        await this.#serial(() => undefined);
      },
      stop: () => this.#stop(),
    };
  }

  // ---- connection --------------------------------------------------------------------------------------------

  #subscriptions(): string[] {
    const topics = [shadowTopic(this.#thingName, lockShadows.state, 'update', 'rejected')];
    for (const shadow of [lockShadows.accessCodes, lockShadows.commands] as const) {
      topics.push(
        shadowTopic(this.#thingName, shadow, 'get', 'accepted'),
        shadowTopic(this.#thingName, shadow, 'get', 'rejected'),
        shadowTopic(this.#thingName, shadow, 'update', 'delta'),
        shadowTopic(this.#thingName, shadow, 'update', 'accepted'),
        shadowTopic(this.#thingName, shadow, 'update', 'rejected'),
      );
    }
    return topics;
  }

  /** Subscribed already; now catch up with everything the cloud desired meanwhile, then report. */
  async #onConnected() {
    this.#canPublish = true;
    this.#reconciled.clear();
    this.#versions.clear();
    await Promise.all([this.#getShadow(lockShadows.accessCodes), this.#getShadow(lockShadows.commands)]);
    await this.#serial(() => this.#reportState());
    this.#online = true;
    for (const resolve of this.#onlineWaiters.splice(0)) resolve();
    void this.#flushEvents();
  }

  #onDisconnected() {
    this.#canPublish = false;
    this.#online = false;
    for (const pending of this.#pendingGets.values()) pending.reject(new Error('connection lost'));
    this.#pendingGets.clear();
  }

  /** Sends `/get` and waits for its answer; the reconciliation itself is queued as the answer arrives. */
  #getShadow(shadow: LockShadowName): Promise<void> {
    const clientToken = `${shadow}-get-${++this.#tokens}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pendingGets.delete(clientToken);
        reject(new Error(`no answer to /get of ${shadow}`));
      }, shadowRequestTimeoutMs);
      this.#pendingGets.set(clientToken, {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.#link
        ?.publish(shadowTopic(this.#thingName, shadow, 'get'), { clientToken })
        .catch((error: Error) => this.#pendingGets.get(clientToken)?.reject(error));
    });
  }

  #onMessage(topic: string, payload: Buffer) {
    const prefix = `$aws/things/${this.#thingName}/shadow/name/`;
    if (!topic.startsWith(prefix)) return;
    const [shadow = '', ...rest] = topic.slice(prefix.length).split('/');
    const kind = rest.join('/');
    let body: Record<string, unknown>;
    try {
      body = asRecord(JSON.parse(payload.toString('utf8')));
    } catch {
      this.#log(`unreadable message on ${topic}`);
      return;
    }
    if (shadow !== lockShadows.accessCodes && shadow !== lockShadows.commands) {
      if (kind === 'update/rejected') this.#log(`${shadow} report rejected: ${body.code} ${body.message}`);
      return;
    }
    switch (kind) {
      case 'get/accepted':
      case 'get/rejected':
        return this.#onGetAnswer(shadow, kind === 'get/accepted', body);
      case 'update/delta':
        return this.#onDelta(shadow, body);
      case 'update/accepted':
        return this.#onUpdateAccepted(shadow, body);
      case 'update/rejected':
        this.#log(`${shadow} report rejected: ${body.code} ${body.message}`);
        return;
    }
  }

  #onGetAnswer(shadow: 'access-codes' | 'commands', accepted: boolean, body: Record<string, unknown>) {
    const pending =
      typeof body.clientToken === 'string' ? this.#pendingGets.get(body.clientToken) : undefined;
    if (pending === undefined) return;
    this.#pendingGets.delete(body.clientToken as string);
    // A shadow that does not exist yet (404) desires nothing.
    if (!accepted && body.code !== 404) {
      pending.reject(new Error(`/get of ${shadow} refused: ${body.code} ${body.message}`));
      return;
    }
    const state = asRecord(body.state);
    const desired = asRecord(state.desired);
    const reported = asRecord(state.reported);
    if (typeof body.version === 'number') this.#versions.set(shadow, body.version);
    this.#reconciled.add(shadow);
    // Queued here, synchronously, so that it runs before any delta received after this answer.
    if (shadow === lockShadows.accessCodes) {
      void this.#serial(() =>
        this.#applyCodes({ desired: desired.codes ?? {}, reported: reported.applied ?? {} }),
      );
    } else {
      void this.#serial(() =>
        this.#applyCommands({ desired: desired.commands ?? {}, reported: reported.results ?? {} }),
      );
    }
    pending.resolve();
  }

  #onDelta(shadow: 'access-codes' | 'commands', body: Record<string, unknown>) {
    // Before this connection's /get answered, the answer covers it; an older version than one seen is stale.
    if (!this.#reconciled.has(shadow)) return;
    if (typeof body.version === 'number') {
      if (body.version < (this.#versions.get(shadow) ?? 0)) return;
      this.#versions.set(shadow, body.version);
    }
    const state = asRecord(body.state);
    if (shadow === lockShadows.accessCodes) {
      if (state.codes !== undefined) void this.#serial(() => this.#applyCodes({ desired: state.codes }));
    } else if (state.commands !== undefined) {
      void this.#serial(() => this.#applyCommands({ desired: state.commands }));
    }
  }

  /** The cloud clearing desired entries (nulls) acknowledges the outcomes the lock reported for them. */
  #onUpdateAccepted(shadow: 'access-codes' | 'commands', body: Record<string, unknown>) {
    if (typeof body.version === 'number') {
      this.#versions.set(shadow, Math.max(body.version, this.#versions.get(shadow) ?? 0));
    }
    const desired = asRecord(asRecord(body.state).desired);
    const entries = asRecord(shadow === lockShadows.accessCodes ? desired.codes : desired.commands);
    const cleared = Object.keys(entries).filter((id) => entries[id] === null);
    if (cleared.length > 0) void this.#serial(() => this.#acknowledged(shadow, cleared));
  }

  #publish(topic: string, message: unknown) {
    if (!this.#canPublish || this.#link === undefined) return;
    this.#link
      .publish(topic, message)
      .catch((error: Error) => this.#log(`publish to ${topic}: ${error.message}`));
  }

  #setNetwork(up: boolean) {
    this.#networkUp = up;
    this.#log(up ? 'network restored' : 'network cut');
    this.#link?.setNetwork(up);
  }

  // ---- access codes ------------------------------------------------------------------------------------------

  /**
   * Applies desired code changes (the whole desired `codes`, from a /get or a delta), removals first, and
   * reports what changed. With `reported` (from a /get) it also makes the reported set match the lock's
   * memory, e.g. after a report was lost with the connection.
   */
  async #applyCodes({ desired, reported }: { desired: unknown; reported?: unknown }) {
    const memory = this.#memory;
    const wanted = asRecord(desired);
    const patch: Record<string, AppliedAccessCode | null> = {};

    // Tombstones whose desired entry the cloud has cleared have been recorded: drop them first.
    for (const codeId of Object.keys(memory.codeOutcomes)) {
      if (!(codeId in wanted)) {
        delete memory.codeOutcomes[codeId];
        patch[codeId] = null;
      }
    }

    const valid: Record<string, DesiredAccessCode> = {};
    for (const [codeId, entry] of Object.entries(wanted)) {
      if (!contractIdSchema.safeParse(codeId).success) {
        this.#log(`ignored a desired code with an invalid id`);
        continue;
      }
      const parsed = desiredAccessCodeSchema.safeParse(entry);
      if (parsed.success) {
        valid[codeId] = parsed.data;
        continue;
      }
      const v = revisionIn(entry);
      const known = memory.codeOutcomes[codeId];
      if (known?.status === 'failed' && known.v >= v) continue;
      patch[codeId] = this.#failCode(codeId, v, 'invalid-entry');
    }

    for (const { codeId, entry } of orderCodeChanges(valid)) {
      const answered = memory.codes[codeId]?.v ?? memory.codeOutcomes[codeId]?.v;
      if (answered !== undefined && answered >= entry.v) continue;
      patch[codeId] =
        entry.op === 'remove' ? this.#removeCode(codeId, entry) : this.#putCode(codeId, entry, patch);
    }

    if (reported !== undefined) {
      const shown = asRecord(reported);
      const truth = this.#appliedSet();
      for (const codeId of Object.keys(shown)) {
        if (!(codeId in truth) && !(codeId in patch)) patch[codeId] = null;
      }
      for (const [codeId, outcome] of Object.entries(truth)) {
        if (!(codeId in patch) && !isDeepStrictEqual(shown[codeId], outcome)) patch[codeId] = outcome;
      }
    }

    if (Object.keys(patch).length === 0) return;
    await this.#storage.save();
    this.#publish(
      shadowTopic(this.#thingName, lockShadows.accessCodes, 'update'),
      accessCodesReport(patch, this.#token('codes')),
    );
    this.#reportState();
  }

  #putCode(
    codeId: string,
    entry: CodePut,
    patch: Record<string, AppliedAccessCode | null>,
  ): AppliedAccessCode {
    const memory = this.#memory;
    if (!this.#keys.some((key) => key.version === entry.key))
      return this.#failCode(codeId, entry.v, 'unknown-key');
    const samePin = Object.entries(memory.codes).some(
      ([otherId, other]) => otherId !== codeId && other.key === entry.key && other.hash === entry.hash,
    );
    if (samePin) return this.#failCode(codeId, entry.v, 'duplicate-pin');
    if (!(codeId in memory.codes) && Object.keys(memory.codes).length >= this.#capacity) {
      const evicted = this.#evictEndedCode();
      if (evicted === undefined) return this.#failCode(codeId, entry.v, 'lock-full');
      patch[evicted.codeId] = evicted.outcome;
    }
    const previous = memory.codes[codeId];
    // A new window for a single-use code already used keeps it used, and so does the same code hashed again
    // under a newer key after a rotation (the cloud never gives a code id another PIN).
    const sameCode = previous !== undefined && (previous.hash === entry.hash || previous.key !== entry.key);
    const used = sameCode && previous?.used !== undefined ? previous.used : undefined;
    memory.codes[codeId] = {
      v: entry.v,
      key: entry.key,
      hash: entry.hash,
      from: entry.from,
      ...(entry.to !== undefined ? { to: entry.to } : {}),
      ...(entry.once ? { once: true as const } : {}),
      ...(used !== undefined ? { used } : {}),
    };
    delete memory.codeOutcomes[codeId];
    this.#log(`code ${codeId} set (revision ${entry.v})`);
    return appliedOf(memory.codes[codeId]);
  }

  #removeCode(codeId: string, entry: CodeRemoval): AppliedAccessCode {
    delete this.#memory.codes[codeId];
    const outcome: AppliedAccessCode = { v: entry.v, status: 'removed' };
    this.#memory.codeOutcomes[codeId] = outcome;
    this.#log(`code ${codeId} removed (revision ${entry.v})`);
    return outcome;
  }

  /** A put that fails leaves no code under its id: an old window must not outlive the change that replaced it. */
  #failCode(codeId: string, v: number, reason: Extract<AppliedAccessCode, { status: 'failed' }>['reason']) {
    delete this.#memory.codes[codeId];
    const outcome: AppliedAccessCode = { v, status: 'failed', reason };
    this.#memory.codeOutcomes[codeId] = outcome;
    this.#log(`code ${codeId} failed: ${reason}`);
    return outcome;
  }

  /** A full lock makes room by dropping the code whose window ended longest ago, and says so. */
  #evictEndedCode(): { codeId: string; outcome: AppliedAccessCode } | undefined {
    const now = this.#nowSeconds();
    const ended = Object.entries(this.#memory.codes)
      .filter(([, code]) => code.to !== undefined && code.to <= now)
      .sort(([, a], [, b]) => (a.to ?? 0) - (b.to ?? 0))[0];
    if (ended === undefined) return undefined;
    const [codeId, code] = ended;
    return { codeId, outcome: this.#removeCode(codeId, { v: code.v, op: 'remove' }) };
  }

  /** What the lock holds, as it reports it. */
  #appliedSet(): Record<string, AppliedAccessCode> {
    const set: Record<string, AppliedAccessCode> = { ...this.#memory.codeOutcomes };
    for (const [codeId, code] of Object.entries(this.#memory.codes)) set[codeId] = appliedOf(code);
    return set;
  }

  async #acknowledged(shadow: 'access-codes' | 'commands', ids: readonly string[]) {
    const memory = this.#memory;
    const patch: Record<string, null> = {};
    for (const id of ids) {
      if (shadow === lockShadows.accessCodes && id in memory.codeOutcomes) {
        delete memory.codeOutcomes[id];
        patch[id] = null;
      }
      if (shadow === lockShadows.commands && id in memory.commandResults) {
        delete memory.commandResults[id];
        patch[id] = null;
      }
    }
    if (Object.keys(patch).length === 0) return;
    await this.#storage.save();
    this.#publish(
      shadowTopic(this.#thingName, shadow, 'update'),
      shadow === lockShadows.accessCodes
        ? accessCodesReport(patch, this.#token('codes'))
        : commandsReport(patch, this.#token('commands')),
    );
  }

  // ---- remote unlock -----------------------------------------------------------------------------------------

  /** Decides every desired command not answered yet, oldest first, and reports each outcome. */
  async #applyCommands({ desired, reported }: { desired: unknown; reported?: unknown }) {
    const memory = this.#memory;
    const wanted = asRecord(desired);
    const now = this.#now();
    const patch: Record<string, CommandResult | null> = {};

    for (const commandId of Object.keys(memory.commandResults)) {
      if (!(commandId in wanted)) {
        delete memory.commandResults[commandId];
        patch[commandId] = null;
      }
    }
    for (const [commandId, until] of Object.entries(memory.executedCommands)) {
      if (until < Math.floor(now / 1000)) delete memory.executedCommands[commandId];
    }

    const issuedAt = (entry: unknown) => Number(asRecord(entry).issuedAt) || 0;
    const entries = Object.entries(wanted).sort(([, a], [, b]) => issuedAt(a) - issuedAt(b));
    const opening: string[] = [];
    for (const [commandId, command] of entries) {
      if (!contractIdSchema.safeParse(commandId).success) {
        this.#log('ignored a desired command with an invalid id');
        continue;
      }
      if (commandId in memory.commandResults) continue;
      const result = this.#decideCommand(commandId, command);
      memory.commandResults[commandId] = result;
      patch[commandId] = result;
      if (result.status === 'succeeded') opening.push(commandId);
    }

    if (reported !== undefined) {
      const shown = asRecord(reported);
      for (const commandId of Object.keys(shown)) {
        if (!(commandId in memory.commandResults) && !(commandId in patch)) patch[commandId] = null;
      }
      for (const [commandId, result] of Object.entries(memory.commandResults)) {
        if (!(commandId in patch) && !isDeepStrictEqual(shown[commandId], result)) patch[commandId] = result;
      }
    }

    if (Object.keys(patch).length === 0) return;
    // One write, before the bolt moves, makes the executed ids durable (a power cut right after cannot make a
    // command executable again) together with the results; the report follows the bolt, the events after it.
    await this.#storage.save();
    if (opening.length > 0) this.#openBolt();
    this.#publish(
      shadowTopic(this.#thingName, lockShadows.commands, 'update'),
      commandsReport(patch, this.#token('commands')),
    );
    for (const commandId of opening) await this.#recordUnlock({ method: 'remote', commandId });
  }

  /** Verifies a command; one that passes is remembered as executed at once (the caller saves before opening). */
  #decideCommand(commandId: string, command: unknown): CommandResult {
    const at = this.#nowSeconds();
    const verdict = verifyUnlockCommand({
      keys: this.#keys,
      thingName: this.#thingName,
      commandId,
      command,
      now: this.#now(),
      wasExecuted: (id) => id in this.#memory.executedCommands,
    });
    if (!verdict.ok) {
      this.#log(`command ${commandId} refused: ${verdict.reason}`);
      return { status: 'failed', reason: verdict.reason, at };
    }
    this.#memory.executedCommands[commandId] = rememberUntil(verdict.command);
    if (this.#memory.battery === 0) {
      this.#log(`command ${commandId} failed: battery depleted`);
      return { status: 'failed', reason: 'battery-depleted', at };
    }
    this.#log(`command ${commandId} executed`);
    return { status: 'succeeded', at };
  }

  // ---- local methods -----------------------------------------------------------------------------------------

  async #enterPin(pin: string): Promise<EntryOutcome> {
    const memory = this.#memory;
    const now = this.#nowSeconds();
    if (!this.#methods.includes('keypad')) throw new Error('This lock has no keypad');
    if (isLockedOut(memory.keypad, now)) return this.#deny({ method: 'keypad', reason: 'locked-out' }, false);
    if (memory.battery === 0) return this.#deny({ method: 'keypad', reason: 'battery-depleted' }, false);

    const pushed = this.#findPushedCode(pin);
    if (pushed !== undefined) {
      const { codeId, code } = pushed;
      const within = code.from <= now && (code.to === undefined || now < code.to);
      if (!within) return this.#deny({ method: 'keypad', reason: 'outside-window', codeId }, true);
      if (code.once && code.used !== undefined) {
        return this.#deny({ method: 'keypad', reason: 'used', codeId }, true);
      }
      this.#log(`keypad: code ${codeId} admitted`);
      if (!code.once) return this.#unlock({ method: 'keypad', codeId });
      // A single-use code is spent by this entry; the cloud learns it from the report and takes it off.
      code.used = now;
      const outcome = await this.#unlock({ method: 'keypad', codeId });
      this.#publish(
        shadowTopic(this.#thingName, lockShadows.accessCodes, 'update'),
        accessCodesReport({ [codeId]: appliedOf(code) }, this.#token('codes')),
      );
      return outcome;
    }

    // A used single-use offline code is forgotten once its window is over: it could not open again anyway.
    memory.usedSingleUseOfflineCodes = memory.usedSingleUseOfflineCodes.filter(
      (spent) => !singleUseCodeOver(spent, now),
    );
    const offline = verifyOfflineCode({
      keys: this.#keys,
      thingName: this.#thingName,
      pinLength: this.#pinLength,
      code: pin,
      now: this.#now(),
      activated: memory.activatedOfflineCodes,
      usedSingleUse: memory.usedSingleUseOfflineCodes,
    });
    if (offline !== undefined) {
      const offlineCode = {
        keyVersion: offline.keyVersion,
        startHour: offline.startHour,
        durationClass: offline.durationClass,
      };
      if (!offline.withinWindow) {
        return this.#deny({ method: 'keypad', reason: 'outside-window', offlineCode }, true);
      }
      if (offline.singleUse) {
        if (!offline.firstUse) return this.#deny({ method: 'keypad', reason: 'used', offlineCode }, true);
        // Remembered on storage before the bolt moves: a power cut cannot give a second use.
        memory.usedSingleUseOfflineCodes.push({ ...offlineCode, usedAt: now });
        await this.#storage.save();
        this.#log(`keypad: single-use offline code admitted (start hour ${offline.startHour})`);
        return this.#unlock({ method: 'offline-code', offlineCode });
      }
      if (offline.firstUse) memory.activatedOfflineCodes.push({ ...offlineCode, firstUsedAt: now });
      this.#log(
        `keypad: offline code admitted (start hour ${offline.startHour}, class ${offline.durationClass})`,
      );
      return this.#unlock({ method: 'offline-code', offlineCode });
    }

    this.#log('keypad: unknown code');
    return this.#deny({ method: 'keypad', reason: 'unknown-code' }, true);
  }

  /** The code typed, by its keyed hash under each key the lock holds; the PIN itself is never kept. */
  #findPushedCode(pin: string): { codeId: string; code: StoredCode } | undefined {
    if (pin.length !== this.#pinLength || !/^\d+$/.test(pin)) return undefined;
    for (const key of this.#keys) {
      const hash = hashPin({ key, thingName: this.#thingName, pin });
      for (const [codeId, code] of Object.entries(this.#memory.codes)) {
        if (code.key === key.version && constantTimeEquals(code.hash, hash)) return { codeId, code };
      }
    }
    return undefined;
  }

  async #presentCredential(method: EnrolledCredential['method'], id: string): Promise<EntryOutcome> {
    if (!this.#methods.includes(method)) throw new Error(`This lock has no ${method} reader`);
    if (this.#memory.battery === 0) return this.#deny({ method, reason: 'battery-depleted' }, false);
    const enrolled = (this.#options.credentials ?? []).some(
      (credential) => credential.method === method && credential.id === id,
    );
    if (!enrolled) {
      // A card's UID identifies the card; an unknown finger or face has no id worth keeping.
      return this.#deny(
        { method, reason: 'unknown-credential', ...(method === 'rfid' ? { credentialId: id } : {}) },
        false,
      );
    }
    this.#log(`${method}: ${id} admitted`);
    return this.#unlock({ method, credentialId: id });
  }

  /** A mechanical key needs no battery and no memory: it always opens, and the lock reports it. */
  async #turnKey(): Promise<EntryOutcome> {
    if (!this.#methods.includes('key')) throw new Error('This lock has no key cylinder');
    this.#log('mechanical key turned');
    return this.#unlock({ method: 'key' });
  }

  async #deny(
    denial: {
      method: 'keypad' | 'fingerprint' | 'rfid' | 'face';
      reason: DeniedReason;
      codeId?: string;
      credentialId?: string;
      offlineCode?: { keyVersion: number; startHour: number; durationClass: number };
    },
    countsAsWrongEntry: boolean,
  ): Promise<EntryOutcome> {
    const events: NewLockEvent[] = [{ type: 'access-denied', ...denial }];
    if (countsAsWrongEntry) {
      const { state, lockout } = afterWrongEntry(this.#memory.keypad, this.#nowSeconds());
      this.#memory.keypad = state;
      if (lockout) {
        this.#log(`keypad locked out for ${lockout.seconds} s`);
        events.push({ type: 'keypad-locked-out', until: lockout.until, lockouts: state.lockouts });
      }
    }
    await this.#commit(...events);
    this.#reportState();
    return {
      admitted: false,
      reason: denial.reason,
      ...(denial.codeId !== undefined ? { codeId: denial.codeId } : {}),
    };
  }

  // ---- the bolt ----------------------------------------------------------------------------------------------

  async #unlock(attribution: UnlockAttribution): Promise<EntryOutcome> {
    this.#openBolt();
    await this.#recordUnlock(attribution);
    return { admitted: true, ...attribution };
  }

  /** Retracts the bolt and arms the relock; someone entitled opened, so the keypad lockout starts over. */
  #openBolt() {
    this.#memory.keypad = afterRightEntry();
    this.#bolt = 'unlocked';
    this.#relockWhenClosed = false;
    clearTimeout(this.#relockTimer);
    this.#relockTimer = setTimeout(
      () => void this.#serial(() => this.#relock('auto-relock')),
      this.#options.autoRelockMs ?? 5_000,
    );
  }

  async #recordUnlock(attribution: UnlockAttribution) {
    await this.#commit({ type: 'unlocked', ...attribution } as NewLockEvent);
    this.#reportState();
  }

  async #relock(reason: 'auto-relock' | 'manual') {
    clearTimeout(this.#relockTimer);
    this.#relockTimer = undefined;
    if (this.#bolt === 'locked') return;
    // The bolt cannot go out into an open door: it waits for the door to close.
    if (this.#door === 'open' && this.#hasDoorSensor()) {
      this.#relockWhenClosed = true;
      return;
    }
    this.#bolt = 'locked';
    this.#relockWhenClosed = false;
    await this.#commit({ type: 'locked', reason });
    this.#reportState();
  }

  #hasDoorSensor() {
    return this.#options.doorSensor ?? true;
  }

  async #setDoor(open: boolean) {
    if (!this.#hasDoorSensor()) throw new Error('This lock has no door sensor');
    const door = open ? 'open' : 'closed';
    if (this.#door === door) return;
    this.#door = door;
    await this.#commit({ type: 'door', door });
    this.#reportState();
    if (!open && this.#relockWhenClosed) await this.#relock('auto-relock');
  }

  async #setBattery(percent: number) {
    if (!Number.isInteger(percent) || percent < 0 || percent > 100) throw new Error('Battery is 0-100 %');
    const before = this.#memory.battery;
    this.#memory.battery = percent;
    if (percent <= lowBatteryPercent && before > lowBatteryPercent)
      await this.#commit({ type: 'battery-low', percent });
    else await this.#storage.save();
    this.#reportState();
  }

  // ---- reports and events ------------------------------------------------------------------------------------

  #stateReported(): LockStateReported {
    const memory = this.#memory;
    const now = this.#nowSeconds();
    return {
      contract: deviceContractVersion,
      firmware: this.#options.firmwareVersion ?? '1.0.0',
      connectivity: this.#connectivity,
      bolt: this.#bolt,
      door: this.#hasDoorSensor() ? this.#door : 'no-sensor',
      battery: memory.battery,
      pinLength: this.#pinLength,
      capacity: this.#capacity,
      codes: Object.keys(memory.codes).length,
      keyVersions: this.#keys.map((key) => key.version),
      keypad: {
        wrongEntries: memory.keypad.wrongEntries,
        lockedOutUntil: isLockedOut(memory.keypad, now) ? memory.keypad.lockedOutUntil : 0,
      },
      methods: [...this.#methods],
      clock: now,
    };
  }

  /** The whole state, checked against the contract before it leaves the lock. */
  #reportState() {
    if (!this.#canPublish) return;
    this.#publish(
      shadowTopic(this.#thingName, lockShadows.state, 'update'),
      lockStateReportUpdateSchema.parse({
        state: { reported: this.#stateReported() },
        clientToken: this.#token('state'),
      }),
    );
  }

  /** Stamps and stores events, then sends them if the lock is online. */
  async #commit(...events: NewLockEvent[]) {
    const memory = this.#memory;
    for (const event of events) {
      const stamped = {
        ...event,
        id: randomBytes(12).toString('base64url'),
        seq: memory.events.nextSeq,
        at: this.#nowSeconds(),
      } as LockEvent;
      memory.events.nextSeq += 1;
      memory.events.outbox.push(stamped);
      this.#recentEvents.push(stamped);
    }
    // A lock that stays offline keeps its newest events.
    if (memory.events.outbox.length > maxOutboxEvents)
      memory.events.outbox.splice(0, memory.events.outbox.length - maxOutboxEvents);
    this.#recentEvents.splice(0, Math.max(0, this.#recentEvents.length - 50));
    await this.#storage.save();
    void this.#flushEvents();
  }

  /** Sends the outbox, oldest first; an event leaves it only once the broker has acknowledged it. */
  async #flushEvents() {
    if (this.#flushing || !this.#canPublish || this.#link === undefined) return;
    this.#flushing = true;
    const memory = this.#memory;
    try {
      while (this.#canPublish && memory.events.outbox.length > 0) {
        const batch = memory.events.outbox.slice(0, maxEventsPerMessage);
        const message = lockEventsMessageSchema.parse({ contract: deviceContractVersion, events: batch });
        await this.#link.publish(lockEventsTopic(this.#thingName), message);
        const sent = new Set(batch.map((event) => event.id));
        memory.events.outbox = memory.events.outbox.filter((event) => !sent.has(event.id));
        await this.#storage.save();
      }
    } catch (error) {
      this.#log(`events not sent yet: ${(error as Error).message}`);
    } finally {
      this.#flushing = false;
    }
  }

  #token(kind: string) {
    return `${kind}-${++this.#tokens}`;
  }

  #snapshot(): LockSnapshot {
    const memory = this.#memory;
    return {
      thingName: this.#thingName,
      connectivity: this.#connectivity,
      online: this.#online,
      network: this.#networkUp ? 'up' : 'cut',
      state: this.#stateReported(),
      codes: Object.entries(memory.codes).map(([codeId, { v, from, to, once, used }]) => ({
        codeId,
        v,
        from,
        ...(to !== undefined ? { to } : {}),
        ...(once ? { once } : {}),
        ...(used !== undefined ? { used } : {}),
      })),
      activatedOfflineCodes: memory.activatedOfflineCodes.length,
      pendingEvents: memory.events.outbox.length,
      recentEvents: [...this.#recentEvents],
    };
  }

  async #stop() {
    clearTimeout(this.#relockTimer);
    if (this.#control) {
      const { server } = this.#control;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
    this.#canPublish = false;
    await this.#link?.stop();
    await this.#serial(() => this.#storage.save());
  }
}

function appliedOf(code: StoredCode): AppliedAccessCode {
  return { v: code.v, status: 'set', ...(code.used !== undefined ? { used: code.used } : {}) };
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** The revision of an entry that did not parse, if it has a readable one; 0 otherwise. */
function revisionIn(entry: unknown): number {
  const v = asRecord(entry).v;
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 2_147_483_647 ? v : 0;
}
