/**
 * Webhook ingestion through the local cloud: Hostaway deliveries (Basic credentials, the recorded payload's
 * shape) posted to `POST /webhooks/{integrationId}` with several in flight, each a new reservation of a stay
 * that starts today, so that its code goes onto the property's lock at once. Measured, in the same run:
 * - accepted: the receiver's 202s per second (authenticate, read, conditional inbox write, schedule);
 * - booking stored: deliveries per second until the last booking is readable through the API (the scheduler
 *   twin runs the delivery task: ordering record, booking + grant + codes commit);
 * - code set on a lock: deliveries per second until the last code is reported set by a reference lock
 *   (firmware/lock.ts over mutual TLS; push task, keyed hash in the shadow, the lock's report, the
 *   device-event handler);
 * beside the floor: the gateway's 2xx rate for `GET /me` (gateway, JWT verification, one read) at the same
 * concurrency. Per-delivery latencies to "stored" come from polling the API every 200 ms, so they carry up
 * to that much resolution; the lock's "set" is timed by its own log.
 *
 * `measureIngestion({ endpoints })` is for `npm run bench`; `npm run bench:ingest` runs it alone on a local
 * cloud of its own.
 */
import { fileURLToPath } from 'node:url';
import type { Endpoints } from '#infra/local/endpoints.ts';
import { demoOwner, hostApiClient, idTokenOf } from '../test/support/hosts.ts';
import { type LockTestBed, lockTestBed } from '../test/support/registered-locks.ts';
import { formatRow, type LatencySummary, measure, summarise } from './stats.ts';

