import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { InvalidInputError, NotAuthenticatedError } from '#shared/domain/errors.ts';
import {
  assertWebhookSecret,
  newWebhookSecret,
  signedWebhookHeaders,
  signWebhook,
  verifyWebhook,
  WebhookSignatureError,
} from '#shared/integrations/webhook-signature.ts';

const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const otherSecret = 'whsec_c2VjcmV0LWZvci1hbm90aGVyLWludGVncmF0aW9uLTEyMw==';
const sentAt = new Date('2026-10-01T09:30:00Z');
const body = '{"type":"booking.created","version":1,"data":{"reservationId":"R-1042"}}';

function signed(options: { rawBody?: string | Uint8Array; at?: Date; with?: string } = {}) {
  return signedWebhookHeaders({
    secret: options.with ?? secret,
    webhookId: 'msg_2mQk7Yc1',
    sentAt: options.at ?? sentAt,
    rawBody: options.rawBody ?? body,
  });
}

function rejection(action: () => unknown): WebhookSignatureError {
  try {
    action();
  } catch (error) {
    if (error instanceof WebhookSignatureError) return error;
    throw error;
  }
  throw new Error('Expected the delivery to be refused');
}

describe('a signed webhook delivery is trusted only when its signature and time check out', () => {
  it('a delivery signed with the integration’s secret is accepted, and says which message it is', () => {
    const verified = verifyWebhook({ secrets: [secret], headers: signed(), rawBody: body, now: sentAt });

    expect(verified).toEqual({
      webhookId: 'msg_2mQk7Yc1',
      sentAt: '2026-10-01T09:30:00.000Z',
      secretIndex: 0,
    });
  });

  it('the Standard Webhooks published example verifies (same bytes, same signature)', () => {
    const verified = verifyWebhook({
      secrets: [secret],
      headers: {
        'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
        'webhook-timestamp': '1614265330',
        'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
      },
      rawBody: '{"test": 2432232314}',
      now: new Date(1614265330 * 1000),
    });

    expect(verified.webhookId).toBe('msg_p5jXN8AQM9LWM0D4loKWxJek');
  });

  it('a signature made by the reference implementation verifies here, and ours verifies there', () => {
    const reference = new Webhook(secret);
    const now = new Date();
    const theirs = reference.sign('msg_ref', now, body);
    expect(
      verifyWebhook({
        secrets: [secret],
        headers: {
          'webhook-id': 'msg_ref',
          'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
          'webhook-signature': theirs,
        },
        rawBody: body,
        now,
      }).webhookId,
    ).toBe('msg_ref');

    const ours = signedWebhookHeaders({ secret, webhookId: 'msg_ours', sentAt: now, rawBody: body });
    expect(reference.verify(body, ours)).toEqual(JSON.parse(body));
  });

  it('the signature covers the raw bytes: the same JSON re-serialised does not verify', () => {
    const spaced = '{ "type": "booking.created",\n  "guest": "Zoë" }';
    const headers = signed({ rawBody: Buffer.from(spaced, 'utf8') });

    expect(
      verifyWebhook({ secrets: [secret], headers, rawBody: Buffer.from(spaced), now: sentAt }).webhookId,
    ).toBe('msg_2mQk7Yc1');
    const reserialised = JSON.stringify(JSON.parse(spaced));
    expect(
      rejection(() => verifyWebhook({ secrets: [secret], headers, rawBody: reserialised, now: sentAt }))
        .reason,
    ).toBe('bad-signature');
  });

  it('a body changed after signing is refused', () => {
    const tampered = body.replace('R-1042', 'R-1043');

    const error = rejection(() =>
      verifyWebhook({ secrets: [secret], headers: signed(), rawBody: tampered, now: sentAt }),
    );

    expect(error.reason).toBe('bad-signature');
    expect(error.header).toBe('webhook-signature');
  });

  it('a delivery signed with another integration’s secret is refused', () => {
    const error = rejection(() =>
      verifyWebhook({
        secrets: [secret],
        headers: signed({ with: otherSecret }),
        rawBody: body,
        now: sentAt,
      }),
    );

    expect(error.reason).toBe('bad-signature');
  });

  it('a refusal is a 401-class error, with a message that names the failed check and no secret', () => {
    const error = rejection(() =>
      verifyWebhook({ secrets: [secret], headers: signed(), rawBody: `${body} `, now: sentAt }),
    );

    expect(error).toBeInstanceOf(NotAuthenticatedError);
    expect(error.message).toMatch(/signature/);
    expect(error.message).not.toContain(secret.slice(6));
  });
});

