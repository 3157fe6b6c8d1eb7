import { describe, expect, it } from 'vitest';
import { accessCodeItem, accessCodeKeys, pinClaimItem } from '#shared/adapters/dynamo/access-codes.ts';
import { auditEventItem, auditKeys } from '#shared/adapters/dynamo/audit-log.ts';
import {
  bookingItem,
  bookingKeys,
  reservationClaimItem,
  shiftDate,
} from '#shared/adapters/dynamo/bookings.ts';
import { grantItem, grantKeys, holderLinkItem } from '#shared/adapters/dynamo/grants.ts';
import { entityOf, keyAttributes, nameSortKey, storable, tenantKey } from '#shared/adapters/dynamo/keys.ts';
import { lockItem, lockKeys } from '#shared/adapters/dynamo/locks.ts';
import { propertyItem, propertyKeys } from '#shared/adapters/dynamo/properties.ts';
import { emailClaimItem, teamKeys, teamMemberItem } from '#shared/adapters/dynamo/team.ts';
import { unlockCommandItem } from '#shared/adapters/dynamo/unlock-commands.ts';
import { revise } from '#shared/domain/entity.ts';
import { tableDefinition, keyAttributes as tableKeyAttributes } from '#shared/storage/table-definition.ts';
import {
  accessCode,
  auditEvent,
  booking,
  grant,
  lock,
  property,
  teamMember,
  tenantId,
  turnover,
  unlockCommand,
} from './samples.ts';

const later = '2026-10-02T09:00:00.000Z';

describe('keys', () => {
  it('use the attribute names of the table definition the stack and the local cloud build from', () => {
    expect(tableKeyAttributes(tableDefinition).map((attribute) => attribute.name)).toEqual([
      ...keyAttributes,
    ]);
    expect(tableDefinition.globalIndexes.map((index) => index.indexName)).toEqual(['gsi1', 'gsi2', 'gsi3']);
  });

  it('start with the tenant, and refuse a tenant id that could reach into another tenant’s keys', () => {
    expect(tenantKey('tnt-a', 'PROPERTY', 'prp_1')).toBe('T#tnt-a#PROPERTY#prp_1');
    expect(() => tenantKey('tnt-a#PROPERTY', 'x')).toThrow(/free of '#'/);
    expect(() => tenantKey('', 'x')).toThrow();
  });

  it('name every item of an entity by its id within the tenant', () => {
    expect(propertyKeys.item({ tenantId, propertyId: 'prp_1' })).toEqual({
      pk: 'T#tnt-a#PROPERTY#prp_1',
      sk: 'PROPERTY',
    });
    expect(lockKeys.item({ tenantId, lockId: 'lck_1' })).toEqual({ pk: 'T#tnt-a#LOCK#lck_1', sk: 'LOCK' });
    expect(bookingKeys.item({ tenantId, bookingId: 'bkg_1' })).toEqual({
      pk: 'T#tnt-a#BOOKING#bkg_1',
      sk: 'BOOKING',
    });
    expect(grantKeys.item({ tenantId, grantId: 'gnt_1' })).toEqual({
      pk: 'T#tnt-a#GRANT#gnt_1',
      sk: 'GRANT',
    });
    expect(accessCodeKeys.item({ tenantId, grantId: 'gnt_1', accessCodeId: 'acd_1' })).toEqual({
      pk: 'T#tnt-a#GRANT#gnt_1',
      sk: 'CODE#acd_1',
    });
    expect(teamKeys.item({ tenantId, userId: 'usr_1' })).toEqual({ pk: 'T#tnt-a#USER#usr_1', sk: 'MEMBER' });
  });

  it('name the claims by what must be unique: a PIN on a lock, a reservation of a channel, an email', () => {
    expect(accessCodeKeys.pinClaim({ tenantId, lockId: 'lck_1', pin: '482916' })).toEqual({
      pk: 'T#tnt-a#LOCK#lck_1',
      sk: 'PIN#482916',
    });
    expect(bookingKeys.reservation({ tenantId, source: 'ical', sourceReservationId: 'HM#1' })).toEqual({
      pk: 'T#tnt-a#RESERVATION#ical#HM#1',
      sk: 'RESERVATION',
    });
    expect(teamKeys.email({ tenantId, email: 'Clara@Example.COM' })).toEqual({
      pk: 'T#tnt-a#EMAIL#clara@example.com',
      sk: 'EMAIL',
    });
  });

  it('order names as people read them, case and accents aside', () => {
    const names = ['Zebra', 'élan', 'apple', 'Elan', 'Äpfel'];
    const byKey = (a: string, b: string) =>
      nameSortKey(a) < nameSortKey(b) ? -1 : nameSortKey(a) > nameSortKey(b) ? 1 : 0;
    expect([...names].sort(byKey)).toEqual(['Äpfel', 'apple', 'élan', 'Elan', 'Zebra']);
  });

  it('move a local date by whole days across months, years and leap days', () => {
    expect(shiftDate('2026-03-01', -1)).toBe('2026-02-28');
    expect(shiftDate('2028-03-01', -1)).toBe('2028-02-29');
    expect(shiftDate('2026-10-14', -365)).toBe('2025-10-14');
  });
});

