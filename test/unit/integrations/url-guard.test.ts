import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '#shared/domain/errors.ts';
import {
  assertOutboundUrl,
  checkOutboundUrl,
  type HostResolver,
  isPermittedAddress,
} from '#shared/integrations/url-guard.ts';

/** DNS as a table: names not in it do not resolve. */
function resolverOf(table: Record<string, string[]>): HostResolver & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async resolve(hostname) {
      asked.push(hostname);
      const addresses = table[hostname];
      if (!addresses)
        throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
      return addresses;
    },
  };
}

const dns = resolverOf({
  'www.airbnb.com': ['52.4.186.171', '2600:1f18:631e:2f84::1'],
  'calendar.example-pms.com': ['185.199.108.153'],
  'metadata.attacker.test': ['169.254.169.254'],
  'intranet.attacker.test': ['10.0.12.7'],
  'rebind.attacker.test': ['52.4.186.171', '127.0.0.1'],
  'v6private.attacker.test': ['fd00:ec2::254'],
  'mapped.attacker.test': ['::ffff:127.0.0.1'],
  localhost: ['127.0.0.1', '::1'],
  'empty.attacker.test': [],
});

async function refusal(url: string, allowLoopback = false) {
  const check = await checkOutboundUrl({ url, resolver: dns, allowLoopback });
  if (check.ok) throw new Error(`Expected ${url} to be refused`);
  return check;
}

describe('feed and webhook URLs must reach the public internet', () => {
  it('an Airbnb feed URL resolving to public addresses is accepted', async () => {
    const check = await checkOutboundUrl({
      url: 'https://www.airbnb.com/calendar/ical/51243387.ics?s=5f0e8d1c2b3a4958',
      resolver: dns,
    });

    expect(check).toMatchObject({ ok: true, addresses: ['52.4.186.171', '2600:1f18:631e:2f84::1'] });
  });

  it('a webcal:// link, as calendar apps write them, is fetched over https', async () => {
    const check = await checkOutboundUrl({
      url: 'webcal://calendar.example-pms.com/feeds/villa-7.ics',
      resolver: dns,
    });

    expect(check.ok && check.url.href).toBe('https://calendar.example-pms.com/feeds/villa-7.ics');
  });

  it.each([
    ['the cloud metadata service', 'http://metadata.attacker.test/latest/meta-data/', 'link-local'],
    ['a private network address', 'https://intranet.attacker.test/feed.ics', 'private'],
    ['a unique-local IPv6 address (fc00::/7)', 'https://v6private.attacker.test/feed.ics', 'unique local'],
    ['an IPv4-mapped IPv6 loopback (::ffff:127.0.0.1)', 'https://mapped.attacker.test/feed.ics', 'loopback'],
    ['localhost', 'http://localhost:4000/feed.ics', 'loopback'],
  ])('a name that resolves to %s is refused', async (_case, url, kind) => {
    const check = await refusal(url);

    expect(check.reason).toBe('blocked-address');
    expect(check.message).toContain(kind);
  });

  it('a name resolving to a public and a private address (DNS rebinding) is refused', async () => {
    expect((await refusal('https://rebind.attacker.test/feed.ics')).reason).toBe('blocked-address');
  });

  it.each([
    'http://127.0.0.1/feed.ics',
    'http://2130706433/feed.ics',
    'http://0x7f.1/feed.ics',
    'http://0.0.0.0:8080/',
    'http://169.254.169.254/latest/meta-data/',
    'http://10.1.2.3/',
    'http://172.16.0.1/',
    'http://192.168.1.1/',
    'http://100.64.0.1/',
    'http://[::1]/',
    'http://[::]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:a9fe:a9fe]/',
    'http://[fe80::1]/',
    'http://[fc00::1]/',
    'http://[fd12:3456::1]/',
    'http://[64:ff9b::7f00:1]/',
    'http://[2002:7f00:1::]/',
  ])('an address literal outside the public internet (%s) is refused without asking DNS', async (url) => {
    const before = dns.asked.length;

    expect((await refusal(url)).reason).toBe('blocked-address');
    expect(dns.asked.length).toBe(before);
  });

  it.each([
    ['ftp://calendar.example-pms.com/feed.ics', 'unsupported-scheme'],
    ['file:///etc/passwd', 'unsupported-scheme'],
    ['not a url', 'invalid-url'],
    ['https://user:secret@calendar.example-pms.com/feed.ics', 'credentials'],
    ['https://nowhere.attacker.test/feed.ics', 'unresolvable'],
    ['https://empty.attacker.test/feed.ics', 'unresolvable'],
  ])('%s is refused as %s', async (url, reason) => {
    expect((await refusal(url)).reason).toBe(reason);
  });
});

describe('the local cloud may allow loopback for its own demo feeds', () => {
  it('with the flag, a loopback feed is accepted', async () => {
    const check = await checkOutboundUrl({
      url: 'http://localhost:4000/demo/airbnb.ics',
      resolver: dns,
      allowLoopback: true,
    });

    expect(check.ok).toBe(true);
  });

  it('the flag opens loopback only: private and link-local addresses stay refused', async () => {
    expect((await refusal('http://169.254.169.254/', true)).reason).toBe('blocked-address');
    expect((await refusal('http://192.168.1.1/', true)).reason).toBe('blocked-address');
  });

  it('the address check for connections applies the same policy', () => {
    expect(isPermittedAddress('127.0.0.1')).toBe(false);
    expect(isPermittedAddress('127.0.0.1', { allowLoopback: true })).toBe(true);
    expect(isPermittedAddress('::ffff:10.0.0.1', { allowLoopback: true })).toBe(false);
    expect(isPermittedAddress('52.4.186.171')).toBe(true);
    expect(isPermittedAddress('not an address')).toBe(false);
  });
});

describe('request validation', () => {
  it('a refused URL is a 400 naming the field', async () => {
    const error = await assertOutboundUrl({
      url: 'http://10.0.0.5/feed.ics',
      resolver: dns,
      field: 'feedUrl',
    }).catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).problems).toEqual([
      { field: 'feedUrl', message: 'Must reach a public address; 10.0.0.5 resolves to a private address' },
    ]);
  });

  it('an accepted URL comes back parsed', async () => {
    const url = await assertOutboundUrl({
      url: 'https://www.airbnb.com/calendar/ical/1.ics',
      resolver: dns,
      field: 'feedUrl',
    });

    expect(url.hostname).toBe('www.airbnb.com');
  });
});
