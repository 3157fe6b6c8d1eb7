import { describe, expect, it } from 'vitest';
import { createAttemptThrottle } from '../../../web/console/src/attempt-throttle.ts';
import {
  groupSecret,
  isSixDigitCode,
  normaliseCode,
  otpauthUrl,
} from '../../../web/console/src/authenticator.ts';
import { CognitoError, UnsupportedChallengeError } from '../../../web/console/src/cognito.ts';
import { ConfigError, parseConfig } from '../../../web/console/src/config.ts';
import { describeCognitoError, isExpiredSignIn } from '../../../web/console/src/messages.ts';
import { passwordRules, unmetRules } from '../../../web/console/src/password-rules.ts';
import { describeTimeZone, formatDateTime, formatTime } from '../../../web/console/src/time.ts';
import { readClaims } from '../../../web/console/src/tokens.ts';
import { tokenWith } from './fakes.ts';

describe('times shown in the console', () => {
  it('name the zone, with summer and winter time told apart', () => {
    expect(formatDateTime({ at: '2026-07-10T14:00:00Z', timeZone: 'Europe/Paris', locale: 'en-GB' })).toBe(
      'Fri, 10 Jul 2026, 16:00 CEST',
    );
    expect(formatDateTime({ at: '2026-11-27T15:00:00Z', timeZone: 'Europe/Paris', locale: 'en-GB' })).toBe(
      'Fri, 27 Nov 2026, 16:00 CET',
    );
  });

  it('show the same instant in the zone asked for, named as the locale names it', () => {
    expect(formatTime({ at: '2026-11-27T15:00:00Z', timeZone: 'America/New_York', locale: 'en-GB' })).toBe(
      '10:00 GMT-5',
    );
    expect(formatTime({ at: '2026-11-27T15:00:00Z', timeZone: 'America/New_York', locale: 'en-US' })).toBe(
      '10:00 AM EST',
    );
  });

  it('describe a zone by its name and identifier', () => {
    // Browsers say "Central European Time"; Node's ICU data may only have the standard-time name.
    expect(describeTimeZone({ timeZone: 'Europe/Paris', locale: 'en-GB' })).toMatch(
      /^Central European (Standard )?Time \(Europe\/Paris\)$/,
    );
  });
});

describe('enrolling an authenticator app', () => {
  it('offers an otpauth URL that names Lockstay and the host, with the pool secret', () => {
    const url = new URL(
      otpauthUrl({ secret: 'JBSWY3DPEHPK3PXP', account: 'host@example.com', issuer: 'Lockstay (local)' }),
    );
    expect(url.protocol).toBe('otpauth:');
    expect(url.host).toBe('totp');
    expect(decodeURIComponent(url.pathname)).toBe('/Lockstay (local):host@example.com');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      secret: 'JBSWY3DPEHPK3PXP',
      issuer: 'Lockstay (local)',
      algorithm: 'SHA1',
      digits: '6',
      period: '30',
    });
  });

  it('writes the secret in groups of four for typing', () => {
    expect(groupSecret('jbswy3dpehpk3pxpq')).toBe('JBSW Y3DP EHPK 3PXP Q');
  });

  it('accepts codes typed with spaces or dashes, and only six digits', () => {
    expect(normaliseCode(' 123 456 ')).toBe('123456');
    expect(normaliseCode('123-456')).toBe('123456');
    expect(isSixDigitCode('123456')).toBe(true);
    expect(isSixDigitCode('12345')).toBe(false);
    expect(isSixDigitCode('12345a')).toBe(false);
  });
});

describe('new passwords', () => {
  it('are checked against the pool rules before they are sent', () => {
    expect(unmetRules('Stay-Longer-2026!')).toEqual([]);
    expect(unmetRules('short').map((rule) => rule.description)).toEqual([
      'At least 12 characters',
      'An uppercase letter',
      'A digit',
      'A symbol such as ! ? # or -',
    ]);
    expect(passwordRules).toHaveLength(5);
  });
});

