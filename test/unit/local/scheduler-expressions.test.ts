import { describe, expect, it } from 'vitest';
import { nextRunOf } from '#infra/local/scheduler-twin.ts';

describe('the scheduler twin reads schedule expressions as EventBridge Scheduler does', () => {
  const now = Date.parse('2026-11-26T10:00:00Z');

  it('runs at() at that wall-clock time in UTC by default', () => {
    expect(nextRunOf('at(2026-11-27T14:30:00)', undefined, now)).toBe(Date.parse('2026-11-27T14:30:00Z'));
  });

  it('runs at() in the named time zone, on either side of a DST change', () => {
    expect(nextRunOf('at(2026-03-28T15:00:00)', 'Europe/Berlin', now)).toBe(
      Date.parse('2026-03-28T14:00:00Z'),
    );
    expect(nextRunOf('at(2026-03-30T15:00:00)', 'Europe/Berlin', now)).toBe(
      Date.parse('2026-03-30T13:00:00Z'),
    );
  });

  it('runs rate() one period from now', () => {
    expect(nextRunOf('rate(15 minutes)', undefined, now)).toBe(now + 15 * 60_000);
    expect(nextRunOf('rate(1 hour)', undefined, now)).toBe(now + 3_600_000);
  });

  it('refuses an expression it does not understand', () => {
    expect(() => nextRunOf('cron(0 12 * * ? *)', undefined, now)).toThrow(/Invalid Schedule Expression/);
  });
});
