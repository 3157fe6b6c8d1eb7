/**
 * Who is calling, read only from the claims of a token the JWT authorizer verified. A tenant or role sent in
 * a body, header or query is never consulted.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { z } from 'zod';
import { NotAuthenticatedError } from '#shared/domain/errors.ts';
import { hostRoles } from '#shared/domain/team.ts';

export const callerClaimsSchema = z.object({
  sub: z.string().min(1),
  email: z.string().optional(),
  'custom:tenantId': z.string().min(1),
  'custom:role': z.enum(hostRoles),
});

export const callerSchema = z
  .object({
    userId: z.string(),
    email: z.string().optional(),
    tenantId: z.string(),
    role: z.enum(hostRoles),
  })
  .meta({ id: 'Caller', description: 'The signed-in host, as the verified token names them' });
export type Caller = z.infer<typeof callerSchema>;

export function callerOf(event: APIGatewayProxyEventV2WithJWTAuthorizer): Caller {
  const parsed = callerClaimsSchema.safeParse(event.requestContext.authorizer?.jwt?.claims);
  if (!parsed.success) throw new NotAuthenticatedError('The token does not identify a host of a tenant');
  const claims = parsed.data;
  return {
    userId: claims.sub,
    email: claims.email,
    tenantId: claims['custom:tenantId'],
    role: claims['custom:role'],
  };
}
