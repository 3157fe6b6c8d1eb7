/**
 * A feed that stops importing alerts the owners once, when it turns unhealthy (an email and an
 * `alert.feed-unhealthy` audit event), not on every poll that finds it still broken; once it reads cleanly
 * again it is recorded as healthy, and a later breakage alerts again. "Last imported" stays the last clean
 * import, shown in the integration's view.
 */
import { describe, expect, it } from 'vitest';
import { pollFeed } from '#shared/integrations/feeds.ts';
import { integrationView } from '#shared/integrations/integration.ts';
import { createIntegration } from '#shared/integrations/manage.ts';
import { renderFeedUnhealthyAlert } from '#shared/mail/templates/host-alerts.ts';
import { addProperty, member, testWorld } from '../domain/fakes.ts';
import { feedAnsweringInTurn, integrationServicesFor } from './integration-fakes.ts';

const owner = member({ role: 'owner' });

const calendar = [
  'BEGIN:VCALENDAR',
  'PRODID:-//Airbnb Inc//Hosting Calendar 1.0//EN',
  'VERSION:2.0',
  'BEGIN:VEVENT',
  'DTSTART;VALUE=DATE:20261110',
  'DTEND;VALUE=DATE:20261112',
  'UID:a@airbnb.com',
  'SUMMARY:Reserved',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

function setUp() {
  const world = testWorld({ now: '2026-10-01T09:00:00.000Z' });
  addProperty(world.store);
  const { answers, fetch } = feedAnsweringInTurn();
  const services = integrationServicesFor(world, { fetch });
  return { world, services, answers };
}

describe('A feed’s health alerts', () => {
  it('alerts once when the feed breaks, not on each failing poll; recovery is recorded; a new breakage alerts again', async () => {
    const { world, services, answers } = setUp();
    const created = await createIntegration({
      services,
      principal: owner,
      input: { kind: 'ical', name: 'Airbnb', propertyId: 'prp_loft', url: 'https://www.airbnb.com/c/1.ics' },
    });
    const integrationId = created.integration.id;
    const poll = () => pollFeed({ services, outbound: services.outbound, tenantId: 'tnt_a', integrationId });
    const alerts = () =>
      services.integrationStore.auditEvents.filter((event) => event.action.startsWith('alert.'));

    answers.push(() => new Response(calendar));
    await poll();
    const cleanImportAt = world.clock.now().toISOString();
    world.clock.advanceMinutes(30);
    answers.push(() => new Response('down', { status: 503 }));
    const broken = await poll();
    world.clock.advanceMinutes(30);
    answers.push(() => new Response('still down', { status: 502 }));
    await poll();

    expect(alerts()).toEqual([
      expect.objectContaining({
        action: 'alert.feed-unhealthy',
        target: { kind: 'integration', id: integrationId },
        propertyId: 'prp_loft',
        details: expect.objectContaining({ status: 'failed', reason: 'The feed answered HTTP 503' }),
      }),
    ]);
    expect(world.notifier.sent.map(({ notice }) => notice)).toEqual([
      expect.objectContaining({
        kind: 'integration-alert',
        alert: 'feed-unhealthy',
        integrationId,
        status: 'failed',
        lastImportAt: cleanImportAt,
      }),
    ]);
    if (!broken) throw new Error('The feed was polled');
    const view = integrationView(broken.integration, world.clock.now());
    expect(view.feed).toMatchObject({ lastImportAt: cleanImportAt, health: { status: 'failed' } });

    answers.push(() => new Response(calendar));
    await poll();
    answers.push(() => new Response('down again', { status: 500 }));
    await poll();

    expect(services.integrationStore.auditEvents.map((event) => event.action)).toEqual([
      'alert.feed-unhealthy',
      'integration.feed-healthy',
      'alert.feed-unhealthy',
    ]);
    expect(world.notifier.sent).toHaveLength(2);
  });

  it('a feed that has never imported alerts on its first failing poll, saying it never imported', async () => {
    const { world, services, answers } = setUp();
    const created = await createIntegration({
      services,
      principal: owner,
      input: { kind: 'ical', name: 'Vrbo', propertyId: 'prp_loft', url: 'https://www.vrbo.com/c/1.ics' },
    });

    answers.push(() => new Response('<html>not a calendar</html>'));
    await pollFeed({
      services,
      outbound: services.outbound,
      tenantId: 'tnt_a',
      integrationId: created.integration.id,
    });

    expect(world.notifier.sent).toEqual([
      expect.objectContaining({
        notice: expect.objectContaining({ status: 'failed', lastImportAt: undefined }),
      }),
    ]);
  });

  it('the email names the calendar, why it failed and when it last imported, in the property’s time', () => {
    const mail = renderFeedUnhealthyAlert({
      property: { name: 'Altbau loft', timeZone: 'Europe/Berlin' },
      integrationName: 'Airbnb',
      status: 'failed',
      reason: 'The feed answered HTTP 503',
      lastImportAt: '2026-10-01T09:00:00.000Z',
    });

    expect(mail.subject).toBe('The calendar "Airbnb" of Altbau loft is not importing');
    expect(mail.text).toContain('The feed answered HTTP 503');
    expect(mail.text).toMatch(/11:00/);
    expect(mail.html).toContain('Altbau loft');
  });
});
