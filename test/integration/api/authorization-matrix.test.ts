/**
 * The authorisation matrix, on the running local cloud: every host route of the route table, called by each
 * role of tenant A and of tenant B against tenant A's objects. What each route does is named once below (the
 * permission it needs and the request it makes); what each role may do comes from the domain's permission
 * matrix; a few conditions (a cleaner's assigned property, their own grants) are written out by hand.
 *
 * Tenant B must learn nothing: each of its answers about A's objects must be exactly the answer it gets for an
 * id that does not exist, and never a success. Tenant A's roles get a success where the matrix allows and 403
 * where it does not.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type RouteDefinition, routeKey, routes } from '#infra/routes.ts';
import { type Action, permissionMatrix } from '#shared/domain/permissions.ts';
import type { HostRole } from '#shared/domain/team.ts';
import {
  type ApiAnswer,
  createMember,
  type HostApiClient,
  hostApiClient,
  idTokenOf,
  putTeamMember,
} from '../../support/hosts.ts';

const endpoints = inject('endpoints');
const roles: readonly HostRole[] = ['owner', 'manager', 'staff'];

/** Tenant A's objects the calls aim at; `missing` swaps each for an id that exists nowhere. */
interface Targets {
  readonly propertyId: string;
  readonly lockId: string;
  readonly bookingId: string;
  readonly grantId: string;
  readonly staffUserId: string;
  readonly commandId: string;
  /** A signed booking webhook integration and an iCal feed integration of tenant A. */
  readonly webhookIntegrationId: string;
  readonly feedIntegrationId: string;
  /** An integration any allowed caller may remove (a fresh one per call). */
  removableIntegrationId(): Promise<string>;
  /** A delivery that failed (its listing is not mapped), which any allowed caller may retry (a fresh one per call). */
  failedDelivery(): Promise<{ integrationId: string; deliveryId: string }>;
  /** A member any allowed caller may remove (a fresh one per call). */
  removableUserId(): Promise<string>;
  /** A booking any allowed caller may change or cancel (a fresh one per call, so no call sees another's cancel). */
  changeableBookingId(): Promise<string>;
  /** A booking whose guest has an email address (a fresh one per call, so no call meets another's cap). */
  emailedBookingId(): Promise<string>;
}

interface Call {
  readonly method: string;
  readonly path: string;
  readonly query?: Record<string, string>;
  readonly body?: unknown;
}

interface RouteUnderTest {
  /** The permission the route needs, as the domain's matrix names it. */
  readonly action: Action;
  readonly call: (targets: Targets) => Promise<Call> | Call;
  /** Whether the route touches one of tenant A's objects (else it only reads or creates within the caller's tenant). */
  readonly aimsAtTenantA: boolean;
}

const unique = () => randomUUID().slice(0, 8);

