/**
 * A guest opens their stay's wifi lock from the stay page on the local cloud: the POST from the page's origin is
 * accepted, the firmware lock opens and the command reads succeeded; a POST without the page's Origin acts not.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createGuestLinkStore } from '#shared/adapters/dynamo/guest-links.ts';
import { createDynamoTable } from '#shared/adapters/dynamo/table.ts';
import { issueGuestLink } from '#shared/guests/guest-link.ts';
import { type RunningLock, startLock } from '../../../firmware/lock.ts';
import { demoOwner, hostApiClient, idTokenOf, storageOf } from '../../support/hosts.ts';

const endpoints = inject('endpoints');
const unique = Date.now().toString(36);
const guestLinks = createGuestLinkStore({
  table: createDynamoTable({
    client: DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: endpoints.services.dynamodb,
        region: endpoints.region,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
      { marshallOptions: { removeUndefinedValues: true } },
    ),
    tableName: endpoints.tableName,
  }),
});
const berlinDate = (offsetDays: number) =>
  new Date(Date.now() + offsetDays * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Berlin' });
const pageOrigin = new URL(endpoints.api).origin;

let folder: string;
let lock: RunningLock | undefined;
let lockId: string;
let token: string;

function postUnlock(headers: Record<string, string>) {
  return fetch(`${endpoints.api}/guest/stays/${token}/unlock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ lockId }),
  });
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'lockstay-guest-unlock-'));
  const credentials = await demoOwner(endpoints);
  const owner = hostApiClient(endpoints, await idTokenOf(endpoints, credentials));
  const property = await owner.request('POST', '/properties', {
    body: {
      name: `Guest unlock flat ${unique}`,
      address: { line1: 'Torstrasse 11', city: 'Berlin', countryCode: 'DE' },
      timeZone: 'Europe/Berlin',
    },
  });
  expect(property.status).toBe(201);
  const registered = await owner.request('POST', '/locks', {
    body: { propertyId: property.body.id, name: `Guest door ${unique}`, connectivity: 'wifi' },
  });
  expect(registered.status).toBe(201);
  lockId = registered.body.lock.id;
  const bundle = registered.body.installerBundle;
  lock = await startLock({
    thingName: bundle.thingName,
    connectivity: 'wifi',
    deviceKeys: [{ version: registered.body.lock.credentials.keyVersion, key: bundle.deviceKey }],
    storagePath: join(folder, `${bundle.thingName}.json`),
    endpoint: endpoints.services.mqtts,
    certificate: {
      certificatePem: bundle.certificatePem,
      privateKeyPem: bundle.privateKeyPem,
      caPem: bundle.caCertificatePem,
    },
    autoRelockMs: 60_000,
  });
  await lock.whenOnline();
  // A stay that began yesterday, so that it is active now.
  const created = await owner.request('POST', '/bookings', {
    body: {
      propertyId: property.body.id,
      guest: { name: 'Grace Hopper', email: `grace-unlock-${unique}@example.com` },
      arrivalDate: berlinDate(-1),
      departureDate: berlinDate(2),
    },
  });
  expect(created.status).toBe(201);
  const grant = await storageOf(endpoints).grants.get({
    tenantId: credentials.tenantId,
    grantId: created.body.grant.id,
  });
  if (!grant) throw new Error('The booking has no grant');
  ({ token } = await issueGuestLink({ store: guestLinks, grant, now: new Date() }));
});

afterAll(async () => {
  await lock?.stop();
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe('a guest opening their lock remotely', () => {
  it('is refused without the page’s Origin, and the lock stays locked', async () => {
    const refused = await postUnlock({});

    expect(refused.status).toBe(403);
    expect(lock?.snapshot().state.bolt).toBe('locked');
  });

  it('opens the lock from the stay page: 202 pending, then succeeded, and the firmware shows it open', async () => {
    const accepted = await postUnlock({ origin: pageOrigin });
    const body = await accepted.json();
    expect(accepted.status, JSON.stringify(body)).toBe(202);
    expect(body).toEqual({ id: expect.any(String), status: 'pending' });

    // The lock answers within the command's life (30 s); one wait of a few seconds may end before it has.
    let outcome: { status: number; body: { status?: string } } | undefined;
    await expect
      .poll(
        async () => {
          const answer = await fetch(`${endpoints.api}/guest/stays/${token}/commands/${body.id}?wait=5`);
          outcome = { status: answer.status, body: await answer.json() };
          return outcome.body.status;
        },
        { timeout: 60_000, interval: 250 },
      )
      .not.toBe('pending');

    expect(outcome?.status).toBe(200);
    expect(outcome?.body).toMatchObject({ id: body.id, lockId, status: 'succeeded' });
    expect(lock?.snapshot().state.bolt).toBe('unlocked');
  }, 120_000);
});
