/** The business's lock settings: the oldest firmware it accepts and the offline alert's horizon (owners change them). */

import { z } from 'zod';
import type { HostRoutes } from '#functions/commons/host-api.ts';
import {
  getTenantSettings,
  type TenantSettingsStore,
  updateTenantSettings,
} from '#shared/access/tenant-settings.ts';
import { json } from '#shared/http/middleware.ts';
import { parseJsonBody } from '#shared/http/request.ts';

export const settingsRoutes = ({ settings }: { settings: () => TenantSettingsStore }): HostRoutes => ({
  'GET /settings': async ({ principal }) =>
    json(200, await getTenantSettings({ settings: settings(), principal })),

  'PATCH /settings': async ({ event, principal, ports }) => {
    const input = parseJsonBody(event, z.unknown());
    return json(200, await updateTenantSettings({ ports, settings: settings(), principal, input }));
  },
});
