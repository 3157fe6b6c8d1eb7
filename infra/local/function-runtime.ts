/**
 * Runs the platform's Lambda handlers in this process, the way the Lambda service would: each function's
 * module (from the same catalogue the CDK stack deploys) is loaded once, on first use, and invoked with a
 * Lambda context and the function's timeout.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { type FunctionName, functions } from '../functions.ts';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

export class FunctionTimeoutError extends Error {}

export interface FunctionRuntime {
  invoke(name: FunctionName, event: unknown): Promise<unknown>;
  has(name: string): name is FunctionName;
  /**
   * Loads every function's module now, one after another, so the first request to each does not pay for it
   * (Lambda's cold start has no such cost worth copying: here it is module loading in a shared process).
   */
  warm(): Promise<void>;
}

export function createFunctionRuntime({ projectRoot }: { projectRoot: string }): FunctionRuntime {
  const loaded = new Map<FunctionName, Promise<Handler>>();

  const load = (name: FunctionName): Promise<Handler> => {
    let handler = loaded.get(name);
    if (!handler) {
      const url = pathToFileURL(join(projectRoot, functions[name].entry)).href;
      handler = import(url).then((module: { handler?: Handler }) => {
        if (typeof module.handler !== 'function')
          throw new Error(`${functions[name].entry} exports no handler`);
        return module.handler;
      });
      loaded.set(name, handler);
    }
    return handler;
  };

  return {
    has: (name): name is FunctionName => Object.hasOwn(functions, name),
    async warm() {
      for (const name of Object.keys(functions) as FunctionName[]) await load(name);
    },
    async invoke(name, event) {
      const definition = functions[name];
      const handler = await load(name);
      const timeoutMs = ('timeoutSeconds' in definition ? definition.timeoutSeconds : 10) * 1000;
      const deadline = Date.now() + timeoutMs;
      const context: Context = {
        callbackWaitsForEmptyEventLoop: false,
        functionName: name,
        functionVersion: '$LATEST',
        invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${name}`,
        memoryLimitInMB: String('memoryMb' in definition ? definition.memoryMb : 512),
        awsRequestId: randomUUID(),
        logGroupName: `/aws/lambda/${name}`,
        logStreamName: 'local',
        getRemainingTimeInMillis: () => Math.max(deadline - Date.now(), 0),
        done: () => {},
        fail: () => {},
        succeed: () => {},
      };
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new FunctionTimeoutError(`${name} timed out after ${timeoutMs / 1000} s`)),
          timeoutMs,
        );
      });
      try {
        return await Promise.race([handler(event, context), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