const routesUnderTest: Record<string, RouteUnderTest> = {
  'GET /properties': {
    action: 'property.read',
    aimsAtTenantA: false,
    call: () => ({ method: 'GET', path: '/properties' }),
  },
  'POST /properties': {
    action: 'property.create',
    aimsAtTenantA: false,
    call: () => ({
      method: 'POST',
      path: '/properties',
      body: {
        name: `Matrix ${unique()}`,
        address: { line1: 'A 1', city: 'Berlin', countryCode: 'DE' },
        timeZone: 'Europe/Berlin',
      },
    }),
  },
  'GET /properties/{propertyId}': {
    action: 'property.read',
    aimsAtTenantA: true,
    call: ({ propertyId }) => ({ method: 'GET', path: `/properties/${propertyId}` }),
  },
  'PATCH /properties/{propertyId}': {
    action: 'property.update',
    aimsAtTenantA: true,
    call: ({ propertyId }) => ({
      method: 'PATCH',
      path: `/properties/${propertyId}`,
      body: { codeBufferAfterMinutes: 15 },
    }),
  },
  'PUT /properties/{propertyId}/external-listings': {
    action: 'integration.manage',
    aimsAtTenantA: true,
    call: ({ propertyId }) => ({
      method: 'PUT',
      path: `/properties/${propertyId}/external-listings`,
      body: { listings: [] },
    }),
  },
  'GET /locks': {
    action: 'lock.read',
    aimsAtTenantA: true,
    call: ({ propertyId }) => ({ method: 'GET', path: '/locks', query: { propertyId } }),
  },
  'POST /locks': {
    action: 'lock.register',
    aimsAtTenantA: true,
    call: ({ propertyId }) => ({
      method: 'POST',
      path: '/locks',
      body: { propertyId, name: `Door ${unique()}`, connectivity: 'bluetooth' },
    }),
  },
  'GET /locks/{lockId}': {
    action: 'lock.read',
    aimsAtTenantA: true,
    call: ({ lockId }) => ({ method: 'GET', path: `/locks/${lockId}` }),
  },
  'POST /credential-rotations': {
    action: 'lock.rotateFleet',
    aimsAtTenantA: true,
    call: ({ propertyId }) => ({ method: 'POST', path: '/credential-rotations', body: { propertyId } }),
  },
  'GET /settings': {
    action: 'settings.read',
    aimsAtTenantA: false,
    call: () => ({ method: 'GET', path: '/settings' }),
  },
  'PATCH /settings': {
    action: 'settings.update',
    aimsAtTenantA: false,
    call: () => ({ method: 'PATCH', path: '/settings', body: { offlineAlertHours: 24 } }),
  },
  'POST /locks/{lockId}/rotate-credentials': {
    action: 'lock.rotateCredentials',
    aimsAtTenantA: true,
    call: ({ lockId }) => ({ method: 'POST', path: `/locks/${lockId}/rotate-credentials` }),
  },
  'GET /bookings': {
    action: 'booking.readSchedule',
    aimsAtTenantA: true,
    call: ({ propertyId }) => ({ method: 'GET', path: '/bookings', query: { propertyId } }),
  },
  'POST /bookings': {
    action: 'booking.create',
    aimsAtTenantA: true,
    call: ({ propertyId }) => ({
      method: 'POST',
      path: '/bookings',
      body: {
        propertyId,
        guest: { name: 'Matrix Guest' },
        arrivalDate: '2027-05-01',
        departureDate: '2027-05-03',
      },
    }),
  },
  'GET /bookings/{bookingId}': {
    action: 'booking.readSchedule',
    aimsAtTenantA: true,
    call: ({ bookingId }) => ({ method: 'GET', path: `/bookings/${bookingId}` }),
  },
  'PATCH /bookings/{bookingId}': {
    action: 'booking.modify',
    aimsAtTenantA: true,
    call: ({ bookingId }) => ({
      method: 'PATCH',
      path: `/bookings/${bookingId}`,
      body: { guest: { name: `Guest ${unique()}` } },
    }),
  },
  'POST /bookings/{bookingId}/cancel': {
    action: 'booking.cancel',
    aimsAtTenantA: true,
    call: async ({ changeableBookingId }) => ({
      method: 'POST',
      path: `/bookings/${await changeableBookingId()}/cancel`,
      body: {},
    }),
  },
  'POST /bookings/{bookingId}/guest-email': {
    action: 'booking.resendGuestEmail',
    aimsAtTenantA: true,
    call: async ({ emailedBookingId }) => ({
      method: 'POST',
      path: `/bookings/${await emailedBookingId()}/guest-email`,
    }),
  },
  'GET /grants': {
    action: 'grant.read',
    aimsAtTenantA: true,
    call: ({ propertyId }) => ({ method: 'GET', path: '/grants', query: { propertyId } }),
  },
  'POST /grants': {
    action: 'grant.issueDelivery',
    aimsAtTenantA: true,
    call: ({ propertyId }) => ({
      method: 'POST',
      path: '/grants',
      body: { kind: 'delivery', propertyId, label: 'Parcel' },
    }),
  },
  'GET /grants/{grantId}': {
    action: 'grant.read',
    aimsAtTenantA: true,
    call: ({ grantId }) => ({ method: 'GET', path: `/grants/${grantId}` }),
  },
  'POST /grants/{grantId}/revoke': {
    action: 'grant.revoke',
    aimsAtTenantA: true,
    call: ({ grantId }) => ({ method: 'POST', path: `/grants/${grantId}/revoke`, body: {} }),
  },
  'GET /users': {
    action: 'team.read',
    aimsAtTenantA: false,
    call: () => ({ method: 'GET', path: '/users' }),
  },
  'POST /users': {
    action: 'team.invite',
    aimsAtTenantA: false,
    call: () => ({
      method: 'POST',
      path: '/users',
      body: { email: `invitee-${unique()}@example.com`, name: 'Invitee', role: 'manager' },
    }),
  },
  'PATCH /users/{userId}': {
    action: 'team.changeRole',
    aimsAtTenantA: true,
    call: ({ staffUserId }) => ({ method: 'PATCH', path: `/users/${staffUserId}`, body: { role: 'staff' } }),
  },
  'DELETE /users/{userId}': {
    action: 'team.remove',
    aimsAtTenantA: true,
    call: async ({ removableUserId }) => ({ method: 'DELETE', path: `/users/${await removableUserId()}` }),
  },
  'GET /audit': {
    action: 'audit.read',
    aimsAtTenantA: true,
    call: ({ propertyId }) => ({ method: 'GET', path: '/audit', query: { propertyId } }),
  },
  // Every role has a day to plan; what each sees of it is filtered (today.test.ts).
  'GET /today': {
    action: 'property.read',
    aimsAtTenantA: false,
    call: () => ({ method: 'GET', path: '/today' }),
  },
  'POST /locks/{lockId}/unlock': {
    action: 'lock.unlockRemotely',
    aimsAtTenantA: true,
    call: ({ lockId }) => ({ method: 'POST', path: `/locks/${lockId}/unlock`, body: {} }),
  },
  'GET /commands/{commandId}': {
    action: 'lock.read',
    aimsAtTenantA: true,
    call: ({ commandId }) => ({ method: 'GET', path: `/commands/${commandId}` }),
  },
  'GET /integrations': {
    action: 'integration.read',
    aimsAtTenantA: false,
    call: () => ({ method: 'GET', path: '/integrations' }),
  },
  'POST /integrations': {
    action: 'integration.manage',
    aimsAtTenantA: false,
    call: () => ({
      method: 'POST',
      path: '/integrations',
      body: { kind: 'lockstay-webhook', name: `Channel manager ${unique()}` },
    }),
  },
  'GET /integrations/{integrationId}': {
    action: 'integration.read',
    aimsAtTenantA: true,
    call: ({ webhookIntegrationId }) => ({ method: 'GET', path: `/integrations/${webhookIntegrationId}` }),
  },
  'DELETE /integrations/{integrationId}': {
    action: 'integration.manage',
    aimsAtTenantA: true,
    call: async ({ removableIntegrationId }) => ({
      method: 'DELETE',
      path: `/integrations/${await removableIntegrationId()}`,
    }),
  },
  'POST /integrations/{integrationId}/rotate-secret': {
    action: 'integration.manage',
    aimsAtTenantA: true,
    call: ({ webhookIntegrationId }) => ({
      method: 'POST',
      path: `/integrations/${webhookIntegrationId}/rotate-secret`,
      body: {},
    }),
  },
  'PUT /integrations/{integrationId}/listings': {
    action: 'integration.manage',
    aimsAtTenantA: true,
    call: ({ webhookIntegrationId }) => ({
      method: 'PUT',
      path: `/integrations/${webhookIntegrationId}/listings`,
      body: { listings: {} },
    }),
  },
  'GET /integrations/{integrationId}/deliveries': {
    action: 'integration.read',
    aimsAtTenantA: true,
    call: ({ webhookIntegrationId }) => ({
      method: 'GET',
      path: `/integrations/${webhookIntegrationId}/deliveries`,
    }),
  },
  'POST /integrations/{integrationId}/deliveries/{deliveryId}/retry': {
    action: 'integration.manage',
    aimsAtTenantA: true,
    call: async ({ failedDelivery }) => {
      const { integrationId, deliveryId } = await failedDelivery();
      return {
        method: 'POST',
        path: `/integrations/${integrationId}/deliveries/${encodeURIComponent(deliveryId)}/retry`,
        body: {},
      };
    },
  },
  'POST /integrations/{integrationId}/sync': {
    action: 'integration.manage',
    aimsAtTenantA: true,
    call: ({ feedIntegrationId }) => ({
      method: 'POST',
      path: `/integrations/${feedIntegrationId}/sync`,
      body: {},
    }),
  },
};

