/**
 * In-memory stand-ins for the offline code store and the readiness record, keeping the DynamoDB adapters'
 * promises (created only if absent, replaced only at the version before, written with their audit events or
 * not at all). Audit events go to the given list (a test world's `store.auditEvents`), so the audit log reads
 * them as it reads the domain's.
 */
import type { OfflineCode, OfflineCodeStore } from '#shared/access/offline-code-issuance.ts';
import type { ReadinessCheckRecord, ReadinessCheckStore } from '#shared/access/readiness.ts';
import type { AuditEvent } from '#shared/domain/audit.ts';

const copy = <T>(value: T): T => structuredClone(value);

export class InMemoryOfflineCodes implements OfflineCodeStore {
  readonly codes = new Map<string, OfflineCode>();
  readonly saves: OfflineCode[] = [];
  private readonly audit: AuditEvent[];
  constructor(audit: AuditEvent[] = []) {
    this.audit = audit;
  }

  async listByGrant({ tenantId, grantId }: { tenantId: string; grantId: string }) {
    return [...this.codes.values()]
      .filter((code) => code.tenantId === tenantId && code.grantId === grantId)
      .map(copy);
  }

  async listByLock({ tenantId, lockId, after }: { tenantId: string; lockId: string; after: string }) {
    return [...this.codes.values()]
      .filter((code) => code.tenantId === tenantId && code.lockId === lockId && code.validUntil > after)
      .map(copy);
  }

  async save({ code, auditEvents }: { code: OfflineCode; auditEvents: readonly AuditEvent[] }) {
    const key = `${code.tenantId}/${code.id}`;
    const held = this.codes.get(key);
    if (code.version === 1 ? held !== undefined : held?.version !== code.version - 1) return false;
    this.codes.set(key, copy(code));
    this.saves.push(copy(code));
    this.audit.push(...auditEvents.map(copy));
    return true;
  }
}

export class InMemoryReadinessChecks implements ReadinessCheckStore {
  readonly records = new Map<string, ReadinessCheckRecord>();
  private readonly audit: AuditEvent[];
  constructor(audit: AuditEvent[] = []) {
    this.audit = audit;
  }

  async get({ tenantId, grantId }: { tenantId: string; grantId: string }) {
    const held = this.records.get(`${tenantId}/${grantId}`);
    return held && copy(held);
  }

  async save({ record, auditEvents }: { record: ReadinessCheckRecord; auditEvents: readonly AuditEvent[] }) {
    const key = `${record.tenantId}/${record.grantId}`;
    const held = this.records.get(key);
    if (record.version === 1 ? held !== undefined : held?.version !== record.version - 1) return false;
    this.records.set(key, copy(record));
    this.audit.push(...auditEvents.map(copy));
    return true;
  }
}
