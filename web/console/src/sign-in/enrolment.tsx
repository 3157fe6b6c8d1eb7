/**
 * Enrolling an authenticator app: the pool issues a secret, the page shows it as a QR code and as text to type,
 * and the first code from the app proves it was set up right before the pool turns the second factor on.
 * Two ways in: with the tokens of a user who signed in without one (local pool), or within the sign-in's
 * MFA_SETUP challenge (AWS, where the pool requires it), which yields the tokens once the code is verified.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { AttemptThrottle } from '../attempt-throttle.ts';
import { groupSecret, isSixDigitCode, normaliseCode, otpauthUrl } from '../authenticator.ts';
import type { Tokens } from '../cognito.ts';
import { describeCognitoError, isExpiredSignIn } from '../messages.ts';
import type { ConsoleServices } from '../services.ts';
import { useTitle } from '../title.ts';
import { Alert, Heading, SubmitButton } from '../ui.tsx';
import { CodeField, WaitNotice } from './code-field.tsx';
import { useSubmission } from './submission.ts';

export type EnrolmentProof =
  | { readonly kind: 'tokens'; readonly tokens: Tokens }
  | { readonly kind: 'session'; readonly session: string };

const deviceName = 'Authenticator app';

export function Enrolment(props: {
  services: ConsoleServices;
  /** Shown in the authenticator app beside the codes: the host's email. */
  account: string;
  username: string;
  proof: EnrolmentProof;
  throttle: AttemptThrottle;
  onEnrolled: (tokens: Tokens) => void;
  onSessionExpired: (message: string) => void;
  children?: ComponentChildren;
}) {
  const { services, account, username, proof, throttle, onEnrolled, onSessionExpired, children } = props;
  const { cognito } = services;
  useTitle('Set up your authenticator app');
  const [secret, setSecret] = useState<{ value: string; session?: string | undefined } | undefined>();
  const [loadError, setLoadError] = useState<string | undefined>();
  const [code, setCode] = useState('');
  const input = useRef<HTMLInputElement | null>(null);
  const { busy, error, setError, waitSeconds, submit } = useSubmission('enrol', throttle);

  // The QR encoder is loaded only here, so the sign-in every host sees daily does not download it.
  const [QrCode, setQrCode] = useState<typeof import('../qr-code.tsx').QrCode | undefined>();
  useEffect(() => {
    void import('../qr-code.tsx').then((module) => setQrCode(() => module.QrCode));
  }, []);

  // Each call issues a new secret and forgets the last, so ask once per enrolment.
  const asked = useRef(false);
  useEffect(() => {
    if (asked.current) return;
    asked.current = true;
    cognito
      .associateSoftwareToken(
        proof.kind === 'tokens' ? { accessToken: proof.tokens.accessToken } : { session: proof.session },
      )
      .then(
        ({ secret: value, session }) => setSecret({ value, session }),
        (failure: unknown) => {
          if (isExpiredSignIn(failure)) onSessionExpired(describeCognitoError(failure, 'enrol'));
          else setLoadError(describeCognitoError(failure, 'enrol'));
        },
      );
  }, [cognito, proof, onSessionExpired]);

  async function verify(typed: string): Promise<void> {
    if (!secret) return;
    if (proof.kind === 'tokens') {
      await cognito.verifySoftwareToken({
        proof: { accessToken: proof.tokens.accessToken },
        code: typed,
        deviceName,
      });
      await cognito.preferAuthenticatorApp(proof.tokens.accessToken);
      onEnrolled(proof.tokens);
      return;
    }
    const verified = await cognito.verifySoftwareToken({
      proof: { session: secret.session ?? proof.session },
      code: typed,
      deviceName,
    });
    const outcome = await cognito.answerChallenge({
      challenge: 'MFA_SETUP',
      session: verified.session ?? secret.session ?? proof.session,
      responses: { USERNAME: username },
    });
    if (outcome.kind !== 'signed-in') throw new Error(`Unexpected challenge ${outcome.challenge}`);
    await cognito.preferAuthenticatorApp(outcome.tokens.accessToken);
    onEnrolled(outcome.tokens);
  }

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
            if (isExpiredSignIn(failure)) onSessionExpired(describeCognitoError(failure, 'enrol'));
            input.current?.select();
            throw failure;
          }
        });
      }}
    >
      <Heading>Set up your authenticator app</Heading>
      <p>
        Lockstay asks for a code from an authenticator app (such as Google Authenticator, Microsoft
        Authenticator, 1Password or Aegis) every time you sign in. Set it up once now.
      </p>
      {loadError ? <Alert tone="error">{loadError}</Alert> : null}
      {secret ? (
        <>
          <ol class="steps">
            <li>
              In your authenticator app, add an account and scan this code:
              {QrCode ? (
                <QrCode
                  value={otpauthUrl({ secret: secret.value, account, issuer: services.authenticatorIssuer })}
                  label="QR code for your authenticator app"
                />
              ) : (
                <p role="status">Drawing the QR code…</p>
              )}
              <details>
                <summary>Can't scan it? Type this key instead</summary>
                <p>
                  Choose "enter a setup key" in the app, name the account Lockstay and type this key
                  (time-based):
                </p>
                <p>
                  <code class="secret" data-testid="totp-secret">
                    {groupSecret(secret.value)}
                  </code>
                </p>
              </details>
            </li>
            <li>Type the 6-digit code the app now shows for Lockstay:</li>
          </ol>
          <CodeField value={code} onValue={setCode} error={error} inputRef={input} />
          <WaitNotice seconds={waitSeconds} />
          <SubmitButton busy={busy} disabled={waitSeconds > 0}>
            Verify and finish
          </SubmitButton>
        </>
      ) : loadError ? null : (
        <p role="status">Preparing your key…</p>
      )}
      {children}
    </form>
  );
}
