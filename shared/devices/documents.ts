/**
 * What the cloud receives from locks through the IoT rules (infra/iot-rules.ts), read against the contract:
 * - `namedShadowDocuments`: an `/update/documents` message of one of a lock's shadows, with the thing and shadow
 *   names the rule adds from the topic; `readShadowDocuments` checks each section with its shadow's schema.
 * - `lockEvents`: a message of the events topic with the thing name the rule adds; `readLockEvents`.
 * A document that does not follow the contract comes back as `ok: false` with its problems: log them and ignore
 * the document; nothing stored changes.
 */
import { z } from 'zod';
import { accessCodesDesiredSchema, accessCodesReportedSchema } from './codes.ts';
import { commandsDesiredSchema, commandsReportedSchema } from './commands.ts';
import { type LockShadowName, lockShadowNames, lockShadows, thingNameSchema } from './contract.ts';
import { type LockEvent, lockEventsMessageSchema } from './events.ts';
import { lockStateReportedSchema } from './state.ts';

/** The schema of each section of each shadow; `state` has no desired section at all. */
export const lockShadowSchemas = {
  [lockShadows.state]: { desired: z.undefined(), reported: lockStateReportedSchema.optional() },
  [lockShadows.accessCodes]: {
    desired: accessCodesDesiredSchema.optional(),
    reported: accessCodesReportedSchema.optional(),
  },
  [lockShadows.commands]: {
    desired: commandsDesiredSchema.optional(),
    reported: commandsReportedSchema.optional(),
  },
} as const satisfies Record<LockShadowName, { desired: z.ZodType; reported: z.ZodType }>;

const snapshotSchema = z.object({
  state: z.object({ desired: z.unknown().optional(), reported: z.unknown().optional() }),
  version: z.int().min(1),
});

const documentsEnvelopeSchema = z.object({
  thingName: thingNameSchema,
  shadowName: z.enum(lockShadowNames as [LockShadowName, ...LockShadowName[]]),
  previous: snapshotSchema.optional(),
  current: snapshotSchema,
  timestamp: z.int().min(0),
  clientToken: z.string().optional(),
});

export interface ShadowSnapshot<D, R> {
  readonly desired: D | undefined;
  readonly reported: R | undefined;
  readonly version: number;
}

type Sections<S extends LockShadowName> = ShadowSnapshot<
  z.infer<(typeof lockShadowSchemas)[S]['desired']>,
  z.infer<(typeof lockShadowSchemas)[S]['reported']>
>;

export type LockShadowDocuments = {
  [S in LockShadowName]: {
    readonly thingName: string;
    readonly shadow: S;
    /** Absent when this update created the shadow. */
    readonly previous: Sections<S> | undefined;
    readonly current: Sections<S>;
    /** Epoch seconds of the update. */
    readonly timestamp: number;
  };
}[LockShadowName];

export type Reading<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problems: string[] };

const problemsOf = (error: z.ZodError, prefix: string) =>
  error.issues.map((issue) => `${[prefix, ...issue.path].join('.')}: ${issue.message}`);

/** An `/update/documents` message of a lock's shadow, as the rule delivers it, checked against the contract. */
export function readShadowDocuments(payload: unknown): Reading<LockShadowDocuments> {
  const envelope = documentsEnvelopeSchema.safeParse(payload);
  if (!envelope.success) return { ok: false, problems: problemsOf(envelope.error, 'document') };
  const { thingName, shadowName, previous, current, timestamp } = envelope.data;
  const schemas = lockShadowSchemas[shadowName];
  const problems: string[] = [];
  const read = (snapshot: z.infer<typeof snapshotSchema>, which: string) => {
    const sections: Record<string, unknown> = { version: snapshot.version };
    for (const section of ['desired', 'reported'] as const) {
      const parsed = schemas[section].safeParse(snapshot.state[section]);
      if (parsed.success) sections[section] = parsed.data;
      else problems.push(...problemsOf(parsed.error, `${which}.${section}`));
    }
    return sections;
  };
  const value = {
    thingName,
    shadow: shadowName,
    previous: previous === undefined ? undefined : read(previous, 'previous'),
    current: read(current, 'current'),
    timestamp,
  };
  if (problems.length > 0) return { ok: false, problems };
  // Each section was parsed just above with the schema of this very shadow.
  return { ok: true, value: value as unknown as LockShadowDocuments };
}

/** A message of a lock's events topic, as the rule delivers it (with `thingName`), checked against the contract. */
export function readLockEvents(
  payload: unknown,
): Reading<{ readonly thingName: string; readonly events: readonly LockEvent[] }> {
  const parsed = lockEventsMessageSchema.extend({ thingName: thingNameSchema }).safeParse(payload);
  if (!parsed.success) return { ok: false, problems: problemsOf(parsed.error, 'events') };
  return { ok: true, value: { thingName: parsed.data.thingName, events: parsed.data.events } };
}
