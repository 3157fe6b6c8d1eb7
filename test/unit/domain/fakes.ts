/**
 * In-memory stand-ins for the domain's ports, for unit tests. The store keeps the promises of
 * ports/change-set.ts (all-or-nothing commits, version checks, one live PIN per lock, one booking per
 * reservation) so that the operations are tested against the same rules the DynamoDB adapter must keep.
 */
import type { AccessCode } from '#shared/domain/access-code.ts';
import { holdsPin } from '#shared/domain/access-code.ts';
import type { AuditEvent } from '#shared/domain/audit.ts';
import { concernsStay, matchesAuditFilter, withinRange } from '#shared/domain/audit-filter.ts';
import type { Booking } from '#shared/domain/booking.ts';
import { guestNameMatches } from '#shared/domain/booking-search.ts';
import type { Grant } from '#shared/domain/grant.ts';
import { holderUserIdOf } from '#shared/domain/grant.ts';
import { compareLocalDates } from '#shared/domain/local-time.ts';
import type { Lock } from '#shared/domain/lock.ts';
import { issueAdHocGrant } from '#shared/domain/operations/grants.ts';
import type {
  ChangeCommitter,
  ChangeSet,
  CommitConflict,
  CommitOutcome,
  EntityName,
} from '#shared/domain/ports/change-set.ts';
import { keyOf } from '#shared/domain/ports/change-set.ts';
import type { Clock } from '#shared/domain/ports/clock.ts';
import type { DeviceProvisioner, ProvisionedDevice } from '#shared/domain/ports/device-provisioner.ts';
import type { DomainPorts } from '#shared/domain/ports/domain-ports.ts';
import type { HostNotice, HostNotifier, NoticeRecipient } from '#shared/domain/ports/host-notifier.ts';
import type { IdGenerator } from '#shared/domain/ports/id-generator.ts';
import type { IdentityDirectory } from '#shared/domain/ports/identity-directory.ts';
import type { RandomSource } from '#shared/domain/ports/random-source.ts';
import type {
  AccessCodeRepository,
  AuditLogRepository,
  AuditScope,
  BookingRepository,
  GrantRepository,
  LockRepository,
  Page,
  PageRequest,
  PropertyRepository,
  TeamRepository,
  UnlockCommandRepository,
} from '#shared/domain/ports/repositories.ts';
import type { ScheduledTask, TaskScheduler } from '#shared/domain/ports/task-scheduler.ts';
import type { Property } from '#shared/domain/property.ts';
import { createPropertyInputSchema } from '#shared/domain/property.ts';
import type { HostRole, IntegrationPrincipal, MemberPrincipal, TeamMember } from '#shared/domain/team.ts';
import type { UnlockCommand } from '#shared/domain/unlock-command.ts';

export class FakeClock implements Clock {
  private current: number;
  constructor(iso = '2026-10-01T09:00:00.000Z') {
    this.current = Date.parse(iso);
  }
  now(): Date {
    return new Date(this.current);
  }
  set(iso: string): void {
    this.current = Date.parse(iso);
  }
  advanceMinutes(minutes: number): void {
    this.current += minutes * 60_000;
  }
}

export class SequentialIds implements IdGenerator {
  private next = 0;
  newId(): string {
    this.next += 1;
    return String(this.next).padStart(4, '0');
  }
}

/**
 * Gives the scripted numbers first (each must fit the range asked for), then a deterministic pseudo-random
 * sequence, so tests can force a PIN and still draw as many more as they need.
 */
export class ScriptedRandom implements RandomSource {
  private readonly script: number[];
  private state: number;
  readonly calls: { min: number; maxExclusive: number }[] = [];
  constructor(script: number[] = [], seed = 42) {
    this.script = [...script];
    this.state = seed;
  }
  randomInt(min: number, maxExclusive: number): number {
    this.calls.push({ min, maxExclusive });
    const scripted = this.script.shift();
    if (scripted !== undefined) {
      if (scripted < min || scripted >= maxExclusive) {
        throw new Error(`Scripted ${scripted} is outside [${min}, ${maxExclusive})`);
      }
      return scripted;
    }
    // mulberry32: plenty for tests, never for PINs in production.
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const unit = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return min + Math.floor(unit * (maxExclusive - min));
  }
}

