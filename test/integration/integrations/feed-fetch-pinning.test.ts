/**
 * The fetch feeds are read with connects only to permitted addresses, checked as it connects: a name that
 * resolves to loopback (or rebinds to it after the URL check passed) is refused before any byte is sent,
 * while the same server is reachable where loopback is allowed (the local cloud's demo feeds).
 */
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AllAddressesLookup, pinnedFetch } from '#shared/integrations/pinned-fetch.ts';
import { checkOutboundUrl } from '#shared/integrations/url-guard.ts';

let requests = 0;
const server = createServer((_request, response) => {
  requests += 1;
  response.writeHead(200, { 'content-type': 'text/calendar' });
  response.end('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n');
});
let port = 0;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
});

afterAll(() => {
  server.close();
});

/** DNS that answers a public address first and loopback afterwards: the rebinding attack. */
function rebindingDns(): { resolveAll: AllAddressesLookup; publicAnswer: () => Promise<string[]> } {
  let asked = 0;
  return {
    publicAnswer: async () => {
      asked += 1;
      return ['93.184.216.34'];
    },
    resolveAll: (_hostname, _options, callback) => {
      asked += 1;
      callback(
        null,
        asked > 1 ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '93.184.216.34', family: 4 }],
      );
    },
  };
}

async function failureOf(attempt: Promise<Response>): Promise<unknown> {
  try {
    await attempt;
  } catch (error) {
    return (error as { cause?: unknown }).cause ?? error;
  }
  throw new Error('Expected the fetch to be refused');
}

describe('fetching a feed', () => {
  it('refuses a name that resolves to loopback, without sending the request', async () => {
    const before = requests;
    const cause = await failureOf(pinnedFetch({ allowLoopback: false })(`http://localhost:${port}/feed.ics`));
    expect(cause).toMatchObject({ name: 'BlockedAddressError' });
    expect(requests).toBe(before);
  });

  it('refuses a name that passed the URL check and rebinds to loopback when the fetch connects', async () => {
    const dns = rebindingDns();
    const url = `http://calendar.example:${port}/feed.ics`;
    const check = await checkOutboundUrl({ url, resolver: { resolve: dns.publicAnswer } });
    expect(check.ok).toBe(true);
    const before = requests;

    const cause = await failureOf(pinnedFetch({ allowLoopback: false, resolveAll: dns.resolveAll })(url));

    expect(cause).toMatchObject({ name: 'BlockedAddressError' });
    expect(String((cause as Error).message)).toContain('127.0.0.1');
    expect(requests).toBe(before);
  });

  it('reaches the same server where loopback is allowed', async () => {
    const response = await pinnedFetch({ allowLoopback: true })(`http://localhost:${port}/feed.ics`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('BEGIN:VCALENDAR');
  });
});
