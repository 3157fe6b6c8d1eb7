/** Lambda entry of the host API's audit area. The audit log per tenant, property or lock. */
import { hostApiHandler } from '#functions/commons/host-api.ts';
import { hostServices } from '#functions/commons/ports.ts';
import { auditRoutes } from './api/audit.ts';

export const handler = hostApiHandler({ routes: auditRoutes, services: hostServices() });
