/** Lambda entry of the host API's properties area. Properties: list, create, read and change. */
import { hostApiHandler } from '#functions/commons/host-api.ts';
import { hostServices } from '#functions/commons/ports.ts';
import { propertyRoutes } from './api/properties.ts';

export const handler = hostApiHandler({ routes: propertyRoutes, services: hostServices() });
