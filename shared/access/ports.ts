/**
 * Ports of the door-access side (codes onto locks, device events), owned here and implemented by adapters:
 * the locks' IoT shadows, their device keys, the tenantless thing-name lookup, and what the cloud keeps of a
 * lock's reported condition and events. The domain's own ports (repositories, committer, notifier) come with
 * `DomainPorts`.
 */

import type { DeviceKey } from '#shared/devices/device-key.ts';
import type { AuditEvent } from '#shared/domain/audit.ts';
import type { IsoInstant } from '#shared/domain/local-time.ts';

export interface ShadowDocument {
  readonly state: { readonly desired?: unknown; readonly reported?: unknown; readonly delta?: unknown };
  readonly version: number;
}

/** A lock's named shadows in IoT Core (UpdateThingShadow / GetThingShadow of the IoT data plane). */
export interface IotShadowGateway {
  updateShadow(options: { thingName: string; shadowName: string; document: unknown }): Promise<void>;
  /** The shadow, or undefined when it does not exist yet. */
  getShadow(options: { thingName: string; shadowName: string }): Promise<ShadowDocument | undefined>;
}

/** The unsealed device keys of a lock (never logged, never stored in plaintext). */
export interface DeviceKeys {
  load(options: { tenantId: string; lockId: string; keyVersion: number }): Promise<DeviceKey | undefined>;
}

/** Which tenant's lock a thing is: device events name only the thing. */
export interface ThingDirectory {
  findLock(options: { thingName: string }): Promise<{ tenantId: string; lockId: string } | undefined>;
}

/** What a lock last said about itself; each part only moves forward in time. */
export interface LockCondition {
  readonly connection?: { readonly online: boolean; readonly since: IsoInstant } | undefined;
  readonly bolt?: 'locked' | 'unlocked' | undefined;
  readonly door?: 'open' | 'closed' | 'no-sensor' | undefined;
  readonly battery?: number | undefined;
  readonly firmware?: string | undefined;
  readonly keypadLockedOutUntil?: IsoInstant | null | undefined;
  /** The device key versions the lock holds, as it last reported them. */
  readonly keyVersions?: readonly number[] | undefined;
  /** The instant of the state report these fields come from. */
  readonly reportedAt?: IsoInstant | undefined;
}

export interface LockConditionStore {
  get(options: { tenantId: string; lockId: string }): Promise<LockCondition | undefined>;
  /**
   * Records a connection change unless a later one is already recorded (presence events may arrive out of
   * order); true when it was recorded.
   */
  recordConnection(options: {
    tenantId: string;
    lockId: string;
    online: boolean;
    since: IsoInstant;
  }): Promise<boolean>;
  /** Records a state report unless a later one (by shadow version) is recorded; true when it was recorded. */
  recordState(options: {
    tenantId: string;
    lockId: string;
    reportedAt: IsoInstant;
    /** The `state` shadow's version of the report, which orders reports made within one second. */
    shadowVersion: number;
    state: Omit<LockCondition, 'connection' | 'reportedAt'>;
  }): Promise<boolean>;
  /** Whether a lock event id (or an alert's or a retirement's marker) was recorded. */
  hasEvent(options: { tenantId: string; lockId: string; eventId: string }): Promise<boolean>;
  /**
   * Records a lock event with its audit events, once per event id: false (and nothing written) when the id was
   * recorded before.
   */
  recordEventOnce(options: {
    tenantId: string;
    lockId: string;
    eventId: string;
    auditEvents: readonly AuditEvent[];
  }): Promise<boolean>;
}
