/** Lambda entry of the host API's team area. The team: invite, change role and properties, remove. */
import { hostApiHandler } from '#functions/commons/host-api.ts';
import { hostServices } from '#functions/commons/ports.ts';
import { teamRoutes } from './api/team.ts';

export const handler = hostApiHandler({ routes: teamRoutes, services: hostServices() });
