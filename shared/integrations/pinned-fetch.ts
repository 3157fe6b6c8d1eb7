/**
 * The fetch feeds are read with. The URL guard checks a feed's host name before each poll, but a name can
 * resolve to a public address for the check and to 169.254.169.254 a moment later for the connection (DNS
 * rebinding). This fetch closes that window: its HTTP agent resolves the name itself when it connects and
 * refuses to connect unless every address it got is permitted, so the address checked is the address used.
 */
import { type LookupAddress, type LookupAllOptions, type LookupOneOptions, lookup } from 'node:dns';
import { Agent, fetch as undiciFetch } from 'undici';
import { isPermittedAddress } from './url-guard.ts';

/** `dns.lookup` asking for every address, the one form the guard needs. */
export type AllAddressesLookup = (
  hostname: string,
  options: LookupAllOptions,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

export class BlockedAddressError extends Error {
  readonly code = 'EBLOCKEDADDRESS';
  constructor(hostname: string, address: string) {
    super(`${hostname} resolved to ${address}, which feeds may not reach`);
    this.name = 'BlockedAddressError';
  }
}

type ConnectLookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** A `lookup` for `net.connect` that answers only permitted addresses, in either form net asks for. */
export function guardedLookup({
  allowLoopback,
  resolveAll = lookup as AllAddressesLookup,
}: {
  allowLoopback: boolean;
  resolveAll?: AllAddressesLookup;
}) {
  return (
    hostname: string,
    options: LookupOneOptions | LookupAllOptions,
    callback: ConnectLookupCallback,
  ) => {
    resolveAll(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const blocked = addresses.find(({ address }) => !isPermittedAddress(address, { allowLoopback }));
      if (blocked !== undefined || addresses.length === 0) {
        return callback(new BlockedAddressError(hostname, blocked?.address ?? 'nothing'), []);
      }
      if (options.all) return callback(null, addresses);
      const [first] = addresses as [LookupAddress];
      return callback(null, first.address, first.family);
    });
  };
}

/** A fetch whose connections reach only permitted addresses (an IP literal is not looked up: the URL guard checks it, and it cannot change). */
export function pinnedFetch(options: {
  allowLoopback: boolean;
  resolveAll?: AllAddressesLookup;
}): typeof fetch {
  const dispatcher = new Agent({ connect: { lookup: guardedLookup(options) } });
  return ((input: string | URL, init?: RequestInit) =>
    undiciFetch(input, { ...(init as object), dispatcher })) as unknown as typeof fetch;
}
