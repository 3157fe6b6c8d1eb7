/**
 * The local twin of Amazon EventBridge Scheduler: the subset of its HTTP API that Lockstay uses
 * (Create/Update/Get/Delete/List schedules, Get schedule group), served so that `@aws-sdk/client-scheduler`
 * with an endpoint override works unchanged. When a schedule fires, the twin invokes the target function's
 * handler module (the same code the schedule would invoke in AWS) with the schedule's Input as the event,
 * retries by the schedule's retry policy, and deletes one-time schedules after they ran when asked to.
 * Schedules persist in a JSON file, and overdue ones fire as soon as the twin starts again.
 */
import { randomUUID } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { z } from 'zod';
import { closeHttpServer, listenOn } from './listen.ts';

const region = 'local';
const accountId = '000000000000';

const targetSchema = z.object({
  Arn: z.string().min(1),
  RoleArn: z.string().min(1),
  Input: z.string().optional(),
  RetryPolicy: z
    .object({ MaximumEventAgeInSeconds: z.number().optional(), MaximumRetryAttempts: z.number().optional() })
    .optional(),
  DeadLetterConfig: z.object({ Arn: z.string().optional() }).optional(),
});

const scheduleInputSchema = z.object({
  GroupName: z.string().optional(),
  ScheduleExpression: z.string().min(1),
  ScheduleExpressionTimezone: z.string().optional(),
  FlexibleTimeWindow: z.object({ Mode: z.enum(['OFF', 'FLEXIBLE']) }),
  Target: targetSchema,
  ActionAfterCompletion: z.enum(['NONE', 'DELETE']).optional(),
  State: z.enum(['ENABLED', 'DISABLED']).optional(),
  Description: z.string().optional(),
  ClientToken: z.string().optional(),
});

interface StoredSchedule {
  readonly name: string;
  readonly groupName: string;
  readonly input: z.infer<typeof scheduleInputSchema>;
  readonly createdAt: number;
  readonly modifiedAt: number;
  /** Next time it fires, epoch ms; undefined once a one-time schedule has run. */
  readonly nextRunAt: number | undefined;
}

export type InvokeFunction = (functionName: string, event: unknown) => Promise<void>;

export interface SchedulerTwinOptions {
  readonly dataDir: string;
  readonly port: number;
  readonly host?: string;
  /** Runs the target function with the event; it rejects when the function fails. */
  readonly invoke: InvokeFunction;
  /** Groups that exist besides `default`. */
  readonly groups?: readonly string[];
  readonly log?: (message: string) => void;
  /** First retry delay; doubles on each further attempt. @default 1000 */
  readonly retryBaseDelayMs?: number;
}

export interface SchedulerTwin {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

class ApiError extends Error {
  readonly status: number;
  readonly errorType: string;
  constructor(status: number, errorType: string, message: string) {
    super(message);
    this.status = status;
    this.errorType = errorType;
  }
}

/** Next run of `at(...)` or `rate(...)` after `now`, epoch ms; cron expressions are not supported here. */
export function nextRunOf(expression: string, timezone: string | undefined, now: number): number {
  const at = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/.exec(expression);
  if (at?.[1]) return wallClockToEpoch(at[1], timezone ?? 'UTC');
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate?.[1] && rate[2]) {
    const unitMs = rate[2].startsWith('minute')
      ? 60_000
      : rate[2].startsWith('hour')
        ? 3_600_000
        : 86_400_000;
    return now + Number(rate[1]) * unitMs;
  }
  throw new ApiError(400, 'ValidationException', `Invalid Schedule Expression ${expression}.`);
}

/** A local wall-clock time in an IANA zone to epoch ms (the zone's offset at that moment, via Intl). */
function wallClockToEpoch(local: string, timezone: string): number {
  const asUtc = Date.parse(`${local}Z`);
  if (Number.isNaN(asUtc)) throw new ApiError(400, 'ValidationException', `Invalid time ${local}.`);
  if (timezone === 'UTC') return asUtc;
  let offsetGuess = 0;
  for (let i = 0; i < 2; i += 1) offsetGuess = zoneOffsetMs(asUtc - offsetGuess, timezone);
  return asUtc - offsetGuess;
}

function zoneOffsetMs(epochMs: number, timezone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(epochMs));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  return wall - Math.floor(epochMs / 1000) * 1000;
}

