/**
 * Signing a host in: email and password, then whatever the user pool asks next. A host with an authenticator
 * app types its code; an invited host signing in for the first time chooses a password and enrols an
 * authenticator app; nobody reaches the console without the second factor done. In AWS the pool itself asks
 * for enrolment (MFA_SETUP); the local pool cannot, so the page asks the pool whether the user has an
 * authenticator app and enrols one before starting the session.
 */
import type { ComponentChildren } from 'preact';
import { useMemo, useRef, useState } from 'preact/hooks';
import { type AttemptThrottle, createAttemptThrottle } from '../attempt-throttle.ts';
import { isSixDigitCode, normaliseCode } from '../authenticator.ts';
import { hasAuthenticatorApp, type SignInStep, type Tokens, UnsupportedChallengeError } from '../cognito.ts';
import { describeCognitoError, isExpiredSignIn } from '../messages.ts';
import type { ConsoleServices } from '../services.ts';
import type { SessionNotice } from '../session.ts';
import { useTitle } from '../title.ts';
import { Alert, Field, Heading, SubmitButton } from '../ui.tsx';
import { CodeField, WaitNotice } from './code-field.tsx';
import { Enrolment, type EnrolmentProof } from './enrolment.tsx';
import { checkNewPassword, type NewPassword, NewPasswordFields } from './password-fields.tsx';
import { useSubmission } from './submission.ts';

type Step =
  | { readonly kind: 'password' }
  | { readonly kind: 'mfa'; readonly username: string; readonly session: string }
  | { readonly kind: 'new-password'; readonly username: string; readonly session: string }
  | { readonly kind: 'enrol'; readonly username: string; readonly proof: EnrolmentProof };

export function SignIn(props: { services: ConsoleServices; notice?: SessionNotice | undefined }) {
  const { services } = props;
  const { cognito, session } = services;
  const [step, setStep] = useState<Step>({ kind: 'password' });
  const [email, setEmail] = useState('');
  const [restartNotice, setRestartNotice] = useState<string | undefined>();
  // Kept for the whole sign-in, so changing step does not reset the count of wrong answers.
  const throttles = useMemo(() => ({ password: createAttemptThrottle(), code: createAttemptThrottle() }), []);

  const restart = (message?: string) => {
    setRestartNotice(message);
    setStep({ kind: 'password' });
  };

  /** Moves the sign-in on from the pool's last answer. */
  async function advance(username: string, outcome: SignInStep, secondFactorDone: boolean): Promise<void> {
    if (outcome.kind === 'signed-in') {
      if (!secondFactorDone && !hasAuthenticatorApp(await cognito.getUser(outcome.tokens.accessToken))) {
        setStep({ kind: 'enrol', username, proof: { kind: 'tokens', tokens: outcome.tokens } });
        return;
      }
      session.start(outcome.tokens);
      return;
    }
    // Email sign-in: the pool wants its own user name back in challenge answers.
    const user = outcome.parameters.USER_ID_FOR_SRP ?? username;
    switch (outcome.challenge) {
      case 'SOFTWARE_TOKEN_MFA':
        setStep({ kind: 'mfa', username: user, session: outcome.session });
        return;
      case 'NEW_PASSWORD_REQUIRED':
        setStep({ kind: 'new-password', username: user, session: outcome.session });
        return;
      case 'MFA_SETUP':
        setStep({ kind: 'enrol', username: user, proof: { kind: 'session', session: outcome.session } });
        return;
      case 'SELECT_MFA_TYPE':
        await advance(
          user,
          await cognito.answerChallenge({
            challenge: 'SELECT_MFA_TYPE',
            session: outcome.session,
            responses: { USERNAME: user, ANSWER: 'SOFTWARE_TOKEN_MFA' },
          }),
          false,
        );
        return;
      default:
        throw new UnsupportedChallengeError(outcome.challenge);
    }
  }

  const startAgain = (
    <p>
      <button type="button" class="link" onClick={() => restart()}>
        Start again with another account
      </button>
    </p>
  );

  switch (step.kind) {
    case 'password':
      return (
        <PasswordStep
          email={email}
          onEmail={setEmail}
          notice={restartNotice ? { message: restartNotice, tone: 'warning' } : props.notice}
          throttle={throttles.password}
          signIn={async (password) =>
            advance(
              email.trim(),
              await cognito.signInWithPassword({ username: email.trim(), password }),
              false,
            )
          }
        />
      );
    case 'mfa':
      return (
        <MfaStep
          throttle={throttles.code}
          onSessionExpired={restart}
          verify={async (code) =>
            advance(
              step.username,
              await cognito.answerChallenge({
                challenge: 'SOFTWARE_TOKEN_MFA',
                session: step.session,
                responses: { USERNAME: step.username, SOFTWARE_TOKEN_MFA_CODE: code },
              }),
              true,
            )
          }
        >
          {startAgain}
        </MfaStep>
      );
    case 'new-password':
      return (
        <NewPasswordStep
          choose={async (password) =>
            advance(
              step.username,
              await cognito.answerChallenge({
                challenge: 'NEW_PASSWORD_REQUIRED',
                session: step.session,
                responses: { USERNAME: step.username, NEW_PASSWORD: password },
              }),
              false,
            )
          }
        >
          {startAgain}
        </NewPasswordStep>
      );
    case 'enrol':
      return (
        <Enrolment
          services={services}
          account={email.trim() || step.username}
          username={step.username}
          proof={step.proof}
          throttle={throttles.code}
          onEnrolled={(tokens: Tokens) => session.start(tokens)}
          onSessionExpired={restart}
        >
          {startAgain}
        </Enrolment>
      );
  }
}

