/**
 * Random and mutated deliveries thrown at the public webhook receiver (the Lambda handler, over in-memory
 * services) for each kind of integration, correctly authenticated so that they reach the adapters and the
 * inbox: whatever the body, the answer is a 2xx or a 4xx problem, never a 500. Accepted ones are then
 * processed, and processing settles them (processed or failed) rather than throwing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { processDelivery } from '#shared/integrations/deliveries.ts';
import { createIntegration } from '#shared/integrations/manage.ts';
import { signedWebhookHeaders } from '#shared/integrations/webhook-signature.ts';
import { member } from '../domain/fakes.ts';
import { fixtureJson } from './fixtures.ts';
import { type IntegrationWorld, integrationWorldWithLoft } from './integration-fakes.ts';
import {
  basic,
  guestyIntegration,
  guestySecret,
  hostawayIntegration,
  post,
  svixHeaders,
} from './receiver-harness.ts';

const runs = { numRuns: 150 };
const owner = member({ role: 'owner' });

function leafPaths(value: unknown, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  return [prefix, ...Object.entries(value).flatMap(([key, inner]) => leafPaths(inner, [...prefix, key]))];
}

function setAt(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node: Record<string, unknown> = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== 'object') return;
    node = next as Record<string, unknown>;
  }
  const last = path.at(-1);
  if (last === undefined) return;
  if (value === undefined) delete node[last];
  else node[last] = value;
}

/** A recorded payload with a few fields replaced by junk, or removed. */
function mutated(base: Record<string, unknown>) {
  const paths = leafPaths(base).filter((path) => path.length > 0);
  return fc
    .array(
      fc.tuple(
        fc.constantFrom(...paths),
        fc.oneof(fc.jsonValue(), fc.constant(undefined), fc.string(), fc.constant('2026-02-30')),
      ),
      { minLength: 1, maxLength: 4 },
    )
    .map((changes) => {
      const copy = structuredClone(base);
      for (const [path, value] of changes) setAt(copy, path, value);
      return JSON.stringify(copy);
    });
}

/** Bodies of every sort: mutated recordings, random JSON, and bytes that are not JSON at all. */
const bodiesLike = (base: Record<string, unknown>) =>
  fc.oneof(
    { weight: 6, arbitrary: mutated(base) },
    { weight: 2, arbitrary: fc.jsonValue().map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: fc.string() },
  );

const world = () => integrationWorldWithLoft({ now: '2026-10-01T09:00:00.000Z' });

async function processAll(target: IntegrationWorld) {
  for (const task of target.scheduler.take()) {
    const payload = task.payload as { tenantId: string; integrationId: string; deliveryId: string };
    const status = await processDelivery({ services: target.services, ...payload });
    expect(['processed', 'failed']).toContain(status);
  }
}

function expectNoServerError(answer: { statusCode: number; body: Record<string, unknown> }, body: string) {
  expect(answer.statusCode, body).toBeLessThan(500);
  expect([200, 202, 400, 401, 404, 413, 415]).toContain(answer.statusCode);
}

describe('The webhook receiver under random and mutated deliveries', () => {
  it('Hostaway: never a 500, and what it accepts is processed without throwing', async () => {
    const target = world();
    const { integrationId, credentials } = await hostawayIntegration(target);
    await fc.assert(
      fc.asyncProperty(bodiesLike(fixtureJson('hostaway-reservation-created.json')), async (body) => {
        const answer = await post({
          world: target,
          integrationId,
          body,
          headers: { authorization: basic(credentials) },
        });
        expectNoServerError(answer, body);
        await processAll(target);
      }),
      runs,
    );
  });

  it('Guesty: never a 500, and what it accepts is processed without throwing', async () => {
    const target = world();
    const { integrationId } = await guestyIntegration(target);
    let sequence = 0;
    await fc.assert(
      fc.asyncProperty(bodiesLike(fixtureJson('guesty-reservation-created-v2.json')), async (body) => {
        sequence += 1;
        const headers = svixHeaders({
          secret: guestySecret,
          id: `msg_${sequence}`,
          sentAt: target.clock.now(),
          body,
        });
        const answer = await post({ world: target, integrationId, body, headers });
        expectNoServerError(answer, body);
        await processAll(target);
      }),
      runs,
    );
  });

  it('Lockstay’s own webhook: never a 500', async () => {
    const target = world();
    const created = await createIntegration({
      services: target.services,
      principal: owner,
      input: { kind: 'lockstay-webhook', name: 'PMS', listings: { 'villa-7': 'prp_loft' } },
    });
    const secret = created.secret ?? '';
    const base = {
      type: 'booking.created',
      version: 1,
      occurredAt: '2026-10-01T08:00:00Z',
      data: {
        reservationId: 'R-1',
        propertyExternalId: 'villa-7',
        guest: { name: 'Ana', email: 'ana@example.com' },
        arrivalDate: '2026-10-24',
        departureDate: '2026-10-27',
      },
    };
    let sequence = 0;
    await fc.assert(
      fc.asyncProperty(bodiesLike(base), async (body) => {
        sequence += 1;
        const headers = signedWebhookHeaders({
          secret,
          webhookId: `msg_${sequence}`,
          sentAt: target.clock.now(),
          rawBody: body,
        });
        const answer = await post({ world: target, integrationId: created.integration.id, body, headers });
        expectNoServerError(answer, body);
        await processAll(target);
      }),
      runs,
    );
  });

  it('random headers never make a 500 either', async () => {
    const target = world();
    const { integrationId } = await guestyIntegration(target);
    const hostawayTarget = await hostawayIntegration(target);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(integrationId, hostawayTarget.integrationId, 'int_unknown'),
        fc.dictionary(
          fc.constantFrom('authorization', 'svix-id', 'svix-timestamp', 'svix-signature', 'webhook-id'),
          fc.string(),
        ),
        async (id, headers) => {
          const answer = await post({ world: target, integrationId: id, body: '{}', headers });
          expect([400, 401, 404]).toContain(answer.statusCode);
        },
      ),
      runs,
    );
  });
});
