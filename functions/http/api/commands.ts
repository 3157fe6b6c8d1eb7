/**
 * Remote unlock over HTTP: `POST /locks/{lockId}/unlock` asks the lock to open (202 with the command, once per
 * Idempotency-Key) and `GET /commands/{commandId}` tells how it went, optionally waiting up to 10 s for it.
 */
import type { HostRoutes } from '#functions/commons/host-api.ts';
import { idempotencyKeyHeader } from '#functions/commons/idempotency.ts';
import {
  commandPathSchema,
  commandWaitQuerySchema,
  getUnlockCommand,
  requestUnlock,
  type UnlockCommandPorts,
  unlockRequestSchema,
  viewOfCommand,
} from '#shared/access/unlock-commands.ts';
import { json } from '#shared/http/middleware.ts';
import { lockPathSchema } from '#shared/http/parameters.ts';
import { parseJsonBody, parsePathParameters, parseQuery } from '#shared/http/request.ts';

export function commandRoutes({ unlockPorts }: { unlockPorts: () => UnlockCommandPorts }): HostRoutes {
  return {
    'POST /locks/{lockId}/unlock': async ({ event, principal, createOnce }) => {
      const { lockId } = parsePathParameters(event, lockPathSchema);
      const { note } = event.body ? parseJsonBody(event, unlockRequestSchema) : {};
      return createOnce(async () => {
        const ports = unlockPorts();
        const { command } = await requestUnlock({
          ports,
          principal,
          lockId,
          idempotencyKey: event.headers?.[idempotencyKeyHeader],
          note,
        });
        const { id, status } = viewOfCommand({ command, now: ports.clock.now() });
        return json(202, { id, status }, { location: `/commands/${id}` });
      });
    },

    'GET /commands/{commandId}': async ({ event, principal, ports }) => {
      const { commandId } = parsePathParameters(event, commandPathSchema);
      const { wait } = parseQuery(event, commandWaitQuerySchema);
      return json(200, await getUnlockCommand({ ports, principal, commandId, waitSeconds: wait ?? 0 }));
    },
  };
}