describe('sign-in throttling in the page', () => {
  it('lets a few wrong answers through, then makes the host wait longer after each', () => {
    let now = 0;
    const throttle = createAttemptThrottle({
      freeAttempts: 3,
      baseDelayMs: 2000,
      maxDelayMs: 8000,
      now: () => now,
    });
    throttle.failed();
    throttle.failed();
    expect(throttle.waitMs()).toBe(0);
    throttle.failed();
    expect(throttle.waitMs()).toBe(2000);
    now += 2000;
    throttle.failed();
    expect(throttle.waitMs()).toBe(4000);
    now += 4000;
    throttle.failed();
    throttle.failed();
    expect(throttle.waitMs()).toBe(8000);
    throttle.succeeded();
    expect(throttle.waitMs()).toBe(0);
  });
});

describe('what a host reads when the pool refuses', () => {
  it('is the same for a wrong password and an unknown email', () => {
    const wrongPassword = describeCognitoError(
      new CognitoError('NotAuthorizedException', 'Incorrect'),
      'password',
    );
    const unknownEmail = describeCognitoError(
      new CognitoError('UserNotFoundException', 'No user'),
      'password',
    );
    const localWrongPassword = describeCognitoError(
      new CognitoError('InvalidPasswordException', ''),
      'password',
    );
    expect(new Set([wrongPassword, unknownEmail, localWrongPassword])).toEqual(
      new Set(['The email or password is not right.']),
    );
  });

  it('says the account is paused when the pool locks it out after repeated failures', () => {
    expect(
      describeCognitoError(
        new CognitoError('NotAuthorizedException', 'Password attempts exceeded'),
        'password',
      ),
    ).toMatch(/^Too many failed attempts: sign-in is paused/);
  });

  it('says a wrong authenticator code is wrong and what to type instead', () => {
    expect(describeCognitoError(new CognitoError('CodeMismatchException', ''), 'mfa')).toBe(
      'That code is not right. Type the 6-digit code your authenticator app shows now for Lockstay.',
    );
  });

  it('tells an expired sign-in apart, so the page can start again', () => {
    const expired = new CognitoError(
      'NotAuthorizedException',
      'Invalid session for the user, session is expired.',
    );
    expect(isExpiredSignIn(expired)).toBe(true);
    expect(isExpiredSignIn(new CognitoError('NotAuthorizedException', 'Password attempts exceeded'))).toBe(
      false,
    );
    expect(describeCognitoError(expired, 'mfa')).toMatch(/has expired\. Start again/);
  });

  it('shows the pool password rule message when a new password is refused', () => {
    expect(
      describeCognitoError(
        new CognitoError('InvalidPasswordException', 'Password must have symbol characters'),
        'new-password',
      ),
    ).toBe('That password cannot be used: Password must have symbol characters');
  });

  it('names a sign-in step the console does not offer', () => {
    expect(describeCognitoError(new UnsupportedChallengeError('SMS_MFA'), 'password')).toMatch(/\(SMS_MFA\)/);
  });
});

describe('the console runtime config', () => {
  const valid = {
    apiUrl: 'https://api.example/',
    region: 'eu-west-1',
    cognito: {
      endpoint: 'https://cognito-idp.eu-west-1.amazonaws.com/',
      userPoolId: 'pool',
      clientId: 'client',
    },
  };

  it('is read with the API URL trimmed of its trailing slash', () => {
    expect(parseConfig(valid).apiUrl).toBe('https://api.example');
  });

  it('names the first missing setting', () => {
    expect(() => parseConfig({ ...valid, cognito: { ...valid.cognito, clientId: '' } })).toThrow(
      new ConfigError('config.json has no cognito.clientId'),
    );
  });
});

describe('token claims read by the page', () => {
  it('come from the token payload', () => {
    expect(
      readClaims(tokenWith({ sub: 'host-1', exp: 1_800_000_000, 'custom:role': 'owner' })),
    ).toMatchObject({
      sub: 'host-1',
      exp: 1_800_000_000,
      'custom:role': 'owner',
    });
  });

  it('refuse something that is not a token', () => {
    expect(() => readClaims('not-a-token')).toThrow();
  });
});
