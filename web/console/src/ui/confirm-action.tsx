/**
 * A step that cannot be undone (cancelling a booking, revoking access), asked twice: a button opens a short
 * panel that says what will happen and takes an optional reason; the step runs only on "Yes". A refusal is
 * shown in the panel with the reason's own error beside it, and what was typed stays.
 */
import type { ComponentChildren } from 'preact';
import { useId, useState } from 'preact/hooks';
import { Alert, Field, SubmitButton } from '../ui.tsx';
import { failureText, fieldErrorsFrom } from './records.tsx';

export function ConfirmAction(props: {
  /** The button that opens the question, e.g. "Cancel booking". */
  label: string;
  /** The panel's heading, e.g. "Cancel this booking?". */
  question: string;
  /** What will happen, in the host's words. */
  children: ComponentChildren;
  /** The button that does it, e.g. "Yes, cancel the booking". */
  confirmLabel: string;
  /** For a failure's message: "Lockstay could not <doing>". */
  doing: string;
  /** Does the step with the reason typed, if any; a throw is shown as the failure. */
  onConfirm: (reason: string | undefined) => Promise<void>;
  /** After the step succeeded and the panel closed. */
  onDone: () => void;
}) {
  const { label, question, children, confirmLabel, doing, onConfirm, onDone } = props;
  const headingId = useId();
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  if (!confirming) {
    return (
      <div class="actions">
        <button type="button" class="danger" onClick={() => setConfirming(true)}>
          {label}
        </button>
      </div>
    );
  }
  return (
    <section class="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{question}</h2>
      <p>{children}</p>
      {failure ? <Alert tone="error">{failureText(failure, doing)}</Alert> : null}
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          setBusy(true);
          setFailure(undefined);
          try {
            await onConfirm(reason.trim() || undefined);
            setConfirming(false);
            onDone();
          } catch (error) {
            setFailure(error);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Field
          label="Reason (optional)"
          value={reason}
          onValue={setReason}
          error={fieldErrorsFrom(failure).reason}
        />
        <div class="confirm">
          <SubmitButton busy={busy}>{confirmLabel}</SubmitButton>
          <button type="button" class="secondary" onClick={() => setConfirming(false)}>
            Keep it
          </button>
        </div>
      </form>
    </section>
  );
}