const key = (tenantId: string, id: string) => `${tenantId}/${id}`;
const copy = <T>(value: T): T => structuredClone(value);

function page<T>(items: readonly T[], request: PageRequest): Page<T> {
  const start = request.cursor === undefined ? 0 : Number(request.cursor);
  const slice = items.slice(start, start + request.limit);
  const end = start + slice.length;
  return { items: slice.map(copy), ...(end < items.length ? { nextCursor: String(end) } : {}) };
}

type Stored = {
  property: Property;
  lock: Lock;
  booking: Booking;
  grant: Grant;
  accessCode: AccessCode;
  unlockCommand: UnlockCommand;
  teamMember: TeamMember;
};

const idOf = (value: { id: string } | { userId: string }) => ('id' in value ? value.id : value.userId);

/** Every repository and the change committer over one in-memory "table". */
export class InMemoryStore implements ChangeCommitter {
  readonly tables: { [Name in EntityName]: Map<string, Stored[Name]> } = {
    property: new Map(),
    lock: new Map(),
    booking: new Map(),
    grant: new Map(),
    accessCode: new Map(),
    unlockCommand: new Map(),
    teamMember: new Map(),
  };
  readonly teamEmails = new Map<string, string>();
  readonly pinClaims = new Map<string, string>();
  readonly bookingReferences = new Map<string, string>();
  readonly auditEvents: AuditEvent[] = [];
  readonly commits: ChangeSet[] = [];
  /** Runs before each commit is applied: lets a test play a concurrent writer. */
  beforeCommit: ((changes: ChangeSet) => void) | undefined;

  readonly properties: PropertyRepository = {
    get: async ({ tenantId, propertyId }) => this.read('property', tenantId, propertyId),
    list: async ({ tenantId, page: request }) =>
      page(
        this.all('property', tenantId).sort((a, b) => a.name.localeCompare(b.name)),
        request,
      ),
  };

  readonly locks: LockRepository = {
    get: async ({ tenantId, lockId }) => this.read('lock', tenantId, lockId),
    listByProperty: async ({ tenantId, propertyId }) =>
      this.all('lock', tenantId)
        .filter((lock) => lock.propertyId === propertyId)
        .map(copy),
  };

  readonly bookings: BookingRepository = {
    get: async ({ tenantId, bookingId }) => this.read('booking', tenantId, bookingId),
    findBySourceReservation: async ({ tenantId, source, sourceReservationId }) => {
      const id = this.bookingReferences.get(`${tenantId}/${source}/${sourceReservationId}`);
      return id === undefined ? undefined : this.read('booking', tenantId, id);
    },
    findNextArrival: async ({ tenantId, propertyId, fromDate, excludingBookingId }) =>
      this.all('booking', tenantId)
        .filter(
          (booking) =>
            booking.propertyId === propertyId &&
            booking.status === 'confirmed' &&
            booking.id !== excludingBookingId &&
            compareLocalDates(booking.arrivalDate, fromDate) >= 0,
        )
        .sort((a, b) => compareLocalDates(a.arrivalDate, b.arrivalDate))
        .map(copy)[0],
    listArrivingBetween: async ({ tenantId, propertyId, fromDate, toDate }) =>
      this.all('booking', tenantId)
        .filter(
          (booking) =>
            booking.propertyId === propertyId &&
            compareLocalDates(booking.arrivalDate, fromDate) >= 0 &&
            compareLocalDates(booking.arrivalDate, toDate) <= 0,
        )
        .sort((a, b) => compareLocalDates(a.arrivalDate, b.arrivalDate))
        .map(copy),
    listByProperty: async ({ tenantId, propertyId, fromDate, toDate, guestName, page: request }) =>
      page(
        this.all('booking', tenantId)
          .filter(
            (booking) =>
              booking.propertyId === propertyId &&
              (fromDate === undefined || compareLocalDates(booking.departureDate, fromDate) >= 0) &&
              (toDate === undefined || compareLocalDates(booking.arrivalDate, toDate) <= 0) &&
              (guestName === undefined || guestNameMatches({ name: booking.guest.name, search: guestName })),
          )
          .sort((a, b) => compareLocalDates(a.arrivalDate, b.arrivalDate)),
        request,
      ),
  };

