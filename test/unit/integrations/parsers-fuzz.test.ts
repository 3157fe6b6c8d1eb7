/**
 * Random and mutated input thrown at every parser of outside data: each either reads it or refuses it with
 * the error a handler maps to a 4xx (InvalidInputError, WebhookSignatureError); none ever throws anything
 * else, which a handler would have to answer with a 500.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '#shared/domain/errors.ts';
import { parseGenericWebhookEvent } from '#shared/integrations/generic-webhook.ts';
import { readGuestyWebhook } from '#shared/integrations/guesty.ts';
import { readHostawayWebhook } from '#shared/integrations/hostaway.ts';
import { parseIcalFeed } from '#shared/integrations/ical.ts';
import { verifyWebhook, WebhookSignatureError } from '#shared/integrations/webhook-signature.ts';
import { fixtureJson, fixtureText } from './fixtures.ts';

const receivedAt = new Date('2026-10-05T12:00:00Z');
const runs = { numRuns: 400 };

function readsOrRefuses(
  read: () => unknown,
  allowed: abstract new (...args: never[]) => Error = InvalidInputError,
) {
  try {
    read();
  } catch (error) {
    if (!(error instanceof allowed)) throw error;
  }
}

/** A value put at a random path of a recorded payload: a wrong type, a missing field, a strange string. */
function mutated(base: Record<string, unknown>) {
  const paths = leafPaths(base);
  return fc
    .array(
      fc.tuple(fc.constantFrom(...paths), fc.oneof(fc.jsonValue(), fc.constant(undefined), fc.string())),
      {
        minLength: 1,
        maxLength: 4,
      },
    )
    .map((changes) => {
      const copy = structuredClone(base);
      for (const [path, value] of changes) setAt(copy, path, value);
      return copy;
    });
}

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
  if (last !== undefined) node[last] = value;
}

describe('channel payloads never make a parser fail in an unexpected way', () => {
  it('random JSON is read or refused by every webhook reader', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (body) => {
        readsOrRefuses(() => readHostawayWebhook({ body, receivedAt }));
        readsOrRefuses(() => readGuestyWebhook({ body, receivedAt }));
        readsOrRefuses(() => parseGenericWebhookEvent(body));
      }),
      runs,
    );
  });

  it('mutated Hostaway reservations are read or refused', () => {
    fc.assert(
      fc.property(mutated(fixtureJson('hostaway-reservation-created.json')), (body) => {
        readsOrRefuses(() => readHostawayWebhook({ body, receivedAt }));
      }),
      runs,
    );
  });

  it('mutated Guesty reservations are read or refused', () => {
    fc.assert(
      fc.property(mutated(fixtureJson('guesty-reservation-created-v2.json')), (body) => {
        readsOrRefuses(() => readGuestyWebhook({ body, receivedAt }));
      }),
      runs,
    );
  });

  it('mutated generic events are read or refused', () => {
    const event = {
      type: 'booking.created',
      version: 1,
      occurredAt: '2026-10-01T09:30:00Z',
      data: {
        reservationId: 'R-1042',
        propertyExternalId: 'villa-7',
        guest: { name: 'Ana Souza', email: 'ana@example.com', phone: '+55 11 91234-5678', language: 'pt-BR' },
        arrivalDate: '2026-10-24',
        departureDate: '2026-10-27',
        checkInTime: '16:00',
      },
    };
    fc.assert(
      fc.property(mutated(event), (body) => {
        readsOrRefuses(() => parseGenericWebhookEvent(body));
      }),
      runs,
    );
  });
});

describe('calendar feeds never make the parser throw', () => {
  const feeds = ['airbnb.ics', 'vrbo.ics', 'booking-com.ics', 'pms-timed.ics'].map(fixtureText);

  it('random text is read or refused with a reason', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
          fc.string({ maxLength: 300 }).map((rest) => `BEGIN:VCALENDAR\r\n${rest}`),
          fc
            .string({ maxLength: 300 })
            .map((rest) => `BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n${rest}\r\nEND:VEVENT\r\nEND:VCALENDAR`),
        ),
        (text) => {
          const result = parseIcalFeed({ text, timeZone: 'Europe/Berlin' });
          expect(typeof result.ok).toBe('boolean');
        },
      ),
      runs,
    );
  });

  it('recorded feeds with lines dropped, repeated or garbled are read or refused with a reason', () => {
    const mutatedFeed = fc
      .tuple(
        fc.constantFrom(...feeds),
        fc.array(
          fc.tuple(
            fc.constantFrom('drop', 'repeat', 'garble', 'truncate'),
            fc.nat(),
            fc.string({ maxLength: 12 }),
          ),
          { minLength: 1, maxLength: 5 },
        ),
      )
      .map(([text, edits]) => {
        const lines = text.split('\r\n');
        for (const [edit, at, noise] of edits) {
          if (lines.length === 0) break;
          const index = at % lines.length;
          const line = lines[index] ?? '';
          if (edit === 'drop') lines.splice(index, 1);
          if (edit === 'repeat') lines.splice(index, 0, line);
          if (edit === 'garble')
            lines[index] = line.slice(0, at % (line.length + 1)) + noise + line.slice(at % (line.length + 1));
          if (edit === 'truncate') lines.length = index;
        }
        return lines.join('\r\n');
      });
    fc.assert(
      fc.property(mutatedFeed, (text) => {
        const result = parseIcalFeed({ text, timeZone: 'Europe/Berlin' });
        if (result.ok) {
          for (const reservation of result.feed.reservations) {
            expect(reservation.departureDate > reservation.arrivalDate).toBe(true);
          }
        } else {
          expect(result.reason.length).toBeGreaterThan(0);
        }
      }),
      runs,
    );
  });
});

describe('signature headers never make verification fail in an unexpected way', () => {
  it('random headers and bodies are refused as unauthenticated, never crash', () => {
    const header = fc.oneof(fc.string(), fc.constant(undefined), fc.array(fc.string(), { maxLength: 3 }));
    fc.assert(
      fc.property(header, header, header, fc.string(), (id, timestamp, signature, rawBody) => {
        readsOrRefuses(
          () =>
            verifyWebhook({
              secrets: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
              headers: { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature },
              rawBody,
              now: receivedAt,
            }),
          WebhookSignatureError,
        );
      }),
      runs,
    );
  });
});
