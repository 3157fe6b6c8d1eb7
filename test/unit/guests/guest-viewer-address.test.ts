/**
 * Whose address the guest API's rate limit counts: behind CloudFront, the viewer's, as the distribution reports it
 * in `CloudFront-Viewer-Address` with its secret origin header; a request without that secret (a direct call to
 * the HTTP API, or the local cloud) counts against its source address, whatever viewer address it claims.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { answerGuest, type GuestApiServices } from '#functions/http/api/guest.ts';
import { createBooking } from '#shared/domain/operations/bookings.ts';
import { issueGuestLink } from '#shared/guests/guest-link.ts';
import type { LookupLimiter } from '#shared/guests/lookup-limit.ts';
import {
  addressOfViewerHeader,
  edgeSecretHeader,
  viewerAddressHeader,
  viewerAddressOf,
} from '#shared/http/viewer-address.ts';
import { addLock, addProperty, member, type TestWorld, testWorld } from '../domain/fakes.ts';
import { InMemoryGuestLinks } from './guest-email-fakes.ts';

const secret = 'edge-secret-7f3a9c1e5b';
const edgeIp = '130.176.0.12';

describe('the viewer address CloudFront reports', () => {
  it('is read from ip:port, IPv4 and IPv6 (unbracketed or bracketed)', () => {
    expect(addressOfViewerHeader('198.51.100.10:46532')).toBe('198.51.100.10');
    expect(addressOfViewerHeader('2001:db8:85a3::8a2e:370:7334:46532')).toBe('2001:db8:85a3::8a2e:370:7334');
    expect(addressOfViewerHeader('[2001:db8::1]:443')).toBe('2001:db8::1');
    expect(addressOfViewerHeader(' 203.0.113.9:1 ')).toBe('203.0.113.9');
  });

  it('is nothing when it is not an address and a port', () => {
    for (const value of [
      '198.51.100.10',
      'example.com:443',
      '198.51.100.10:99999',
      '',
      '999.1.1.1:80',
      ':80',
    ]) {
      expect(addressOfViewerHeader(value), value).toBeUndefined();
    }
  });
});

describe('the address the rate limit counts', () => {
  const through = (headers: Record<string, string>) =>
    viewerAddressOf({ headers, sourceIp: edgeIp, edgeSecret: secret });

  it('is the viewer’s when the distribution’s secret header matches', () => {
    expect(through({ [edgeSecretHeader]: secret, [viewerAddressHeader]: '198.51.100.10:46532' })).toBe(
      '198.51.100.10',
    );
  });

  it('is the source address when the secret is missing or wrong, whatever viewer address is claimed', () => {
    expect(through({ [viewerAddressHeader]: '198.51.100.10:46532' })).toBe(edgeIp);
    expect(through({ [edgeSecretHeader]: `${secret}x`, [viewerAddressHeader]: '198.51.100.10:1' })).toBe(
      edgeIp,
    );
    expect(through({ [edgeSecretHeader]: '', [viewerAddressHeader]: '198.51.100.10:1' })).toBe(edgeIp);
  });

  it('is the source address where no secret is configured (no edge in front), even if one is sent', () => {
    for (const edgeSecret of [undefined, '']) {
      expect(
        viewerAddressOf({
          headers: { [edgeSecretHeader]: '', [viewerAddressHeader]: '198.51.100.10:46532' },
          sourceIp: '203.0.113.5',
          edgeSecret,
        }),
      ).toBe('203.0.113.5');
    }
  });

  it('falls back to the source address when the distribution sends no usable viewer address', () => {
    expect(through({ [edgeSecretHeader]: secret })).toBe(edgeIp);
    expect(through({ [edgeSecretHeader]: secret, [viewerAddressHeader]: 'garbage' })).toBe(edgeIp);
    expect(viewerAddressOf({ headers: undefined, sourceIp: undefined, edgeSecret: secret })).toBe('unknown');
  });
});

describe('the guest API’s rate limit behind CloudFront', () => {
  let world: TestWorld;
  let services: GuestApiServices;
  let token: string;
  const keys: string[] = [];

  /** Allows `limit` lookups per key, like the table's conditional counter. */
  function countingLimiter(limit: number): LookupLimiter {
    const counts = new Map<string, number>();
    return {
      async take({ key }) {
        keys.push(key);
        const count = counts.get(key) ?? 0;
        if (count >= limit) return { allowed: false, retryAfterSeconds: 30 };
        counts.set(key, count + 1);
        return { allowed: true };
      },
    };
  }

  const lookUp = (headers: Record<string, string>) =>
    answerGuest({
      event: {
        routeKey: 'GET /guest/stays/{token}',
        rawPath: `/guest/stays/${token}`,
        pathParameters: { token },
        headers,
        requestContext: { http: { method: 'GET', sourceIp: edgeIp } },
      } as unknown as APIGatewayProxyEventV2,
      services,
    });

  beforeEach(async () => {
    keys.length = 0;
    world = testWorld({ now: '2026-10-20T09:00:00.000Z', randomScript: [480371] });
    addProperty(world.store);
    addLock(world.store, { id: 'lck_front', name: 'Front door' });
    const guestLinks = new InMemoryGuestLinks();
    services = {
      ports: { ...world.ports, guestLinks, conditions: { get: async () => undefined } },
      limiter: countingLimiter(2),
      now: () => world.clock.now(),
      edgeSecret: secret,
    };
    const created = await createBooking({
      ports: world.ports,
      principal: member({ role: 'owner' }),
      input: {
        propertyId: 'prp_loft',
        guest: { name: 'Ada Lovelace' },
        arrivalDate: '2026-10-24',
        departureDate: '2026-10-27',
      },
    });
    ({ token } = await issueGuestLink({ store: guestLinks, grant: created.grant, now: world.clock.now() }));
  });

  it('counts each viewer on its own, though all come from one edge', async () => {
    const viewer = (address: string) => ({ [edgeSecretHeader]: secret, [viewerAddressHeader]: address });

    const first = [await lookUp(viewer('198.51.100.10:1000')), await lookUp(viewer('198.51.100.10:1001'))];
    const third = await lookUp(viewer('198.51.100.10:1002'));
    const another = await lookUp(viewer('203.0.113.77:2000'));

    expect(first.map((answer) => answer.statusCode)).toEqual([200, 200]);
    expect(third.statusCode).toBe(429);
    expect(another.statusCode).toBe(200);
    expect(keys.every((key) => !key.includes(edgeIp))).toBe(true);
  });

  it('does not let a direct caller escape the limit by claiming a new viewer address each time', async () => {
    const answers = [];
    for (const port of [1, 2, 3]) {
      answers.push(await lookUp({ [viewerAddressHeader]: `192.0.2.${port}:${port}` }));
    }

    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200, 429]);
    expect(keys.every((key) => key.startsWith(`${edgeIp}#`))).toBe(true);
  });
});
