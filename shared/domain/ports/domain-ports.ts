/**
 * Every port of the domain in one record, as a factory injects them. Each operation names the ones it uses
 * with `Pick`, so a test supplies only those.
 */
import type { ChangeCommitter } from './change-set.ts';
import type { Clock } from './clock.ts';
import type { DeviceProvisioner } from './device-provisioner.ts';
import type { HostNotifier } from './host-notifier.ts';
import type { IdGenerator } from './id-generator.ts';
import type { IdentityDirectory } from './identity-directory.ts';
import type { RandomSource } from './random-source.ts';
import type {
  AccessCodeRepository,
  AuditLogRepository,
  BookingRepository,
  GrantRepository,
  LockRepository,
  PropertyRepository,
  TeamRepository,
  UnlockCommandRepository,
} from './repositories.ts';

export interface DomainPorts {
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly random: RandomSource;
  readonly properties: PropertyRepository;
  readonly locks: LockRepository;
  readonly bookings: BookingRepository;
  readonly grants: GrantRepository;
  readonly accessCodes: AccessCodeRepository;
  readonly unlockCommands: UnlockCommandRepository;
  readonly team: TeamRepository;
  readonly auditLog: AuditLogRepository;
  readonly changes: ChangeCommitter;
  readonly devices: DeviceProvisioner;
  readonly notifier: HostNotifier;
  readonly identities: IdentityDirectory;
}
