/**
 * Building blocks of the administration pages (integrations, team): a labelled select, a set of checkboxes,
 * a value to copy with its own button, the API's field errors keyed by field, and a hook that runs one request
 * at a time and keeps its failure for the page to show.
 */
import type { ComponentChildren } from 'preact';
import { useId, useState } from 'preact/hooks';
import { ApiError } from '../api.ts';

/** The API's field errors by field (`name`, `assignedPropertyIds`), first message of each. */
export function fieldErrorsOf(failure: unknown): Readonly<Record<string, string>> {
  if (!(failure instanceof ApiError)) return {};
  const errors: Record<string, string> = {};
  for (const problem of failure.fieldProblems) {
    const field = problem.field.replace(/^body\./, '');
    const top = field.split('.')[0] ?? field;
    errors[field] ??= problem.message;
    errors[top] ??= problem.message;
  }
  return errors;
}

/** What to tell the host when a request failed: the API's own words, or what to try when it could not answer. */
export function failureMessage(failure: unknown, doing: string): string {
  if (failure instanceof ApiError) {
    if (failure.status === 0) return failure.message;
    if (failure.status === 403) return `You may not ${doing}: ${failure.message}`;
    if (failure.status >= 500) return `Lockstay could not ${doing} just now. Try again in a moment.`;
    return failure.message;
  }
  return `Lockstay could not ${doing}. Reload the page and try again.`;
}

/** Runs one request at a time: `busy` while it runs, `failure` if it threw (cleared by the next run). */
export function useRequest() {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  async function run<T>(request: () => Promise<T>): Promise<T | undefined> {
    setBusy(true);
    setFailure(undefined);
    try {
      return await request();
    } catch (error) {
      setFailure(error);
      return undefined;
    } finally {
      setBusy(false);
    }
  }
  return { busy, failure, run, clear: () => setFailure(undefined) };
}

export interface Choice {
  readonly value: string;
  readonly label: string;
}

export function SelectField(props: {
  label: string;
  value: string;
  onValue: (value: string) => void;
  choices: readonly Choice[];
  hint?: ComponentChildren;
  error?: string | undefined;
  required?: boolean;
}) {
  const { label, value, onValue, choices, hint, error, required } = props;
  const id = useId();
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {hint ? (
        <div id={`${id}-hint`} class="hint">
          {hint}
        </div>
      ) : null}
      <select
        id={id}
        value={value}
        required={required}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={described || undefined}
        onChange={(event) => onValue(event.currentTarget.value)}
      >
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
      {error ? (
        <p id={`${id}-error`} class="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A group of checkboxes with a legend, e.g. the properties a cleaner is assigned to. */
export function CheckboxGroup(props: {
  legend: string;
  choices: readonly Choice[];
  selected: readonly string[];
  onSelected: (selected: string[]) => void;
  hint?: ComponentChildren;
  error?: string | undefined;
}) {
  const { legend, choices, selected, onSelected, hint, error } = props;
  const id = useId();
  const toggle = (value: string, checked: boolean) =>
    onSelected(
      checked
        ? [...selected.filter((item) => item !== value), value]
        : selected.filter((item) => item !== value),
    );
  return (
    <fieldset class="field checkboxes" aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{legend}</legend>
      {hint ? <div class="hint">{hint}</div> : null}
      {choices.length === 0 ? <p class="hint">None yet.</p> : null}
      {choices.map((choice) => (
        <label key={choice.value} class="checkbox">
          <input
            type="checkbox"
            checked={selected.includes(choice.value)}
            onChange={(event) => toggle(choice.value, event.currentTarget.checked)}
          />{' '}
          {choice.label}
        </label>
      ))}
      {error ? (
        <p id={`${id}-error`} class="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

/** A value shown in full, selectable, with a button that copies it and says so. */
export function CopyableValue(props: { label: string; value: string; testId?: string }) {
  const { label, value, testId } = props;
  const id = useId();
  const [copied, setCopied] = useState<'yes' | 'failed' | undefined>();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('yes');
    } catch {
      // Clipboard refused (permissions, an insecure origin): the value stays selectable by hand.
      setCopied('failed');
    }
  };
  return (
    <div class="copyable">
      <span id={id} class="copyable-label">
        {label}
      </span>
      <code data-testid={testId}>{value}</code>
      <button type="button" class="secondary" onClick={() => void copy()} aria-describedby={id}>
        {copied === 'yes' ? 'Copied' : `Copy ${label.toLowerCase()}`}
      </button>
      <span role="status" class="hint">
        {copied === 'yes'
          ? `${label} copied to the clipboard.`
          : copied === 'failed'
            ? 'Copying was refused by the browser: select the text and copy it by hand.'
            : ''}
      </span>
    </div>
  );
}

/** Every page of a paged list (`{ items, nextCursor }`), for lists a host keeps short (properties, team). */
export async function allPages<T>(
  get: (path: string) => Promise<{ items: T[]; nextCursor?: string }>,
  path: string,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  const separator = path.includes('?') ? '&' : '?';
  do {
    const page = await get(
      `${path}${separator}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}