  readonly grants: GrantRepository = {
    get: async ({ tenantId, grantId }) => this.read('grant', tenantId, grantId),
    listByProperty: async ({ tenantId, propertyId, page: request }) =>
      page(
        this.all('grant', tenantId)
          .filter((grant) => grant.propertyId === propertyId)
          .reverse(),
        request,
      ),
    listLiveByProperty: async ({ tenantId, propertyId, at }) =>
      this.all('grant', tenantId)
        .filter(
          (grant) =>
            grant.propertyId === propertyId &&
            !grant.revocation &&
            (grant.window.endsAt === null || Date.parse(grant.window.endsAt) > Date.parse(at)),
        )
        .map(copy),
    listLiveEndingBetween: async ({ tenantId, propertyId, from, to }) =>
      this.all('grant', tenantId)
        .filter(
          (grant) =>
            grant.propertyId === propertyId &&
            !grant.revocation &&
            grant.window.endsAt !== null &&
            Date.parse(grant.window.endsAt) >= Date.parse(from) &&
            Date.parse(grant.window.endsAt) <= Date.parse(to),
        )
        .sort((a, b) => Date.parse(a.window.endsAt ?? '') - Date.parse(b.window.endsAt ?? ''))
        .map(copy),
    listByHolder: async ({ tenantId, userId, page: request }) =>
      page(
        this.all('grant', tenantId)
          .filter((grant) => holderUserIdOf(grant) === userId)
          .reverse(),
        request,
      ),
  };

  readonly accessCodes: AccessCodeRepository = {
    listByGrant: async ({ tenantId, grantId }) =>
      this.all('accessCode', tenantId)
        .filter((code) => code.grantId === grantId)
        .map(copy),
    listLiveByLock: async ({ tenantId, lockId, page: request }) =>
      page(
        this.all('accessCode', tenantId).filter((code) => code.lockId === lockId && holdsPin(code)),
        request,
      ),
  };

  readonly unlockCommands: UnlockCommandRepository = {
    get: async ({ tenantId, commandId }) => this.read('unlockCommand', tenantId, commandId),
  };

  readonly teamMembers: TeamRepository = {
    get: async ({ tenantId, userId }) => this.read('teamMember', tenantId, userId),
    findByEmail: async ({ tenantId, email }) => {
      const userId = this.teamEmails.get(`${tenantId}/${email.toLowerCase()}`);
      return userId === undefined ? undefined : this.read('teamMember', tenantId, userId);
    },
    list: async ({ tenantId, page: request }) =>
      page(
        this.all('teamMember', tenantId).sort((a, b) => a.name.localeCompare(b.name)),
        request,
      ),
    listByRole: async ({ tenantId, role }) =>
      this.all('teamMember', tenantId)
        .filter((member) => member.role === role && member.status === 'active')
        .map(copy),
  };

  readonly auditLog: AuditLogRepository = {
    list: async ({ tenantId, scope, filter = {}, page: request }) =>
      page(
        this.auditEvents
          .filter(
            (event) =>
              event.tenantId === tenantId &&
              inScope(event, scope) &&
              withinRange(event.at, filter) &&
              matchesAuditFilter(event, filter),
          )
          .reverse(),
        request,
      ),
    listOfStay: async ({ tenantId, stay, limit }) => {
      const events = this.auditEvents.filter(
        (event) => event.tenantId === tenantId && concernsStay(event, stay),
      );
      return { events: events.slice(-limit), complete: events.length <= limit };
    },
  };

