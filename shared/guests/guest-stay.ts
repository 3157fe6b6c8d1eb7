/**
 * What the guest page shows for a link: the stay's status, the property and where it is, the window in the
 * property's zone, the code for each lock, each lock's state where known and whether it can be opened remotely
 * right now. Reading it changes nothing (mail scanners open links too).
 *
 * Every refusal carries the same friendly text, whether the token never existed, was replaced, has expired or
 * its booking was cancelled, so an answer never tells whether a token was ever real. The token itself is never
 * put in an error, a log line or a problem's `instance`.
 */
import { lockCodeChoices } from '#shared/access/guest-codes.ts';
import { currentOfflineCodes, type OfflineCodeReader } from '#shared/access/offline-code-issuance.ts';
import type { LockCondition, LockConditionStore } from '#shared/access/ports.ts';
import { GoneError, NotFoundError } from '#shared/domain/errors.ts';
import { grantStatus } from '#shared/domain/grant.ts';
import { inZone } from '#shared/domain/local-time.ts';
import { canUnlockRemotely, type LockConnectivity } from '#shared/domain/lock.ts';
import type { DomainPorts } from '#shared/domain/ports/domain-ports.ts';
import type { Address } from '#shared/domain/property.ts';
import {
  type GuestLink,
  type GuestLinkStore,
  guestLinkStanding,
  guestLinkTokenSchema,
  hashGuestLinkToken,
} from './guest-link.ts';
import { phoneDigitsAsked } from './phone-check.ts';

export const guestLinkRefusal =
  'This link does not open a stay right now. Guest links work from a few days before check-in until shortly ' +
  'after check-out, and stop working when a booking is cancelled. Please use the latest email from your host, ' +
  'or contact them.';

export type GuestStayStatus = 'upcoming' | 'active' | 'ended';

export interface GuestLockView {
  readonly id: string;
  readonly name: string;
  readonly connectivity: LockConnectivity;
  /** The guest's PIN on this lock, when a PIN is the code to use there. */
  readonly pin?: string | undefined;
  /**
   * The code to use on this lock, as the guest's email gives it: the PIN, or an offline code (a Bluetooth lock,
   * or the fallback when the PIN was not confirmed in time), which must first be entered before `firstUseBefore`.
   */
  readonly code?:
    | {
        readonly code: string;
        readonly kind: 'pin' | 'offline';
        /** In the property's zone with its offset. */
        readonly firstUseBefore?: string | undefined;
      }
    | undefined;
  readonly codeKind: 'pin' | 'offline-code';
  readonly online?: boolean | undefined;
  readonly bolt?: 'locked' | 'unlocked' | undefined;
  readonly door?: 'open' | 'closed' | 'no-sensor' | undefined;
  /** Whether pressing "Unlock" can work now: the stay is active and the lock is reachable. */
  readonly remoteUnlockNow: boolean;
}

export interface GuestStayView {
  readonly status: GuestStayStatus;
  readonly guest: { readonly name: string; readonly language: string };
  readonly property: { readonly name: string; readonly address: Address; readonly timeZone: string };
  readonly window: {
    /** In the property's zone with its offset: `2026-10-24T15:00:00+02:00`. */
    readonly startsAt: string;
    readonly endsAt: string;
    readonly timeZone: string;
  };
  readonly locks: readonly GuestLockView[];
  readonly remoteUnlockNow: boolean;
  /** Present where the property asks the guest to confirm the phone number's last digits before an unlock. */
  readonly phoneCheck?: { readonly digits: number } | undefined;
}

export type GuestStayPorts = Pick<
  DomainPorts,
  'grants' | 'bookings' | 'properties' | 'locks' | 'accessCodes'
> & {
  readonly guestLinks: GuestLinkStore;
  readonly conditions?: Pick<LockConditionStore, 'get'> | undefined;
  /** The grant's offline codes; without them only PINs are shown. */
  readonly offlineCodes?: OfflineCodeReader | undefined;
};

/**
 * The link behind the token, with its grant, if it may be honoured now. Unknown, replaced and not yet open:
 * NotFoundError; expired or revoked: GoneError; both with the same text.
 */
