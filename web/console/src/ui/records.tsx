/**
 * Building blocks of the bookings and audit pages: the API's field errors by field, date, time and choice
 * inputs that show their own error, the properties the host may see, and a short "what happened" for a failed
 * request.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useId, useState } from 'preact/hooks';
import type { Lock } from '#shared/domain/lock.ts';
import type { Property } from '#shared/domain/property.ts';
import type { TeamMember } from '#shared/domain/team.ts';
import { type ApiClient, ApiError } from '../api.ts';

/** The API's field errors keyed by the field as the form names it (`guest.name`), first message of each. */
export function fieldErrorsFrom(failure: unknown): Readonly<Record<string, string>> {
  if (!(failure instanceof ApiError)) return {};
  const errors: Record<string, string> = {};
  for (const problem of failure.fieldProblems) {
    const field = problem.field.replace(/^(body|query)\./, '');
    errors[field] ??= problem.message;
  }
  return errors;
}

/** The failure in words, with what to do; the field errors are shown next to their fields instead. */
export function failureText(failure: unknown, doing: string): string {
  if (failure instanceof ApiError) {
    if (failure.status === 0) return failure.message;
    if (failure.status === 403) return `Your role may not ${doing}.`;
    if (failure.status >= 500) return `Lockstay could not ${doing} just now. Try again in a moment.`;
    if (failure.fieldProblems.length > 0) return `${failure.message}: correct the fields marked below.`;
    return failure.message;
  }
  return `Lockstay could not ${doing}. Reload the page and try again.`;
}

function Described(props: {
  id: string;
  label: string;
  hint?: ComponentChildren;
  error?: string | undefined;
  children: ComponentChildren;
}) {
  const { id, label, hint, error, children } = props;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {hint ? (
        <div id={`${id}-hint`} class="hint">
          {hint}
        </div>
      ) : null}
      {children}
      {error ? (
        <p id={`${id}-error`} class="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

const describedBy = (id: string, hint: unknown, error: unknown) =>
  [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;

/** A date, time or number input (the browser's own pickers), labelled, with its hint and error. */
export function InputField(props: {
  label: string;
  type: 'date' | 'time' | 'number' | 'search' | 'tel';
  value: string;
  onValue: (value: string) => void;
  hint?: ComponentChildren;
  error?: string | undefined;
  required?: boolean;
  min?: string;
  max?: string;
  name?: string;
}) {
  const { label, type, value, onValue, hint, error, required, min, max, name } = props;
  const id = useId();
  const attributes = {
    id,
    name,
    value,
    required,
    min,
    max,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': describedBy(id, hint, error),
    onInput: (event: { currentTarget: HTMLInputElement }) => onValue(event.currentTarget.value),
  };
  return (
    <Described id={id} label={label} hint={hint} error={error}>
      {/* One element per type: Preact's input types tie the allowed attributes to a literal `type`. */}
      {type === 'date' ? (
        <input type="date" {...attributes} />
      ) : type === 'time' ? (
        <input type="time" {...attributes} />
      ) : type === 'number' ? (
        <input type="number" {...attributes} />
      ) : type === 'tel' ? (
        <input type="tel" {...attributes} />
      ) : (
        <input type="search" {...attributes} />
      )}
    </Described>
  );
}

export interface Option {
  readonly value: string;
  readonly label: string;
}

export function ChoiceField(props: {
  label: string;
  value: string;
  onValue: (value: string) => void;
  options: readonly Option[];
  hint?: ComponentChildren;
  error?: string | undefined;
}) {
  const { label, value, onValue, options, hint, error } = props;
  const id = useId();
  return (
    <Described id={id} label={label} hint={hint} error={error}>
      <select
        id={id}
        value={value}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onChange={(event) => onValue(event.currentTarget.value)}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </Described>
  );
}

export type Loaded<T> =
  | { readonly kind: 'loading' }
  | { readonly kind: 'loaded'; readonly value: T }
  | { readonly kind: 'failed'; readonly failure: unknown };

/** The properties the signed-in host may see, by name (a cleaner: their assigned ones). */
export function useProperties(api: ApiClient): Loaded<readonly Property[]> {
  const [state, setState] = useState<Loaded<readonly Property[]>>({ kind: 'loading' });
  useEffect(() => {
    let current = true;
    api.get<{ items: Property[] }>('/properties?limit=100').then(
      (page) => current && setState({ kind: 'loaded', value: page.items }),
      (failure: unknown) => current && setState({ kind: 'failed', failure }),
    );
    return () => {
      current = false;
    };
  }, [api]);
  return state;
}

/** The property's locks (a handful), for names and kinds. */
export function useLocks(api: ApiClient, propertyId: string | undefined): readonly Lock[] {
  const [locks, setLocks] = useState<readonly Lock[]>([]);
  useEffect(() => {
    if (!propertyId) {
      setLocks([]);
      return;
    }
    let current = true;
    api.get<{ items: Lock[] }>(`/locks?propertyId=${encodeURIComponent(propertyId)}`).then(
      (page) => current && setLocks(page.items),
      // Without the locks, codes and events show lock ids instead of names; nothing else depends on them.
      () => current && setLocks([]),
    );
    return () => {
      current = false;
    };
  }, [api, propertyId]);
  return locks;
}

/** The team, to name people in the log; empty for roles that may not see it (people are then named by id). */
export function useTeam(api: ApiClient): readonly TeamMember[] {
  const [team, setTeam] = useState<readonly TeamMember[]>([]);
  useEffect(() => {
    let current = true;
    api.get<{ items: TeamMember[] }>('/users?limit=100').then(
      (page) => current && setTeam(page.items),
      () => current && setTeam([]),
    );
    return () => {
      current = false;
    };
  }, [api]);
  return team;
}
