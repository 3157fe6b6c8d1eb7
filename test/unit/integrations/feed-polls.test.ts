import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '#shared/domain/errors.ts';
import { pollFeed } from '#shared/integrations/feeds.ts';
import { createIntegration } from '#shared/integrations/manage.ts';
import { addProperty, member, testWorld } from '../domain/fakes.ts';
import { feedAnsweringInTurn, integrationServicesFor } from './integration-fakes.ts';

const owner = member({ role: 'owner' });

const feed = (events: string[]) =>
  [
    'BEGIN:VCALENDAR',
    'PRODID:-//Airbnb Inc//Hosting Calendar 1.0//EN',
    'VERSION:2.0',
    ...events.flatMap((uid, index) => [
      'BEGIN:VEVENT',
      `DTSTART;VALUE=DATE:202611${String(10 + index * 3).padStart(2, '0')}`,
      `DTEND;VALUE=DATE:202611${String(12 + index * 3).padStart(2, '0')}`,
      `UID:${uid}`,
      'SUMMARY:Reserved',
      'END:VEVENT',
    ]),
    'END:VCALENDAR',
    '',
  ].join('\r\n');

function setUp() {
  const world = testWorld();
  addProperty(world.store);
  const { answers, requests, fetch } = feedAnsweringInTurn();
  const services = integrationServicesFor(world, { fetch });
  return { world, services, answers, requests };
}

async function newFeed(services: ReturnType<typeof setUp>['services']) {
  const created = await createIntegration({
    services,
    principal: owner,
    input: {
      kind: 'ical',
      name: 'Airbnb',
      propertyId: 'prp_loft',
      url: 'https://www.airbnb.com/calendar/ical/1.ics',
    },
  });
  return created.integration.id;
}

describe('Polling an iCal feed', () => {
  it('asks conditionally with the last ETag, and a 304 changes nothing but the last import', async () => {
    const { world, services, answers, requests } = setUp();
    const integrationId = await newFeed(services);
    answers.push(() => new Response(feed(['a@airbnb.com']), { headers: { etag: '"v1"' } }));
    const first = await pollFeed({ services, outbound: services.outbound, tenantId: 'tnt_a', integrationId });
    expect(first?.created).toBe(1);
    answers.push(() => new Response(null, { status: 304 }));
    const second = await pollFeed({
      services,
      outbound: services.outbound,
      tenantId: 'tnt_a',
      integrationId,
    });
    expect(requests[1]?.get('if-none-match')).toBe('"v1"');
    expect(second?.integration.feed?.snapshot).toHaveLength(1);
    const bookings = await world.ports.bookings.listByProperty({
      tenantId: 'tnt_a',
      propertyId: 'prp_loft',
      page: { limit: 10 },
    });
    expect(bookings.items).toHaveLength(1);
  });

  it('a feed answering an error cancels nothing and is marked failed with the reason', async () => {
    const { world, services, answers } = setUp();
    const integrationId = await newFeed(services);
    answers.push(() => new Response(feed(['a@airbnb.com', 'b@airbnb.com'])));
    await pollFeed({ services, outbound: services.outbound, tenantId: 'tnt_a', integrationId });
    answers.push(() => new Response('oops', { status: 503 }));
    const failed = await pollFeed({
      services,
      outbound: services.outbound,
      tenantId: 'tnt_a',
      integrationId,
    });
    expect(failed?.integration.feed?.health).toEqual({
      status: 'failed',
      reason: 'The feed answered HTTP 503',
    });
    expect(failed?.cancelled).toBe(0);
    const bookings = await world.ports.bookings.listByProperty({
      tenantId: 'tnt_a',
      propertyId: 'prp_loft',
      page: { limit: 10 },
    });
    expect(bookings.items.map((booking) => booking.status)).toEqual(['confirmed', 'confirmed']);
  });

  it('refuses a feed URL on a loopback or private address when it is created', async () => {
    const { services } = setUp();
    await expect(
      createIntegration({
        services,
        principal: owner,
        input: { kind: 'ical', name: 'Local', propertyId: 'prp_loft', url: 'http://127.0.0.1:8080/feed.ics' },
      }),
    ).rejects.toBeInstanceOf(InvalidInputError);
  });
});