export async function honouredGuestLink({
  ports,
  token,
  now,
}: {
  ports: Pick<GuestStayPorts, 'guestLinks' | 'grants'>;
  token: string;
  now: Date;
}) {
  if (!guestLinkTokenSchema.safeParse(token).success) throw new NotFoundError(guestLinkRefusal);
  const link: GuestLink | undefined = await ports.guestLinks.findByTokenHash(hashGuestLinkToken(token));
  if (!link) throw new NotFoundError(guestLinkRefusal);
  const grant = await ports.grants.get({ tenantId: link.tenantId, grantId: link.grantId });
  const standing = guestLinkStanding({ link, grant, now });
  if (standing === 'not-yet-valid') throw new NotFoundError(guestLinkRefusal);
  if (standing !== 'valid' || !grant) throw new GoneError(guestLinkRefusal);
  return { link, grant };
}

export async function readGuestStay({
  ports,
  token,
  now,
}: {
  ports: GuestStayPorts;
  token: string;
  now: Date;
}): Promise<GuestStayView> {
  const { link, grant } = await honouredGuestLink({ ports, token, now });
  const { tenantId } = link;
  const offlineCodes = ports.offlineCodes;
  const [property, booking, codes, locks, offline] = await Promise.all([
    ports.properties.get({ tenantId, propertyId: grant.propertyId }),
    grant.bookingId ? ports.bookings.get({ tenantId, bookingId: grant.bookingId }) : undefined,
    ports.accessCodes.listByGrant({ tenantId, grantId: grant.id }),
    ports.locks.listByProperty({ tenantId, propertyId: grant.propertyId }),
    offlineCodes ? currentOfflineCodes({ ports: { offlineCodes }, grant }) : undefined,
  ]);
  if (!property) throw new GoneError(guestLinkRefusal);
  const grantState = grantStatus({ grant, now });
  const status: GuestStayStatus =
    grantState === 'active' ? 'active' : grantState === 'upcoming' ? 'upcoming' : 'ended';
  const granted = locks.filter((lock) => grant.lockIds.includes(lock.id));
  // The same choice of code per lock as the guest's email makes.
  const choices = lockCodeChoices({ grant, accessCodes: codes, offlineCodes: offline });
  const conditions = await Promise.all(
    granted.map(
      async (lock): Promise<LockCondition | undefined> =>
        canUnlockRemotely(lock) ? ports.conditions?.get({ tenantId, lockId: lock.id }) : undefined,
    ),
  );
  const lockViews = granted.map((lock, index): GuestLockView => {
    const condition = conditions[index];
    const choice = choices.find((candidate) => candidate.lockId === lock.id);
    const online = condition?.connection?.online;
    return {
      id: lock.id,
      name: lock.name,
      connectivity: lock.connectivity,
      pin: choice?.kind === 'pin' ? choice.code : undefined,
      code: choice && {
        code: choice.code,
        kind: choice.kind,
        firstUseBefore:
          choice.firstUseBefore === undefined
            ? undefined
            : inZone({ instant: choice.firstUseBefore, timeZone: property.timeZone }),
      },
      codeKind: canUnlockRemotely(lock) ? 'pin' : 'offline-code',
      online,
      bolt: condition?.bolt,
      door: condition?.door,
      remoteUnlockNow: status === 'active' && canUnlockRemotely(lock) && online === true,
    };
  });
  const { timeZone } = property;
  return {
    status,
    guest: { name: booking?.guest.name ?? '', language: booking?.guest.language ?? 'en' },
    property: { name: property.name, address: property.address, timeZone },
    window: {
      startsAt: inZone({ instant: grant.window.startsAt, timeZone }),
      endsAt: grant.window.endsAt === null ? '' : inZone({ instant: grant.window.endsAt, timeZone }),
      timeZone,
    },
    locks: lockViews,
    remoteUnlockNow: lockViews.some((lock) => lock.remoteUnlockNow),
    ...phoneCheckOf(phoneDigitsAsked({ property, booking })),
  };
}

const phoneCheckOf = (digits: number | undefined) => (digits === undefined ? {} : { phoneCheck: { digits } });
