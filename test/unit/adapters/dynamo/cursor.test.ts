import { describe, expect, it } from 'vitest';
import { type CursorScope, cursorKeyOf, decodeCursor, encodeCursor } from '#shared/adapters/dynamo/cursor.ts';
import { grantItem } from '#shared/adapters/dynamo/grants.ts';
import { InvalidInputError } from '#shared/domain/errors.ts';
import { grant, tenantId } from './samples.ts';

const scope: CursorScope = {
  tenantId,
  index: 'gsi2',
  partition: 'T#tnt-a#PROPERTY#prp_loft#GRANTS',
};
const key = cursorKeyOf(grantItem(grant), 'gsi2');
const encode = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

function refused(cursor: string, within: CursorScope = scope) {
  let error: unknown;
  try {
    decodeCursor({ cursor, scope: within });
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(InvalidInputError);
  expect((error as InvalidInputError).problems).toEqual([{ field: 'cursor', message: expect.any(String) }]);
}

describe('a cursor', () => {
  it('is the key of the last item handed out: index keys and table keys, nothing else', () => {
    expect(key).toEqual({
      gsi2pk: 'T#tnt-a#PROPERTY#prp_loft#GRANTS',
      gsi2sk: '2026-10-01T09:00:00.000Z#gnt_1',
      pk: 'T#tnt-a#GRANT#gnt_1',
      sk: 'GRANT',
    });
    expect(cursorKeyOf(grantItem(grant), undefined)).toEqual({ pk: 'T#tnt-a#GRANT#gnt_1', sk: 'GRANT' });
  });

  it('travels as URL-safe base64 and comes back as the same key', () => {
    const cursor = encodeCursor(key);

    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor({ cursor, scope })).toEqual(key);
  });

  it('is refused when it is not base64url JSON of an object', () => {
    refused('not a cursor!');
    refused(Buffer.from('{"pk":').toString('base64url'));
    refused(encode(['T#tnt-a#GRANT#gnt_1', 'GRANT']));
    refused(encode(null));
    refused('x'.repeat(20_000));
  });

  it('is refused when its attributes are not exactly the keys of the query', () => {
    refused(encode({ pk: key.pk, sk: key.sk }));
    refused(encode({ ...key, extra: 'x' }));
    refused(encode({ ...key, gsi2sk: 42 }));
    refused(encode({ ...key, sk: '' }));
    refused(encode({ ...key, gsi2sk: 'x'.repeat(3000) }));
  });

  it('is refused in another list, another property or another tenant', () => {
    const cursor = encodeCursor(key);

    refused(cursor, { ...scope, partition: 'T#tnt-a#PROPERTY#prp_other#GRANTS' });
    refused(cursor, { ...scope, index: 'gsi1', partition: 'T#tnt-a#PROPERTY#prp_loft#LIVE_GRANTS' });
    refused(cursor, { tenantId: 'tnt-b', index: 'gsi2', partition: 'T#tnt-b#PROPERTY#prp_loft#GRANTS' });
    refused(encode({ ...key, pk: 'T#tnt-b#GRANT#gnt_1' }));
  });

  it('is refused outside the range its query reads', () => {
    const booked = {
      pk: 'T#tnt-a#BOOKING#bkg_1',
      sk: 'BOOKING',
      gsi1pk: 'T#tnt-a#P',
      gsi1sk: '2025-01-01#bkg_1',
    };
    const fromOctober: CursorScope = {
      tenantId,
      index: 'gsi1',
      partition: 'T#tnt-a#P',
      sort: { from: '2025-10-01' },
    };

    refused(encodeCursor(booked), fromOctober);
    expect(
      decodeCursor({ cursor: encodeCursor({ ...booked, gsi1sk: '2025-10-01#bkg_1' }), scope: fromOctober }),
    ).toEqual({
      ...booked,
      gsi1sk: '2025-10-01#bkg_1',
    });
    refused(encodeCursor({ pk: 'T#tnt-a#USER#u', sk: 'MEMBER' }), {
      tenantId,
      partition: 'T#tnt-a#USER#u',
      sort: { beginsWith: 'GRANT#' },
    });
    refused(encodeCursor({ ...booked, gsi1sk: '2025-10-01' }), {
      ...fromOctober,
      sort: { after: '2025-10-01' },
    });
  });
});
