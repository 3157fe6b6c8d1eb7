/**
 * Resetting a forgotten password: the pool emails a code, the host types it with a new password. The page says
 * the same thing whether or not the email has an account, so it cannot be used to find out who is a host.
 */
import { useRef, useState } from 'preact/hooks';
import { CognitoError } from '../cognito.ts';
import type { ConsoleServices } from '../services.ts';
import type { SessionNotice } from '../session.ts';
import { useTitle } from '../title.ts';
import { Alert, Field, Heading, SubmitButton } from '../ui.tsx';
import { checkNewPassword, type NewPassword, NewPasswordFields } from './password-fields.tsx';
import { useSubmission } from './submission.ts';

export function ForgotPassword(props: {
  services: ConsoleServices;
  onDone: (notice: SessionNotice) => void;
}) {
  const { services, onDone } = props;
  const [email, setEmail] = useState('');
  const [sentTo, setSentTo] = useState<string | undefined>();

  async function send(): Promise<void> {
    try {
      const { destination } = await services.cognito.forgotPassword(email.trim());
      setSentTo(destination ?? email.trim());
    } catch (failure) {
      // Unknown email: answer as if a code went out (AWS pools that prevent user-existence errors do the same).
      if (failure instanceof CognitoError && failure.type === 'UserNotFoundException')
        setSentTo(email.trim());
      else throw failure;
    }
  }

  return sentTo === undefined ? (
    <RequestCode email={email} onEmail={setEmail} send={send} />
  ) : (
    <ChooseNewPassword
      sentTo={sentTo}
      resend={send}
      confirm={async ({ code, password }) => {
        await services.cognito.confirmForgotPassword({ username: email.trim(), code, password });
        onDone({
          message: 'Your password has been changed. Sign in with your new password.',
          tone: 'success',
        });
      }}
    />
  );
}

function RequestCode(props: { email: string; onEmail: (email: string) => void; send: () => Promise<void> }) {
  const { email, onEmail, send } = props;
  useTitle('Reset your password');
  const { busy, error, submit } = useSubmission('reset-request');
  const [checked, setChecked] = useState(false);
  return (
    <form
      class="card"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        setChecked(true);
        if (email.trim()) void submit(send);
      }}
    >
      <Heading>Reset your password</Heading>
      <p>Type the email you sign in with. We will email you a code to choose a new password.</p>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <Field
        label="Email"
        type="email"
        autocomplete="username"
        inputMode="email"
        required
        value={email}
        onValue={onEmail}
        error={checked && !email.trim() ? 'Type the email you sign in with.' : undefined}
      />
      <SubmitButton busy={busy}>Email me a code</SubmitButton>
      <p>
        <a href="#/">Back to sign in</a>
      </p>
    </form>
  );
}

function ChooseNewPassword(props: {
  sentTo: string;
  resend: () => Promise<void>;
  confirm: (answer: { code: string; password: string }) => Promise<void>;
}) {
  const { sentTo, resend, confirm } = props;
  useTitle('Choose a new password');
  const [code, setCode] = useState('');
  const [value, setValue] = useState<NewPassword>({ password: '', confirmation: '' });
  const [checked, setChecked] = useState(false);
  const [resent, setResent] = useState(false);
  const codeInput = useRef<HTMLInputElement | null>(null);
  const { busy, error, submit } = useSubmission('reset-confirm');
  const problems = checked ? checkNewPassword(value) : {};
  const codeProblem = checked && !code.trim() ? 'Type the code from the email.' : undefined;
  return (
    <form
      class="card"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        setChecked(true);
        const found = checkNewPassword(value);
        if (!code.trim()) {
          codeInput.current?.focus();
          return;
        }
        if (found.password || found.confirmation) return;
        void submit(() => confirm({ code: code.replace(/\s+/g, ''), password: value.password }));
      }}
    >
      <Heading>Choose a new password</Heading>
      <Alert tone="info">
        If an account exists for that email, we sent a code to <strong>{sentTo}</strong>. It may take a minute
        to arrive.
      </Alert>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <Field
        label="Code from the email"
        type="text"
        inputMode="numeric"
        autocomplete="one-time-code"
        required
        value={code}
        onValue={setCode}
        error={codeProblem}
        inputRef={codeInput}
      />
      <NewPasswordFields value={value} onChange={setValue} errors={problems} />
      <SubmitButton busy={busy}>Change password</SubmitButton>
      <p>
        <button
          type="button"
          class="link"
          onClick={() => {
            setResent(false);
            void submit(async () => {
              await resend();
              setResent(true);
            });
          }}
        >
          Send a new code
        </button>
        {resent ? <span role="status"> A new code is on its way.</span> : null}
      </p>
      <p>
        <a href="#/">Back to sign in</a>
      </p>
    </form>
  );
}
