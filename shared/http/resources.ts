/**
 * The host API's resources as JSON: what each route answers, written as zod schemas for the OpenAPI document.
 * The handler tests parse real answers with these schemas, so the document cannot promise fields the API does
 * not send. Times are ISO 8601 instants in UTC (`Z`); dates and wall-clock times are local to the property.
 */
import { z } from 'zod';
import { accessCodeFailureReasons, accessCodeStatuses } from '#shared/domain/access-code.ts';
import { bookingSources, bookingStatuses } from '#shared/domain/booking.ts';
import { grantKinds, grantStatuses } from '#shared/domain/grant.ts';
import { lockConnectivities } from '#shared/domain/lock.ts';
import { hostRoles, teamMemberStatuses } from '#shared/domain/team.ts';

const instant = z
  .string()
  .meta({ description: 'ISO 8601 instant, UTC', example: '2026-10-24T13:00:00.000Z' });
const localDate = z.string().meta({ description: 'Local date at the property', example: '2026-10-24' });
const localTime = z.string().meta({ description: 'Local time at the property', example: '15:00' });

const versioned = {
  version: z.int().meta({ description: '1 when created, +1 on every change' }),
  createdAt: instant,
  updatedAt: instant,
};

export const actorSchema = z
  .object({
    kind: z.enum(['user', 'guest', 'device', 'system', 'integration']),
    userId: z.string().optional(),
    role: z.string().optional(),
    grantId: z.string().optional(),
    lockId: z.string().optional(),
    process: z.string().optional(),
    integrationId: z.string().optional(),
  })
  .meta({ id: 'Actor', description: 'Who did it' });

export const propertySchema = z
  .object({
    id: z.string(),
    tenantId: z.string(),
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
    checkInTime: localTime,
    checkOutTime: localTime,
    codeBufferBeforeMinutes: z.int(),
    codeBufferAfterMinutes: z.int(),
    codePushLeadHours: z.int(),
    guestEmailLeadHours: z.int(),
    readinessCheckHours: z.int(),
    guestUnlockPhoneDigits: z.int().optional(),
    ...versioned,
  })
  .meta({ id: 'Property' });

export const lockSchema = z
  .object({
    id: z.string(),
    tenantId: z.string(),
    propertyId: z.string(),
    name: z.string(),
    connectivity: z.enum(lockConnectivities),
    codeConstraints: z.object({ pinLength: z.int(), capacity: z.int() }),
    manufacturer: z.string().optional(),
    model: z.string().optional(),
    thingName: z.string().meta({ description: 'The lock’s IoT thing' }),
    credentials: z.object({ certificateId: z.string(), keyVersion: z.int(), issuedAt: instant }),
    ...versioned,
  })
  .meta({ id: 'Lock' });

export const lockConditionSchema = z
  .object({
    online: z.boolean().nullable().meta({
      description: 'Null until the lock first connects (Bluetooth-only locks never do)',
    }),
    onlineSince: instant.nullable().meta({ description: 'When the lock last came online or went offline' }),
    bolt: z.enum(['locked', 'unlocked']).nullable(),
    door: z.enum(['open', 'closed', 'no-sensor']).nullable(),
    battery: z.int().min(0).max(100).nullable().meta({ description: 'Percent' }),
    firmware: z
      .string()
      .nullable()
      .meta({ description: 'The firmware version the lock reports', example: '1.4.2' }),
    keypadLockedOut: z
      .boolean()
      .meta({ description: 'The keypad refuses every entry now, after repeated wrong PINs' }),
    keypadLockedOutUntil: instant.nullable().meta({ description: 'End of the current keypad lockout' }),
    lastSeenAt: instant.nullable().meta({
      description: 'The latest state report or connection change received from the lock',
    }),
    reportedAt: instant.nullable().meta({
      description: 'The state report that bolt, door, battery, firmware and lockout come from',
    }),
  })
  .meta({
    id: 'LockCondition',
    description: 'The lock’s condition as it last reported it; null where it has not said',
  });

export const lockViewSchema = lockSchema
  .extend({
    condition: lockConditionSchema,
    mayUnlock: z
      .boolean()
      .describe(
        'Whether the caller may ask for this lock to be opened remotely now (their role; a cleaner, during a grant of their own on it). Whether the lock can hear the command is answered by the unlock request itself',
      ),
  })
  .meta({ id: 'LockView', description: 'A lock with its reported condition' });

