/**
 * What an authenticator app needs to enrol: the `otpauth://` URL its camera reads from the QR code, and the
 * secret written in groups of four for typing by hand (Base32, as every authenticator app accepts it).
 */

export function otpauthUrl(options: { secret: string; account: string; issuer: string }): string {
  const { secret, account, issuer } = options;
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const query = new URLSearchParams({ secret, issuer, algorithm: 'SHA1', digits: '6', period: '30' });
  return `otpauth://totp/${label}?${query.toString()}`;
}

/** `JBSWY3DPEHPK3PXP` -> `JBSW Y3DP EHPK 3PXP`. */
export const groupSecret = (secret: string): string =>
  secret
    .replace(/\s+/g, '')
    .toUpperCase()
    .replace(/(.{4})(?=.)/g, '$1 ');

/** Authenticator codes are six digits; people paste them with spaces or dashes. */
export const normaliseCode = (typed: string): string => typed.replace(/[\s-]/g, '');

export const isSixDigitCode = (code: string): boolean => /^\d{6}$/.test(code);