/**
 * Where the matrix's condition decides against a role of tenant A here (the cleaner is assigned to the property,
 * but the delivery grant is not theirs, and a property's list of grants is for those who see every grant).
 */
const handWritten: Record<string, Partial<Record<HostRole, number>>> = {
  'GET /grants/{grantId}': { staff: 403 },
  'GET /grants': { staff: 403 },
  // The cleaner holds no grant on the lock, so no window of theirs is open.
  'POST /locks/{lockId}/unlock': { staff: 403 },
};

const hostRoutes = routes.filter((route) => route.auth === 'host' && route.path !== '/me');

function allowedFor(role: HostRole, action: Action): boolean {
  return (permissionMatrix[action].allowed as Partial<Record<string, string>>)[role] !== undefined;
}

async function send(client: HostApiClient, call: Call): Promise<ApiAnswer> {
  return client.request(call.method, call.path, {
    ...(call.query ? { query: call.query } : {}),
    ...(call.body === undefined ? {} : { body: call.body }),
  });
}

/** A calendar on this machine for the feed integration (the local cloud lets feeds reach loopback). */
const feedServer = {
  url: '',
  server: createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/calendar' });
    response.end('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Matrix//EN\r\nEND:VCALENDAR\r\n');
  }),
};

const tenantA = `tnt-matrix-a-${unique()}`;
const tenantB = `tnt-matrix-b-${unique()}`;
const clients: Record<string, HostApiClient> = {};
let targets: Targets;
let missing: Targets;

