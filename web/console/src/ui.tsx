/**
 * The few building blocks every form of the console shares: a labelled field that shows its own error, an alert
 * that screen readers announce, a submit button that says when it is busy, and a page heading that takes focus
 * when a new step appears (so keyboard and screen-reader users land on it, not at the bottom of the old one).
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';

export function Heading(props: { children: ComponentChildren; focusOnMount?: boolean }) {
  const { children, focusOnMount = true } = props;
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focusOnMount) heading.current?.focus();
  }, [focusOnMount]);
  return (
    <h1 ref={heading} tabIndex={-1}>
      {children}
    </h1>
  );
}

export function Field(props: {
  label: string;
  value: string;
  onValue: (value: string) => void;
  type?: 'text' | 'email' | 'password';
  autocomplete?: string;
  inputMode?: 'text' | 'email' | 'numeric';
  pattern?: string;
  maxLength?: number;
  required?: boolean;
  autoFocus?: boolean;
  class?: string;
  hint?: ComponentChildren;
  error?: string | undefined;
  inputRef?: { current: HTMLInputElement | null };
}) {
  const { label, value, onValue, type = 'text', hint, error, inputRef, ...input } = props;
  const id = useId();
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  const attributes = {
    ...input,
    id,
    ref: inputRef,
    value,
    onInput: (event: { currentTarget: HTMLInputElement }) => onValue(event.currentTarget.value),
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': described || undefined,
  };
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {hint ? (
        <div id={`${id}-hint`} class="hint">
          {hint}
        </div>
      ) : null}
      {/* One element per type: Preact's input types tie the allowed attributes to a literal `type`. */}
      {type === 'password' ? (
        <input type="password" {...attributes} />
      ) : type === 'email' ? (
        <input type="email" {...attributes} />
      ) : (
        <input type="text" {...attributes} />
      )}
      {error ? (
        <p id={`${id}-error`} class="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** An error or notice announced as it appears. */
export function Alert(props: {
  tone: 'error' | 'warning' | 'info' | 'success';
  children: ComponentChildren;
}) {
  const { tone, children } = props;
  return (
    <div class={`alert alert-${tone}`} role={tone === 'error' || tone === 'warning' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

/**
 * What a page says while its data is being read, and when the read failed: the reason, with a way to read
 * again. Nothing once the data is there.
 */
export function ReadProgress(props: {
  state: { readonly kind: string; readonly message?: string };
  loading: string;
  onRetry: () => void;
}) {
  const { state, loading, onRetry } = props;
  if (state.kind === 'loading') return <p role="status">{loading}</p>;
  if (state.kind !== 'failed') return null;
  return (
    <Alert tone="error">
      {state.message}{' '}
      <button type="button" class="link" onClick={onRetry}>
        Try again
      </button>
    </Alert>
  );
}

export function SubmitButton(props: { busy: boolean; disabled?: boolean; children: ComponentChildren }) {
  const { busy, disabled = false, children } = props;
  return (
    <button type="submit" class="primary" disabled={busy || disabled} aria-busy={busy ? 'true' : undefined}>
      {busy ? 'Please wait…' : children}
    </button>
  );
}
