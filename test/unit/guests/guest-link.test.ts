import { createHash } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createGuestLinkStore, guestLinkItem } from '#shared/adapters/dynamo/guest-links.ts';
import { createDynamoTable } from '#shared/adapters/dynamo/table.ts';
import { revoke } from '#shared/domain/grant.ts';
import {
  type GuestLink,
  type GuestLinkStore,
  guestLinkFor,
  guestLinkStanding,
  guestLinkTokenSchema,
  hashGuestLinkToken,
  issueGuestLink,
  newGuestLinkToken,
} from '#shared/guests/guest-link.ts';
import { grant, turnover } from '../adapters/dynamo/samples.ts';

// The sample grant runs from 2026-10-20T13:00Z to 2026-10-25T10:00Z.
const issuedAt = new Date('2026-10-01T09:00:00.000Z');
const at = (instant: string) => new Date(instant);

describe('a guest link token', () => {
  it('is 256 crypto-random bits in base64url, different every time', () => {
    const tokens = new Set(Array.from({ length: 50 }, () => newGuestLinkToken()));
    expect(tokens.size).toBe(50);
    for (const token of tokens) {
      expect(guestLinkTokenSchema.safeParse(token).success).toBe(true);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    }
  });

  it('is stored only as its SHA-256 hash', () => {
    const { token, link } = guestLinkFor({ grant, now: issuedAt });
    expect(link.tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(link)).not.toContain(token);
    expect(JSON.stringify(guestLinkItem(link))).not.toContain(token);
    expect(hashGuestLinkToken(token)).toBe(link.tokenHash);
  });

  it('is bound to one booking grant and never issued for staff grants', () => {
    const { link } = guestLinkFor({ grant, now: issuedAt });
    expect(link).toMatchObject({ tenantId: grant.tenantId, grantId: grant.id, bookingId: grant.bookingId });
    expect(() => guestLinkFor({ grant: turnover, now: issuedAt })).toThrow(/booking grants/);
  });
});

describe('when a guest link is honoured', () => {
  const { link } = guestLinkFor({ grant, now: issuedAt });

  it('opens 14 days before check-in (the longest email lead time) and closes 2 hours after check-out', () => {
    expect(link.validFrom).toBe('2026-10-06T13:00:00.000Z');
    expect(link.validUntil).toBe('2026-10-25T12:00:00.000Z');
    expect(guestLinkStanding({ link, grant, now: at('2026-10-06T12:59:59.999Z') })).toBe('not-yet-valid');
    expect(guestLinkStanding({ link, grant, now: at('2026-10-06T13:00:00.000Z') })).toBe('valid');
    expect(guestLinkStanding({ link, grant, now: at('2026-10-25T11:59:59.999Z') })).toBe('valid');
  });

  it('is refused once expired even though its record is still there', () => {
    expect(guestLinkStanding({ link, grant, now: at('2026-10-25T12:00:00.000Z') })).toBe('expired');
    expect(guestLinkStanding({ link, grant, now: at('2027-01-01T00:00:00.000Z') })).toBe('expired');
  });

  it('is refused as soon as its grant is revoked (a cancelled booking)', () => {
    const revoked = revoke({
      grant,
      at: '2026-10-21T08:00:00.000Z',
      reason: 'Booking cancelled',
      by: { kind: 'user', userId: 'usr_owner', role: 'owner' },
    });
    expect(guestLinkStanding({ link, grant: revoked, now: at('2026-10-21T09:00:00.000Z') })).toBe('revoked');
    expect(guestLinkStanding({ link, grant: undefined, now: at('2026-10-21T09:00:00.000Z') })).toBe(
      'revoked',
    );
  });

  it('follows a grant moved to earlier dates, and never outlives the window it was issued for', () => {
    const earlier = {
      ...grant,
      window: { startsAt: '2026-10-10T13:00:00.000Z', endsAt: '2026-10-12T10:00:00.000Z' },
    };
    expect(guestLinkStanding({ link, grant: earlier, now: at('2026-10-12T12:00:00.000Z') })).toBe('expired');
    expect(guestLinkStanding({ link, grant: earlier, now: at('2026-10-05T09:00:00.000Z') })).toBe('valid');
  });
});

describe('guest links in the table', () => {
  const documents = mockClient(DynamoDBDocumentClient);
  let store: GuestLinkStore;
  let link: GuestLink;
  let token: string;

  beforeEach(() => {
    documents.reset();
    store = createGuestLinkStore({
      table: createDynamoTable({
        client: DynamoDBDocumentClient.from(new DynamoDBClient({})),
        tableName: 'lockstay',
      }),
    });
    ({ token, link } = guestLinkFor({ grant, now: issuedAt }));
  });

  it("keeps each link beside the grant's others, found by the token hash on gsi2, expiring by TTL a day after it closes", async () => {
    documents.on(TransactWriteCommand).resolves({});
    await issueGuestLink({ store, grant, now: issuedAt });
    const put = documents.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Put;
    expect(put?.Item).toMatchObject({
      pk: 'T#tnt-a#GUEST_LINK#gnt_1',
      sk: expect.stringMatching(/^GUEST_LINK#[0-9a-f]{64}$/),
      gsi2sk: 'GUEST_LINK',
      expiresAt: Date.parse('2026-10-26T12:00:00.000Z') / 1000,
    });
    expect(String(put?.Item?.gsi2pk)).toMatch(/^LINK#[0-9a-f]{64}$/);
  });

  it('finds a link by its token hash, confirmed against the stored item', async () => {
    documents.on(QueryCommand).resolves({ Items: [guestLinkItem(link)] });
    documents.on(GetCommand).resolves({ Item: guestLinkItem(link) });
    expect(await store.findByTokenHash(hashGuestLinkToken(token))).toEqual(link);
    const query = documents.commandCalls(QueryCommand)[0]?.args[0].input;
    expect(query?.IndexName).toBe('gsi2');
    expect(query?.ExpressionAttributeValues?.[':pk']).toBe(`LINK#${link.tokenHash}`);
  });

  it('finds nothing for a removed link the index still lists', async () => {
    documents.on(QueryCommand).resolves({ Items: [guestLinkItem(link)] });
    documents.on(GetCommand).resolves({});
    expect(await store.findByTokenHash(link.tokenHash)).toBeUndefined();
    expect(documents.commandCalls(GetCommand)[0]?.args[0].input.Key).toEqual({
      pk: 'T#tnt-a#GUEST_LINK#gnt_1',
      sk: `GUEST_LINK#${link.tokenHash}`,
    });
  });

  it('finds nothing for an unknown token', async () => {
    documents.on(QueryCommand).resolves({ Items: [] });
    expect(await store.findByTokenHash(hashGuestLinkToken(newGuestLinkToken()))).toBeUndefined();
    expect(documents.commandCalls(GetCommand)).toHaveLength(0);
  });
});