const functionNameOf = (arn: string): string => {
  const name = /^arn:aws:lambda:[^:]*:[^:]*:function:([^:]+)/.exec(arn)?.[1];
  if (!name)
    throw new ApiError(400, 'ValidationException', `Target Arn ${arn} is not a Lambda function ARN.`);
  return name;
};

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ApiError(400, 'ValidationException', 'The request body is not valid JSON.');
  }
}

export async function startSchedulerTwin(options: SchedulerTwinOptions): Promise<SchedulerTwin> {
  const {
    dataDir,
    port,
    host = '127.0.0.1',
    invoke,
    groups = [],
    log = () => {},
    retryBaseDelayMs = 1000,
  } = options;
  const file = join(dataDir, 'schedules.json');
  const groupNames = new Set(['default', ...groups]);
  const schedules = new Map<string, StoredSchedule>();
  const timers = new Map<string, NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  let stopped = false;

  const keyOf = (groupName: string, name: string) => `${groupName}/${name}`;
  const arnOf = (groupName: string, name: string) =>
    `arn:aws:scheduler:${region}:${accountId}:schedule/${groupName}/${name}`;

  try {
    const saved = JSON.parse(await readFile(file, 'utf8')) as StoredSchedule[];
    for (const schedule of saved) schedules.set(keyOf(schedule.groupName, schedule.name), schedule);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }

  let persisting = Promise.resolve();
  const persist = () => {
    const snapshot = JSON.stringify([...schedules.values()], null, 2);
    persisting = persisting.then(async () => {
      await writeFile(`${file}.tmp`, snapshot);
      await rename(`${file}.tmp`, file);
    });
    return persisting;
  };

  const arm = (schedule: StoredSchedule) => {
    const key = keyOf(schedule.groupName, schedule.name);
    clearTimeout(timers.get(key));
    timers.delete(key);
    if (schedule.nextRunAt === undefined || schedule.input.State === 'DISABLED' || stopped) return;
    // setTimeout holds at most ~24.8 days; a later schedule re-arms itself when the first timer ends.
    const delay = Math.min(Math.max(schedule.nextRunAt - Date.now(), 0), 2 ** 31 - 1);
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        if (schedule.nextRunAt !== undefined && schedule.nextRunAt > Date.now()) return arm(schedule);
        const run = fire(schedule).finally(() => running.delete(run));
        running.add(run);
      }, delay),
    );
  };

  const fire = async (schedule: StoredSchedule) => {
    const { Target } = schedule.input;
    const attempts = 1 + (Target.RetryPolicy?.MaximumRetryAttempts ?? 185);
    const event = Target.Input === undefined ? {} : JSON.parse(Target.Input);
    const functionName = functionNameOf(Target.Arn);
    for (let attempt = 1; attempt <= attempts && !stopped; attempt += 1) {
      try {
        await invoke(functionName, event);
        break;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        log(`schedule ${schedule.name}: ${functionName} failed (attempt ${attempt}/${attempts}): ${reason}`);
        if (attempt === attempts) log(`schedule ${schedule.name}: gave up; in AWS the event goes to the DLQ`);
        else await new Promise((resolve) => setTimeout(resolve, retryBaseDelayMs * 2 ** (attempt - 1)));
      }
    }
    const key = keyOf(schedule.groupName, schedule.name);
    if (schedules.get(key) !== schedule) return; // changed or deleted while it ran
    const isOneTime = schedule.input.ScheduleExpression.startsWith('at(');
    if (isOneTime && schedule.input.ActionAfterCompletion === 'DELETE') schedules.delete(key);
    else {
      const nextRunAt = isOneTime
        ? undefined
        : nextRunOf(schedule.input.ScheduleExpression, undefined, Date.now());
      const next = { ...schedule, nextRunAt };
      schedules.set(key, next);
      arm(next);
    }
    await persist();
  };

  const upsert = async (name: string, body: unknown, mode: 'create' | 'update') => {
    const parsed = scheduleInputSchema.safeParse(body);
    if (!parsed.success) {
      throw new ApiError(
        400,
        'ValidationException',
        parsed.error.issues.map((issue) => issue.message).join('; '),
      );
    }
    const input = parsed.data;
    const groupName = input.GroupName ?? 'default';
    if (!groupNames.has(groupName))
      throw new ApiError(404, 'ResourceNotFoundException', `Schedule group ${groupName} does not exist.`);
    if (!/^[0-9a-zA-Z_.-]{1,64}$/.test(name))
      throw new ApiError(400, 'ValidationException', `Invalid name ${name}.`);
    functionNameOf(input.Target.Arn);
    const key = keyOf(groupName, name);
    const existing = schedules.get(key);
    if (mode === 'create' && existing)
      throw new ApiError(409, 'ConflictException', `Schedule ${name} already exists.`);
    if (mode === 'update' && !existing)
      throw new ApiError(404, 'ResourceNotFoundException', `Schedule ${name} does not exist.`);
    const now = Date.now();
    const schedule: StoredSchedule = {
      name,
      groupName,
      input,
      createdAt: existing?.createdAt ?? now,
      modifiedAt: now,
      nextRunAt: nextRunOf(input.ScheduleExpression, input.ScheduleExpressionTimezone, now),
    };
    schedules.set(key, schedule);
    arm(schedule);
    await persist();
    return { ScheduleArn: arnOf(groupName, name) };
  };

  const describe = (schedule: StoredSchedule) => ({
    Arn: arnOf(schedule.groupName, schedule.name),
    Name: schedule.name,
    GroupName: schedule.groupName,
    ...schedule.input,
    State: schedule.input.State ?? 'ENABLED',
    CreationDate: schedule.createdAt / 1000,
    LastModificationDate: schedule.modifiedAt / 1000,
  });

  const route = async (request: IncomingMessage): Promise<unknown> => {
    const url = new URL(request.url ?? '/', 'http://scheduler');
    const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const [collection, name] = segments;
    const groupName = url.searchParams.get('groupName') ?? 'default';
    const method = request.method ?? 'GET';
    if (collection === 'schedules' && name && segments.length === 2) {
      if (method === 'POST') return upsert(name, await readBody(request), 'create');
      if (method === 'PUT') return upsert(name, await readBody(request), 'update');
      const schedule = schedules.get(keyOf(groupName, name));
      if (!schedule) throw new ApiError(404, 'ResourceNotFoundException', `Schedule ${name} does not exist.`);
      if (method === 'GET') return describe(schedule);
      if (method === 'DELETE') {
        schedules.delete(keyOf(groupName, name));
        clearTimeout(timers.get(keyOf(groupName, name)));
        await persist();
        return {};
      }
    }
    if (collection === 'schedules' && segments.length === 1 && method === 'GET') {
      const group = url.searchParams.get('ScheduleGroup');
      const prefix = url.searchParams.get('NamePrefix') ?? '';
      const listed = [...schedules.values()].filter(
        (schedule) => (!group || schedule.groupName === group) && schedule.name.startsWith(prefix),
      );
      return {
        Schedules: listed.map((schedule) => ({
          Arn: arnOf(schedule.groupName, schedule.name),
          Name: schedule.name,
          GroupName: schedule.groupName,
          State: schedule.input.State ?? 'ENABLED',
          CreationDate: schedule.createdAt / 1000,
          LastModificationDate: schedule.modifiedAt / 1000,
          Target: { Arn: schedule.input.Target.Arn },
        })),
      };
    }
    if (collection === 'schedule-groups' && name && method === 'GET') {
      if (!groupNames.has(name))
        throw new ApiError(404, 'ResourceNotFoundException', `Schedule group ${name} does not exist.`);
      return {
        Arn: `arn:aws:scheduler:${region}:${accountId}:schedule-group/${name}`,
        Name: name,
        State: 'ACTIVE',
        CreationDate: 0,
        LastModificationDate: 0,
      };
    }
    throw new ApiError(404, 'UnknownOperationException', `No operation at ${method} ${url.pathname}`);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    try {
      const result = await route(request);
      response.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID() });
      response.end(JSON.stringify(result));
    } catch (error) {
      const apiError =
        error instanceof ApiError ? error : new ApiError(500, 'InternalServerException', 'Internal error');
      if (!(error instanceof ApiError)) log(`scheduler twin: ${String(error)}`);
      response.writeHead(apiError.status, {
        'content-type': 'application/json',
        'x-amzn-errortype': apiError.errorType,
      });
      response.end(JSON.stringify({ message: apiError.message }));
    }
  };

  const server: Server = createServer((request, response) => void handle(request, response));
  const actualPort = await listenOn({ server, port, host });
  for (const schedule of schedules.values()) arm(schedule);

  return {
    url: `http://${host}:${actualPort}`,
    port: actualPort,
    async stop() {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
      await closeHttpServer(server);
      await Promise.allSettled(running);
      await persisting;
    },
  };
}
