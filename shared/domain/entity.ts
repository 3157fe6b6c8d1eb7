/**
 * What every stored thing of the domain has: a prefixed id that says what it is (`bkg_...` is a booking, in a
 * log line or a support ticket), a version for optimistic concurrency, and its creation and change times.
 */
import type { IsoInstant } from './local-time.ts';
import type { IdGenerator } from './ports/id-generator.ts';

export const idPrefixes = {
  property: 'prp',
  lock: 'lck',
  booking: 'bkg',
  grant: 'gnt',
  accessCode: 'acd',
  unlockCommand: 'cmd',
  auditEvent: 'evt',
} as const;

export type EntityKind = keyof typeof idPrefixes;

export function newEntityId({ ids, kind }: { ids: IdGenerator; kind: EntityKind }): string {
  return `${idPrefixes[kind]}_${ids.newId()}`;
}

export interface Versioned {
  /** 1 when created, +1 on every change; a write expecting another version is stale. */
  readonly version: number;
  readonly createdAt: IsoInstant;
  readonly updatedAt: IsoInstant;
}

/** The next version of `entity` with `changes` applied, stamped `at`. */
export function revise<T extends Versioned>(
  entity: T,
  changes: Partial<Omit<T, keyof Versioned>>,
  at: IsoInstant,
): T {
  return { ...entity, ...changes, version: entity.version + 1, updatedAt: at };
}

/** Equality of plain data, ignoring key order and treating a missing field like an undefined one. */
export function sameData(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, field: unknown) =>
    field !== null && typeof field === 'object' && !Array.isArray(field)
      ? Object.fromEntries(Object.entries(field).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : field,
  );
}

/** The fields that differ between two versions, for the audit log. */
export function changedFields<T extends object>(before: T, after: T, fields: readonly (keyof T)[]): string[] {
  return fields.filter((field) => !sameData(before[field], after[field])).map((field) => String(field));
}
