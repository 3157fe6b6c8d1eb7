/**
 * The HTTP API's route table. The CDK stack adds exactly these routes to the HTTP API, the local gateway serves
 * exactly these, and the OpenAPI document at `/openapi.json` is generated from them, so a route cannot exist in
 * one and not the others. Each route documents its inputs and answers with the zod schemas its handler parses
 * and returns.
 */
import { type ZodType, z } from 'zod';
import { fleetRotationInputSchema, fleetRotationResultSchema } from '#shared/access/credential-rotation.ts';
import { tenantSettingsSchema, updateTenantSettingsInputSchema } from '#shared/access/tenant-settings.ts';
import {
  commandPathSchema,
  commandWaitQuerySchema,
  unlockCommandViewSchema,
  unlockRequestSchema,
} from '#shared/access/unlock-commands.ts';
import {
  cancelBookingInputSchema,
  createBookingInputSchema,
  modifyBookingInputSchema,
} from '#shared/domain/booking.ts';
import { issueGrantInputSchema, revokeGrantInputSchema } from '#shared/domain/grant.ts';
import { registerLockInputSchema } from '#shared/domain/lock.ts';
import { createPropertyInputSchema, updatePropertyInputSchema } from '#shared/domain/property.ts';
import { inviteTeamMemberInputSchema } from '#shared/domain/team.ts';
import { resentGuestEmailSchema } from '#shared/guests/resend-guest-email.ts';
import { healthReportSchema } from '#shared/health.ts';
import { callerSchema } from '#shared/http/caller.ts';
import {
  auditQuerySchema,
  bookingListQuerySchema,
  bookingPathSchema,
  grantListQuerySchema,
  grantPathSchema,
  lockListQuerySchema,
  lockPathSchema,
  pageQuerySchema,
  propertyPathSchema,
  teamMemberChangeSchema,
  userPathSchema,
} from '#shared/http/parameters.ts';
import {
  auditEventSchema,
  bookingDetailSchema,
  bookingResultSchema,
  bookingSchema,
  grantDetailSchema,
  grantResultSchema,
  grantSchema,
  grantViewSchema,
  installerBundleSchema,
  lockRegistrationSchema,
  lockSchema,
  lockViewSchema,
  pageOf,
  propertySchema,
  teamChangeSchema,
  teamMemberSchema,
} from '#shared/http/resources.ts';
import { genericWebhookEventSchema } from '#shared/integrations/generic-webhook.ts';
import { guestyWebhookSchema } from '#shared/integrations/guesty.ts';
import { hostawayWebhookSchema } from '#shared/integrations/hostaway.ts';
import {
  createIntegrationInputSchema,
  deliveryListQuerySchema,
  deliveryPathSchema,
  deliveryViewSchema,
  integrationPathSchema,
  integrationViewSchema,
  integrationWithSecretSchema,
  listingMappingInputSchema,
  rotateSecretInputSchema,
  webhookAcceptedSchema,
} from '#shared/integrations/integration.ts';
import {
  externalListingSchema,
  propertyListingsInputSchema,
  propertyListingsSchema,
} from '#shared/integrations/property-listings.ts';
import { todayQuerySchema, todaySummarySchema } from '#shared/overview/today.ts';
import type { FunctionName } from './functions.ts';
import { guestRoutes } from './guest-routes.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** `public`: anyone; `host`: a signed-in host whose token the JWT authorizer verified. */
export type RouteAuth = 'public' | 'host';

export interface RouteResponse {
  readonly description: string;
  /** JSON body; absent for an empty answer. */
  readonly body?: ZodType;
}

export interface RouteDocs {
  readonly summary: string;
  /** Whether the route honours an `Idempotency-Key` header (POSTs that create something). */
  readonly idempotent?: boolean;
  readonly tag: string;
  readonly path?: ZodType;
  readonly query?: ZodType;
  readonly body?: ZodType;
  /** The answers a caller should expect besides the problems every route may answer. */
  readonly responses: Readonly<Record<number, RouteResponse>>;
}

export interface RouteDefinition {
  readonly method: HttpMethod;
  /** API Gateway path syntax: `/locks/{lockId}`, `/static/{proxy+}`. */
  readonly path: string;
  readonly function: FunctionName;
  readonly auth: RouteAuth;
  readonly docs: RouteDocs;
}

const host = 'host' as const;
const forbidden = (what: string) => ({ 403: { description: `The caller's role may not ${what}` } });

