/**
 * Keeps the URLs hosts give us (iCal feeds to poll, webhook targets to call) from reaching inside the
 * network Lockstay runs in: the instance metadata service at 169.254.169.254, the VPC's private addresses,
 * the machine itself. A URL is accepted only when every address its host name resolves to is a public
 * unicast address; loopback may be allowed explicitly, for the local cloud's own demo feeds.
 *
 * Address ranges are ipaddr.js's (IPv4 and IPv6, IPv4-mapped IPv6 such as ::ffff:127.0.0.1 unwrapped), so
 * private, loopback, link-local, unique-local (fc00::/7), unspecified (0.0.0.0, ::), carrier-grade NAT,
 * multicast, reserved, and the IPv6 forms that embed an IPv4 address (6to4, Teredo, NAT64) are all refused.
 *
 * Names are resolved through a port so that tests need no DNS. Checking before fetching leaves a window
 * in which a name can re-resolve elsewhere (DNS rebinding): feeds are therefore fetched with `pinnedFetch`,
 * whose HTTP agent connects only to addresses that pass `isPermittedAddress` as it resolves them.
 */
import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import { InvalidInputError } from '#shared/domain/errors.ts';

/** Resolves a host name to every address it has (A and AAAA). */
export interface HostResolver {
  resolve(hostname: string): Promise<readonly string[]>;
}

export const dnsHostResolver: HostResolver = {
  async resolve(hostname) {
    const addresses = await lookup(hostname, { all: true, verbatim: true });
    return addresses.map(({ address }) => address);
  },
};

export type UrlRefusal =
  | 'invalid-url'
  | 'unsupported-scheme'
  | 'credentials'
  | 'blocked-address'
  | 'unresolvable';

export type UrlCheck =
  | { readonly ok: true; readonly url: URL; readonly addresses: readonly string[] }
  | { readonly ok: false; readonly reason: UrlRefusal; readonly message: string };

export interface AddressPolicy {
  /** Lets loopback addresses through: only for the local cloud, whose demo feeds are served on this machine. */
  readonly allowLoopback?: boolean | undefined;
}

/** Whether a connection to `address` may be made: public unicast only (plus loopback when allowed). */
export function isPermittedAddress(address: string, { allowLoopback = false }: AddressPolicy = {}): boolean {
  const range = addressRange(address);
  return range === 'unicast' || (allowLoopback && range === 'loopback');
}

/** The ipaddr.js range of an address (`unicast`, `private`, `loopback`, `linkLocal`…), or undefined. */
export function addressRange(address: string): string | undefined {
  const literal = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  if (!ipaddr.isValid(literal)) return undefined;
  try {
    return ipaddr.process(literal).range();
  } catch {
    return undefined;
  }
}

/**
 * Checks a URL given by a host. `webcal://`, as calendar apps write feed links, is read as `https://`.
 * Never throws; `assertOutboundUrl` is the throwing form for request validation.
 */
export async function checkOutboundUrl({
  url,
  resolver,
  allowLoopback = false,
}: {
  url: string;
  resolver: HostResolver;
  allowLoopback?: boolean | undefined;
}): Promise<UrlCheck> {
  let parsed: URL;
  try {
    parsed = new URL(url.trim().replace(/^webcal:\/\//i, 'https://'));
  } catch {
    return { ok: false, reason: 'invalid-url', message: 'Must be an absolute http(s) URL' };
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return { ok: false, reason: 'unsupported-scheme', message: 'Must be an http or https URL' };
  }
  if (parsed.username !== '' || parsed.password !== '') {
    return {
      ok: false,
      reason: 'credentials',
      message: 'Must not contain a user name or password; they would end up in logs',
    };
  }
  const host = parsed.hostname;
  let addresses: readonly string[];
  if (addressRange(host) !== undefined) {
    addresses = [host.startsWith('[') ? host.slice(1, -1) : host];
  } else {
    try {
      addresses = await resolver.resolve(host);
    } catch {
      addresses = [];
    }
    if (addresses.length === 0) {
      return { ok: false, reason: 'unresolvable', message: `The host ${host} could not be resolved` };
    }
  }
  // Every address counts: a name that resolves to a public and a private address is a rebinding setup.
  const blocked = addresses.find((address) => !isPermittedAddress(address, { allowLoopback }));
  if (blocked !== undefined) {
    return {
      ok: false,
      reason: 'blocked-address',
      message: `Must reach a public address; ${host} resolves to a ${describeRange(addressRange(blocked))} address`,
    };
  }
  return { ok: true, url: parsed, addresses };
}

/** Like checkOutboundUrl, but throws InvalidInputError on `field` (a 400 naming the field). */
export async function assertOutboundUrl({
  url,
  resolver,
  allowLoopback = false,
  field,
}: {
  url: string;
  resolver: HostResolver;
  allowLoopback?: boolean | undefined;
  field: string;
}): Promise<URL> {
  const check = await checkOutboundUrl({ url, resolver, allowLoopback });
  if (!check.ok) throw new InvalidInputError('The URL is not allowed', [{ field, message: check.message }]);
  return check.url;
}

const rangeDescriptions: Record<string, string> = {
  private: 'private',
  loopback: 'loopback',
  linkLocal: 'link-local',
  uniqueLocal: 'private (unique local)',
  unspecified: 'unspecified',
  carrierGradeNat: 'carrier-grade NAT',
  multicast: 'multicast',
  broadcast: 'broadcast',
};

function describeRange(range: string | undefined): string {
  return (range && rangeDescriptions[range]) ?? 'non-public';
}
