/**
 * Reading the loosely kept fields of channel-manager payloads. Channel managers relay whatever the booking
 * channel gave them: names split or whole, phone numbers with spaces or none, times as hours. What a stay
 * cannot do without (ids, dates) is validated strictly by each adapter; contact details that do not make
 * sense are dropped with a warning instead, because a guest with an odd phone number still needs a code.
 */

import type { z } from 'zod';
import { guestSchema } from '#shared/domain/booking.ts';
import { type IsoInstant, type LocalTime, localTimeSchema, toIsoInstant } from '#shared/domain/local-time.ts';
import type { BookingChannel, EventGuest } from './booking-event.ts';

/** Used when a channel sends no name at all; hosts see it and may correct it. */
export const unnamedGuest = 'Guest';

export function guestFrom({
  fullName,
  firstName,
  lastName,
  email,
  phone,
  language,
  warnings,
}: {
  fullName?: string | null | undefined;
  firstName?: string | null | undefined;
  lastName?: string | null | undefined;
  email?: string | null | undefined;
  phone?: string | null | undefined;
  language?: string | null | undefined;
  warnings: string[];
}): EventGuest {
  const joined = [firstName, lastName]
    .map((part) => part?.trim())
    .filter(Boolean)
    .join(' ');
  const name = (fullName?.trim() || joined).slice(0, 200);
  if (name === '') warnings.push(`The guest has no name; "${unnamedGuest}" is used`);
  return {
    name: name || unnamedGuest,
    email: optionalField({ schema: guestSchema.shape.email, value: email, what: 'email', warnings }),
    phone: optionalField({ schema: guestSchema.shape.phone, value: phone, what: 'phone', warnings }),
    language: optionalField({
      schema: guestSchema.shape.language,
      value: language,
      what: 'language',
      warnings,
    }),
  };
}

function optionalField<Schema extends z.ZodType>({
  schema,
  value,
  what,
  warnings,
}: {
  schema: Schema;
  value: string | null | undefined;
  what: string;
  warnings: string[];
}): z.output<Schema> | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  const parsed = schema.safeParse(text);
  if (parsed.success) return parsed.data;
  warnings.push(`The guest's ${what} is not usable and was left out`);
  return undefined;
}

/** A time of day given as an hour (16), an hour in text ("16") or a clock time ("16:00", "16:00:00"). */
export function localTimeFrom({
  value,
  what,
  warnings,
}: {
  value: number | string | null | undefined;
  what: string;
  warnings: string[];
}): LocalTime | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const text = String(value).trim();
  const hourOnly = /^\d{1,2}$/.test(text) ? `${text.padStart(2, '0')}:00` : text.slice(0, 5);
  const parsed = localTimeSchema.safeParse(hourOnly);
  if (parsed.success) return parsed.data;
  warnings.push(`The ${what} "${text.slice(0, 20)}" is not a time of day; the property's default applies`);
  return undefined;
}

/** Channel managers name channels each their own way: `airbnbOfficial`, `airbnb2`, `bookingcom`, `homeaway`… */
export function bookingChannelOf(name: string | null | undefined): BookingChannel | undefined {
  if (!name) return undefined;
  const key = name.toLowerCase().replace(/[^a-z]/g, '');
  if (key.includes('airbnb')) return 'airbnb';
  if (key.includes('booking')) return 'booking.com';
  if (key.includes('vrbo') || key.includes('homeaway')) return 'vrbo';
  if (['direct', 'manual', 'website', 'bookingengine'].includes(key)) return 'direct';
  return 'other';
}

/**
 * A timestamp as channel managers write them: ISO 8601 with an offset, or `YYYY-MM-DD HH:MM:SS`, which
 * Hostaway writes in UTC. Undefined when absent or unreadable, so that the caller can fall back.
 */
export function instantFrom(value: string | null | undefined): IsoInstant | undefined {
  if (!value) return undefined;
  const text = value.trim();
  const naive = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text);
  const epoch = Date.parse(naive ? `${text.replace(' ', 'T')}Z` : text);
  return Number.isFinite(epoch) ? toIsoInstant(epoch) : undefined;
}