export const installerBundleSchema = z
  .object({
    thingName: z.string(),
    certificatePem: z.string(),
    privateKeyPem: z.string(),
    caCertificatePem: z.string(),
    endpoint: z.string().meta({ description: 'MQTT endpoint the lock connects to' }),
    deviceKey: z.string().meta({ description: 'The lock’s device key, base64 of 32 bytes' }),
  })
  .meta({
    id: 'InstallerBundle',
    description:
      'What the installer loads into the lock. Shown once, in this answer only: Lockstay keeps no copy of the private key.',
  });

const guestSchema = z.object({
  name: z.string(),
  email: z.string().optional(),
  phone: z.string().optional(),
  language: z.string().optional(),
});

export const bookingSchema = z
  .object({
    id: z.string(),
    tenantId: z.string(),
    propertyId: z.string(),
    source: z.enum(bookingSources),
    sourceReservationId: z.string().optional(),
    guest: guestSchema.meta({ description: 'Without contact details for roles that only see the schedule' }),
    arrivalDate: localDate,
    departureDate: localDate,
    checkInTime: localTime.optional(),
    checkOutTime: localTime.optional(),
    status: z.enum(bookingStatuses),
    cancelledAt: instant.optional(),
    cancellationReason: z.string().optional(),
    grantId: z.string(),
    ...versioned,
  })
  .meta({ id: 'Booking' });

export const grantSchema = z
  .object({
    id: z.string(),
    tenantId: z.string(),
    propertyId: z.string(),
    kind: z.enum(grantKinds),
    subject: z
      .object({
        kind: z.enum(['booking-guest', 'staff-member', 'delivery', 'emergency-contact', 'owner']),
        bookingId: z.string().optional(),
        userId: z.string().optional(),
        label: z.string().optional(),
        name: z.string().optional(),
        phone: z.string().optional(),
        email: z.string().optional(),
      })
      .meta({ description: 'For whom' }),
    lockIds: z.array(z.string()),
    window: z.object({ startsAt: instant, endsAt: instant.nullable() }),
    singleUse: z.boolean(),
    bookingId: z.string().optional(),
    note: z.string().optional(),
    issuedBy: actorSchema,
    revocation: z.object({ at: instant, reason: z.string(), by: actorSchema }).optional(),
    ...versioned,
  })
  .meta({ id: 'Grant' });

export const accessCodeSchema = z
  .object({
    id: z.string(),
    tenantId: z.string(),
    grantId: z.string(),
    lockId: z.string(),
    propertyId: z.string(),
    pin: z.string().meta({ description: 'The PIN; only for those who may see this grant’s codes' }),
    status: z.enum(accessCodeStatuses),
    window: z.object({ startsAt: instant, endsAt: instant.nullable() }),
    singleUse: z.boolean(),
    failure: z
      .object({
        reason: z.enum(accessCodeFailureReasons),
        during: z.enum(['setting', 'removing']),
        at: instant,
        detail: z.string().optional(),
      })
      .optional(),
    ...versioned,
  })
  .meta({ id: 'AccessCode' });

export const offlineCodeSchema = z
  .object({
    id: z.string(),
    lockId: z.string(),
    code: z.string().meta({ description: 'The digits; only for those who may see this grant’s codes' }),
    purpose: z.enum(['bluetooth-lock', 'readiness-fallback']).meta({
      description: "A Bluetooth lock's everyday code, or the fallback for a PIN not confirmed before arrival",
    }),
    keyVersion: z.int(),
    validFrom: instant,
    validUntil: instant,
    firstUseBefore: instant.meta({ description: 'The code must be entered a first time before this' }),
    singleUse: z
      .boolean()
      .optional()
      .meta({ description: 'A single-use grant’s code (a delivery’s): the lock admits it once' }),
    current: z.boolean().meta({
      description:
        'Issued for the grant’s window as it is now; an earlier one still opens a lock that is never online until it ends',
    }),
  })
  .meta({ id: 'OfflineCode' });

export const guestCodeSchema = z
  .object({
    lockId: z.string(),
    kind: z.enum(['pin', 'offline']),
    code: z.string(),
    firstUseBefore: instant.optional(),
  })
  .meta({ id: 'GuestCode', description: 'The code the guest should use on one lock' });

export const grantViewSchema = z
  .object({
    grant: grantSchema,
    status: z.enum(grantStatuses),
    accessCodes: z
      .array(accessCodeSchema)
      .optional()
      .meta({ description: 'One per lock that takes pushed codes; absent for those who may not see codes' }),
    offlineCodes: z
      .array(offlineCodeSchema)
      .optional()
      .meta({ description: 'Offline codes issued for the grant; absent for those who may not see codes' }),
    guestCodes: z
      .array(guestCodeSchema)
      .optional()
      .meta({ description: 'Which code to use on each lock; absent for those who may not see codes' }),
  })
  .meta({ id: 'GrantView' });

