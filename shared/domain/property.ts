/**
 * A rental property: where it is, which time zone its clocks follow, and the host's rules for access around
 * a stay (check-in and check-out times, how long before and after a code works, when codes go to the locks,
 * when guests get their email, when readiness is checked).
 */
import { z } from 'zod';
import { revise, type Versioned } from './entity.ts';
import { InvalidInputError } from './errors.ts';
import { type IsoInstant, type LocalTime, localTimeSchema, timeZoneSchema } from './local-time.ts';

export const addressSchema = z.object({
  line1: z.string().trim().min(1).max(200),
  line2: z.string().trim().max(200).optional(),
  city: z.string().trim().min(1).max(100),
  region: z.string().trim().max(100).optional(),
  postalCode: z.string().trim().max(20).optional(),
  countryCode: z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'Must be an ISO 3166-1 alpha-2 country code, e.g. DE')
    .transform((code) => code.toUpperCase()),
});
export type Address = z.infer<typeof addressSchema>;

const minutesPerDay = 24 * 60;
const hoursPerTwoWeeks = 14 * 24;

/** The access rules of a property; every field has a sensible default for a new property. */
const accessSettingsShape = {
  checkInTime: localTimeSchema.describe('Default check-in time, local'),
  checkOutTime: localTimeSchema.describe('Default check-out time, local'),
  codeBufferBeforeMinutes: z.int().min(0).max(minutesPerDay).describe('Codes work this long before check-in'),
  codeBufferAfterMinutes: z.int().min(0).max(minutesPerDay).describe('Codes work this long after check-out'),
  codePushLeadHours: z.int().min(1).max(hoursPerTwoWeeks).describe('Codes go to the locks this long before'),
  guestEmailLeadHours: z
    .int()
    .min(0)
    .max(hoursPerTwoWeeks)
    .describe('Guests get their email this long before'),
  readinessCheckHours: z
    .int()
    .min(0)
    .max(hoursPerTwoWeeks)
    .describe('Every code must be set this long before'),
  guestUnlockPhoneDigits: z
    .int()
    .min(0)
    .max(6)
    .optional()
    .describe(
      "Guests confirm this many last digits of the booking's phone number before a remote unlock; 0 or absent: off",
    ),
};

export const propertyDefaults = {
  checkInTime: '15:00',
  checkOutTime: '11:00',
  codeBufferBeforeMinutes: 0,
  codeBufferAfterMinutes: 0,
  codePushLeadHours: 48,
  guestEmailLeadHours: 48,
  readinessCheckHours: 6,
} as const;

const propertyShape = {
  name: z.string().trim().min(1).max(120),
  address: addressSchema,
  timeZone: timeZoneSchema,
  ...accessSettingsShape,
};

// Readiness asks "is every code set yet?": asking before the codes were even sent would always alarm.
function readinessProblem(settings: { codePushLeadHours: number; readinessCheckHours: number }) {
  return settings.readinessCheckHours >= settings.codePushLeadHours
    ? {
        field: 'readinessCheckHours',
        message: 'Must be less than codePushLeadHours: codes are checked after they are sent',
      }
    : undefined;
}

function checkReadinessBeforePush(
  settings: { codePushLeadHours: number; readinessCheckHours: number },
  context: z.core.$RefinementCtx,
) {
  const problem = readinessProblem(settings);
  if (problem) context.addIssue({ code: 'custom', path: [problem.field], message: problem.message });
}

export const createPropertyInputSchema = z
  .object({
    ...propertyShape,
    checkInTime: propertyShape.checkInTime.default(propertyDefaults.checkInTime),
    checkOutTime: propertyShape.checkOutTime.default(propertyDefaults.checkOutTime),
    codeBufferBeforeMinutes: propertyShape.codeBufferBeforeMinutes.default(
      propertyDefaults.codeBufferBeforeMinutes,
    ),
    codeBufferAfterMinutes: propertyShape.codeBufferAfterMinutes.default(
      propertyDefaults.codeBufferAfterMinutes,
    ),
    codePushLeadHours: propertyShape.codePushLeadHours.default(propertyDefaults.codePushLeadHours),
    guestEmailLeadHours: propertyShape.guestEmailLeadHours.default(propertyDefaults.guestEmailLeadHours),
    readinessCheckHours: propertyShape.readinessCheckHours.default(propertyDefaults.readinessCheckHours),
  })
  .superRefine(checkReadinessBeforePush);
export type CreatePropertyInput = z.input<typeof createPropertyInputSchema>;
export type PropertySettings = z.output<typeof createPropertyInputSchema>;

/** A change to a property: any subset of its fields. */
export const updatePropertyInputSchema = z
  .object(propertyShape)
  .partial()
  .refine((update) => Object.keys(update).length > 0, 'Give at least one field to change');
export type UpdatePropertyInput = z.input<typeof updatePropertyInputSchema>;
export type PropertyUpdate = z.output<typeof updatePropertyInputSchema>;

export interface Property extends PropertySettings, Versioned {
  readonly tenantId: string;
  readonly id: string;
}

export interface PropertyAccessTimes {
  readonly timeZone: string;
  readonly checkInTime: LocalTime;
  readonly checkOutTime: LocalTime;
  readonly codeBufferBeforeMinutes: number;
  readonly codeBufferAfterMinutes: number;
}

/** The property after `update`, checked as a whole (the readiness rule spans two fields). */
export function applyPropertyUpdate({
  property,
  update,
  at,
}: {
  property: Property;
  update: PropertyUpdate;
  at: IsoInstant;
}): Property {
  const defined = Object.fromEntries(Object.entries(update).filter(([, value]) => value !== undefined));
  const next = revise(property, defined, at);
  const problem = readinessProblem(next);
  if (problem) throw new InvalidInputError('The property is not valid', [problem]);
  return next;
}