  async commit(changes: ChangeSet): Promise<CommitOutcome> {
    this.beforeCommit?.(changes);
    const conflict = this.check(changes);
    if (conflict) return { ok: false, conflict };
    this.commits.push(copy(changes));
    for (const write of changes.writes) {
      const { tenantId, id } = keyOf(write);
      (this.tables[write.entity] as Map<string, unknown>).set(key(tenantId, id), copy(write.value));
      if (write.entity === 'teamMember' && write.op === 'create') {
        this.teamEmails.set(`${tenantId}/${write.value.email.toLowerCase()}`, id);
      }
      if (write.entity === 'accessCode') {
        const claim = pinClaimKey(write.value);
        if (write.op === 'create') this.pinClaims.set(claim, write.value.id);
        else if (!holdsPin(write.value)) this.pinClaims.delete(claim);
      }
      if (
        write.entity === 'booking' &&
        write.op === 'create' &&
        write.value.sourceReservationId !== undefined
      ) {
        this.bookingReferences.set(referenceKey(write.value), write.value.id);
      }
    }
    this.auditEvents.push(...changes.auditEvents.map(copy));
    return { ok: true };
  }

  private check(changes: ChangeSet): CommitConflict | undefined {
    const claimsInThisCommit = new Set<string>();
    for (const write of changes.writes) {
      const { tenantId, id } = keyOf(write);
      const stored = this.tables[write.entity].get(key(tenantId, id));
      if (write.op === 'create' && stored) return { kind: 'already-exists', entity: write.entity, id };
      if (
        write.entity === 'teamMember' &&
        write.op === 'create' &&
        this.teamEmails.has(`${tenantId}/${write.value.email.toLowerCase()}`)
      ) {
        return { kind: 'already-exists', entity: write.entity, id };
      }
      if (write.op === 'update' && stored?.version !== write.value.version - 1) {
        return { kind: 'stale', entity: write.entity, id };
      }
      if (write.entity === 'accessCode' && write.op === 'create') {
        const claim = pinClaimKey(write.value);
        if (this.pinClaims.has(claim) || claimsInThisCommit.has(claim)) {
          return { kind: 'pin-taken', lockId: write.value.lockId, accessCodeId: id };
        }
        claimsInThisCommit.add(claim);
      }
      if (
        write.entity === 'booking' &&
        write.op === 'create' &&
        write.value.sourceReservationId !== undefined
      ) {
        if (this.bookingReferences.has(referenceKey(write.value))) {
          return {
            kind: 'booking-reference-taken',
            source: write.value.source,
            sourceReservationId: write.value.sourceReservationId,
          };
        }
      }
    }
    return undefined;
  }

  /** Claims a PIN on a lock as if another grant's live code held it. */
  claimPin({ tenantId, lockId, pin }: { tenantId: string; lockId: string; pin: string }): void {
    this.pinClaims.set(pinClaimKey({ tenantId, lockId, pin }), 'acd_other');
  }

  put<Name extends EntityName>(entity: Name, value: Stored[Name]): Stored[Name] {
    (this.tables[entity] as Map<string, unknown>).set(key(value.tenantId, idOf(value)), copy(value));
    if (entity === 'teamMember') {
      const member = value as TeamMember;
      this.teamEmails.set(`${member.tenantId}/${member.email.toLowerCase()}`, member.userId);
    }
    return value;
  }

  private read<Name extends EntityName>(
    entity: Name,
    tenantId: string,
    id: string,
  ): Stored[Name] | undefined {
    const value = this.tables[entity].get(key(tenantId, id)) as Stored[Name] | undefined;
    return value && copy(value);
  }

  all<Name extends EntityName>(entity: Name, tenantId: string): Stored[Name][] {
    return ([...this.tables[entity].values()] as Stored[Name][]).filter(
      (value) => value.tenantId === tenantId,
    );
  }
}

function pinClaimKey({ tenantId, lockId, pin }: { tenantId: string; lockId: string; pin: string }): string {
  return `${tenantId}/${lockId}/${pin}`;
}

function referenceKey(booking: Booking): string {
  return `${booking.tenantId}/${booking.source}/${booking.sourceReservationId}`;
}

function inScope(event: AuditEvent, scope: AuditScope): boolean {
  if (scope.kind === 'property') return event.propertyId === scope.propertyId;
  if (scope.kind === 'lock') return event.lockId === scope.lockId;
  return true;
}