beforeAll(async () => {
  await new Promise<void>((resolve) => feedServer.server.listen(0, '127.0.0.1', resolve));
  const address = feedServer.server.address();
  feedServer.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const cast = await Promise.all(
    [tenantA, tenantB].flatMap((tenantId) =>
      roles.map(async (role) => ({
        tenantId,
        role,
        host: await createMember({ endpoints, tenantId, role }),
      })),
    ),
  );
  for (const { tenantId, role, host } of cast)
    clients[`${tenantId}/${role}`] = hostApiClient(endpoints, await idTokenOf(endpoints, host));
  const owner = clients[`${tenantA}/owner`] as HostApiClient;

  const property = await owner.request('POST', '/properties', {
    body: {
      name: 'Matrix loft',
      address: { line1: 'B 2', city: 'Berlin', countryCode: 'DE' },
      timeZone: 'Europe/Berlin',
    },
  });
  const propertyId = property.body.id as string;
  const lock = await owner.request('POST', '/locks', {
    body: { propertyId, name: 'Front', connectivity: 'wifi' },
  });
  const booking = await owner.request('POST', '/bookings', {
    body: { propertyId, guest: { name: 'Guest A' }, arrivalDate: '2027-04-01', departureDate: '2027-04-04' },
  });
  const grant = await owner.request('POST', '/grants', {
    body: { kind: 'delivery', propertyId, label: 'Groceries' },
  });
  const command = await owner.request('POST', `/locks/${lock.body.lock.id}/unlock`, { body: {} });
  const webhookIntegration = await owner.request('POST', '/integrations', {
    body: { kind: 'lockstay-webhook', name: 'Matrix channel manager' },
  });
  const feedIntegration = await owner.request('POST', '/integrations', {
    body: { kind: 'ical', name: 'Matrix calendar', propertyId, url: `${feedServer.url}/calendar.ics` },
  });
  const hostaway = await owner.request('POST', '/integrations', {
    body: { kind: 'hostaway', name: 'Matrix Hostaway (no listings mapped)' },
  });
  const staff = cast.find((member) => member.tenantId === tenantA && member.role === 'staff');
  if (!staff) throw new Error('No cleaner in tenant A');
  // The cleaner sees the matrix property, as cleaners see the properties they are assigned to.
  await owner.request('PATCH', `/users/${staff.host.userId}`, {
    body: { assignedPropertyIds: [propertyId] },
  });

  targets = {
    propertyId,
    lockId: lock.body.lock.id,
    bookingId: booking.body.booking.id,
    grantId: grant.body.grant.id,
    staffUserId: staff.host.userId,
    commandId: command.body.id,
    webhookIntegrationId: webhookIntegration.body.integration?.id ?? webhookIntegration.body.id,
    feedIntegrationId: feedIntegration.body.integration?.id ?? feedIntegration.body.id,
    async removableIntegrationId() {
      const { body } = await owner.request('POST', '/integrations', {
        body: { kind: 'lockstay-webhook', name: `Removable ${unique()}` },
      });
      return (body.integration?.id ?? body.id) as string;
    },
    async failedDelivery() {
      const integrationId = hostaway.body.integration.id as string;
      const { username, password } = hostaway.body.credentials as { username: string; password: string };
      const response = await fetch(`${endpoints.api}/webhooks/${integrationId}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
        },
        body: JSON.stringify({
          event: 'reservation.created',
          data: {
            id: unique(),
            listingMapId: 'unmapped-listing',
            status: 'new',
            arrivalDate: '2027-05-01',
            departureDate: '2027-05-03',
            guestName: 'Matrix Guest',
          },
        }),
      });
      const { deliveryId } = (await response.json()) as { deliveryId: string };
      // Processing is asynchronous: the delivery fails (its listing is not mapped) within moments.
      await expect
        .poll(
          async () => {
            const failed = await owner.request('GET', `/integrations/${integrationId}/deliveries`);
            return ((failed.body.items ?? []) as { deliveryId: string }[]).map((item) => item.deliveryId);
          },
          { timeout: 30_000, interval: 250 },
        )
        .toContain(deliveryId);
      return { integrationId, deliveryId };
    },
    async removableUserId() {
      const userId = `usr-removable-${unique()}`;
      await putTeamMember({
        endpoints,
        tenantId: tenantA,
        userId,
        email: `${userId}@example.com`,
        role: 'manager',
      });
      return userId;
    },
    async changeableBookingId() {
      const { body } = await owner.request('POST', '/bookings', {
        body: {
          propertyId,
          guest: { name: `Guest ${unique()}` },
          arrivalDate: '2027-06-01',
          departureDate: '2027-06-02',
        },
      });
      return body.booking.id as string;
    },
    async emailedBookingId() {
      const { body } = await owner.request('POST', '/bookings', {
        body: {
          propertyId,
          guest: { name: `Guest ${unique()}`, email: `matrix-${unique()}@example.com` },
          arrivalDate: '2027-07-01',
          departureDate: '2027-07-03',
        },
      });
      return body.booking.id as string;
    },
  };
  missing = {
    propertyId: 'prp_doesnotexist',
    lockId: 'lck_doesnotexist',
    bookingId: 'bkg_doesnotexist',
    grantId: 'gnt_doesnotexist',
    staffUserId: 'usr_doesnotexist',
    commandId: 'cmd_doesnotexist',
    webhookIntegrationId: 'int_doesnotexist',
    feedIntegrationId: 'int_doesnotexist',
    removableIntegrationId: async () => 'int_doesnotexist',
    failedDelivery: async () => ({ integrationId: 'int_doesnotexist', deliveryId: 'dlv_doesnotexist' }),
    removableUserId: async () => 'usr_doesnotexist',
    changeableBookingId: async () => 'bkg_doesnotexist',
    emailedBookingId: async () => 'bkg_doesnotexist',
  };
}, 120_000);

afterAll(() => {
  feedServer.server.close();
});

describe('the authorisation matrix', () => {
  it('covers every host route of the route table', () => {
    expect(Object.keys(routesUnderTest).sort()).toEqual(hostRoutes.map(routeKey).sort());
  });

  describe.each(roles)('tenant A’s %s', (role) => {
    it.each(hostRoutes.map((route: RouteDefinition) => routeKey(route)))(
      '%s answers as the matrix says',
      async (key) => {
        const route = routesUnderTest[key];
        if (!route) throw new Error(`No matrix entry for ${key}`);
        const client = clients[`${tenantA}/${role}`] as HostApiClient;

        const answer = await send(client, await route.call(targets));

        const expected = handWritten[key]?.[role] ?? (allowedFor(role, route.action) ? 'success' : 403);
        if (expected === 'success') {
          expect(answer.status, JSON.stringify(answer.body)).toBeGreaterThanOrEqual(200);
          expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(300);
        } else {
          expect(answer.status, JSON.stringify(answer.body)).toBe(expected);
        }
      },
      // A call may first wait on the local cloud (a failed delivery to retry) for up to 30 s.
      60_000,
    );
  });

  describe.each(roles)('tenant B’s %s', (role) => {
    it.each(hostRoutes.map((route: RouteDefinition) => routeKey(route)))(
      '%s learns nothing of tenant A',
      async (key) => {
        const route = routesUnderTest[key];
        if (!route) throw new Error(`No matrix entry for ${key}`);
        const client = clients[`${tenantB}/${role}`] as HostApiClient;

        if (!route.aimsAtTenantA) {
          // Lists and creations within the caller's own tenant: nothing of tenant A may appear.
          const answer = await send(client, await route.call(targets));
          const text = JSON.stringify(answer.body ?? '');
          for (const id of [
            tenantA,
            targets.propertyId,
            targets.lockId,
            targets.bookingId,
            targets.grantId,
          ]) {
            expect(text).not.toContain(id);
          }
          return;
        }
        // Tenant A's own objects for B's calls: B must not be able to tell them from ones that do not exist.
        const aimedAtA = {
          ...targets,
          removableIntegrationId: async () => targets.webhookIntegrationId,
          changeableBookingId: async () => targets.bookingId,
          emailedBookingId: async () => targets.bookingId,
          removableUserId: async () => targets.staffUserId,
          failedDelivery: async () => ({
            integrationId: targets.webhookIntegrationId,
            deliveryId: 'dlv_doesnotexist',
          }),
        };
        const call = await route.call(aimedAtA);
        const answer = await send(client, call);
        const control = await send(client, await route.call(missing));

        expect(answer.status).toBeGreaterThanOrEqual(400);
        expect(answer.status).toBe(control.status);
        // Problems may name the id the caller sent; with the ids swapped, the two answers must be the same.
        let detail = String(answer.body?.detail ?? '');
        for (const name of [
          'propertyId',
          'lockId',
          'bookingId',
          'grantId',
          'staffUserId',
          'commandId',
          'webhookIntegrationId',
          'feedIntegrationId',
        ] as const) {
          detail = detail.replaceAll(targets[name], missing[name]);
        }
        expect(detail).toBe(String(control.body?.detail ?? ''));
        expect(answer.body?.title).toBe(control.body?.title);
      },
    );
  });
});
