/**
 * The guest link: the one secret a booking's guest holds to see their stay (and, while it is on, open the door
 * remotely). The token is 256 random bits in base64url; only its SHA-256 hash is stored, so the table never
 * holds a working link. A link is bound to one grant and honoured from some days before check-in until a short
 * grace after check-out; it is refused once expired even while its record still exists (the table's TTL only
 * tidies up), and refused as soon as its grant is revoked (a cancelled booking), because the grant is read on
 * every lookup. Issuing again for the same grant adds a link: each email's link opens the same stay, so a guest
 * who opens an older email is not turned away (a cancellation still closes them all, through the grant).
 */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Grant } from '#shared/domain/grant.ts';
import { epochOf, type IsoInstant } from '#shared/domain/local-time.ts';

export const guestLinkPolicy = {
  /**
   * The link opens this long before the grant's window starts (the guest reads the email ahead of time): as long
   * as the longest guest email lead time a property may set, so an email's link always opens the stay.
   */
  opensDaysBeforeStart: 14,
  /** And closes this long after the window ends (a late question about the stay). */
  graceAfterEndHours: 2,
  tokenBytes: 32,
} as const;

const dayMs = 24 * 60 * 60 * 1000;
const hourMs = 60 * 60 * 1000;

/** 32 bytes in base64url without padding: exactly 43 characters of the URL-safe alphabet. */
export const guestLinkTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

export interface GuestLink {
  readonly tenantId: string;
  readonly grantId: string;
  readonly propertyId: string;
  readonly bookingId?: string | undefined;
  /** SHA-256 of the token, hex: the only trace of the token anywhere. */
  readonly tokenHash: string;
  readonly validFrom: IsoInstant;
  readonly validUntil: IsoInstant;
  readonly issuedAt: IsoInstant;
}

/** Where guest links are kept, beside their grant (one per email sent), found by the hash of their token. */
export interface GuestLinkStore {
  /** Stores a link of the grant, beside those issued before. */
  save(link: GuestLink): Promise<void>;
  findByTokenHash(tokenHash: string): Promise<GuestLink | undefined>;
  /** Forgets every link of the grant; nothing happens when there is none. */
  remove(options: { tenantId: string; grantId: string }): Promise<void>;
}

export type GuestLinkStanding = 'valid' | 'not-yet-valid' | 'expired' | 'revoked';

export function newGuestLinkToken(random: (size: number) => Uint8Array = randomBytes): string {
  return Buffer.from(random(guestLinkPolicy.tokenBytes)).toString('base64url');
}

export function hashGuestLinkToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** When a grant's link is honoured: only booking grants with an end have one. */
export function guestLinkValidity(window: Grant['window']): {
  validFrom: IsoInstant;
  validUntil: IsoInstant;
} {
  if (window.endsAt === null) throw new Error('A guest link needs a window with an end');
  return {
    validFrom: new Date(
      epochOf(window.startsAt) - guestLinkPolicy.opensDaysBeforeStart * dayMs,
    ).toISOString(),
    validUntil: new Date(epochOf(window.endsAt) + guestLinkPolicy.graceAfterEndHours * hourMs).toISOString(),
  };
}

/** A new link for the grant: the token to hand to the guest (once, in the email) and the record to store. */
export function guestLinkFor({
  grant,
  now,
  random,
}: {
  grant: Grant;
  now: Date;
  random?: (size: number) => Uint8Array;
}): { token: string; link: GuestLink } {
  if (grant.kind !== 'booking') throw new Error(`Guest links are for booking grants, not ${grant.kind}`);
  const token = newGuestLinkToken(random);
  return {
    token,
    link: {
      tenantId: grant.tenantId,
      grantId: grant.id,
      propertyId: grant.propertyId,
      bookingId: grant.bookingId,
      tokenHash: hashGuestLinkToken(token),
      ...guestLinkValidity(grant.window),
      issuedAt: now.toISOString(),
    },
  };
}

/**
 * Whether the link may be honoured now. The grant is the current one (read at lookup), so a revocation or a
 * moved window counts at once, whatever the stored link says.
 */
export function guestLinkStanding({
  link,
  grant,
  now,
}: {
  link: GuestLink;
  grant: Pick<Grant, 'id' | 'tenantId' | 'window' | 'revocation'> | undefined;
  now: Date;
}): GuestLinkStanding {
  if (!grant || grant.id !== link.grantId || grant.tenantId !== link.tenantId || grant.revocation)
    return 'revoked';
  const at = now.getTime();
  const { validFrom, validUntil } = grant.window.endsAt === null ? link : guestLinkValidity(grant.window);
  if (at >= epochOf(validUntil) || at >= epochOf(link.validUntil)) return 'expired';
  if (at < epochOf(validFrom)) return 'not-yet-valid';
  return 'valid';
}

/** Issues a link of a booking's grant; the token goes only to the guest. */
export async function issueGuestLink({
  store,
  grant,
  now,
  random,
}: {
  store: GuestLinkStore;
  grant: Grant;
  now: Date;
  random?: (size: number) => Uint8Array;
}): Promise<{ token: string; link: GuestLink }> {
  const issued = guestLinkFor({ grant, now, random });
  await store.save(issued.link);
  return issued;
}