/** The host API: properties, locks, bookings, grants, the team and the audit log. */
const hostRoutes: readonly RouteDefinition[] = [
  {
    method: 'GET',
    path: '/properties',
    function: 'properties',
    auth: host,
    docs: {
      summary: 'The properties the caller may see (a cleaner: their assigned ones)',
      tag: 'Properties',
      query: pageQuerySchema,
      responses: {
        200: { description: 'A page of properties, by name', body: pageOf(propertySchema, 'PropertyPage') },
      },
    },
  },
  {
    method: 'POST',
    path: '/properties',
    function: 'properties',
    auth: host,
    docs: {
      summary: 'Create a property',
      tag: 'Properties',
      idempotent: true,
      body: createPropertyInputSchema,
      responses: {
        201: { description: 'Created', body: propertySchema },
        ...forbidden('create a property'),
        409: { description: 'The Idempotency-Key was used with another body' },
      },
    },
  },
  {
    method: 'GET',
    path: '/properties/{propertyId}',
    function: 'properties',
    auth: host,
    docs: {
      summary: 'A property',
      tag: 'Properties',
      path: propertyPathSchema,
      responses: {
        200: {
          description: 'The property; for owners, with the booking sources’ listings mapped to it',
          body: propertySchema
            .extend({ externalListings: z.array(externalListingSchema).optional() })
            .meta({ id: 'PropertyView' }),
        },
        ...forbidden('see it'),
      },
    },
  },
  {
    method: 'PUT',
    path: '/properties/{propertyId}/external-listings',
    function: 'properties',
    auth: host,
    docs: {
      summary: 'Set which listings of the booking sources map to the property (replaces them)',
      tag: 'Properties',
      path: propertyPathSchema,
      body: propertyListingsInputSchema,
      responses: {
        200: { description: 'The listings now mapped to the property', body: propertyListingsSchema },
        400: { description: 'A listing names no integration, or an iCal feed' },
        ...forbidden('manage integrations'),
        409: { description: 'A listing is mapped to another property; unmap it there first' },
      },
    },
  },
  {
    method: 'PATCH',
    path: '/properties/{propertyId}',
    function: 'properties',
    auth: host,
    docs: {
      summary: 'Change a property; existing grants keep their windows',
      tag: 'Properties',
      path: propertyPathSchema,
      body: updatePropertyInputSchema,
      responses: {
        200: { description: 'The property as changed', body: propertySchema },
        ...forbidden('change a property'),
        409: { description: 'Changed by someone else meanwhile' },
      },
    },
  },
  {
    method: 'GET',
    path: '/locks',
    function: 'locks',
    auth: host,
    docs: {
      summary: 'The locks of a property',
      tag: 'Locks',
      query: lockListQuerySchema,
      responses: {
        200: {
          description: 'Every lock of the property, each with its reported condition',
          body: z.object({ items: z.array(lockViewSchema) }).meta({ id: 'LockList' }),
        },
        ...forbidden('see its locks'),
      },
    },
  },
  {
    method: 'POST',
    path: '/locks',
    function: 'locks',
    auth: host,
    docs: {
      summary: 'Register a lock: its IoT identity and device key, answered once as the installer bundle',
      tag: 'Locks',
      idempotent: true,
      body: registerLockInputSchema,
      responses: {
        201: {
          description: 'Registered; live booking grants of the property now cover it',
          body: lockRegistrationSchema,
        },
        ...forbidden('register a lock'),
        409: { description: 'The Idempotency-Key was used with another body' },
      },
    },
  },
  {
    method: 'GET',
    path: '/locks/{lockId}',
    function: 'locks',
    auth: host,
    docs: {
      summary:
        'A lock with its condition: online since when, bolt, battery, firmware, keypad lockout, last seen',
      tag: 'Locks',
      path: lockPathSchema,
      responses: {
        200: { description: 'The lock and its reported condition', body: lockViewSchema },
        ...forbidden('see it'),
      },
    },
  },
  {
    method: 'POST',
    path: '/locks/{lockId}/rotate-credentials',
    function: 'locks',
    auth: host,
    docs: {
      summary: 'A new certificate and device key for the lock; the previous ones stay valid until retired',
      tag: 'Locks',
      path: lockPathSchema,
      responses: {
        200: {
          description: 'The lock with its new credentials, and the new installer bundle (shown once)',
          body: z
            .object({ lock: lockSchema, installerBundle: installerBundleSchema })
            .meta({ id: 'LockRotation' }),
        },
        ...forbidden('rotate credentials'),
      },
    },
  },
  {
    method: 'POST',
    path: '/credential-rotations',
    function: 'locks',
    auth: host,
    docs: {
      summary:
        'Rotate the certificate and device key of every lock of the business or of a property (owners), 20 at most per call',
      tag: 'Locks',
      body: fleetRotationInputSchema,
      responses: {
        200: {
          description:
            'Each lock: rotated with its new installer bundle (shown once), failed with why, or skipped (Bluetooth-only); call again with the same issuedBefore while remaining > 0',
          body: fleetRotationResultSchema,
        },
        ...forbidden('rotate the whole fleet'),
      },
    },
  },
  {
    method: 'POST',
    path: '/locks/{lockId}/unlock',
    function: 'commands',
    auth: host,
    docs: {
      summary: 'Open the lock now: a signed command with a 30 s expiry; follow it at its Location',
      tag: 'Remote unlock',
      idempotent: true,
      path: lockPathSchema,
      body: unlockRequestSchema,
      responses: {
        202: {
          description: 'Sent to the lock; pending until it answers or expires',
          body: unlockCommandViewSchema.pick({ id: true, status: true }).meta({ id: 'UnlockAccepted' }),
        },
        ...forbidden('open this lock remotely (a cleaner: only inside their own active grant)'),
        409: {
          description:
            'The lock cannot be opened remotely (Bluetooth-only) or is offline: use the code; or the Idempotency-Key was used with another body',
        },
        429: { description: 'Ten commands are already waiting on this lock' },
      },
    },
  },
  {
    method: 'GET',
    path: '/commands/{commandId}',
    function: 'commands',
    auth: host,
    docs: {
      summary: 'How a remote unlock went: pending, succeeded, failed (with the lock’s reason) or expired',
      tag: 'Remote unlock',
      path: commandPathSchema,
      query: commandWaitQuerySchema,
      responses: { 200: { description: 'The command', body: unlockCommandViewSchema } },
    },
  },
  {
    method: 'GET',
    path: '/bookings',
    function: 'bookings',
    auth: host,
    docs: {
      summary: 'A property’s schedule, by arrival date, with date and guest filters',
      tag: 'Bookings',
      query: bookingListQuerySchema,
      responses: {
        200: { description: 'A page of bookings', body: pageOf(bookingSchema, 'BookingPage') },
        ...forbidden('see the schedule'),
      },
    },
  },
  {
    method: 'POST',
    path: '/bookings',
    function: 'bookings',
    auth: host,
    docs: {
      summary: 'Enter a booking: its grant and a code per lock follow',
      tag: 'Bookings',
      idempotent: true,
      body: createBookingInputSchema,
      responses: {
        201: { description: 'Created with its grant and codes', body: bookingResultSchema },
        200: {
          description: 'This reservation is already a booking with the same details',
          body: bookingResultSchema,
        },
        ...forbidden('enter a booking'),
        409: {
          description: 'The reservation is already a booking with other details, or the key was reused',
        },
      },
    },
  },
  {
    method: 'GET',
    path: '/bookings/{bookingId}',
    function: 'bookings',
    auth: host,
    docs: {
      summary: 'A booking with its grant and codes',
      tag: 'Bookings',
      path: bookingPathSchema,
      responses: { 200: { description: 'The booking', body: bookingDetailSchema }, ...forbidden('see it') },
    },
  },
  {
    method: 'PATCH',
    path: '/bookings/{bookingId}',
    function: 'bookings',
    auth: host,
    docs: {
      summary: 'Change a booking: the grant’s and codes’ windows move with the stay, the PIN stays',
      tag: 'Bookings',
      path: bookingPathSchema,
      body: modifyBookingInputSchema,
      responses: {
        200: { description: 'The booking, grant and codes as they now are', body: bookingResultSchema },
        ...forbidden('change a booking'),
        409: { description: 'Cancelled, or changed by someone else meanwhile' },
      },
    },
  },
  {
    method: 'POST',
    path: '/bookings/{bookingId}/cancel',
    function: 'bookings',
    auth: host,
    docs: {
      summary: 'Cancel a booking: its grant is revoked and its codes come off the locks',
      tag: 'Bookings',
      path: bookingPathSchema,
      body: cancelBookingInputSchema,
      responses: {
        200: {
          description: 'The cancelled booking, revoked grant and withdrawn codes',
          body: bookingResultSchema,
        },
        ...forbidden('cancel a booking'),
      },
    },
  },
  {
    method: 'POST',
    path: '/bookings/{bookingId}/guest-email',
    function: 'bookings',
    auth: host,
    docs: {
      summary:
        "Send the guest's email again now: the stay, its codes and a new link (counts toward the booking's cap)",
      tag: 'Bookings',
      path: bookingPathSchema,
      responses: {
        200: {
          description: 'The email left; where it went and how it is recorded',
          body: resentGuestEmailSchema,
        },
        ...forbidden("send a guest's email again"),
        409: {
          description:
            'Nothing to send: the booking is cancelled, has no guest email address, no codes yet or a stay that is over, or it reached its cap of guest emails',
        },
      },
    },
  },
  {
    method: 'GET',
    path: '/grants',
    function: 'grants',
    auth: host,
    docs: {
      summary: 'A property’s grants, newest first, or without a property the caller’s own',
      tag: 'Grants',
      query: grantListQuerySchema,
      responses: {
        200: {
          description: 'A page of grants with their status',
          body: pageOf(z.object({ grant: grantSchema, status: grantViewSchema.shape.status }), 'GrantPage'),
        },
        ...forbidden('see every grant of the property'),
      },
    },
  },
  {
    method: 'POST',
    path: '/grants',
    function: 'grants',
    auth: host,
    docs: {
      summary:
        'Issue a delivery code, a cleaner’s turnover, emergency access (all owners are told) or a permanent owner code',
      tag: 'Grants',
      idempotent: true,
      body: issueGrantInputSchema,
      responses: {
        201: { description: 'Issued with a code per lock', body: grantResultSchema },
        ...forbidden('issue this kind of grant'),
        409: { description: 'No free PIN on a lock, or the Idempotency-Key was used with another body' },
      },
    },
  },
  {
    method: 'GET',
    path: '/grants/{grantId}',
    function: 'grants',
    auth: host,
    docs: {
      summary: 'A grant with its status, codes and timeline, each for those who may see them',
      tag: 'Grants',
      path: grantPathSchema,
      responses: { 200: { description: 'The grant', body: grantDetailSchema }, ...forbidden('see it') },
    },
  },
  {
    method: 'POST',
    path: '/grants/{grantId}/revoke',
    function: 'grants',
    auth: host,
    docs: {
      summary: 'Revoke a grant at once; its codes come off the locks',
      tag: 'Grants',
      path: grantPathSchema,
      body: revokeGrantInputSchema,
      responses: {
        200: {
          description: 'The revoked grant and its withdrawn codes',
          body: grantResultSchema,
        },
        ...forbidden('revoke a grant'),
      },
    },
  },
  {
    method: 'GET',
    path: '/users',
    function: 'team',
    auth: host,
    docs: {
      summary: 'The team, by name, removed members included',
      tag: 'Team',
      query: pageQuerySchema,
      responses: {
        200: { description: 'A page of team members', body: pageOf(teamMemberSchema, 'TeamMemberPage') },
        ...forbidden('see the team'),
      },
    },
  },
  {
    method: 'POST',
    path: '/users',
    function: 'team',
    auth: host,
    docs: {
      summary: 'Invite a team member: they get an email, set a password and enrol TOTP',
      tag: 'Team',
      idempotent: true,
      body: inviteTeamMemberInputSchema,
      responses: {
        201: { description: 'Invited', body: teamMemberSchema },
        ...forbidden('invite'),
        409: { description: 'Already on the team, or the Idempotency-Key was used with another body' },
      },
    },
  },
  {
    method: 'PATCH',
    path: '/users/{userId}',
    function: 'team',
    auth: host,
    docs: {
      summary: 'Change a member’s role or assigned properties',
      tag: 'Team',
      path: userPathSchema,
      body: teamMemberChangeSchema,
      responses: {
        200: { description: 'The member as changed', body: teamMemberSchema },
        ...forbidden('change the team'),
        409: { description: 'The business would be left without an owner, or the member was removed' },
      },
    },
  },
  {
    method: 'DELETE',
    path: '/users/{userId}',
    function: 'team',
    auth: host,
    docs: {
      summary: 'Remove a member: their sign-in ends and their grants are revoked',
      tag: 'Team',
      path: userPathSchema,
      responses: {
        200: { description: 'The removed member and the grants revoked with them', body: teamChangeSchema },
        ...forbidden('remove a member'),
        409: { description: 'The last owner cannot be removed' },
      },
    },
  },
  {
    method: 'GET',
    path: '/settings',
    function: 'settings',
    auth: host,
    docs: {
      summary: 'The business’s lock settings: the oldest firmware accepted, the offline alert’s horizon',
      tag: 'Settings',
      responses: {
        200: { description: 'The settings (defaults until first changed)', body: tenantSettingsSchema },
        ...forbidden('see the settings'),
      },
    },
  },
  {
    method: 'PATCH',
    path: '/settings',
    function: 'settings',
    auth: host,
    docs: {
      summary: 'Change the business’s lock settings (owners)',
      tag: 'Settings',
      body: updateTenantSettingsInputSchema,
      responses: {
        200: { description: 'The settings as changed', body: tenantSettingsSchema },
        ...forbidden('change the settings'),
      },
    },
  },
  {
    method: 'GET',
    path: '/audit',
    function: 'audit',
    auth: host,
    docs: {
      summary:
        'The audit log of the tenant, a property or a lock, newest first, by time, person and method; or all of it as CSV',
      tag: 'Audit',
      query: auditQuerySchema,
      responses: {
        200: {
          description:
            'A page of audit events (a filtered page may be short while `nextCursor` is present); with `format=csv` or `Accept: text/csv`, a CSV file (text/csv) of every matching event',
          body: pageOf(auditEventSchema, 'AuditEventPage'),
        },
        ...forbidden('read the audit log'),
      },
    },
  },
  {
    method: 'GET',
    path: '/today',
    function: 'today',
    auth: host,
    docs: {
      summary:
        'The day at a glance: arrivals and departures with each code’s state on each lock, locks needing care, failing feeds, recent alerts',
      tag: 'Today',
      query: todayQuerySchema,
      responses: {
        200: {
          description:
            'The summary over the properties the caller may see (a cleaner: their assigned ones, without codes or alerts)',
          body: todaySummarySchema,
        },
      },
    },
  },
];

