/**
 * The team (`/users`): owners invite members (a Cognito sign-in they finish with a password and TOTP), change
 * their role and properties, and remove them.
 */
import { z } from 'zod';
import type { HostRoutes } from '#functions/commons/host-api.ts';
import { InvalidInputError } from '#shared/domain/errors.ts';
import { listTeam } from '#shared/domain/operations/queries.ts';
import {
  assignProperties,
  changeTeamMember,
  changeTeamMemberRole,
  inviteTeamMember,
  removeTeamMember,
} from '#shared/domain/operations/team.ts';
import type { DomainPorts } from '#shared/domain/ports/domain-ports.ts';
import { json } from '#shared/http/middleware.ts';
import { pageQuerySchema, teamMemberChangeSchema, userPathSchema } from '#shared/http/parameters.ts';
import { parseJsonBody, parsePathParameters, parseQuery } from '#shared/http/request.ts';

/** Unknown properties are refused before anything changes, so a role change never lands without its properties. */
async function assertPropertiesExist({
  ports,
  tenantId,
  propertyIds,
}: {
  ports: Pick<DomainPorts, 'properties'>;
  tenantId: string;
  propertyIds: readonly string[];
}): Promise<void> {
  const found = await Promise.all(
    propertyIds.map((propertyId) => ports.properties.get({ tenantId, propertyId })),
  );
  const problems = propertyIds.flatMap((propertyId, index) =>
    found[index] ? [] : [{ field: `assignedPropertyIds.${index}`, message: `No property ${propertyId}` }],
  );
  if (problems.length > 0) throw new InvalidInputError('Unknown properties', problems);
}

export const teamRoutes: HostRoutes = {
  'GET /users': async ({ event, principal, ports }) =>
    json(200, await listTeam({ ports, principal, page: parseQuery(event, pageQuerySchema) })),

  'POST /users': async ({ event, principal, ports, createOnce }) => {
    const input = parseJsonBody(event, z.unknown());
    return createOnce(async () => {
      const { member } = await inviteTeamMember({ ports, principal, input });
      return json(201, member, { location: `/users/${member.userId}` });
    });
  },

  'PATCH /users/{userId}': async ({ event, principal, ports }) => {
    const { userId } = parsePathParameters(event, userPathSchema);
    const { role, assignedPropertyIds } = parseJsonBody(event, teamMemberChangeSchema);
    if (assignedPropertyIds !== undefined) {
      await assertPropertiesExist({ ports, tenantId: principal.tenantId, propertyIds: assignedPropertyIds });
    }
    if (role !== undefined && assignedPropertyIds !== undefined) {
      // Both at once: one commit, so a refused role change never leaves new properties behind.
      const input = { role, propertyIds: assignedPropertyIds };
      return json(200, (await changeTeamMember({ ports, principal, userId, input })).member);
    }
    let member =
      role === undefined
        ? undefined
        : (await changeTeamMemberRole({ ports, principal, userId, input: { role } })).member;
    if (assignedPropertyIds !== undefined) {
      const input = { propertyIds: assignedPropertyIds };
      ({ member } = await assignProperties({ ports, principal, userId, input }));
    }
    return json(200, member);
  },

  'DELETE /users/{userId}': async ({ event, principal, ports }) => {
    const { userId } = parsePathParameters(event, userPathSchema);
    const { member, revokedGrantIds } = await removeTeamMember({ ports, principal, userId });
    return json(200, { member, revokedGrantIds });
  },
};
