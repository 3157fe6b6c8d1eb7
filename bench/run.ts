/**
 * `npm run bench`: starts its own local cloud (free ports, data in memory) and measures, each figure beside a
 * floor measured in the same run on the same machine: the API path every host request takes (gateway, token
 * verification, handler) beside a bare Node.js HTTP server; remote unlock from the HTTP request to the lock's
 * confirmation and to the API's `succeeded`, beside a bare MQTT round trip on the same broker; webhook ingestion
 * (deliveries per second to booking stored and to code set on a lock) beside the gateway's 2xx rate for `GET /me`;
 * the DynamoDB capacity of the core operations; the
 * host console's first-load transfer size beside an empty page built the same way; the guest page's transfer size
 * and time to interactive in Chromium beside an empty page served by the same gateway.
 */
import { createServer } from 'node:http';
import { join } from 'node:path';
import { startScratchLocalCloud } from '#infra/local/cloud.ts';
import { demoOwnerToken } from '../test/support/local-cloud.ts';
import { consoleSizeReport } from './console-size.ts';
import { formatCapacityReport, measureDynamoCapacity } from './dynamo-capacity.ts';
import { formatGuestPageReport, measureGuestPage } from './guest-page.ts';
import { formatIngestionReport, measureIngestion } from './ingestion.ts';
import { formatRemoteUnlockReport, measureRemoteUnlock } from './remote-unlock.ts';
import { formatRow, measure } from './stats.ts';

// The handlers' warnings (e.g. presence events of the benchmark's own MQTT clients) are not results.
process.env.LOG_LEVEL ??= 'ERROR';

const total = Number(process.env.BENCH_REQUESTS ?? 2000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 10);

console.log('Starting a local cloud for the benchmark...');
const cloud = await startScratchLocalCloud({ projectRoot: process.cwd(), label: 'bench' });

const floorServer = createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end('{"ok":true}');
});
await new Promise<void>((resolve) => floorServer.listen(0, '127.0.0.1', resolve));
const floorAddress = floorServer.address();
const floorUrl = `http://127.0.0.1:${typeof floorAddress === 'object' && floorAddress ? floorAddress.port : 0}/`;

try {
  const { endpoints } = cloud;
  const token = await demoOwnerToken(endpoints);
  const get =
    (url: string, headers: Record<string, string> = {}) =>
    async () => {
      const response = await fetch(url, { headers });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    };
  const warmUp = { total: 200, concurrency };
  await measure(get(floorUrl), warmUp);
  await measure(get(`${endpoints.api}/me`, { authorization: `Bearer ${token}` }), warmUp);

  console.log(`\n${total} requests, ${concurrency} in flight, on ${process.version}\n`);
  console.log(
    formatRow('floor: bare node:http server', await measure(get(floorUrl), { total, concurrency })),
  );
  console.log(
    formatRow(
      'GET /me (gateway + JWT verify + handler)',
      await measure(get(`${endpoints.api}/me`, { authorization: `Bearer ${token}` }), { total, concurrency }),
    ),
  );
  console.log(
    formatRow(
      'GET /health (4 service probes)',
      await measure(get(endpoints.health), { total: Math.min(total, 500), concurrency }),
    ),
  );

  console.log('\nRemote unlock through the local cloud (reference locks, concurrent requests)\n');
  console.log(
    formatRemoteUnlockReport(
      await measureRemoteUnlock({
        endpoints,
        locks: Number(process.env.BENCH_LOCKS ?? 5),
        requests: Number(process.env.BENCH_UNLOCKS ?? 100),
        concurrency: Number(process.env.BENCH_UNLOCK_CONCURRENCY ?? 5),
      }),
    ),
  );

  console.log(
    '\nWebhook ingestion through the local cloud (Hostaway deliveries to bookings and codes on locks)\n',
  );
  console.log(
    formatIngestionReport(
      await measureIngestion({
        endpoints,
        deliveries: Number(process.env.BENCH_DELIVERIES ?? 60),
        concurrency: Number(process.env.BENCH_INGEST_CONCURRENCY ?? 10),
      }),
    ),
  );

  console.log('\nDynamoDB capacity per operation (DynamoDB Local)\n');
  console.log(
    formatCapacityReport(
      await measureDynamoCapacity({
        endpoint: endpoints.services.dynamodb,
        region: endpoints.region,
        tableName: endpoints.tableName,
      }),
    ),
  );

  console.log('\nHost console, first load\n');
  console.log((await consoleSizeReport()).join('\n'));

  console.log("\nGuest page, a guest's first visit from the email's link\n");
  console.log(
    formatGuestPageReport(await measureGuestPage({ endpoints, pagesDir: join(cloud.stateDir, 'pages') })),
  );
} finally {
  floorServer.close();
  await cloud.stop();
}
