/**
 * The host's day at a glance (`GET /today`): who arrives and who leaves at each property from today (the
 * property's own today, in its time zone) for a few days, whether each stay's code is on each lock and what
 * to do when it is not, the locks that are offline, low on battery or locked out, the booking feeds that are
 * failing, and the recent alerts from the audit log.
 *
 * Everything is read through the domain's queries and the repositories' key and index reads (no Scan), and
 * filtered by the permission matrix: a cleaner sees only their assigned properties and no guest contact, code,
 * alert or integration; a manager sees no integration (owners manage those).
 */
import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';
import { type LockConditionView, viewOfCondition } from '#shared/access/lock-condition.ts';
import {
  isCurrentFor,
  type OfflineCode,
  type OfflineCodeReader,
} from '#shared/access/offline-code-issuance.ts';
import type { LockConditionStore } from '#shared/access/ports.ts';
import { lowBatteryPercent } from '#shared/devices/state.ts';
import type { AccessCode, AccessCodeFailureReason, AccessCodeStatus } from '#shared/domain/access-code.ts';
import type { AuditEvent } from '#shared/domain/audit.ts';
import type { Booking } from '#shared/domain/booking.ts';
import { stayMilestones, stayOf } from '#shared/domain/grant-window.ts';
import {
  addHours,
  type IsoInstant,
  instantOf,
  type LocalDate,
  localDateAt,
  zonedInstant,
} from '#shared/domain/local-time.ts';
import { acceptsPushedCodes, type Lock, type LockConnectivity } from '#shared/domain/lock.ts';
import { listLocks, listProperties } from '#shared/domain/operations/queries.ts';
import { isPermitted } from '#shared/domain/permissions.ts';
import type { DomainPorts } from '#shared/domain/ports/domain-ports.ts';
import type { Property } from '#shared/domain/property.ts';
import type { Principal } from '#shared/domain/team.ts';
import { parseInput } from '#shared/domain/validation.ts';
import { auditEventSchema, lockConditionSchema } from '#shared/http/resources.ts';
import type { FeedHealth } from '#shared/integrations/feed-diff.ts';
import type { IntegrationStore } from '#shared/integrations/integration.ts';

export const todayQuerySchema = z.object({
  days: z.coerce
    .number()
    .int()
    .min(1)
    .max(14)
    .default(3)
    .describe('How many days from today (each property’s own today) to cover; 3 by default'),
});
export type TodayQuery = z.input<typeof todayQuerySchema>;

/**
 * Audit actions that are alerts: what the owners are told by email (a low battery, a keypad lockout, a code
 * that does not fit or was refused, an emergency access) and tampering. Any action in the `alert.` family
 * counts too, so that a new kind of alert recorded that way shows here without a change.
 */
export const alertActions: ReadonlySet<string> = new Set([
  'lock.battery-low',
  'lock.keypad-locked-out',
  'lock.tamper',
  'access-code.did-not-fit-lock',
  'access-code.rejected-by-lock',
  'grant.owners-notified',
]);

export function isAlert(event: Pick<AuditEvent, 'action'>): boolean {
  return alertActions.has(event.action) || event.action.startsWith('alert.');
}

/** How far back "recent" alerts go, and how much of the log is read at most to find them. */
export const recentAlerts = { days: 7, maxShown: 20, maxPagesRead: 5, pageSize: 100 } as const;

/** A feed polled every half hour whose last import is older than this is stale. */
const staleFeedHours = 3;

export type CodeState = AccessCodeStatus | 'offline-code' | 'missing';

export interface StayCode {
  readonly lockId: string;
  readonly lockName: string;
  readonly state: CodeState;
  readonly failureReason?: AccessCodeFailureReason | undefined;
  /** When a scheduled code goes to the lock. */
  readonly sendsAt?: IsoInstant | undefined;
  /** Whether the guest holds an offline code for this lock (a Bluetooth lock's, or the fallback of a PIN not set). */
  readonly offlineCode: boolean;
  /** What the host should do now, or `undefined` when nothing. */
  readonly advice?: string | undefined;
  readonly needsAction: boolean;
}

