/** Stored things of each kind, for the adapter's unit specifications. */
import type { AccessCode } from '#shared/domain/access-code.ts';
import type { AuditEvent } from '#shared/domain/audit.ts';
import type { Booking } from '#shared/domain/booking.ts';
import type { Grant } from '#shared/domain/grant.ts';
import type { Lock } from '#shared/domain/lock.ts';
import type { Property } from '#shared/domain/property.ts';
import type { TeamMember } from '#shared/domain/team.ts';
import type { UnlockCommand } from '#shared/domain/unlock-command.ts';

export const tenantId = 'tnt-a';
const at = '2026-10-01T09:00:00.000Z';
const stamps = { version: 1, createdAt: at, updatedAt: at };

export const property: Property = {
  tenantId,
  id: 'prp_loft',
  name: 'Élan Loft',
  address: { line1: 'Kastanienallee 1', city: 'Berlin', countryCode: 'DE' },
  timeZone: 'Europe/Berlin',
  checkInTime: '15:00',
  checkOutTime: '11:00',
  codeBufferBeforeMinutes: 0,
  codeBufferAfterMinutes: 0,
  codePushLeadHours: 48,
  guestEmailLeadHours: 48,
  readinessCheckHours: 6,
  ...stamps,
};

export const lock: Lock = {
  tenantId,
  id: 'lck_front',
  propertyId: property.id,
  name: 'Front door',
  connectivity: 'wifi',
  codeConstraints: { pinLength: 6, capacity: 20 },
  manufacturer: undefined,
  thingName: 'lockstay-lck_front',
  credentials: { certificateId: 'cert-1', keyVersion: 1, issuedAt: at },
  ...stamps,
};

export const booking: Booking = {
  tenantId,
  id: 'bkg_1',
  propertyId: property.id,
  source: 'webhook',
  sourceReservationId: 'HM-123',
  guest: { name: 'Grace', email: 'grace@example.com', phone: undefined, language: 'en' },
  arrivalDate: '2026-10-20',
  departureDate: '2026-10-25',
  checkInTime: undefined,
  checkOutTime: undefined,
  status: 'confirmed',
  grantId: 'gnt_1',
  ...stamps,
};

export const grant: Grant = {
  tenantId,
  id: 'gnt_1',
  propertyId: property.id,
  kind: 'booking',
  subject: { kind: 'booking-guest', bookingId: booking.id },
  lockIds: [lock.id],
  window: { startsAt: '2026-10-20T13:00:00.000Z', endsAt: '2026-10-25T10:00:00.000Z' },
  singleUse: false,
  bookingId: booking.id,
  issuedBy: { kind: 'user', userId: 'usr_owner', role: 'owner' },
  ...stamps,
};

export const turnover: Grant = {
  ...grant,
  id: 'gnt_clean',
  kind: 'turnover',
  subject: { kind: 'staff-member', userId: 'usr_clara' },
  bookingId: undefined,
};

export const accessCode: AccessCode = {
  tenantId,
  id: 'acd_1',
  grantId: grant.id,
  lockId: lock.id,
  propertyId: property.id,
  pin: '482916',
  status: 'scheduled',
  window: grant.window,
  singleUse: false,
  ...stamps,
};

export const teamMember: TeamMember = {
  tenantId,
  userId: 'usr_clara',
  email: 'Clara@Example.com',
  name: 'Clara',
  role: 'staff',
  assignedPropertyIds: [property.id],
  status: 'active',
  ...stamps,
};

export const unlockCommand: UnlockCommand = {
  tenantId,
  id: 'cmd_1',
  lockId: lock.id,
  propertyId: property.id,
  requestedBy: { kind: 'guest', grantId: grant.id },
  grantId: grant.id,
  issuedAt: at,
  expiresAt: '2026-10-01T09:00:30.000Z',
  status: 'pending',
  ...stamps,
};

export function auditEvent(overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    tenantId,
    id: 'evt_1',
    at,
    actor: { kind: 'user', userId: 'usr_owner', role: 'owner' },
    action: 'booking.created',
    target: { kind: 'booking', id: booking.id },
    propertyId: property.id,
    details: { source: 'webhook' },
    ...overrides,
  };
}
