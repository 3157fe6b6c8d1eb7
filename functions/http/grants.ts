/** Lambda entry of the host API's grants area. Grants: read with codes, issue ad-hoc ones, revoke. */
import { hostApiHandler } from '#functions/commons/host-api.ts';
import { hostServices } from '#functions/commons/ports.ts';
import { codeWork } from '#functions/devices/code-work.ts';
import { grantRoutesWith } from './api/grants.ts';

export const handler = hostApiHandler({ routes: grantRoutesWith({ codeWork }), services: hostServices() });
