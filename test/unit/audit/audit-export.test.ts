/** The audit log's CSV export: columns a host reads, quoting, the formula guard, and long logs in parts. */
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  type AuditNames,
  auditCsvColumns,
  cachedNames,
  csvText,
  exportAuditLog,
  maxExportRows,
  wallClock,
} from '#shared/audit/audit-export.ts';
import type { AuditEvent } from '#shared/domain/audit.ts';
import type { Page } from '#shared/domain/ports/repositories.ts';

const names: AuditNames = {
  property: async (id) => (id === 'prp_azul' ? { name: 'Casa Azul', timeZone: 'Europe/Lisbon' } : undefined),
  lock: async (id) => (id === 'lck_front' ? 'Front door' : undefined),
  person: async (id) => (id === 'usr_ana' ? 'ana@example.com' : undefined),
};

const opened: AuditEvent = {
  tenantId: 'tnt-a',
  id: 'aud_1',
  at: '2026-07-01T15:12:00.000Z',
  actor: { kind: 'device', lockId: 'lck_front' },
  action: 'lock.unlocked',
  target: { kind: 'lock', id: 'lck_front' },
  propertyId: 'prp_azul',
  lockId: 'lck_front',
  details: { method: 'keypad', codeId: 'acc_1', grantId: 'gnt_1' },
};
const renamed: AuditEvent = {
  tenantId: 'tnt-a',
  id: 'aud_2',
  at: '2026-07-01T15:00:00.000Z',
  actor: { kind: 'user', userId: 'usr_ana', role: 'manager' },
  action: 'booking.modified',
  target: { kind: 'booking', id: 'bkg_1' },
  propertyId: 'prp_azul',
  details: { guestName: '=HYPERLINK("http://evil.example","click")', note: 'a "quoted", multi\nline value' },
};

const rowsOf = (csv: string) => parse(csv, { columns: true }) as Record<string, string>[];

describe('the CSV export', () => {
  it('writes a header row and one row per event, with names and the time at the property', async () => {
    const exported = await exportAuditLog({ readPage: async () => ({ items: [opened, renamed] }), names });

    const rows = rowsOf(exported.csv);
    expect(Object.keys(rows[0] ?? {})).toEqual([...auditCsvColumns]);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      at_utc: '2026-07-01T15:12:00.000Z',
      local_time: '2026-07-01 16:12:00',
      time_zone: 'Europe/Lisbon',
      property: 'Casa Azul',
      lock: 'Front door',
      method: 'keypad',
      action: 'lock.unlocked',
      person: '',
    });
    expect(rows[1]).toMatchObject({ method: 'admin', person: 'ana@example.com', lock: '' });
    expect(exported.rows).toBe(2);
    expect(exported.nextCursor).toBeUndefined();
  });

  it('quotes commas, quotes and line breaks so that each value reads back whole', async () => {
    const exported = await exportAuditLog({ readPage: async () => ({ items: [renamed] }), names });

    const details = JSON.parse(rowsOf(exported.csv)[0]?.details ?? '{}') as Record<string, string>;
    expect(details.note).toBe('a "quoted", multi\nline value');
    expect(exported.csv.split('\r\n')[0]).toBe(auditCsvColumns.join(','));
  });

  it('defuses values a spreadsheet would run as formulas', () => {
    const cells = ['=SUM(A1:A9)', '+41 79 000', '-2+3', '@cmd', '\tindent', 'plain', 'a=b'];

    const [row] = parse(csvText([cells])) as string[][];

    expect(row).toEqual(["'=SUM(A1:A9)", "'+41 79 000", "'-2+3", "'@cmd", "'\tindent", 'plain', 'a=b']);
  });

  it('reads the log page by page to its end', async () => {
    const pages: Page<AuditEvent>[] = [
      { items: [opened], nextCursor: 'c1' },
      { items: [], nextCursor: 'c2' },
      { items: [renamed] },
    ];
    const asked: (string | undefined)[] = [];

    const exported = await exportAuditLog({
      readPage: async ({ cursor }) => {
        asked.push(cursor);
        return pages[asked.length - 1] ?? { items: [] };
      },
      names,
    });

    expect(asked).toEqual([undefined, 'c1', 'c2']);
    expect(rowsOf(exported.csv).map((row) => row.action)).toEqual(['lock.unlocked', 'booking.modified']);
  });

  it('ends a very long log with the cursor of the rest', async () => {
    let page = 0;
    const exported = await exportAuditLog({
      readPage: async () => {
        page += 1;
        return { items: Array.from({ length: 100 }, () => opened), nextCursor: `c${page}` };
      },
      names,
    });

    expect(exported.rows).toBeGreaterThanOrEqual(maxExportRows);
    expect(exported.rows).toBeLessThan(maxExportRows + 100);
    expect(exported.nextCursor).toBe(`c${page}`);
  });

  it('looks each name up once per export', async () => {
    let lookups = 0;
    const counted = cachedNames({
      property: async () => {
        lookups += 1;
        return { name: 'Casa Azul', timeZone: 'Europe/Lisbon' };
      },
      lock: async () => 'Front door',
      person: async () => undefined,
    });

    await exportAuditLog({ readPage: async () => ({ items: [opened, opened, renamed] }), names: counted });

    expect(lookups).toBe(1);
  });

  it('writes wall-clock times across a change of daylight saving time', () => {
    expect(wallClock({ at: '2026-10-25T00:30:00.000Z', timeZone: 'Europe/Lisbon' })).toBe(
      '2026-10-25 01:30:00',
    );
    expect(wallClock({ at: '2026-10-25T01:30:00.000Z', timeZone: 'Europe/Lisbon' })).toBe(
      '2026-10-25 01:30:00',
    );
  });
});
