/**
 * Helpers for acknowledging cdk-nag findings precisely. cdk-nag 3 reports each wildcard of an IAM policy as
 * its own finding, named after the resource as it appears in the template (intrinsics flattened to
 * `<LogicalId>` / `<LogicalId.Attr>`), and an acknowledgement must name that finding exactly. Computing the
 * name from the very ARN the grant uses keeps the acknowledgement in step with the grant.
 */
import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Flattens a resolved CloudFormation value the way cdk-nag names resources in its findings. */
function flatten(value: unknown): string {
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (typeof value === 'object' && value !== null) {
    const node = value as Record<string, unknown>;
    const join = node['Fn::Join'];
    if (Array.isArray(join)) {
      const [delimiter, parts] = join as [string, unknown[]];
      return parts.map(flatten).join(delimiter);
    }
    if ('Fn::Sub' in node) return flatten(node['Fn::Sub']);
    const getAtt = node['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return `<${flatten(getAtt[0])}.${flatten(getAtt[1])}>`;
    if ('Fn::ImportValue' in node) return flatten(node['Fn::ImportValue']);
    if ('Ref' in node) return `<${flatten(node.Ref)}>`;
  }
  return JSON.stringify(value);
}

/**
 * The id of the AwsSolutions-IAM5 finding for a wildcard resource ARN granted to a principal of `scope`'s
 * stack, e.g. `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:...:schedule/<Group>/*]`.
 */
export function wildcardResourceFinding(scope: IConstruct, arn: string): string {
  return `AwsSolutions-IAM5[Resource::${flatten(Stack.of(scope).resolve(arn))}]`;
}
