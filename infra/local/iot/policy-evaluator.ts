/**
 * Evaluates an AWS IoT policy document the way AWS IoT Core does, for the subset Lockstay's policies use:
 * Allow/Deny statements (an explicit Deny wins, nothing allowed means denied), actions and resources with the
 * `*` and `?` wildcards, policy variables such as `${iot:ClientId}` and `${iot:Connection.Thing.ThingName}`
 * (a statement whose variable cannot be resolved matches nothing), and the Bool, StringEquals and StringLike
 * conditions. Anything else in a document is an error, so a policy never grants more locally than it says.
 */
import type {
  IotPolicyAction,
  IotPolicyDocument,
  IotPolicyScope,
  IotPolicyStatement,
} from '#infra/iot-policy.ts';

/** Values of the policy variables for one connection, keyed by name without `${}`, e.g. `iot:ClientId`. */
export type PolicyVariables = Readonly<Record<string, string | undefined>>;

/** The account and region the local IoT Core's ARNs name. */
export const localIotScope: IotPolicyScope = {
  partition: 'aws',
  region: 'us-east-1',
  account: '000000000000',
};

export type IotResourceKind = 'client' | 'topic' | 'topicfilter';

export function iotResourceArn(scope: IotPolicyScope, kind: IotResourceKind, name: string): string {
  return `arn:${scope.partition}:iot:${scope.region}:${scope.account}:${kind}/${name}`;
}

export class UnsupportedPolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedPolicyError';
  }
}

export function isAllowed({
  policy,
  action,
  resource,
  variables,
}: {
  policy: IotPolicyDocument;
  action: IotPolicyAction;
  resource: string;
  variables: PolicyVariables;
}): boolean {
  let allowed = false;
  for (const statement of policy.Statement) {
    if (!statementApplies(statement, action, resource, variables)) continue;
    if (statement.Effect === 'Deny') return false;
    allowed = true;
  }
  return allowed;
}

function statementApplies(
  statement: IotPolicyStatement,
  action: string,
  resource: string,
  variables: PolicyVariables,
): boolean {
  if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') {
    throw new UnsupportedPolicyError(`Unknown effect ${String(statement.Effect)}`);
  }
  const actions = listOf(statement.Action);
  if (!actions.some((pattern) => wildcardMatches(pattern, action, { ignoreCase: true }))) return false;
  const resources = listOf(statement.Resource);
  const resourceMatches = resources.some((pattern) => {
    const resolved = substitute(pattern, variables);
    return resolved !== undefined && wildcardMatches(resolved, resource, { ignoreCase: false });
  });
  return resourceMatches && conditionsHold(statement.Condition, variables);
}

function conditionsHold(condition: IotPolicyStatement['Condition'], variables: PolicyVariables): boolean {
  if (condition === undefined) return true;
  for (const [operator, tests] of Object.entries(condition)) {
    for (const [key, expected] of Object.entries(tests ?? {})) {
      const actual = variables[key];
      if (actual === undefined) return false;
      const candidates = listOf(expected);
      const holds = candidates.some((candidate) => {
        switch (operator) {
          case 'Bool':
            return actual.toLowerCase() === candidate.toLowerCase();
          case 'StringEquals':
            return actual === candidate;
          case 'StringLike': {
            const resolved = substitute(candidate, variables);
            return resolved !== undefined && wildcardMatches(resolved, actual, { ignoreCase: false });
          }
          default:
            throw new UnsupportedPolicyError(`Unsupported condition operator ${operator}`);
        }
      });
      if (!holds) return false;
    }
  }
  return true;
}

const variablePattern = /\$\{([^}]+)\}/g;

/**
 * Replaces policy variables; `${*}`, `${?}` and `${$}` stand for the literal characters, as in AWS. Undefined
 * when a variable has no value for this connection.
 */
function substitute(pattern: string, variables: PolicyVariables): string | undefined {
  let unresolved = false;
  const result = pattern.replace(variablePattern, (_match, name: string) => {
    if (name === '*' || name === '?' || name === '$') return literalMarker(name);
    const value = variables[name];
    if (value === undefined) {
      unresolved = true;
      return '';
    }
    return escapeWildcards(value);
  });
  return unresolved ? undefined : result;
}

// Variable values and escaped characters must match literally, so they are carried through wildcard matching
// as private-use characters that wildcardMatches turns back into literals.
const literalStar = '\uE000';
const literalQuestion = '\uE001';
const literalDollar = '\uE002';

function literalMarker(character: string): string {
  if (character === '*') return literalStar;
  if (character === '?') return literalQuestion;
  return literalDollar;
}

function escapeWildcards(value: string): string {
  return value.replaceAll('*', literalStar).replaceAll('?', literalQuestion);
}

function wildcardMatches(pattern: string, value: string, { ignoreCase }: { ignoreCase: boolean }): boolean {
  let source = '';
  for (const character of pattern) {
    if (character === '*') source += '.*';
    else if (character === '?') source += '.';
    else if (character === literalStar) source += '\\*';
    else if (character === literalQuestion) source += '\\?';
    else if (character === literalDollar) source += '\\$';
    else source += character.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, ignoreCase ? 'isu' : 'su').test(value);
}

function listOf<T>(value: T | readonly T[]): readonly T[] {
  return Array.isArray(value) ? (value as readonly T[]) : [value as T];
}