export interface Stay {
  readonly bookingId: string;
  readonly propertyId: string;
  readonly guestName: string;
  readonly arrivalDate: LocalDate;
  readonly departureDate: LocalDate;
  readonly checkInAt: IsoInstant;
  readonly checkOutAt: IsoInstant;
  /** Each lock's code for the stay; absent for those who may not see the grant. */
  readonly codes?: readonly StayCode[] | undefined;
}

export interface PropertyDay {
  readonly id: string;
  readonly name: string;
  readonly timeZone: string;
  /** Today at the property. */
  readonly today: LocalDate;
  /** The last day covered. */
  readonly until: LocalDate;
}

export type LockProblem = 'offline' | 'never-connected' | 'low-battery' | 'keypad-locked-out';

export interface LockAttention {
  readonly lockId: string;
  readonly name: string;
  readonly propertyId: string;
  readonly connectivity: LockConnectivity;
  readonly problems: readonly LockProblem[];
  readonly condition: LockConditionView;
}

export interface IntegrationAttention {
  readonly integrationId: string;
  readonly name: string;
  readonly kind: string;
  readonly propertyId?: string | undefined;
  readonly status: 'failed' | 'suspicious' | 'stale';
  readonly reason: string;
  readonly lastImportAt?: IsoInstant | undefined;
}

export interface TodaySummary {
  readonly generatedAt: IsoInstant;
  readonly days: number;
  readonly properties: readonly PropertyDay[];
  readonly arrivals: readonly Stay[];
  readonly departures: readonly Stay[];
  readonly locks: readonly LockAttention[];
  /** The name of every lock of the properties covered, by id, for naming the locks alerts are about. */
  readonly lockNames: Readonly<Record<string, string>>;
  /** `null` when the caller's role may not see integrations. */
  readonly integrations: readonly IntegrationAttention[] | null;
  /** `null` when the caller's role may not read the audit log. */
  readonly alerts: readonly AuditEvent[] | null;
}

export type TodayPorts = Pick<
  DomainPorts,
  'clock' | 'properties' | 'locks' | 'bookings' | 'grants' | 'accessCodes' | 'auditLog'
> & {
  readonly conditions: Pick<LockConditionStore, 'get'>;
  readonly integrations: Pick<IntegrationStore, 'list'>;
  readonly offlineCodes: OfflineCodeReader;
};

const addDays = (date: LocalDate, days: number): LocalDate =>
  Temporal.PlainDate.from(date).add({ days }).toString();

/** What the host should do about a code in this state, if anything. */
export function codeAdvice({
  state,
  failureReason,
  offlineCode = false,
}: {
  state: CodeState;
  failureReason?: AccessCodeFailureReason | undefined;
  /** Whether the guest holds an offline code for the lock. */
  offlineCode?: boolean;
}): string | undefined {
  const advice = pinAdvice({ state, failureReason, offlineCode });
  if (!offlineCode || state === 'set' || state === 'offline-code' || advice === undefined) return advice;
  return `${advice} Meanwhile the guest has an offline code for this lock in their email.`;
}

function pinAdvice({
  state,
  failureReason,
  offlineCode,
}: {
  state: CodeState;
  failureReason?: AccessCodeFailureReason | undefined;
  offlineCode: boolean;
}): string | undefined {
  switch (state) {
    case 'set':
    case 'scheduled':
    case 'removing':
    case 'removed':
      return undefined;
    case 'offline-code':
      return offlineCode
        ? 'This lock is never online: the guest opens it with the offline code in their email.'
        : 'This lock is never online: its offline code is issued with the guest’s access email.';
    case 'setting':
      return 'Sent, waiting for the lock to confirm. If this lasts, check that the lock is online.';
    case 'missing':
      return 'This lock has no code for the stay: it was registered after the booking or is not covered. Check the grant in the booking.';
    case 'failed':
      switch (failureReason) {
        case 'lock-offline':
          return 'The lock is offline: check its power and Wi-Fi. The code is sent again when it reconnects; if it cannot be fixed before arrival, give the guest another way in.';
        case 'lock-full':
        case 'too-many-codes-for-shadow':
          return 'The lock holds as many codes as it can: revoke grants that are no longer needed, and the code is sent again.';
        case 'rejected-by-lock':
          return 'The lock refused the code: check the lock and its firmware, then change the booking to send the code again.';
        case 'not-confirmed-in-time':
          return 'The lock did not confirm the code before arrival: check that it is online, and give the guest another way in meanwhile.';
        case undefined:
          return 'The code could not be set: check the lock.';
      }
  }
}

