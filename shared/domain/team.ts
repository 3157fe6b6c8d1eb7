/**
 * A tenant is one host business; its team members sign in and act with one of three roles. Who is acting is
 * a Principal: a team member (role and assigned properties known from the verified token and the team
 * record) or a booking integration acting for the tenant. Guests and devices act through their own paths
 * (a link, a certificate) and never through these.
 */
import { z } from 'zod';

export const hostRoles = ['owner', 'manager', 'staff'] as const;
export type HostRole = (typeof hostRoles)[number];
export const hostRoleSchema = z.enum(hostRoles);

export interface Tenant {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
}

/** Invited until they have enrolled TOTP and signed in once; removed members keep their record for the log. */
export const teamMemberStatuses = ['invited', 'active', 'removed'] as const;
export type TeamMemberStatus = (typeof teamMemberStatuses)[number];

const propertyIdsField = z
  .array(z.string().min(1))
  .max(500)
  .refine((ids) => new Set(ids).size === ids.length, 'Each property only once');

export const inviteTeamMemberInputSchema = z.object({
  email: z
    .email()
    .max(254)
    .transform((email) => email.toLowerCase()),
  name: z.string().trim().min(1).max(200),
  role: hostRoleSchema,
  /** For staff: the properties whose schedule they see. */
  assignedPropertyIds: propertyIdsField.default([]),
});
export type InviteTeamMemberInput = z.input<typeof inviteTeamMemberInputSchema>;

export const changeRoleInputSchema = z.object({ role: hostRoleSchema });
export type ChangeRoleInput = z.input<typeof changeRoleInputSchema>;

export const assignPropertiesInputSchema = z.object({ propertyIds: propertyIdsField });
export type AssignPropertiesInput = z.input<typeof assignPropertiesInputSchema>;

export interface TeamMember {
  readonly tenantId: string;
  readonly userId: string;
  readonly email: string;
  readonly name: string;
  readonly role: HostRole;
  /** Properties whose schedule a staff member sees; owners and managers see every property anyway. */
  readonly assignedPropertyIds: readonly string[];
  readonly status: TeamMemberStatus;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface MemberPrincipal {
  readonly kind: 'member';
  readonly tenantId: string;
  readonly userId: string;
  readonly role: HostRole;
  readonly assignedPropertyIds: readonly string[];
}

export interface IntegrationPrincipal {
  readonly kind: 'integration';
  readonly tenantId: string;
  readonly integrationId: string;
}

export type Principal = MemberPrincipal | IntegrationPrincipal;

/** The role under which the permission matrix looks a principal up. */
export type PrincipalRole = HostRole | 'integration';

export function roleOf(principal: Principal): PrincipalRole {
  return principal.kind === 'member' ? principal.role : 'integration';
}

/**
 * A member principal from the verified token's identity and the stored team record. The role comes from the
 * record, not the token, so a role change or a removal takes effect before the token expires; returns
 * undefined when the user is not an active member of that tenant.
 */
export function memberPrincipal({
  tenantId,
  userId,
  member,
}: {
  tenantId: string;
  userId: string;
  member: TeamMember | undefined;
}): MemberPrincipal | undefined {
  if (!member || member.tenantId !== tenantId || member.userId !== userId || member.status !== 'active') {
    return undefined;
  }
  return {
    kind: 'member',
    tenantId,
    userId,
    role: member.role,
    assignedPropertyIds: member.assignedPropertyIds,
  };
}