describe('a replayed or mistimed delivery is refused', () => {
  it('a replayed webhook older than 5 minutes is refused', () => {
    const fiveMinutesAndOneSecondLater = new Date(sentAt.getTime() + 301_000);

    const error = rejection(() =>
      verifyWebhook({
        secrets: [secret],
        headers: signed(),
        rawBody: body,
        now: fiveMinutesAndOneSecondLater,
      }),
    );

    expect(error.reason).toBe('stale-timestamp');
    expect(error.header).toBe('webhook-timestamp');
  });

  it('a delivery exactly 5 minutes old is still accepted (clock skew and retries)', () => {
    const fiveMinutesLater = new Date(sentAt.getTime() + 300_000);

    expect(
      verifyWebhook({ secrets: [secret], headers: signed(), rawBody: body, now: fiveMinutesLater })
        .secretIndex,
    ).toBe(0);
  });

  it('a timestamp more than 5 minutes ahead of our clock is refused', () => {
    const sixMinutesEarlier = new Date(sentAt.getTime() - 360_000);

    expect(
      rejection(() =>
        verifyWebhook({ secrets: [secret], headers: signed(), rawBody: body, now: sixMinutesEarlier }),
      ).reason,
    ).toBe('future-timestamp');
  });

  it('a timestamp moved forward by an attacker breaks the signature', () => {
    const headers = { ...signed(), 'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000) + 60) };

    expect(
      rejection(() => verifyWebhook({ secrets: [secret], headers, rawBody: body, now: sentAt })).reason,
    ).toBe('bad-signature');
  });

  it.each([['2026-10-01T09:30:00Z'], ['1790000000.5'], ['-1'], ['abc']])(
    'a timestamp that is not whole epoch seconds (%s) is refused as malformed',
    (timestamp) => {
      const headers = { ...signed(), 'webhook-timestamp': timestamp };

      expect(
        rejection(() => verifyWebhook({ secrets: [secret], headers, rawBody: body, now: sentAt })).reason,
      ).toBe('malformed-header');
    },
  );
});

describe('the three Standard Webhooks headers are required', () => {
  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const)(
    'a delivery without %s is refused, naming it',
    (name) => {
      const headers: Record<string, string> = { ...signed() };
      delete headers[name];

      const error = rejection(() =>
        verifyWebhook({ secrets: [secret], headers, rawBody: body, now: sentAt }),
      );

      expect(error.reason).toBe('missing-header');
      expect(error.header).toBe(name);
      expect(error.message).toContain(name);
    },
  );

  it('an empty header counts as missing', () => {
    const headers = { ...signed(), 'webhook-signature': '  ' };

    expect(
      rejection(() => verifyWebhook({ secrets: [secret], headers, rawBody: body, now: sentAt })).reason,
    ).toBe('missing-header');
  });

  it('header names are matched whatever their case, as HTTP defines them', () => {
    const { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature } = signed();
    const headers = { 'Webhook-Id': id, 'WEBHOOK-TIMESTAMP': timestamp, 'Webhook-Signature': signature };

    expect(verifyWebhook({ secrets: [secret], headers, rawBody: body, now: sentAt }).webhookId).toBe(
      'msg_2mQk7Yc1',
    );
  });

  it('a webhook-id with spaces is refused as malformed', () => {
    const headers = { ...signed(), 'webhook-id': 'msg one' };

    expect(
      rejection(() => verifyWebhook({ secrets: [secret], headers, rawBody: body, now: sentAt })).reason,
    ).toBe('malformed-header');
  });
});

describe('several signatures and several secrets', () => {
  it('a header listing several signatures verifies when any v1 signature matches', () => {
    const good = signWebhook({ secret, webhookId: 'msg_2mQk7Yc1', sentAt, rawBody: body });
    const headers = {
      ...signed(),
      'webhook-signature': `v1a,c29tZSBlZDI1NTE5IHNpZ25hdHVyZQ== v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= ${good}`,
    };

    expect(verifyWebhook({ secrets: [secret], headers, rawBody: body, now: sentAt }).webhookId).toBe(
      'msg_2mQk7Yc1',
    );
  });

  it('a signature under another scheme than v1 is not taken for one', () => {
    const good = signWebhook({ secret, webhookId: 'msg_2mQk7Yc1', sentAt, rawBody: body });
    const headers = { ...signed(), 'webhook-signature': good.replace('v1,', 'v2,') };

    expect(
      rejection(() => verifyWebhook({ secrets: [secret], headers, rawBody: body, now: sentAt })).reason,
    ).toBe('bad-signature');
  });

  it('during a rotation, deliveries signed with the old or the new secret both verify', () => {
    const rotating = [otherSecret, secret];

    const withNew = verifyWebhook({ secrets: rotating, headers: signed(), rawBody: body, now: sentAt });
    const withOld = verifyWebhook({
      secrets: rotating,
      headers: signed({ with: otherSecret }),
      rawBody: body,
      now: sentAt,
    });

    expect(withNew.secretIndex).toBe(1);
    expect(withOld.secretIndex).toBe(0);
  });

  it('after the rotation ends, the old secret no longer verifies', () => {
    expect(
      rejection(() =>
        verifyWebhook({
          secrets: [secret],
          headers: signed({ with: otherSecret }),
          rawBody: body,
          now: sentAt,
        }),
      ).reason,
    ).toBe('bad-signature');
  });

  it('an integration without any secret verifies nothing', () => {
    expect(
      rejection(() => verifyWebhook({ secrets: [], headers: signed(), rawBody: body, now: sentAt })).reason,
    ).toBe('bad-signature');
  });

  it('a header stuffed with signatures is refused before any work is done', () => {
    const headers = {
      ...signed(),
      'webhook-signature': Array.from({ length: 17 }, () => 'v1,AAAA').join(' '),
    };

    expect(
      rejection(() => verifyWebhook({ secrets: [secret], headers, rawBody: body, now: sentAt })).reason,
    ).toBe('malformed-header');
  });
});

describe('webhook secrets', () => {
  it('a new secret is in the whsec_ format, 32 random bytes, different every time', () => {
    const first = newWebhookSecret();
    const second = newWebhookSecret();

    expect(first).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(first.slice(6), 'base64')).toHaveLength(32);
    expect(second).not.toBe(first);
    expect(() => assertWebhookSecret(first)).not.toThrow();
  });

  it.each([
    ['no prefix', 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
    ['too short', 'whsec_c2hvcnQ='],
    ['not base64', 'whsec_not base64 at all, really not!!'],
    ['empty', 'whsec_'],
  ])('a secret with %s is refused, naming the field', (_case, candidate) => {
    let error: unknown;
    try {
      assertWebhookSecret(candidate, 'webhookSecret');
    } catch (thrown) {
      error = thrown;
    }

    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).problems[0]?.field).toBe('webhookSecret');
  });
});