function stayCodes({
  locks,
  codes,
  offlineCodes,
  sendsAt,
}: {
  locks: readonly Lock[];
  codes: readonly AccessCode[];
  /** The guest's offline codes for the stay's current window. */
  offlineCodes: readonly OfflineCode[];
  sendsAt: IsoInstant;
}): StayCode[] {
  return locks.map((lock) => {
    const code = codes.find((candidate) => candidate.lockId === lock.id);
    const state: CodeState = code ? code.status : acceptsPushedCodes(lock) ? 'missing' : 'offline-code';
    const failureReason = code?.status === 'failed' ? code.failure?.reason : undefined;
    const offlineCode = offlineCodes.some((candidate) => candidate.lockId === lock.id);
    return {
      lockId: lock.id,
      lockName: lock.name,
      state,
      ...(failureReason === undefined ? {} : { failureReason }),
      ...(state === 'scheduled' ? { sendsAt } : {}),
      offlineCode,
      advice: codeAdvice({ state, failureReason, offlineCode }),
      needsAction: state === 'failed' || state === 'missing',
    };
  });
}

async function stayOfBooking({
  ports,
  principal,
  property,
  locks,
  booking,
}: {
  ports: TodayPorts;
  principal: Principal;
  property: Property;
  locks: readonly Lock[];
  booking: Booking;
}): Promise<Stay> {
  const { checkInAt, checkOutAt } = stayOf({ property, booking });
  const stay = {
    bookingId: booking.id,
    propertyId: booking.propertyId,
    guestName: booking.guest.name,
    arrivalDate: booking.arrivalDate,
    departureDate: booking.departureDate,
    checkInAt,
    checkOutAt,
  };
  const resource = { tenantId: booking.tenantId, propertyId: booking.propertyId, holderUserId: undefined };
  if (!isPermitted({ principal, action: 'grant.read', resource })) return stay;
  const key = { tenantId: booking.tenantId, grantId: booking.grantId };
  const [grant, codes, offline] = await Promise.all([
    ports.grants.get(key),
    ports.accessCodes.listByGrant(key),
    ports.offlineCodes.listByGrant(key),
  ]);
  // An offline code issued for an earlier window of the stay is no longer the guest's.
  const offlineCodes = grant ? offline.filter((code) => isCurrentFor({ code, grant })) : [];
  const { pushCodesAt } = stayMilestones({ property, booking, now: ports.clock.now() });
  return { ...stay, codes: stayCodes({ locks, codes, offlineCodes, sendsAt: pushCodesAt }) };
}

async function propertyDay({
  ports,
  principal,
  property,
  days,
  now,
}: {
  ports: TodayPorts;
  principal: Principal;
  property: Property;
  days: number;
  now: IsoInstant;
}) {
  const { tenantId, id: propertyId, timeZone } = property;
  const today = localDateAt({ instant: now, timeZone });
  const until = addDays(today, days - 1);
  const startOfDay = (date: LocalDate) =>
    zonedInstant({ date, time: '00:00', timeZone, disambiguation: 'earlier' });
  const [locks, arriving, ending] = await Promise.all([
    listLocks({ ports, principal, propertyId }),
    ports.bookings.listArrivingBetween({ tenantId, propertyId, fromDate: today, toDate: until }),
    // A stay's grant ends at its check-out plus the property's buffer (at most a day): the grants ending in
    // the range name the departing bookings, without reading the property's past.
    ports.grants.listLiveEndingBetween({
      tenantId,
      propertyId,
      from: startOfDay(today),
      to: startOfDay(addDays(until, 2)),
    }),
  ]);
  const departingIds = ending.flatMap((grant) =>
    grant.kind === 'booking' && grant.bookingId !== undefined ? [grant.bookingId] : [],
  );
  const departing = (
    await Promise.all(departingIds.map((bookingId) => ports.bookings.get({ tenantId, bookingId })))
  ).filter(
    (booking): booking is Booking =>
      booking !== undefined && booking.departureDate >= today && booking.departureDate <= until,
  );
  const confirmed = (bookings: readonly Booking[]) => bookings.filter(({ status }) => status === 'confirmed');
  const stays = (bookings: readonly Booking[]) =>
    Promise.all(
      confirmed(bookings).map((booking) => stayOfBooking({ ports, principal, property, locks, booking })),
    );
  const [arrivals, departures, conditions] = await Promise.all([
    stays(arriving),
    stays(departing),
    Promise.all(locks.map((lock) => ports.conditions.get({ tenantId, lockId: lock.id }))),
  ]);
  const attention = locks.flatMap((lock, index) => {
    const condition = viewOfCondition({ condition: conditions[index], now: ports.clock.now() });
    const problems = lockProblems({ lock, condition });
    return problems.length === 0
      ? []
      : [
          {
            lockId: lock.id,
            name: lock.name,
            propertyId,
            connectivity: lock.connectivity,
            problems,
            condition,
          },
        ];
  });
  return {
    day: { id: propertyId, name: property.name, timeZone, today, until },
    locks,
    arrivals,
    departures,
    attention,
  };
}