export interface IngestionReport {
  readonly deliveries: number;
  readonly concurrency: number;
  readonly locks: number;
  /** The floor: GET /me answered 2xx, per second, at the same concurrency. */
  readonly floorPerSecond: number;
  readonly floor: LatencySummary;
  readonly acceptedPerSecond: number;
  readonly accepted: LatencySummary;
  readonly storedPerSecond: number;
  readonly stored: LatencySummary;
  readonly codeSetPerSecond: number;
  readonly codeSet: LatencySummary;
  /** Deliveries that did not end as a booking with its code set, by what went wrong. */
  readonly missing: Readonly<Record<string, number>>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const utcDate = (offsetDays: number) =>
  new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

export async function measureIngestion({
  endpoints,
  deliveries = 60,
  concurrency = 10,
  locks = 4,
}: {
  endpoints: Endpoints;
  deliveries?: number;
  concurrency?: number;
  /** One property per lock; each holds deliveries / locks codes (a lock holds 20 by default). */
  locks?: number;
}): Promise<IngestionReport> {
  const token = await idTokenOf(endpoints, await demoOwner(endpoints));
  const client = hostApiClient(endpoints, token);
  // The local cloud, busy on a shared machine, now and then resets a connection: setup and reads try again.
  const owner = {
    async request(...args: Parameters<typeof client.request>): ReturnType<typeof client.request> {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await client.request(...args);
        } catch (error) {
          if (attempt >= 3) throw error;
          await sleep(200);
        }
      }
    },
  };
  const unique = Date.now().toString(36);
  const codeSetAt = new Map<string, number>();
  const beds: LockTestBed[] = [];
  try {
    const propertyIds: string[] = [];
    const listings: Record<string, string> = {};
    for (let index = 0; index < locks; index += 1) {
      const bed = await lockTestBed({
        endpoints,
        host: owner,
        label: `bench-ingest-${index}`,
        // A stay arriving today is open at once, so its code is pushed as soon as the booking exists.
        property: { timeZone: 'UTC', checkInTime: '00:00', checkOutTime: '11:00' },
      });
      beds.push(bed);
      propertyIds.push(bed.propertyId);
      listings[`bench-${unique}-${index}`] = bed.propertyId;
      await bed.startRegisteredLock(await bed.registerLock({ name: `Ingestion door ${index}` }), {
        autoRelockMs: 100,
        log: (message) => {
          const set = /^code (\S+) set/.exec(message);
          if (set?.[1] && !codeSetAt.has(set[1])) codeSetAt.set(set[1], performance.now());
        },
      });
    }
    const integration = await owner.request('POST', '/integrations', {
      body: { kind: 'hostaway', name: `Ingestion ${unique}`, listings },
    });
    if (integration.status !== 201)
      throw new Error(`Creating the integration answered ${integration.status}`);
    const { username, password } = integration.body.credentials as { username: string; password: string };
    const webhookUrl = `${endpoints.api}/webhooks/${integration.body.integration.id}`;
    const authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    const listingIds = Object.keys(listings);

    // One delivery first (for a listing nobody mapped: it ends as a failed delivery) loads the receiver and
    // the delivery worker, so that the figures are not a cold start's.
    await fetch(webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({
        event: 'reservation.created',
        data: {
          id: `warm-${unique}`,
          listingMapId: 'warm-up',
          status: 'new',
          arrivalDate: utcDate(30),
          departureDate: utcDate(31),
        },
      }),
    }).then((response) => response.arrayBuffer());
    await sleep(2_000);

    // The floor, at the same concurrency, right before the deliveries.
    const me = async () => {
      for (let attempt = 1; ; attempt += 1) {
        try {
          const response = await fetch(`${endpoints.api}/me`, {
            headers: { authorization: `Bearer ${token}` },
          });
          await response.arrayBuffer();
          if (response.ok) return;
          throw new Error(`GET /me answered ${response.status}`);
        } catch (error) {
          // A reset connection under load is retried; the time it cost stays in the sample.
          if (attempt >= 3) throw error;
        }
      }
    };
    await measure(me, { total: 50, concurrency });
    const floorStarted = performance.now();
    const floor = await measure(me, { total: deliveries * 4, concurrency });
    const floorPerSecond = (deliveries * 4) / ((performance.now() - floorStarted) / 1000);

    const sentAt = new Map<string, number>();
    const acceptedSamples: number[] = [];
    const missing: Record<string, number> = {};
    let next = 0;
    const started = performance.now();
    const worker = async () => {
      while (next < deliveries) {
        const index = next;
        next += 1;
        const reservationId = `${unique}${String(index).padStart(5, '0')}`;
        const body = JSON.stringify({
          object: 'reservation',
          event: 'reservation.created',
          accountId: 10_001,
          data: {
            id: reservationId,
            listingMapId: listingIds[index % listingIds.length],
            channelName: 'airbnbOfficial',
            confirmationCode: `HMB${reservationId.toUpperCase()}`,
            status: 'new',
            arrivalDate: utcDate(0),
            departureDate: utcDate(2),
            guestName: `Bench Guest ${index}`,
            guestEmail: `bench-${reservationId}@example.com`,
            insertedOn: new Date().toISOString().replace('T', ' ').slice(0, 19),
          },
        });
        const sent = performance.now();
        sentAt.set(`hostaway:${reservationId}`, sent);
        let status: string;
        try {
          const response = await fetch(webhookUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization },
            body,
          });
          await response.arrayBuffer();
          status = String(response.status);
        } catch (error) {
          status = `network error (${(error as { cause?: { code?: string } }).cause?.code ?? 'unknown'})`;
        }
        if (status === '202') acceptedSamples.push(performance.now() - sent);
        else {
          sentAt.delete(`hostaway:${reservationId}`);
          missing[`answered ${status}`] = (missing[`answered ${status}`] ?? 0) + 1;
        }
      }
    };
    // Bookings as they become readable, each stamped when first seen, watched while deliveries go out.
    const storedAt = new Map<string, { at: number; bookingId: string }>();
    let sending = true;
    const deadline = performance.now() + 180_000;
    const watching = (async () => {
      while ((sending || storedAt.size < acceptedSamples.length) && performance.now() < deadline) {
        for (const propertyId of propertyIds) {
          const listed = await owner.request('GET', '/bookings', { query: { propertyId, limit: '100' } });
          for (const booking of (listed.body.items ?? []) as { id: string; sourceReservationId?: string }[]) {
            const key = booking.sourceReservationId ?? '';
            if (sentAt.has(key) && !storedAt.has(key))
              storedAt.set(key, { at: performance.now(), bookingId: booking.id });
          }
        }
        await sleep(200);
      }
    })();
    await Promise.all(Array.from({ length: concurrency }, worker));
    const acceptedPerSecond = acceptedSamples.length / ((performance.now() - started) / 1000);
    sending = false;
    await watching;
    const lastStored = Math.max(started + 1, ...[...storedAt.values()].map(({ at }) => at));
    const storedPerSecond = storedAt.size / ((lastStored - started) / 1000);

    // Codes: wait until each booking's code is reported set by its lock (the firmware's own log).
    const codeOf = new Map<string, string>();
    for (const [key, { bookingId }] of storedAt) {
      const detail = await owner.request('GET', `/bookings/${bookingId}`);
      const [code] = (detail.body.grant?.accessCodes ?? []) as { id: string }[];
      if (code) codeOf.set(key, code.id);
    }
    while ([...codeOf.values()].some((codeId) => !codeSetAt.has(codeId)) && performance.now() < deadline) {
      await sleep(100);
    }
    const codeSetSamples: number[] = [];
    const storedSamples: number[] = [];
    for (const [key, sent] of sentAt) {
      const stored = storedAt.get(key);
      if (!stored) {
        missing['booking not stored'] = (missing['booking not stored'] ?? 0) + 1;
        continue;
      }
      storedSamples.push(stored.at - sent);
      const setAt = codeSetAt.get(codeOf.get(key) ?? '');
      if (setAt === undefined) missing['code not set'] = (missing['code not set'] ?? 0) + 1;
      else codeSetSamples.push(setAt - sent);
    }
    const lastSet = Math.max(
      started + 1,
      ...[...codeOf.values()].flatMap((codeId) => codeSetAt.get(codeId) ?? []),
    );
    return {
      deliveries,
      concurrency,
      locks,
      floorPerSecond,
      floor,
      acceptedPerSecond,
      accepted: summarise(acceptedSamples),
      storedPerSecond,
      stored: summarise(storedSamples),
      codeSetPerSecond: codeSetSamples.length / ((lastSet - started) / 1000),
      codeSet: summarise(codeSetSamples),
      missing,
    };
  } finally {
    for (const bed of beds) await bed.stopAll();
  }
}

