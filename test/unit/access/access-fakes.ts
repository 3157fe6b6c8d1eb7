/**
 * In-memory stand-ins for the door-access ports (shadows as IoT Core merges them, keys, things, lock
 * condition), and the state reports locks send.
 */

import type { DeviceEventPorts } from '#shared/access/device-events.ts';
import type {
  DeviceKeys,
  IotShadowGateway,
  LockCondition,
  LockConditionStore,
  ShadowDocument,
  ThingDirectory,
} from '#shared/access/ports.ts';
import type { TenantSettings, TenantSettingsStore } from '#shared/access/tenant-settings.ts';
import type { DeviceKey } from '#shared/devices/device-key.ts';
import type { AuditEvent } from '#shared/domain/audit.ts';
import type { TestWorld } from '../domain/fakes.ts';

export const deviceKey: DeviceKey = { version: 1, secret: new Uint8Array(32).fill(7) };

type Section = Record<string, unknown>;

/** Merges like IoT Core: objects merge, null deletes; each update bumps the version. */
function merge(target: Section, patch: Section): Section {
  const out: Section = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else if (typeof value === 'object' && !Array.isArray(value)) {
      out[key] = merge((out[key] as Section | undefined) ?? {}, value as Section);
    } else out[key] = value;
  }
  return out;
}

export class FakeShadows implements IotShadowGateway {
  readonly updates: { thingName: string; shadowName: string; document: unknown }[] = [];
  readonly shadows = new Map<string, { desired: Section; reported: Section; version: number }>();

  async updateShadow(update: { thingName: string; shadowName: string; document: unknown }) {
    this.updates.push(update);
    const key = `${update.thingName}/${update.shadowName}`;
    const held = this.shadows.get(key) ?? { desired: {}, reported: {}, version: 0 };
    const state = (update.document as { state: { desired?: Section; reported?: Section } }).state;
    this.shadows.set(key, {
      desired: state.desired ? merge(held.desired, state.desired) : held.desired,
      reported: state.reported ? merge(held.reported, state.reported) : held.reported,
      version: held.version + 1,
    });
  }

  async getShadow({ thingName, shadowName }: { thingName: string; shadowName: string }) {
    const held = this.shadows.get(`${thingName}/${shadowName}`);
    return (
      held &&
      ({ state: { desired: held.desired, reported: held.reported }, version: held.version } as ShadowDocument)
    );
  }

  /** The desired `codes` of a lock's access-codes shadow. */
  desiredCodes(thingName: string): Record<string, { v: number; op: string }> {
    return (this.shadows.get(`${thingName}/access-codes`)?.desired.codes ?? {}) as Record<
      string,
      { v: number; op: string }
    >;
  }
}

export class FakeDeviceKeys implements DeviceKeys {
  async load({ keyVersion }: { keyVersion: number }) {
    return keyVersion === deviceKey.version ? deviceKey : undefined;
  }
}

export class FakeThings implements ThingDirectory {
  async findLock({ thingName }: { thingName: string }) {
    const match = /^lockstay-(.+)$/.exec(thingName);
    return match?.[1] === undefined ? undefined : { tenantId: 'tnt_a', lockId: match[1] };
  }
}

export class FakeConditions implements LockConditionStore {
  readonly conditions = new Map<string, LockCondition & { connectionAt?: string; stateVersion?: number }>();
  readonly seenEvents = new Set<string>();
  readonly audit: AuditEvent[] = [];

  async get({ lockId }: { tenantId: string; lockId: string }) {
    return this.conditions.get(lockId);
  }
  async recordConnection({
    lockId,
    online,
    since,
  }: {
    tenantId: string;
    lockId: string;
    online: boolean;
    since: string;
  }) {
    const held = this.conditions.get(lockId) ?? {};
    if (held.connectionAt !== undefined && held.connectionAt >= since) return false;
    this.conditions.set(lockId, { ...held, connection: { online, since }, connectionAt: since });
    return true;
  }
  async recordState({
    lockId,
    reportedAt,
    shadowVersion,
    state,
  }: {
    tenantId: string;
    lockId: string;
    reportedAt: string;
    shadowVersion: number;
    state: Omit<LockCondition, 'connection' | 'reportedAt'>;
  }) {
    const held = this.conditions.get(lockId) ?? {};
    if (held.stateVersion !== undefined && held.stateVersion >= shadowVersion) return false;
    this.conditions.set(lockId, { ...held, ...state, reportedAt, stateVersion: shadowVersion });
    return true;
  }
  async hasEvent({ lockId, eventId }: { tenantId: string; lockId: string; eventId: string }) {
    return this.seenEvents.has(`${lockId}/${eventId}`);
  }
  async recordEventOnce({
    lockId,
    eventId,
    auditEvents,
  }: {
    tenantId: string;
    lockId: string;
    eventId: string;
    auditEvents: readonly AuditEvent[];
  }) {
    const key = `${lockId}/${eventId}`;
    if (this.seenEvents.has(key)) return false;
    this.seenEvents.add(key);
    this.audit.push(...auditEvents);
    return true;
  }
}

/** A tenant's settings in memory, versioned as the table keeps them. */
export class FakeTenantSettings implements TenantSettingsStore {
  readonly stored = new Map<string, TenantSettings>();
  readonly audit: AuditEvent[] = [];

  async get({ tenantId }: { tenantId: string }) {
    return this.stored.get(tenantId);
  }
  async put({
    tenantId,
    settings,
    expectedVersion,
    auditEvents,
  }: {
    tenantId: string;
    settings: TenantSettings;
    expectedVersion: number;
    auditEvents: readonly AuditEvent[];
  }) {
    if ((this.stored.get(tenantId)?.version ?? 0) !== expectedVersion) return false;
    this.stored.set(tenantId, settings);
    this.audit.push(...auditEvents);
    return true;
  }
}

/**
 * What the device-event handler and the code pushes take, over a test world: in-memory shadows, keys, things,
 * tenant settings and lock conditions, any of which a test brings itself to look into.
 */
export function deviceEventPortsFor(
  world: TestWorld,
  own: Partial<Pick<DeviceEventPorts, 'shadows' | 'deviceKeys' | 'things' | 'settings' | 'conditions'>> = {},
): DeviceEventPorts {
  return {
    ...world.ports,
    shadows: new FakeShadows(),
    deviceKeys: new FakeDeviceKeys(),
    things: new FakeThings(),
    settings: new FakeTenantSettings(),
    conditions: new FakeConditions(),
    ...own,
  };
}

/**
 * A report of a lock's `state` shadow as the device contract has it: a Wi-Fi lock, locked and closed, 90 %
 * battery, firmware 1.0.0, no codes held, trusting key 1; `reported` overrides what a test is about.
 */
export function stateShadowReport({
  thingName,
  version,
  timestamp = 1_792_000_000 + version,
  reported = {},
}: {
  thingName: string;
  version: number;
  timestamp?: number;
  reported?: Record<string, unknown>;
}) {
  return {
    thingName,
    shadowName: 'state',
    timestamp,
    current: {
      version,
      state: {
        reported: {
          contract: 1,
          firmware: '1.0.0',
          connectivity: 'wifi',
          bolt: 'locked',
          door: 'closed',
          battery: 90,
          pinLength: 6,
          capacity: 20,
          codes: 0,
          keyVersions: [1],
          keypad: { wrongEntries: 0, lockedOutUntil: 0 },
          methods: ['keypad'],
          clock: 1_792_000_000,
          ...reported,
        },
      },
    },
  };
}
