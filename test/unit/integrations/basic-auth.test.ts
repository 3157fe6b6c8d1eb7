import { describe, expect, it } from 'vitest';
import { NotAuthenticatedError } from '#shared/domain/errors.ts';
import { verifyBasicAuth } from '#shared/integrations/basic-auth.ts';

const current = { username: 'hostaway-10450', password: 'k3v9-Tq2x-Lm8p' };
const previous = { username: 'hostaway-10450', password: 'old-Pass-2025' };

function basic(credentials: string): string {
  return `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
}

describe('Hostaway’s webhook credentials', () => {
  it('the credentials set on the integration are accepted', () => {
    expect(() =>
      verifyBasicAuth({ authorization: basic('hostaway-10450:k3v9-Tq2x-Lm8p'), accepted: [current] }),
    ).not.toThrow();
  });

  it('while the host changes them, old and new credentials are both accepted', () => {
    for (const credentials of ['hostaway-10450:k3v9-Tq2x-Lm8p', 'hostaway-10450:old-Pass-2025']) {
      expect(() =>
        verifyBasicAuth({ authorization: basic(credentials), accepted: [previous, current] }),
      ).not.toThrow();
    }
  });

  it('a password containing a colon is read whole', () => {
    const withColon = { username: 'pms', password: 'a:b:c' };

    expect(() => verifyBasicAuth({ authorization: basic('pms:a:b:c'), accepted: [withColon] })).not.toThrow();
  });

  it.each([
    ['no header', undefined],
    ['a bearer token', 'Bearer eyJhbGciOi'],
    ['a wrong password', basic('hostaway-10450:guess')],
    ['a wrong user', basic('someone:k3v9-Tq2x-Lm8p')],
    ['garbage', 'Basic !!!'],
  ])('%s is refused as unauthenticated', (_case, authorization) => {
    expect(() => verifyBasicAuth({ authorization, accepted: [current] })).toThrow(NotAuthenticatedError);
  });

  it('an integration without credentials accepts nobody', () => {
    expect(() =>
      verifyBasicAuth({ authorization: basic('hostaway-10450:k3v9-Tq2x-Lm8p'), accepted: [] }),
    ).toThrow(NotAuthenticatedError);
  });
});
