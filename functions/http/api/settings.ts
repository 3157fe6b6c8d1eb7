/**
 * The business's lock settings: the oldest firmware it accepts and the offline alert's horizon (owners change
 * them). Raising the minimum reports at once the locks already known to run older firmware.
 */
import { z } from 'zod';
import type { HostRoutes } from '#functions/commons/host-api.ts';
import { alertLocksWithOutdatedFirmware } from '#shared/access/lock-alerts.ts';
import type { LockConditionStore } from '#shared/access/ports.ts';
import {
  getTenantSettings,
  type TenantSettingsStore,
  updateTenantSettings,
} from '#shared/access/tenant-settings.ts';
import { json } from '#shared/http/middleware.ts';
import { parseJsonBody } from '#shared/http/request.ts';

export interface SettingsServices {
  readonly settings: TenantSettingsStore;
  /** The locks' reported condition (their firmware) and the alert markers kept beside it. */
  readonly conditions: Pick<LockConditionStore, 'get' | 'recordEventOnce'>;
}

export const settingsRoutes = ({ services }: { services: () => SettingsServices }): HostRoutes => ({
  'GET /settings': async ({ principal }) =>
    json(200, await getTenantSettings({ settings: services().settings, principal })),

  'PATCH /settings': async ({ event, principal, ports }) => {
    const input = parseJsonBody(event, z.unknown());
    const { settings, conditions } = services();
    const before = await getTenantSettings({ settings, principal }).catch(() => undefined);
    const changed = await updateTenantSettings({ ports, settings, principal, input });
    if (changed.minimumFirmwareVersion !== before?.minimumFirmwareVersion) {
      await alertLocksWithOutdatedFirmware({
        ports: { ...ports, conditions },
        tenantId: principal.tenantId,
        minimumFirmwareVersion: changed.minimumFirmwareVersion,
      });
    }
    return json(200, changed);
  },
});
