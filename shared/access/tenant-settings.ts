/**
 * The settings a business (tenant) keeps for its locks: the oldest firmware it accepts on them, and how far ahead
 * of a check-in a lock going offline is worth an alert. Owners change them; owners and managers see them. Every
 * change is audited. A tenant that never set anything has the defaults.
 */
import semver from 'semver';
import { z } from 'zod';
import type { AuditEvent } from '#shared/domain/audit.ts';
import type { IsoInstant } from '#shared/domain/local-time.ts';
import { beginOperation } from '#shared/domain/operations/operation.ts';
import { assertMayAttempt, authorize } from '#shared/domain/permissions.ts';
import type { DomainPorts } from '#shared/domain/ports/domain-ports.ts';
import type { Principal } from '#shared/domain/team.ts';
import { parseInput } from '#shared/domain/validation.ts';

/** A firmware version as locks report it (`state.firmware`): semantic, `1.4.2` or `2.0.0-rc.1`. */
export const firmwareVersionSchema = z
  .string()
  .trim()
  .max(64)
  .refine((value) => semver.valid(value) !== null, 'A firmware version is semantic: 1.4.2')
  .meta({ example: '1.4.2' });

export const offlineAlertHoursRange = { min: 1, max: 168, default: 24 } as const;

export interface TenantSettings {
  /** Locks reporting an older firmware are reported to the owners (once per version); null: no minimum. */
  readonly minimumFirmwareVersion: string | null;
  /** A lock that goes offline with a guest's access starting within this many hours is reported. */
  readonly offlineAlertHours: number;
  readonly version: number;
  readonly updatedAt: IsoInstant | null;
}

export const defaultTenantSettings: TenantSettings = {
  minimumFirmwareVersion: null,
  offlineAlertHours: offlineAlertHoursRange.default,
  version: 0,
  updatedAt: null,
};

export const updateTenantSettingsInputSchema = z
  .strictObject({
    minimumFirmwareVersion: firmwareVersionSchema
      .nullable()
      .optional()
      .describe('The oldest firmware accepted on the locks; null for none'),
    offlineAlertHours: z
      .int()
      .min(offlineAlertHoursRange.min)
      .max(offlineAlertHoursRange.max)
      .optional()
      .describe('Alert when a lock goes offline this many hours or less before a guest’s access starts'),
  })
  .refine((input) => Object.keys(input).length > 0, 'Name at least one setting to change')
  .meta({ id: 'TenantSettingsChange' });
export type UpdateTenantSettingsInput = z.input<typeof updateTenantSettingsInputSchema>;

export const tenantSettingsSchema = z
  .object({
    minimumFirmwareVersion: z.string().nullable(),
    offlineAlertHours: z.int(),
    version: z.int().meta({ description: '0 until first changed, +1 on every change' }),
    updatedAt: z.string().nullable(),
  })
  .meta({ id: 'TenantSettings' });

export interface TenantSettingsStore {
  /** The stored settings, or undefined when the tenant never changed any. */
  get(options: { tenantId: string }): Promise<TenantSettings | undefined>;
  /**
   * Stores the settings with their audit events if the stored version is still `expectedVersion` (0: none
   * stored); false when someone changed them meanwhile.
   */
  put(options: {
    tenantId: string;
    settings: TenantSettings;
    expectedVersion: number;
    auditEvents: readonly AuditEvent[];
  }): Promise<boolean>;
}

export async function settingsOf({
  settings,
  tenantId,
}: {
  settings: Pick<TenantSettingsStore, 'get'>;
  tenantId: string;
}): Promise<TenantSettings> {
  return (await settings.get({ tenantId })) ?? defaultTenantSettings;
}

export async function getTenantSettings({
  settings,
  principal,
}: {
  settings: Pick<TenantSettingsStore, 'get'>;
  principal: Principal;
}): Promise<TenantSettings> {
  authorize({ principal, action: 'settings.read', resource: { tenantId: principal.tenantId } });
  return settingsOf({ settings, tenantId: principal.tenantId });
}

/** Changes the named settings; a concurrent change is retried on top of it (each names only its own fields). */
export async function updateTenantSettings({
  ports,
  settings,
  principal,
  input,
}: {
  ports: Pick<DomainPorts, 'clock' | 'ids'>;
  settings: TenantSettingsStore;
  principal: Principal;
  input: unknown;
}): Promise<TenantSettings> {
  assertMayAttempt({ principal, action: 'settings.update' });
  authorize({ principal, action: 'settings.update', resource: { tenantId: principal.tenantId } });
  const change = parseInput({ schema: updateTenantSettingsInputSchema, input, what: 'settings change' });
  for (let attempt = 0; ; attempt += 1) {
    const { at, audit } = beginOperation({ ports, principal });
    const current = await settingsOf({ settings, tenantId: principal.tenantId });
    const next: TenantSettings = {
      minimumFirmwareVersion:
        change.minimumFirmwareVersion === undefined
          ? current.minimumFirmwareVersion
          : change.minimumFirmwareVersion,
      offlineAlertHours: change.offlineAlertHours ?? current.offlineAlertHours,
      version: current.version + 1,
      updatedAt: at,
    };
    audit.record({
      action: 'settings.updated',
      target: { kind: 'tenant', id: principal.tenantId },
      details: { ...change },
    });
    const stored = await settings.put({
      tenantId: principal.tenantId,
      settings: next,
      expectedVersion: current.version,
      auditEvents: audit.events,
    });
    if (stored) return next;
    if (attempt >= 2) throw new Error('The settings kept changing meanwhile; try again');
  }
}

/** Whether a lock's reported firmware is older than the tenant's minimum (never, without a minimum). */
export function firmwareBelowMinimum({
  firmware,
  minimum,
}: {
  firmware: string | undefined;
  minimum: string | null;
}): boolean {
  if (minimum === null || firmware === undefined) return false;
  const reported = semver.valid(firmware);
  const oldest = semver.valid(minimum);
  return reported !== null && oldest !== null && semver.lt(reported, oldest);
}
