/**
 * Whose request this is, for the guest API's rate limit. Behind CloudFront (the pages' origin passes `/guest/*`
 * to the HTTP API), the connection the API sees is the edge's, so every guest near one edge would share a
 * counter: CloudFront tells the origin the viewer's own address in `CloudFront-Viewer-Address` (`ip:port`; an
 * IPv6 address unbracketed, the port after its last colon), which its origin request policy forwards.
 *
 * That header is believed only when the request carries the distribution's secret origin header: the HTTP API
 * can also be called directly, and there anyone may send any `CloudFront-Viewer-Address`, which would give a
 * script a fresh counter per request. Without the secret (a direct call, or the local cloud, which has no edge),
 * the connection's source address counts.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

/** The header CloudFront adds to each origin request of the guest API, whose value only it and the API know. */
export const edgeSecretHeader = 'x-lockstay-edge-secret';
/** The header in which CloudFront passes the viewer's address and port. */
export const viewerAddressHeader = 'cloudfront-viewer-address';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Compares in constant time (over digests, so the lengths agree too). */
function sameSecret(sent: string, expected: string): boolean {
  return timingSafeEqual(digest(sent), digest(expected));
}

/** The IP address of a `CloudFront-Viewer-Address` value, or undefined when it is not `ip:port`. */
export function addressOfViewerHeader(value: string): string | undefined {
  const text = value.trim();
  const bracketed = /^\[([^\]]+)\]:(\d{1,5})$/.exec(text);
  const [, address, port] = bracketed ?? /^(.+):(\d{1,5})$/.exec(text) ?? [];
  if (address === undefined || port === undefined || Number(port) > 65_535) return undefined;
  return isIP(address) === 0 ? undefined : address;
}

/**
 * The address the rate limit counts: the viewer's, as CloudFront passed it, when the request came through the
 * distribution (its secret header matches `edgeSecret`); the connection's source address otherwise.
 */
export function viewerAddressOf({
  headers,
  sourceIp,
  edgeSecret,
}: {
  headers: Readonly<Record<string, string | undefined>> | undefined;
  sourceIp: string | undefined;
  /** The secret the distribution sends; unset (the local cloud), no header is believed. */
  edgeSecret: string | undefined;
}): string {
  const source = sourceIp ?? 'unknown';
  if (edgeSecret === undefined || edgeSecret === '') return source;
  const sent = headers?.[edgeSecretHeader];
  if (sent === undefined || !sameSecret(sent, edgeSecret)) return source;
  const viewer = headers?.[viewerAddressHeader];
  return (viewer === undefined ? undefined : addressOfViewerHeader(viewer)) ?? source;
}
