/**
 * One Lambda function per entry of the function catalogue, all built by the house `LockstayFunction`, and
 * each bound (environment variable + grant) to exactly what its entry `needs`.
 */
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FunctionDefinition, FunctionName } from '../functions.ts';
import { type BindableResources, bindNeeds } from './bindings.ts';
import { LockstayFunction } from './lockstay-function.ts';

export interface HandlersProps {
  /** The function catalogue. */
  readonly definitions: Readonly<Record<FunctionName, FunctionDefinition>>;
  /**
   * The function EventBridge Scheduler invokes. It schedules follow-up tasks itself, so it must know its own
   * ARN, hence a name known at synthesis (see `LockstayFunctionProps.nameKnownAtSynthesis`).
   */
  readonly scheduledTaskFunction: FunctionName;
  /**
   * How long each function's log events are kept.
   * @default the house function's default
   */
  readonly logRetention?: RetentionDays;
}

const constructIdOf = (name: string): string => `${name.charAt(0).toUpperCase()}${name.slice(1)}`;

export class Handlers extends Construct {
  readonly functions: Readonly<Record<FunctionName, LockstayFunction>>;
  readonly #definitions: HandlersProps['definitions'];

  constructor(scope: Construct, id: string, props: HandlersProps) {
    super(scope, id);
    const { definitions, scheduledTaskFunction, logRetention } = props;
    this.#definitions = definitions;

    const entries = Object.entries(definitions) as [FunctionName, FunctionDefinition][];
    this.functions = Object.fromEntries(
      entries.map(([name, definition]) => [
        name,
        new LockstayFunction(this, constructIdOf(name), {
          definition,
          nameKnownAtSynthesis: name === scheduledTaskFunction,
          ...(logRetention === undefined ? {} : { logRetention }),
        }),
      ]),
    ) as Record<FunctionName, LockstayFunction>;
  }

  /** Binds every function to what its catalogue entry needs. */
  bindNeeds(resources: BindableResources): void {
    for (const [name, fn] of Object.entries(this.functions) as [FunctionName, LockstayFunction][]) {
      bindNeeds({ fn, needs: this.#definitions[name].needs, resources });
    }
  }
}