function PasswordStep(props: {
  email: string;
  onEmail: (email: string) => void;
  notice: SessionNotice | undefined;
  throttle: AttemptThrottle;
  signIn: (password: string) => Promise<void>;
}) {
  const { email, onEmail, notice, throttle, signIn } = props;
  useTitle('Sign in');
  const [password, setPassword] = useState('');
  const [checked, setChecked] = useState(false);
  const { busy, error, waitSeconds, submit } = useSubmission('password', throttle);
  const missing = {
    email: checked && !email.trim() ? 'Type the email you sign in with.' : undefined,
    password: checked && !password ? 'Type your password.' : undefined,
  };
  return (
    <form
      class="card"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        setChecked(true);
        if (!email.trim() || !password) return;
        void submit(() => signIn(password));
      }}
    >
      <Heading focusOnMount={false}>Sign in to Lockstay</Heading>
      {notice && !error ? <Alert tone={notice.tone}>{notice.message}</Alert> : null}
      {error ? <Alert tone="error">{error}</Alert> : null}
      <Field
        label="Email"
        type="email"
        autocomplete="username"
        inputMode="email"
        autoFocus
        required
        value={email}
        onValue={onEmail}
        error={missing.email}
      />
      <Field
        label="Password"
        type="password"
        autocomplete="current-password"
        required
        value={password}
        onValue={setPassword}
        error={missing.password}
      />
      <WaitNotice seconds={waitSeconds} />
      <SubmitButton busy={busy} disabled={waitSeconds > 0}>
        Continue
      </SubmitButton>
      <p>
        <a href="#/forgot-password">Forgot your password?</a>
      </p>
    </form>
  );
}

function MfaStep(props: {
  throttle: AttemptThrottle;
  verify: (code: string) => Promise<void>;
  onSessionExpired: (message: string) => void;
  children: ComponentChildren;
}) {
  const { throttle, verify, onSessionExpired, children } = props;
  useTitle('Authenticator code');
  const [code, setCode] = useState('');
  const input = useRef<HTMLInputElement | null>(null);
  const { busy, error, setError, waitSeconds, submit } = useSubmission('mfa', throttle);
  return (
    <form
      class="card"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const typed = normaliseCode(code);
        if (!isSixDigitCode(typed)) {
          setError('Type the 6 digits your authenticator app shows for Lockstay.');
          input.current?.focus();
          return;
        }
        void submit(async () => {
          try {
            await verify(typed);
          } catch (failure) {
            if (isExpiredSignIn(failure)) onSessionExpired(describeCognitoError(failure, 'mfa'));
            input.current?.select();
            throw failure;
          }
        });
      }}
    >
      <Heading>Two-step sign-in</Heading>
      <p>Open your authenticator app and type the code it shows for Lockstay.</p>
      <CodeField value={code} onValue={setCode} error={error} inputRef={input} />
      <WaitNotice seconds={waitSeconds} />
      <SubmitButton busy={busy} disabled={waitSeconds > 0}>
        Sign in
      </SubmitButton>
      {children}
    </form>
  );
}

function NewPasswordStep(props: {
  choose: (password: string) => Promise<void>;
  children: ComponentChildren;
}) {
  const { choose, children } = props;
  useTitle('Choose your password');
  const [value, setValue] = useState<NewPassword>({ password: '', confirmation: '' });
  const [checked, setChecked] = useState(false);
  const { busy, error, submit } = useSubmission('new-password');
  const problems = checked ? checkNewPassword(value) : {};
  return (
    <form
      class="card"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        setChecked(true);
        const found = checkNewPassword(value);
        if (found.password || found.confirmation) return;
        void submit(() => choose(value.password));
      }}
    >
      <Heading>Choose your password</Heading>
      <p>You signed in with a temporary password. Choose your own to continue.</p>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <NewPasswordFields value={value} onChange={setValue} errors={problems} />
      <SubmitButton busy={busy}>Save password and continue</SubmitButton>
      {children}
    </form>
  );
}
