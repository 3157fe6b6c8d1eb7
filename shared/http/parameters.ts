/**
 * The path and query parameters of the host API, parsed at the edge by the handlers and documented in the route
 * table from the same schemas. Lists page with `?cursor=&limit=` (the cursor is opaque: pass back `nextCursor`).
 */
import { z } from 'zod';
import { auditMethods, filterInstantSchema } from '#shared/domain/audit-filter.ts';
import { localDateSchema } from '#shared/domain/local-time.ts';
import { pageRequestSchema } from '#shared/domain/operations/queries.ts';

const id = (description: string) => z.string().min(1).max(100).meta({ description });

export const propertyPathSchema = z.object({ propertyId: id('The property') });
export const lockPathSchema = z.object({ lockId: id('The lock') });
export const bookingPathSchema = z.object({ bookingId: id('The booking') });
export const grantPathSchema = z.object({ grantId: id('The grant') });
export const userPathSchema = z.object({ userId: id('The team member') });

export const pageQuerySchema = pageRequestSchema;

export const lockListQuerySchema = z.object({ propertyId: id('Whose locks') });

export const bookingListQuerySchema = pageRequestSchema
  .extend({
    propertyId: id('Whose schedule'),
    from: localDateSchema.optional().meta({ description: 'Stays departing on or after this date' }),
    to: localDateSchema.optional().meta({ description: 'Stays arriving on or before this date' }),
    guest: z.string().trim().min(1).max(200).optional().meta({
      description:
        'Part of the guest’s name, any case, accents aside. A page may be short (even empty) while `nextCursor` is present: follow it to search on',
    }),
  })
  .refine(({ from, to }) => from === undefined || to === undefined || from <= to, {
    path: ['to'],
    message: 'Must not be before `from`',
  });
export type BookingListQuery = z.output<typeof bookingListQuerySchema>;

export const grantListQuerySchema = pageRequestSchema.extend({
  propertyId: id('Every grant of this property; without it, the caller’s own grants').optional(),
});

export const auditQuerySchema = pageRequestSchema
  .extend({
    propertyId: id('Only events of this property').optional(),
    lockId: id('Only events of this lock').optional(),
    from: filterInstantSchema.optional().meta({
      description: 'Events at or after this instant (ISO 8601 with an offset, e.g. 2026-11-20T00:00:00Z)',
    }),
    to: filterInstantSchema
      .optional()
      .meta({ description: 'Events before this instant (ISO 8601 with an offset)' }),
    userId: id(
      'Events of this team member: what they changed, and the doors they opened remotely',
    ).optional(),
    method: z.enum(auditMethods).optional().meta({
      description:
        'How: a lock method (keypad, offline-code, rfid for cards, fingerprint, face, key), remote, admin (changes through the API) or system',
    }),
    format: z.enum(['json', 'csv']).optional().meta({
      description:
        'csv: the whole filtered log as a CSV file, newest first (also with `Accept: text/csv`); a very long one ends with a `Link: <…>; rel="next"` header to fetch the rest',
    }),
  })
  .refine(({ propertyId, lockId }) => propertyId === undefined || lockId === undefined, {
    path: ['lockId'],
    message: 'Give a property or a lock, not both',
  })
  .refine(({ from, to }) => from === undefined || to === undefined || from < to, {
    path: ['to'],
    message: 'Must be after `from`',
  });
export type AuditListQuery = z.output<typeof auditQuerySchema>;

/** A change to a team member: their role, their properties, or both. */
export const teamMemberChangeSchema = z
  .object({
    role: z.enum(['owner', 'manager', 'staff']).optional(),
    assignedPropertyIds: z
      .array(z.string().min(1))
      .max(500)
      .optional()
      .meta({ description: 'For staff: the properties whose schedule they see' }),
  })
  .refine(({ role, assignedPropertyIds }) => role !== undefined || assignedPropertyIds !== undefined, {
    message: 'Give a role or assignedPropertyIds',
  });
