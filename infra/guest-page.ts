/**
 * How the guest page (web/guest) is served, wherever it is: the headers every one of its files carries. The
 * page's token lives in the URL fragment; `no-referrer` keeps even the page's address out of other sites' logs,
 * and the CSP allows only the page's own files and its own origin's API (no inline script, no framing).
 */
export const guestPageFolder = 'web/guest';

export const guestPageHeaders: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-cache',
};
