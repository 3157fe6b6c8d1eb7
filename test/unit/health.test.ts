import { describe, expect, it } from 'vitest';
import { checkHealth } from '#shared/health.ts';

describe('the health report', () => {
  it('is up when every service answers', async () => {
    const report = await checkHealth({ probes: { database: async () => ({}), mail: async () => ({}) } });

    expect(report.status).toBe('up');
    expect(report.services.database?.status).toBe('up');
  });

  it('names the service that fails and says the whole is down', async () => {
    const failure = Object.assign(new Error('gone'), { name: 'ResourceNotFoundException' });

    const report = await checkHealth({
      probes: {
        database: async () => {
          throw failure;
        },
        mail: async () => ({}),
      },
    });

    expect(report.status).toBe('down');
    expect(report.services.database).toMatchObject({ status: 'down', error: 'ResourceNotFoundException' });
    expect(report.services.mail?.status).toBe('up');
  });

  it('reports a service that does not answer in time as down', async () => {
    const report = await checkHealth({ probes: { scheduler: () => new Promise(() => {}) }, timeoutMs: 20 });

    expect(report.services.scheduler).toMatchObject({ status: 'down', error: 'no answer within 20 ms' });
  });
});
