/**
 * Lambda entry of the host API's bookings area. Bookings entered by hand, with the grants and codes that follow
 * them, and sending a guest's email again.
 */
import { guestEmailPorts, guestEmailWork } from '#functions/commons/guest-services.ts';
import { hostApiHandler } from '#functions/commons/host-api.ts';
import { hostServices } from '#functions/commons/ports.ts';
import { codeWork } from '#functions/devices/code-work.ts';
import { bookingRoutesWith } from './api/bookings.ts';

export const handler = hostApiHandler({
  routes: bookingRoutesWith({ codeWork, guestEmails: guestEmailWork, guestEmailSending: guestEmailPorts }),
  services: hostServices(),
});