describe('items', () => {
  it('hold the entity unchanged beside its keys, and read back as the entity', () => {
    const item = propertyItem(property);

    expect(item).toMatchObject({
      pk: 'T#tnt-a#PROPERTY#prp_loft',
      sk: 'PROPERTY',
      gsi1pk: 'T#tnt-a#PROPERTIES',
      gsi1sk: 'elan loft#prp_loft',
      itemType: 'property',
      name: 'Élan Loft',
    });
    expect(entityOf(item)).toEqual(property);
  });

  it('leave out undefined fields, which DynamoDB cannot store, at any depth', () => {
    const item = bookingItem(booking);

    expect(Object.keys(item)).not.toContain('checkInTime');
    expect(Object.keys(item.guest as object)).not.toContain('phone');
    expect(storable({ list: [{ a: 1, b: undefined }] })).toEqual({ list: [{ a: 1 }] });
    expect(entityOf(item)).toEqual(storable(booking));
  });

  it('put a property’s locks in registration order and its bookings by arrival', () => {
    expect(lockItem(lock)).toMatchObject({
      gsi1pk: 'T#tnt-a#PROPERTY#prp_loft#LOCKS',
      gsi1sk: '2026-10-01T09:00:00.000Z#lck_front',
    });
    expect(bookingItem(booking)).toMatchObject({
      gsi1pk: 'T#tnt-a#PROPERTY#prp_loft#BOOKINGS',
      gsi1sk: '2026-10-20#bkg_1',
    });
    expect(reservationClaimItem(booking)).toEqual({
      pk: 'T#tnt-a#RESERVATION#webhook#HM-123',
      sk: 'RESERVATION',
      itemType: 'reservation-claim',
      tenantId,
      bookingId: 'bkg_1',
    });
    expect(
      reservationClaimItem({ ...booking, source: 'manual', sourceReservationId: undefined }),
    ).toBeUndefined();
  });

  it('keep a grant in the live index by the end of its window until it is revoked', () => {
    expect(grantItem(grant)).toMatchObject({
      gsi1pk: 'T#tnt-a#PROPERTY#prp_loft#LIVE_GRANTS',
      gsi1sk: '2026-10-25T10:00:00.000Z#gnt_1',
      gsi2pk: 'T#tnt-a#PROPERTY#prp_loft#GRANTS',
      gsi2sk: '2026-10-01T09:00:00.000Z#gnt_1',
    });
    expect(grantItem({ ...grant, window: { ...grant.window, endsAt: null } }).gsi1sk).toBe(
      '9999-12-31T23:59:59.999Z#gnt_1',
    );

    const revoked = grantItem(
      revise(grant, { revocation: { at: later, reason: 'host', by: grant.issuedBy } }, later),
    );

    expect(revoked.gsi1pk).toBeUndefined();
    expect(revoked.gsi1sk).toBeUndefined();
    expect(revoked.gsi2pk).toBe('T#tnt-a#PROPERTY#prp_loft#GRANTS');
  });

  it('link a grant to the team member who holds it, and no one else’s grants', () => {
    expect(holderLinkItem(turnover)).toEqual({
      pk: 'T#tnt-a#USER#usr_clara',
      sk: 'GRANT#2026-10-01T09:00:00.000Z#gnt_clean',
      itemType: 'grant-holder',
      tenantId,
      grantId: 'gnt_clean',
    });
    expect(holderLinkItem(grant)).toBeUndefined();
  });

  it('keep a code among its lock’s live codes until it is removed, and claim its PIN on the lock', () => {
    expect(accessCodeItem(accessCode)).toMatchObject({
      pk: 'T#tnt-a#GRANT#gnt_1',
      sk: 'CODE#acd_1',
      gsi1pk: 'T#tnt-a#LOCK#lck_front#LIVE_CODES',
      gsi1sk: '2026-10-20T13:00:00.000Z#acd_1',
    });
    for (const status of ['setting', 'set', 'removing', 'failed'] as const) {
      expect(accessCodeItem({ ...accessCode, status }).gsi1pk).toBeDefined();
    }
    expect(accessCodeItem({ ...accessCode, status: 'removed' }).gsi1pk).toBeUndefined();
    expect(pinClaimItem(accessCode)).toEqual({
      pk: 'T#tnt-a#LOCK#lck_front',
      sk: 'PIN#482916',
      itemType: 'pin-claim',
      tenantId,
      lockId: 'lck_front',
      accessCodeId: 'acd_1',
      grantId: 'gnt_1',
    });
  });

  it('list only active team members by role, everyone by name, and claim the lower-cased email', () => {
    expect(teamMemberItem(teamMember)).toMatchObject({
      gsi1pk: 'T#tnt-a#TEAM',
      gsi1sk: 'clara#usr_clara',
      gsi2pk: 'T#tnt-a#TEAM#ROLE#staff',
    });
    expect(teamMemberItem({ ...teamMember, status: 'invited' }).gsi2pk).toBeUndefined();
    expect(teamMemberItem({ ...teamMember, status: 'removed' }).gsi2pk).toBeUndefined();
    expect(emailClaimItem(teamMember)).toMatchObject({
      pk: 'T#tnt-a#EMAIL#clara@example.com',
      userId: 'usr_clara',
    });
  });

  it('file an audit event under its tenant, its property and its lock, with one sort key newest-first', () => {
    const item = auditEventItem({
      event: auditEvent({ lockId: 'lck_front' }),
      commitId: 'evt_0',
      position: 2,
    });

    expect(item).toMatchObject({
      pk: auditKeys.tenant({ tenantId }),
      sk: '2026-10-01T09:00:00.000Z#evt_0#002',
      gsi1pk: 'T#tnt-a#PROPERTY#prp_loft#AUDIT',
      gsi1sk: '2026-10-01T09:00:00.000Z#evt_0#002',
      gsi2pk: 'T#tnt-a#LOCK#lck_front#AUDIT',
    });
    const tenantWide = auditEventItem({
      event: auditEvent({ propertyId: undefined }),
      commitId: 'evt_0',
      position: 0,
    });
    expect(tenantWide.gsi1pk).toBeUndefined();
    expect(tenantWide.gsi2pk).toBeUndefined();
    expect(entityOf(item)).toEqual(auditEvent({ lockId: 'lck_front' }));
  });

  it('file an audit event under the one stay it belongs to: the grant it names, else the booking', () => {
    const sk = '2026-10-01T09:00:00.000Z#evt_0#000';
    const item = (event: Partial<Parameters<typeof auditEvent>[0]>) =>
      auditEventItem({ event: auditEvent(event), commitId: 'evt_0', position: 0 });

    expect(item({})).toMatchObject({ gsi3pk: `T#tnt-a#BOOKING#${booking.id}#AUDIT`, gsi3sk: sk });
    expect(
      item({ action: 'grant.revoked', target: { kind: 'grant', id: 'gnt_1' }, details: { reason: 'x' } }),
    ).toMatchObject({ gsi3pk: 'T#tnt-a#GRANT#gnt_1#AUDIT', gsi3sk: sk });
    expect(
      item({
        action: 'access-code.set',
        target: { kind: 'access-code', id: 'acc_1' },
        details: { grantId: 'gnt_2' },
      }).gsi3pk,
    ).toBe('T#tnt-a#GRANT#gnt_2#AUDIT');
    expect(
      item({
        action: 'unlock-command.requested',
        actor: { kind: 'guest', grantId: 'gnt_3' },
        target: { kind: 'unlock-command', id: 'cmd_1' },
      }).gsi3pk,
    ).toBe('T#tnt-a#GRANT#gnt_3#AUDIT');
    const lockOnly = item({
      action: 'lock.registered',
      target: { kind: 'lock', id: 'lck_front' },
      details: {},
    });
    expect(lockOnly.gsi3pk).toBeUndefined();
    expect(lockOnly.gsi3sk).toBeUndefined();
  });

  it('keep an unlock command’s own expiry as the text it is (the table’s TTL only acts on numbers)', () => {
    const item = unlockCommandItem(unlockCommand);

    expect(item).toMatchObject({
      pk: 'T#tnt-a#COMMAND#cmd_1',
      sk: 'COMMAND',
      expiresAt: unlockCommand.expiresAt,
    });
    expect(entityOf(item)).toEqual(unlockCommand);
  });
});