/** Booking integrations (issue 6): owners manage them; sources deliver to the public webhook receivers. */
const integrationRoutes: readonly RouteDefinition[] = [
  {
    method: 'GET',
    path: '/integrations',
    function: 'integrations',
    auth: host,
    docs: {
      summary: 'The booking integrations of the business',
      tag: 'Integrations',
      responses: {
        200: { description: 'Every integration', body: z.object({ items: z.array(integrationViewSchema) }) },
        ...forbidden('see integrations'),
      },
    },
  },
  {
    method: 'POST',
    path: '/integrations',
    function: 'integrations',
    auth: host,
    docs: {
      summary: 'Create an integration; its signing secret is shown this once',
      tag: 'Integrations',
      idempotent: true,
      body: createIntegrationInputSchema,
      responses: {
        201: { description: 'Created, with its secret', body: integrationWithSecretSchema },
        ...forbidden('manage integrations'),
        404: { description: 'A listing is mapped to a property the business does not have' },
      },
    },
  },
  {
    method: 'GET',
    path: '/integrations/{integrationId}',
    function: 'integrations',
    auth: host,
    docs: {
      summary: 'One integration',
      tag: 'Integrations',
      path: integrationPathSchema,
      responses: {
        200: { description: 'The integration', body: integrationViewSchema },
        ...forbidden('see integrations'),
      },
    },
  },
  {
    method: 'DELETE',
    path: '/integrations/{integrationId}',
    function: 'integrations',
    auth: host,
    docs: {
      summary: 'Remove an integration: its deliveries are refused from now on',
      tag: 'Integrations',
      path: integrationPathSchema,
      responses: { 204: { description: 'Removed' }, ...forbidden('manage integrations') },
    },
  },
  {
    method: 'POST',
    path: '/integrations/{integrationId}/rotate-secret',
    function: 'integrations',
    auth: host,
    docs: {
      summary:
        'A new secret (Hostaway: new Basic credentials), shown once; Guesty’s new secret is given in the body. The previous one verifies for 24 more hours',
      tag: 'Integrations',
      path: integrationPathSchema,
      body: rotateSecretInputSchema,
      responses: {
        200: { description: 'The integration with its new secret', body: integrationWithSecretSchema },
        ...forbidden('manage integrations'),
      },
    },
  },
  {
    method: 'POST',
    path: '/integrations/{integrationId}/sync',
    function: 'integrations',
    auth: host,
    docs: {
      summary: 'Poll an iCal feed now; answers the integration with its health and last import',
      tag: 'Integrations',
      path: integrationPathSchema,
      responses: {
        200: { description: 'The integration after the poll', body: integrationViewSchema },
        400: { description: 'The integration is not a feed' },
        ...forbidden('manage integrations'),
      },
    },
  },
  {
    method: 'PUT',
    path: '/integrations/{integrationId}/listings',
    function: 'integrations',
    auth: host,
    docs: {
      summary: 'Map the source’s listing ids to properties (replaces the mapping)',
      tag: 'Integrations',
      path: integrationPathSchema,
      body: listingMappingInputSchema,
      responses: {
        200: { description: 'The integration with its new mapping', body: integrationViewSchema },
        400: { description: 'The mapping is not valid, or the integration is a feed' },
        ...forbidden('manage integrations'),
        409: { description: 'A listing is already mapped to another property by an integration of the kind' },
      },
    },
  },
  {
    method: 'GET',
    path: '/integrations/{integrationId}/deliveries',
    function: 'integrations',
    auth: host,
    docs: {
      summary: 'Recent deliveries that failed or were dead-lettered, newest first, with why',
      tag: 'Integrations',
      path: integrationPathSchema,
      query: deliveryListQuerySchema,
      responses: {
        200: { description: 'Failed deliveries', body: z.object({ items: z.array(deliveryViewSchema) }) },
        ...forbidden('see integrations'),
      },
    },
  },
  {
    method: 'POST',
    path: '/integrations/{integrationId}/deliveries/{deliveryId}/retry',
    function: 'integrations',
    auth: host,
    docs: {
      summary: 'Run a failed delivery again (after mapping its listing, say)',
      tag: 'Integrations',
      path: deliveryPathSchema,
      responses: {
        202: { description: 'Scheduled again', body: deliveryViewSchema },
        ...forbidden('manage integrations'),
        409: { description: 'The delivery has not failed' },
      },
    },
  },
  {
    method: 'POST',
    path: '/webhooks/{integrationId}',
    function: 'webhooks',
    auth: 'public',
    docs: {
      summary:
        'Booking webhooks: Lockstay’s own (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature), Hostaway’s (HTTP Basic credentials the integration issued) and Guesty’s (svix-id, svix-timestamp, svix-signature with the account’s secret)',
      tag: 'Webhooks',
      path: integrationPathSchema,
      body: z.union([genericWebhookEventSchema, hostawayWebhookSchema, guestyWebhookSchema]),
      responses: {
        200: {
          description: 'Not a guest booking (an owner stay, an inquiry, another event): set aside',
          body: webhookAcceptedSchema,
        },
        202: { description: 'Durably accepted; processed asynchronously', body: webhookAcceptedSchema },
        400: { description: 'The body is not JSON or not a valid event, naming the fields' },
        401: {
          description:
            'Credentials or a signature header are missing or do not verify, or the timestamp is stale',
        },
        404: { description: 'No webhook integration has this address' },
        413: { description: 'The body is too large' },
      },
    },
  },
];

export const routes: readonly RouteDefinition[] = [
  {
    method: 'GET',
    path: '/health',
    function: 'health',
    auth: 'public',
    docs: {
      summary: 'Whether each service the platform depends on answers',
      tag: 'Operations',
      responses: {
        200: { description: 'Every service is up', body: healthReportSchema },
        503: { description: 'At least one service is down', body: healthReportSchema },
      },
    },
  },
  {
    method: 'GET',
    path: '/openapi.json',
    function: 'openApi',
    auth: 'public',
    docs: {
      summary: 'This document',
      tag: 'Operations',
      responses: { 200: { description: 'The OpenAPI 3.1 document of the API' } },
    },
  },
  {
    method: 'GET',
    path: '/me',
    function: 'whoAmI',
    auth: 'host',
    docs: {
      summary: 'The signed-in host, their tenant and role',
      tag: 'Team',
      responses: { 200: { description: 'The caller', body: callerSchema } },
    },
  },
  ...hostRoutes,
  ...integrationRoutes,
  ...guestRoutes,
];

/** `GET /locks/{lockId}` as API Gateway names it in `routeKey`. */
export const routeKey = (route: Pick<RouteDefinition, 'method' | 'path'>): string =>
  `${route.method} ${route.path}`;
