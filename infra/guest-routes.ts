/**
 * The guest API's routes (public: the link's token is the guest's only credential). Kept beside the route table,
 * which spreads them in, so the guest area stays one file.
 */
import { z } from 'zod';
import {
  commandPathSchema,
  commandWaitQuerySchema,
  unlockCommandViewSchema,
} from '#shared/access/unlock-commands.ts';
import { lockConnectivities } from '#shared/domain/lock.ts';
import { guestStayUnlockRequestSchema } from '#shared/guests/phone-check.ts';
import type { RouteDefinition } from './routes.ts';

const guestLockSchema = z.object({
  id: z.string(),
  name: z.string(),
  connectivity: z.enum(lockConnectivities),
  pin: z.string().optional().describe("The guest's PIN on this lock; absent for a Bluetooth-only lock"),
  code: z
    .object({
      code: z.string(),
      kind: z.enum(['pin', 'offline']),
      firstUseBefore: z
        .string()
        .optional()
        .describe('An offline code must be entered a first time before this (property zone, with offset)'),
    })
    .optional()
    .describe("The code to use on this lock, as the guest's email gives it: the PIN or an offline code"),
  codeKind: z.enum(['pin', 'offline-code']),
  online: z.boolean().optional(),
  bolt: z.enum(['locked', 'unlocked']).optional(),
  door: z.enum(['open', 'closed', 'no-sensor']).optional(),
  remoteUnlockNow: z.boolean(),
});

export const guestStaySchema = z
  .object({
    status: z.enum(['upcoming', 'active', 'ended']),
    guest: z.object({ name: z.string(), language: z.string() }),
    property: z.object({
      name: z.string(),
      address: z.object({
        line1: z.string(),
        line2: z.string().optional(),
        city: z.string(),
        region: z.string().optional(),
        postalCode: z.string().optional(),
        countryCode: z.string(),
      }),
      timeZone: z.string(),
    }),
    window: z.object({
      startsAt: z.string().describe('In the property zone with its offset: 2026-10-24T15:00:00+02:00'),
      endsAt: z.string(),
      timeZone: z.string(),
    }),
    locks: z.array(guestLockSchema),
    remoteUnlockNow: z.boolean(),
    phoneCheck: z
      .object({ digits: z.int() })
      .optional()
      .describe("Present where the guest must give the last digits of the booking's phone to unlock"),
  })
  .meta({ id: 'GuestStay' });

const guestTokenPathSchema = z.object({
  token: z.string().describe('The guest link token (256 bits, base64url)'),
});

export const guestRoutes: readonly RouteDefinition[] = [
  {
    method: 'GET',
    path: '/guest/stays/{token}',
    function: 'guest',
    auth: 'public',
    docs: {
      summary: "The stay a guest link opens: status, property, window, PINs and the locks' state (read-only)",
      tag: 'Guests',
      path: guestTokenPathSchema,
      responses: {
        200: { description: 'The stay', body: guestStaySchema },
        404: { description: 'No stay for this link now (unknown, or not open yet)' },
        410: { description: 'The link has expired or its booking was cancelled' },
        429: { description: 'Too many lookups from this source; see Retry-After' },
      },
    },
  },
  {
    method: 'POST',
    path: '/guest/stays/{token}/unlock',
    function: 'guest',
    auth: 'public',
    docs: {
      summary:
        "Open one of the stay's locks now (while the stay is active); only from the stay page: same Origin, JSON body",
      tag: 'Guests',
      path: guestTokenPathSchema,
      body: guestStayUnlockRequestSchema,
      responses: {
        202: {
          description:
            'Sent to the lock; pending until it answers or expires (follow it at .../commands/{id})',
          body: unlockCommandViewSchema.pick({ id: true, status: true }).meta({ id: 'GuestUnlockAccepted' }),
        },
        400: {
          description:
            'The body is not valid, or the phone digits the property asks for are missing or wrong (a wrong answer costs 10 lookups of the rate limit)',
        },
        403: {
          description:
            'No Origin, or another origin than the stay page (CSRF); or the stay has not started yet',
        },
        404: { description: 'No stay for this link now, or the lock is not one of the stay' },
        409: {
          description: 'The lock cannot be opened remotely (Bluetooth-only) or is offline: use the code',
        },
        410: { description: 'The link has expired, the stay is over or its booking was cancelled' },
        415: { description: 'The body is not sent as application/json' },
        429: { description: 'Too many requests from this source, or too many commands waiting on the lock' },
      },
    },
  },
  {
    method: 'GET',
    path: '/guest/stays/{token}/commands/{commandId}',
    function: 'guest',
    auth: 'public',
    docs: {
      summary:
        "How the guest's remote unlock went: pending, succeeded, failed or expired (that stay's commands only)",
      tag: 'Guests',
      path: guestTokenPathSchema.extend(commandPathSchema.shape),
      query: commandWaitQuerySchema,
      responses: {
        200: { description: 'The command', body: unlockCommandViewSchema },
        404: { description: 'No stay for this link now, or no such command of this stay' },
        410: { description: 'The link has expired or its booking was cancelled' },
        429: { description: 'Too many lookups from this source; see Retry-After' },
      },
    },
  },
];
