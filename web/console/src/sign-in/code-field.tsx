/** The authenticator code field and the countdown after wrong answers, shared by sign-in and enrolment. */
import { Field } from '../ui.tsx';

export function WaitNotice(props: { seconds: number }) {
  return (
    <p class="wait" aria-live="polite">
      {props.seconds > 0 ? `Too many wrong answers: wait ${props.seconds} s before trying again.` : ''}
    </p>
  );
}

/** A six-digit code from the authenticator app; shared by sign-in and enrolment. */
export function CodeField(props: {
  value: string;
  onValue: (value: string) => void;
  error?: string | undefined;
  inputRef?: { current: HTMLInputElement | null };
}) {
  return (
    <Field
      label="6-digit code from your authenticator app"
      type="text"
      inputMode="numeric"
      autocomplete="one-time-code"
      pattern="[0-9 ]*"
      maxLength={7}
      required
      class="code"
      {...props}
    />
  );
}