export const teamMemberSchema = z
  .object({
    userId: z.string(),
    tenantId: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(hostRoles),
    assignedPropertyIds: z.array(z.string()),
    status: z.enum(teamMemberStatuses),
    ...versioned,
  })
  .meta({ id: 'TeamMember' });

export const auditEventSchema = z
  .object({
    id: z.string(),
    tenantId: z.string(),
    at: instant,
    actor: actorSchema,
    action: z.string().meta({ example: 'booking.created' }),
    target: z.object({ kind: z.string(), id: z.string() }),
    propertyId: z.string().optional(),
    lockId: z.string().optional(),
    details: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'AuditEvent' });

/** A page of a list; `nextCursor` goes back as `?cursor=` for the next page. */
export const pageOf = <Item extends z.ZodType>(item: Item, id: string) =>
  z
    .object({
      items: z.array(item),
      nextCursor: z.string().optional().meta({ description: 'Present when more items follow' }),
    })
    .meta({ id });

/** A stay's or grant's story from the audit log. */
export const stayTimelineSchema = z
  .object({
    events: z.array(auditEventSchema).meta({
      description:
        'Oldest first: entered, codes allocated, sent and set on each lock, emails, doors opened with its code, changes, cancellation',
    }),
    complete: z.boolean().meta({
      description:
        'False only when the stay has more events than one timeline holds (2000, the newest shown); the audit log has them all',
    }),
  })
  .meta({ id: 'StayTimeline' });

/** One grant as `GET /grants/{grantId}` answers it: its view and, for those who read the log, its timeline. */
export const grantDetailSchema = grantViewSchema
  .extend({
    timeline: stayTimelineSchema.optional().meta({
      description: 'The grant’s story from the audit log; absent for roles that may not read the log',
    }),
  })
  .meta({ id: 'GrantDetail' });

export const bookingDetailSchema = z
  .object({
    booking: bookingSchema,
    grant: grantViewSchema
      .optional()
      .meta({ description: 'The guest’s grant with its codes; absent for roles that may not see it' }),
    timeline: stayTimelineSchema.optional().meta({
      description: 'The stay’s story from the audit log; absent for roles that may not read the log',
    }),
  })
  .meta({ id: 'BookingDetail' });

/** Offline codes that outlive a cancellation, revocation or moved window: nothing can withdraw them from a lock. */
const offlineCodeWarningFields = {
  stillValidOfflineCodes: z
    .array(
      z
        .object({
          offlineCodeId: z.string(),
          lockId: z.string(),
          lockName: z.string(),
          connectivity: z.enum(lockConnectivities),
          purpose: z.enum(['bluetooth-lock', 'readiness-fallback']),
          validUntil: instant.meta({ description: 'The lock admits the code until then' }),
        })
        .meta({ id: 'StillValidOfflineCode' }),
    )
    .optional()
    .meta({
      description:
        'Offline codes of this access that keep opening their lock outside what it now allows: locks check them on their own, so they cannot be withdrawn. Present on cancellations, revocations and changes.',
    }),
  warnings: z
    .array(z.string())
    .optional()
    .meta({ description: 'What the host should know about this change, one sentence each' }),
};

export const bookingResultSchema = z
  .object({
    booking: bookingSchema,
    grant: grantSchema,
    accessCodes: z.array(accessCodeSchema),
    ...offlineCodeWarningFields,
  })
  .meta({ id: 'BookingResult', description: 'The booking with the grant and codes that follow it' });

export const grantResultSchema = z
  .object({
    grant: grantSchema,
    accessCodes: z.array(accessCodeSchema),
    ...offlineCodeWarningFields,
    ownersNotified: z.int().optional().meta({ description: 'Emergency access: how many owners were told' }),
  })
  .meta({ id: 'GrantResult' });

export const lockRegistrationSchema = z
  .object({
    lock: lockSchema,
    installerBundle: installerBundleSchema.nullable().meta({
      description:
        'Shown once. Null when this answers a repeat of an earlier request with the same Idempotency-Key: rotate the lock’s credentials for a new bundle',
    }),
    grantSync: z
      .object({
        extendedGrantIds: z.array(z.string()),
        failedGrantIds: z.array(z.string()),
        complete: z.boolean(),
      })
      .optional()
      .meta({ description: 'Live booking grants of the property that now cover the new lock' }),
  })
  .meta({ id: 'LockRegistration' });

export const teamChangeSchema = z
  .object({
    member: teamMemberSchema,
    revokedGrantIds: z.array(z.string()).optional().meta({ description: 'On removal: the grants they held' }),
  })
  .meta({ id: 'TeamMemberResult' });
