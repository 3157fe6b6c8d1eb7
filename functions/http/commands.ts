/** Lambda entry of remote unlock: asking a lock to open, and reading how the command went. */
import { hostApiHandler } from '#functions/commons/host-api.ts';
import { hostServices } from '#functions/commons/ports.ts';
import { commandRoutes } from './api/commands.ts';
import { unlockPorts } from './api/commands-services.ts';

export const handler = hostApiHandler({ routes: commandRoutes({ unlockPorts }), services: hostServices() });