export class FakeDevices implements DeviceProvisioner {
  readonly provisioned: string[] = [];
  readonly released: string[] = [];
  readonly rotations: { lockId: string; keyVersion: number }[] = [];
  private device(thingName: string, keyVersion: number): ProvisionedDevice {
    return {
      certificateId: `cert-${thingName}-v${keyVersion}`,
      keyVersion,
      installerBundle: {
        thingName,
        certificatePem: `-----BEGIN CERTIFICATE----- ${thingName} v${keyVersion}`,
        privateKeyPem: '-----BEGIN PRIVATE KEY----- test',
        caCertificatePem: '-----BEGIN CERTIFICATE----- ca',
        endpoint: 'mqtts://localhost:8883',
        deviceKey: Buffer.from(`key-${thingName}-${keyVersion}`).toString('base64'),
      },
    };
  }
  async provision({ thingName }: { thingName: string }) {
    this.provisioned.push(thingName);
    return this.device(thingName, 1);
  }
  async rotate({ lockId, thingName, keyVersion }: { lockId: string; thingName: string; keyVersion: number }) {
    this.rotations.push({ lockId, keyVersion });
    return this.device(thingName, keyVersion);
  }
  readonly retirements: { lockId: string; keepCertificateId: string; keepKeyVersion: number }[] = [];
  async retire(options: { lockId: string; keepCertificateId: string; keepKeyVersion: number }) {
    this.retirements.push({
      lockId: options.lockId,
      keepCertificateId: options.keepCertificateId,
      keepKeyVersion: options.keepKeyVersion,
    });
    const earlier = Array.from({ length: options.keepKeyVersion - 1 }, (_, index) => index + 1);
    return {
      retiredCertificateIds: earlier.map((version) => `cert-lockstay-${options.lockId}-v${version}`),
      retiredKeyVersions: earlier,
    };
  }
  async release({ thingName }: { thingName: string }) {
    this.released.push(thingName);
  }
}

export class RecordingNotifier implements HostNotifier {
  readonly sent: { tenantId: string; recipients: readonly NoticeRecipient[]; notice: HostNotice }[] = [];
  failWith: Error | undefined;
  async notify(options: { tenantId: string; recipients: readonly NoticeRecipient[]; notice: HostNotice }) {
    if (this.failWith) throw this.failWith;
    this.sent.push(options);
  }
}

/** A task scheduler that keeps what it was asked: the tasks still scheduled, and the ids of those cancelled. */
export class RecordingTasks implements TaskScheduler {
  readonly scheduled = new Map<string, ScheduledTask>();
  readonly cancelled: string[] = [];
  async schedule(task: ScheduledTask) {
    this.scheduled.set(task.id, task);
  }
  async cancel(taskId: string) {
    this.cancelled.push(taskId);
    this.scheduled.delete(taskId);
  }
}

export class FakeIdentities implements IdentityDirectory {
  readonly invited: { tenantId: string; email: string; role: HostRole }[] = [];
  readonly roles: { userId: string; role: HostRole }[] = [];
  readonly disabled: string[] = [];
  async inviteUser({
    tenantId,
    email,
    role,
  }: {
    tenantId: string;
    email: string;
    name: string;
    role: HostRole;
  }) {
    this.invited.push({ tenantId, email, role });
    return { userId: `usr_${email.split('@')[0]}` };
  }
  async setRole({ userId, role }: { tenantId: string; userId: string; role: HostRole }) {
    this.roles.push({ userId, role });
  }
  async disableUser({ userId }: { tenantId: string; userId: string }) {
    this.disabled.push(userId);
  }
}

export interface TestWorld {
  readonly ports: DomainPorts;
  readonly store: InMemoryStore;
  readonly clock: FakeClock;
  readonly random: ScriptedRandom;
  readonly devices: FakeDevices;
  readonly notifier: RecordingNotifier;
  readonly identities: FakeIdentities;
}

export function testWorld({ now, randomScript }: { now?: string; randomScript?: number[] } = {}): TestWorld {
  const store = new InMemoryStore();
  const clock = new FakeClock(now);
  const random = new ScriptedRandom(randomScript);
  const devices = new FakeDevices();
  const notifier = new RecordingNotifier();
  const identities = new FakeIdentities();
  const ports: DomainPorts = {
    clock,
    ids: new SequentialIds(),
    random,
    properties: store.properties,
    locks: store.locks,
    bookings: store.bookings,
    grants: store.grants,
    accessCodes: store.accessCodes,
    unlockCommands: store.unlockCommands,
    team: store.teamMembers,
    auditLog: store.auditLog,
    changes: store,
    devices,
    notifier,
    identities,
  };
  return { ports, store, clock, random, devices, notifier, identities };
}