export function formatIngestionReport(report: IngestionReport): string {
  const rate = (perSecond: number) => `${perSecond.toFixed(1).padStart(6)} /s`;
  return [
    `${report.deliveries} Hostaway deliveries, ${report.concurrency} in flight, over ${report.locks} properties with a lock each`,
    `${'floor: GET /me answered 2xx'.padEnd(44)} ${rate(report.floorPerSecond)}   ${formatRow('', report.floor).trim()}`,
    `${'delivery -> 202 accepted'.padEnd(44)} ${rate(report.acceptedPerSecond)}   ${formatRow('', report.accepted).trim()}`,
    `${'delivery -> booking stored (readable)'.padEnd(44)} ${rate(report.storedPerSecond)}   ${formatRow('', report.stored).trim()}`,
    `${'delivery -> code set on the lock'.padEnd(44)} ${rate(report.codeSetPerSecond)}   ${formatRow('', report.codeSet).trim()}`,
    ...(Object.keys(report.missing).length > 0 ? [`missing: ${JSON.stringify(report.missing)}`] : []),
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.env.LOG_LEVEL ??= 'ERROR';
  const { startScratchLocalCloud } = await import('#infra/local/cloud.ts');
  const cloud = await startScratchLocalCloud({ projectRoot: process.cwd(), label: 'bench' });
  try {
    const report = await measureIngestion({
      endpoints: cloud.endpoints,
      deliveries: Number(process.env.BENCH_DELIVERIES ?? 60),
      concurrency: Number(process.env.BENCH_CONCURRENCY ?? 10),
      locks: Number(process.env.BENCH_LOCKS ?? 4),
    });
    console.log(formatIngestionReport(report));
  } finally {
    await cloud.stop();
  }
}
