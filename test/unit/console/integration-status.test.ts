/** Specifications of how an integration's state reads on the Integrations page. */
import { describe, expect, it } from 'vitest';
import {
  byNewest,
  type IntegrationView,
  integrationStatus,
  kindLabel,
  withChangesSince,
  withIntegration,
} from '../../../web/console/src/integrations/integration-status.ts';

const feed = (health?: NonNullable<IntegrationView['feed']>['health']): IntegrationView => ({
  id: 'int_feed',
  kind: 'ical',
  name: 'Casa Azul on Airbnb',
  listings: {},
  feed: { url: 'https://www.airbnb.com/calendar/ical/1.ics', propertyId: 'prop_1', reservations: 2, health },
  createdAt: '2026-11-20T10:00:00.000Z',
  updatedAt: '2026-11-20T10:00:00.000Z',
});

describe('the status of an integration', () => {
  it('is "Receiving" for a webhook, which has no health of its own', () => {
    expect(integrationStatus({ kind: 'lockstay-webhook' })).toMatchObject({
      tone: 'good',
      label: 'Receiving',
    });
  });

  it('is "Not read yet" for a feed before its first poll, with how to read it now', () => {
    const status = integrationStatus(feed());
    expect(status).toMatchObject({ tone: 'neutral', label: 'Not read yet' });
    expect(status.advice).toContain('Sync now');
  });

  it('is "Healthy" for a feed that read cleanly, with nothing to do', () => {
    expect(integrationStatus(feed({ status: 'healthy' }))).toEqual({ tone: 'good', label: 'Healthy' });
  });

  it('carries the parser’s reason when a feed failed, and says that bookings wait for it', () => {
    const status = integrationStatus(feed({ status: 'failed', reason: 'The answer is not an iCalendar' }));
    expect(status).toMatchObject({ tone: 'bad', label: 'Failing', reason: 'The answer is not an iCalendar' });
    expect(status.advice).toContain('not updated until it reads again');
  });

  it('carries the reason when a feed looks suspicious, and says nothing was cancelled', () => {
    const status = integrationStatus(feed({ status: 'suspicious', reason: 'The feed came back empty' }));
    expect(status).toMatchObject({
      tone: 'warning',
      label: 'Needs a look',
      reason: 'The feed came back empty',
    });
    expect(status.advice).toContain('Nothing was cancelled');
  });
});

describe('the list of integrations', () => {
  it('names kinds as hosts know them, and an unknown kind as it is', () => {
    expect(kindLabel('ical')).toBe('iCal feed');
    expect(kindLabel('hostaway')).toBe('Hostaway');
    expect(kindLabel('smoobu')).toBe('smoobu');
  });

  it('puts the newest first and replaces a synced one in place', () => {
    const older = { ...feed(), id: 'a', createdAt: '2026-01-01T00:00:00.000Z' };
    const newer = { ...feed(), id: 'b', createdAt: '2026-02-01T00:00:00.000Z' };
    const sorted = byNewest([older, newer]);
    expect(sorted.map((integration) => integration.id)).toEqual(['b', 'a']);

    const synced = { ...older, name: 'Renamed' };
    expect(withIntegration(sorted, synced).map((integration) => integration.name)).toEqual([
      newer.name,
      'Renamed',
    ]);
    expect(withIntegration(sorted, { ...older, id: 'c' })[0]?.id).toBe('c');
  });

  it('keeps what the host changed since the list was asked for, when its answer was read before', () => {
    const kept = { ...feed(), id: 'a', createdAt: '2026-01-01T00:00:00.000Z' };
    const synced = { ...feed(), id: 'b', createdAt: '2026-02-01T00:00:00.000Z' };
    const gone = { ...feed(), id: 'c', createdAt: '2026-03-01T00:00:00.000Z' };
    const added = { ...feed(), id: 'd', name: 'Added meanwhile', createdAt: '2026-04-01T00:00:00.000Z' };
    const changes = new Map<string, IntegrationView | null>([
      ['d', added],
      ['b', { ...synced, name: 'Synced meanwhile' }],
      ['c', null],
    ]);

    const shown = withChangesSince([kept, synced, gone], changes);

    expect(shown.map((integration) => [integration.id, integration.name])).toEqual([
      ['d', 'Added meanwhile'],
      ['b', 'Synced meanwhile'],
      ['a', kept.name],
    ]);
    expect(withChangesSince([kept, synced], new Map()).map((integration) => integration.id)).toEqual([
      'b',
      'a',
    ]);
  });
});