export function lockProblems({
  lock,
  condition,
}: {
  lock: Pick<Lock, 'connectivity'>;
  condition: LockConditionView;
}): LockProblem[] {
  const problems: LockProblem[] = [];
  if (lock.connectivity !== 'bluetooth') {
    if (condition.online === false) problems.push('offline');
    if (condition.online === null) problems.push('never-connected');
  }
  if (condition.battery !== null && condition.battery <= lowBatteryPercent) problems.push('low-battery');
  if (condition.keypadLockedOut) problems.push('keypad-locked-out');
  return problems;
}

async function allVisibleProperties({
  ports,
  principal,
}: {
  ports: TodayPorts;
  principal: Principal;
}): Promise<Property[]> {
  const properties: Property[] = [];
  let cursor: string | undefined;
  do {
    const page = await listProperties({ ports, principal, page: { cursor, limit: 100 } });
    properties.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return properties;
}

async function unhealthyIntegrations({
  ports,
  principal,
  now,
}: {
  ports: TodayPorts;
  principal: Principal;
  now: IsoInstant;
}): Promise<IntegrationAttention[] | null> {
  if (!isPermitted({ principal, action: 'integration.read', resource: { tenantId: principal.tenantId } })) {
    return null;
  }
  const integrations = await ports.integrations.list({ tenantId: principal.tenantId });
  const staleBefore = addHours(now, -staleFeedHours);
  return integrations.flatMap((integration): IntegrationAttention[] => {
    const { feed } = integration;
    if (!feed) return [];
    const health: FeedHealth | undefined = feed.health;
    const base = {
      integrationId: integration.id,
      name: integration.name,
      kind: integration.kind,
      propertyId: feed.propertyId,
      ...(feed.lastImportAt === undefined ? {} : { lastImportAt: feed.lastImportAt }),
    };
    if (health && health.status !== 'healthy')
      return [{ ...base, status: health.status, reason: health.reason }];
    const lastRead = feed.lastImportAt ?? feed.lastAttemptAt;
    if (lastRead !== undefined && lastRead < staleBefore) {
      return [{ ...base, status: 'stale', reason: 'The feed has not been read for a while' }];
    }
    return [];
  });
}

async function alertsOf({
  ports,
  principal,
  now,
  propertyIds,
}: {
  ports: TodayPorts;
  principal: Principal;
  now: IsoInstant;
  propertyIds: ReadonlySet<string>;
}): Promise<AuditEvent[] | null> {
  const { tenantId } = principal;
  if (!isPermitted({ principal, action: 'audit.read', resource: { tenantId } })) return null;
  const since = addHours(now, -24 * recentAlerts.days);
  const alerts: AuditEvent[] = [];
  let cursor: string | undefined;
  // The tenant's log, newest first, read only as far back as "recent" and never more than a few pages.
  for (let page = 0; page < recentAlerts.maxPagesRead; page += 1) {
    const events = await ports.auditLog.list({
      tenantId,
      scope: { kind: 'tenant' },
      page: { cursor, limit: recentAlerts.pageSize },
    });
    const recent = events.items.filter((event) => event.at >= since);
    alerts.push(
      ...recent.filter(
        (event) => isAlert(event) && (event.propertyId === undefined || propertyIds.has(event.propertyId)),
      ),
    );
    cursor = events.nextCursor;
    if (recent.length < events.items.length || cursor === undefined || alerts.length >= recentAlerts.maxShown)
      break;
  }
  return alerts.slice(0, recentAlerts.maxShown);
}

const byArrival = (a: Stay, b: Stay) => a.checkInAt.localeCompare(b.checkInAt);
const byDeparture = (a: Stay, b: Stay) => a.checkOutAt.localeCompare(b.checkOutAt);

/** The summary for the principal, over `days` days from each property's today. */
export async function readToday({
  ports,
  principal,
  query,
}: {
  ports: TodayPorts;
  principal: Principal;
  query: TodayQuery;
}): Promise<TodaySummary> {
  const { days } = parseInput({ schema: todayQuerySchema, input: query, what: 'query' });
  const now = instantOf(ports.clock.now());
  const properties = await allVisibleProperties({ ports, principal });
  const [perProperty, integrations, alerts] = await Promise.all([
    Promise.all(properties.map((property) => propertyDay({ ports, principal, property, days, now }))),
    unhealthyIntegrations({ ports, principal, now }),
    alertsOf({ ports, principal, now, propertyIds: new Set(properties.map(({ id }) => id)) }),
  ]);
  return {
    generatedAt: now,
    days,
    properties: perProperty.map(({ day }) => day),
    arrivals: perProperty.flatMap(({ arrivals }) => arrivals).sort(byArrival),
    departures: perProperty.flatMap(({ departures }) => departures).sort(byDeparture),
    locks: perProperty.flatMap(({ attention }) => attention),
    lockNames: Object.fromEntries(
      perProperty.flatMap(({ locks }) => locks.map(({ id, name }) => [id, name])),
    ),
    integrations,
    alerts,
  };
}

const localDate = z.iso.date();
const instant = z.string();

const stayCodeSchema = z.object({
  lockId: z.string(),
  lockName: z.string(),
  state: z.enum(['scheduled', 'setting', 'set', 'removing', 'removed', 'failed', 'offline-code', 'missing']),
  failureReason: z.string().optional(),
  sendsAt: instant.optional().describe('When a scheduled code goes to the lock'),
  offlineCode: z
    .boolean()
    .describe('Whether the guest holds an offline code for this lock (Bluetooth lock, or fallback)'),
  advice: z.string().optional().describe('What to do now; absent when nothing'),
  needsAction: z.boolean(),
});

const staySchema = z
  .object({
    bookingId: z.string(),
    propertyId: z.string(),
    guestName: z.string(),
    arrivalDate: localDate,
    departureDate: localDate,
    checkInAt: instant,
    checkOutAt: instant,
    codes: z.array(stayCodeSchema).optional().describe('Absent for roles that may not see the grant'),
  })
  .meta({ id: 'TodayStay' });

/** The answer of `GET /today`. */
export const todaySummarySchema = z
  .object({
    generatedAt: instant,
    days: z.int(),
    properties: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        timeZone: z.string(),
        today: localDate,
        until: localDate,
      }),
    ),
    arrivals: z.array(staySchema),
    departures: z.array(staySchema),
    locks: z
      .array(
        z.object({
          lockId: z.string(),
          name: z.string(),
          propertyId: z.string(),
          connectivity: z.enum(['wifi', 'hybrid', 'bluetooth']),
          problems: z.array(z.enum(['offline', 'never-connected', 'low-battery', 'keypad-locked-out'])),
          condition: lockConditionSchema,
        }),
      )
      .describe('Locks that are offline, never connected, low on battery or locked out'),
    lockNames: z.record(z.string(), z.string()).describe('The name of every lock covered, by id'),
    integrations: z
      .array(
        z.object({
          integrationId: z.string(),
          name: z.string(),
          kind: z.string(),
          propertyId: z.string().optional(),
          status: z.enum(['failed', 'suspicious', 'stale']),
          reason: z.string(),
          lastImportAt: instant.optional(),
        }),
      )
      .nullable()
      .describe('Failing or stale feeds; null for roles that may not see integrations'),
    alerts: z
      .array(auditEventSchema)
      .nullable()
      .describe('Alerts of the last 7 days, newest first; null for roles that may not read the audit log'),
  })
  .meta({ id: 'TodaySummary' });