export const tenantA = 'tnt_a';
export const tenantB = 'tnt_b';

export function member({
  role,
  tenantId = tenantA,
  userId = `usr_${role}`,
  assignedPropertyIds = [],
}: {
  role: HostRole;
  tenantId?: string;
  userId?: string;
  assignedPropertyIds?: string[];
}): MemberPrincipal {
  return { kind: 'member', tenantId, userId, role, assignedPropertyIds };
}

export function integration({ tenantId = tenantA } = {}): IntegrationPrincipal {
  return { kind: 'integration', tenantId, integrationId: 'int_hostaway' };
}

export function addTeamMember(
  store: InMemoryStore,
  {
    role,
    tenantId = tenantA,
    userId = `usr_${role}`,
    assignedPropertyIds = [],
    status = 'active',
  }: {
    role: HostRole;
    tenantId?: string;
    userId?: string;
    assignedPropertyIds?: string[];
    status?: TeamMember['status'];
  },
): TeamMember {
  const teamMember: TeamMember = {
    tenantId,
    userId,
    email: `${userId}@example.com`,
    name: userId,
    role,
    assignedPropertyIds,
    status,
    version: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
  return store.put('teamMember', teamMember);
}

/** A property stored directly, as if created earlier: Berlin, check-in 15:00, check-out 11:00, no buffers. */
export function addProperty(
  store: InMemoryStore,
  overrides: Partial<Property> & { tenantId?: string; id?: string } = {},
): Property {
  const settings = createPropertyInputSchema.parse({
    name: 'Altbau loft',
    address: { line1: 'Kastanienallee 1', city: 'Berlin', countryCode: 'DE' },
    timeZone: 'Europe/Berlin',
  });
  return store.put('property', {
    ...settings,
    tenantId: tenantA,
    id: 'prp_loft',
    version: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  });
}

export function addLock(
  store: InMemoryStore,
  overrides: Partial<Lock> & { id: string; propertyId?: string; tenantId?: string },
): Lock {
  return store.put('lock', {
    tenantId: tenantA,
    propertyId: 'prp_loft',
    name: `Lock ${overrides.id}`,
    connectivity: 'wifi',
    codeConstraints: { pinLength: 6, capacity: 20 },
    thingName: `lockstay-${overrides.id}`,
    credentials: {
      certificateId: `cert-${overrides.id}`,
      keyVersion: 1,
      issuedAt: '2026-01-01T00:00:00.000Z',
    },
    version: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  });
}

/**
 * The cleaner's (`usr_cleaner`, who must be on the team with the Loft) turnover at the Loft after a booking's
 * stay, as a manager issues it: where tests about what staff hold start.
 */
export function issueCleanersTurnoverAfter(world: TestWorld, afterBookingId: string) {
  return issueAdHocGrant({
    ports: world.ports,
    principal: member({ role: 'manager' }),
    input: { kind: 'turnover', propertyId: 'prp_loft', staffUserId: 'usr_cleaner', afterBookingId },
  });
}

/**
 * The cleaner's (`usr_cleaner`) turnover `gnt_turnover` on the Loft's front door, 27 October 10:00 to 14:00 UTC,
 * issued by a manager: a grant already in place, for tests about what it lets its holder do.
 */
export const cleanersTurnover: Grant = {
  tenantId: tenantA,
  id: 'gnt_turnover',
  propertyId: 'prp_loft',
  kind: 'turnover',
  subject: { kind: 'staff-member', userId: 'usr_cleaner' },
  lockIds: ['lck_front'],
  window: { startsAt: '2026-10-27T10:00:00.000Z', endsAt: '2026-10-27T14:00:00.000Z' },
  singleUse: false,
  issuedBy: { kind: 'user', userId: 'usr_manager', role: 'manager' },
  version: 1,
  createdAt: '2026-10-01T00:00:00.000Z',
  updatedAt: '2026-10-01T00:00:00.000Z',
};
