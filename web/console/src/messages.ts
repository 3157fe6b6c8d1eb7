/**
 * What a host reads when the user pool refuses something: what happened and what to do, in the words of the
 * step they are on. Cognito's own messages are written for developers, and some would tell an attacker whether
 * an email address has an account, so they are never shown as they are (except its password-rule messages).
 */
import { CognitoError, UnsupportedChallengeError } from './cognito.ts';

export type SignInStepName =
  | 'password'
  | 'mfa'
  | 'new-password'
  | 'enrol'
  | 'reset-request'
  | 'reset-confirm';

const lockedOut =
  'Too many failed attempts: sign-in is paused for this account. Wait a few minutes before trying again, or reset your password.';
const sessionExpired =
  'This sign-in took too long and has expired. Start again with your email and password.';

/** The sign-in's session (the few minutes between password and code) is over: it must start again. */
export const isExpiredSignIn = (error: unknown): boolean =>
  error instanceof CognitoError &&
  error.type === 'NotAuthorizedException' &&
  /session/i.test(error.message) &&
  !/attempts exceeded/i.test(error.message);

export function describeCognitoError(error: unknown, step: SignInStepName): string {
  if (error instanceof UnsupportedChallengeError) {
    return `This account needs a sign-in step the console does not offer (${error.message}). Contact support.`;
  }
  if (!(error instanceof CognitoError)) return 'Something went wrong in the page. Reload it and try again.';
  const { type, message } = error;
  switch (type) {
    case 'NetworkError':
      return 'The sign-in service could not be reached. Check your connection and try again.';
    case 'TooManyRequestsException':
    case 'TooManyFailedAttemptsException':
    case 'LimitExceededException':
      return 'Too many attempts. Wait a few minutes, then try again.';
    case 'PasswordResetRequiredException':
      return 'Your password has to be reset before you can sign in: choose "Forgot your password?".';
    case 'UserNotConfirmedException':
      return 'This account is not confirmed yet. Ask the owner of your team to invite you again.';
    case 'CodeMismatchException':
    case 'EnableSoftwareTokenMFAException':
      return step === 'reset-confirm'
        ? 'That reset code is not right. Check the latest email from us and type its code.'
        : 'That code is not right. Type the 6-digit code your authenticator app shows now for Lockstay.';
    case 'ExpiredCodeException':
      return step === 'reset-confirm'
        ? 'That reset code has expired. Ask for a new one.'
        : 'That code has expired. Type the code your authenticator app shows now.';
    case 'InvalidPasswordException':
      // At sign-in (cognito-local's answer to a wrong password) it must not differ from an unknown email.
      if (step === 'password') return 'The email or password is not right.';
      return `That password cannot be used: ${message || 'it does not meet the rules below.'}`;
    case 'UserNotFoundException':
      return step === 'reset-request' || step === 'reset-confirm'
        ? 'That reset code is not right. Check the email address and the latest code we sent.'
        : 'The email or password is not right.';
    case 'NotAuthorizedException':
      if (/attempts exceeded/i.test(message)) return lockedOut;
      if (step === 'reset-request' || step === 'reset-confirm') {
        return 'The password of this account cannot be reset now. If you were just invited, sign in with the temporary password from your invitation.';
      }
      if (/session/i.test(message)) return sessionExpired;
      if (step === 'password') return 'The email or password is not right.';
      return sessionExpired;
    case 'Unsupported':
      return 'The user pool does not support this operation.';
    default:
      return `The sign-in service refused this (${type}). Try again; if it keeps happening, contact support.`;
  }
}
