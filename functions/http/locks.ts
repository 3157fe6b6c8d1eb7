/** Lambda entry of the host API's locks area. Locks: register (installer bundle once), list, read, rotate credentials. */
import { hostApiHandler } from '#functions/commons/host-api.ts';
import { hostServices } from '#functions/commons/ports.ts';
import { lockRoutes } from './api/locks.ts';

export const handler = hostApiHandler({ routes: lockRoutes, services: hostServices() });
