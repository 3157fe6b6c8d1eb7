/**
 * The record of guest emails, beside their booking in its partition.
 * - a send: `T#<t>#BOOKING#<bookingId>` / `GUEST_EMAIL#<sendKey>`, put with `attribute_not_exists(pk)` (or over
 *   a claim older than its lease, whose send died half-way) in one transaction with the booking's counter
 * - the counter: `T#<t>#BOOKING#<bookingId>` / `GUEST_EMAIL_COUNT`, `ADD sends 1` while `sends < cap`
 * Marking a send sent (conditional on the claim being ours) and its audit event are one transaction too. The
 * sends of a booking are read with one Query on its partition (`begins_with(sk, "GUEST_EMAIL#")`), at most the
 * cap of items.
 */
import { auditEventItem } from '#shared/adapters/dynamo/audit-log.ts';
import type { GuestEmailLog, GuestEmailSend } from '#shared/guests/guest-email.ts';
import { entityOf, type ItemKey, storable, tenantKey } from './keys.ts';
import type { DynamoTable } from './table.ts';

const sendPrefix = 'GUEST_EMAIL#';

export const guestEmailKeys = {
  send: ({
    tenantId,
    bookingId,
    sendKey,
  }: {
    tenantId: string;
    bookingId: string;
    sendKey: string;
  }): ItemKey => ({
    pk: tenantKey(tenantId, 'BOOKING', bookingId),
    sk: `${sendPrefix}${sendKey}`,
  }),
  counter: ({ tenantId, bookingId }: { tenantId: string; bookingId: string }): ItemKey => ({
    pk: tenantKey(tenantId, 'BOOKING', bookingId),
    sk: 'GUEST_EMAIL_COUNT',
  }),
};

export function createGuestEmailLog({ table }: { table: DynamoTable }): GuestEmailLog {
  const { tableName } = table;
  return {
    async claim({ send, maxSends, staleBefore }) {
      const key = guestEmailKeys.send(send);
      const outcome = await table.transactWrite([
        {
          Put: {
            TableName: tableName,
            Item: { ...storable(send), ...key, itemType: 'guestEmailSend' },
            ConditionExpression:
              'attribute_not_exists(pk) OR (#status = :sending AND #claimedAt < :staleBefore)',
            ExpressionAttributeNames: { '#status': 'status', '#claimedAt': 'claimedAt' },
            ExpressionAttributeValues: { ':sending': 'sending', ':staleBefore': staleBefore },
          },
        },
        {
          Update: {
            TableName: tableName,
            Key: guestEmailKeys.counter(send),
            UpdateExpression: 'ADD #sends :one SET #itemType = :itemType',
            ConditionExpression: 'attribute_not_exists(#sends) OR #sends < :cap',
            ExpressionAttributeNames: { '#sends': 'sends', '#itemType': 'itemType' },
            ExpressionAttributeValues: { ':one': 1, ':cap': maxSends, ':itemType': 'guestEmailCounter' },
          },
        },
      ]);
      if (outcome.ok) return { claimed: true };
      const [sendReason, counterReason] = outcome.reasons;
      if (sendReason === 'ConditionalCheckFailed') {
        const existing = await table.get(key);
        return { claimed: false, why: existing?.status === 'sent' ? 'already-sent' : 'in-progress' };
      }
      if (counterReason === 'ConditionalCheckFailed') return { claimed: false, why: 'cap-reached' };
      throw outcome.error;
    },

    async recordSent({ send, auditEvent }) {
      const outcome = await table.transactWrite([
        {
          Put: {
            TableName: tableName,
            Item: { ...storable(send), ...guestEmailKeys.send(send), itemType: 'guestEmailSend' },
            ConditionExpression: '#claimId = :claimId',
            ExpressionAttributeNames: { '#claimId': 'claimId' },
            ExpressionAttributeValues: { ':claimId': send.claimId },
          },
        },
        {
          Put: {
            TableName: tableName,
            Item: auditEventItem({ event: auditEvent, commitId: auditEvent.id, position: 0 }),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ]);
      if (!outcome.ok) throw outcome.error;
    },

    async release({ send }) {
      const outcome = await table.transactWrite([
        {
          Delete: {
            TableName: tableName,
            Key: guestEmailKeys.send(send),
            ConditionExpression: '#claimId = :claimId AND #status = :sending',
            ExpressionAttributeNames: { '#claimId': 'claimId', '#status': 'status' },
            ExpressionAttributeValues: { ':claimId': send.claimId, ':sending': 'sending' },
          },
        },
      ]);
      // Someone else's claim (ours went stale and was taken over) is theirs to settle.
      if (!outcome.ok && outcome.reasons[0] !== 'ConditionalCheckFailed') throw outcome.error;
    },

    async listSent({ tenantId, bookingId }) {
      const items = await table.queryAll({
        tenantId,
        partition: tenantKey(tenantId, 'BOOKING', bookingId),
        sort: { beginsWith: sendPrefix },
      });
      return items
        .map((item) => entityOf<GuestEmailSend>(item))
        .filter((send) => send.status === 'sent')
        .sort((a, b) => String(a.sentAt).localeCompare(String(b.sentAt)));
    },
  };
}
