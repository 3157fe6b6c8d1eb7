/**
 * Sending one sign-in form: busy while the user pool answers, its refusal turned into words for the step, and
 * the growing pause after repeated wrong answers counted down on screen.
 */
import { useEffect, useState } from 'preact/hooks';
import type { AttemptThrottle } from '../attempt-throttle.ts';
import { CognitoError } from '../cognito.ts';
import { describeCognitoError, type SignInStepName } from '../messages.ts';

const wrongAnswers = new Set([
  'NotAuthorizedException',
  'InvalidPasswordException',
  'UserNotFoundException',
  'CodeMismatchException',
  'EnableSoftwareTokenMFAException',
]);

const secondsToWait = (throttle: AttemptThrottle | undefined): number =>
  Math.ceil((throttle?.waitMs() ?? 0) / 1000);

export function useSubmission(step: SignInStepName, throttle?: AttemptThrottle) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [waitSeconds, setWaitSeconds] = useState(() => secondsToWait(throttle));

  const waiting = waitSeconds > 0;
  useEffect(() => {
    if (!waiting) return;
    const ticker = setInterval(() => setWaitSeconds(secondsToWait(throttle)), 250);
    return () => clearInterval(ticker);
  }, [waiting, throttle]);

  async function submit(action: () => Promise<void>): Promise<void> {
    if (secondsToWait(throttle) > 0) {
      setWaitSeconds(secondsToWait(throttle));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await action();
      throttle?.succeeded();
    } catch (failure) {
      if (failure instanceof CognitoError && wrongAnswers.has(failure.type)) throttle?.failed();
      setError(describeCognitoError(failure, step));
      setWaitSeconds(secondsToWait(throttle));
    } finally {
      setBusy(false);
    }
  }

  return { busy, error, setError, waitSeconds, submit };
}
