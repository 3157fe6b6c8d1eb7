/**
 * The whole platform on one machine: the local twins of the AWS services Lockstay uses, started in order, wired
 * to the same handler code as in AWS through the standard `AWS_ENDPOINT_URL_*` variables, and stopped together.
 * `npm start` and the integration tests both start it from here.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { guestPageFolder, guestPageHeaders } from '#infra/guest-page.ts';
import { resourceVariables } from '#shared/config.ts';
import { isListening, LocalCloudError, type ManagedProcess } from './child-process.ts';
import { startDemoLocks } from './demo-locks.ts';
import { type Endpoints, writeEndpoints } from './endpoints.ts';
import { createFunctionRuntime } from './function-runtime.ts';
import { type Gateway, startGateway } from './gateway.ts';
import { provisioningPrefix } from './iot/data-plane-http.ts';
import { startIotCore } from './iot/index.ts';
import { type SchedulerTwin, startSchedulerTwin } from './scheduler-twin.ts';
import { seedDemoTenant } from './seed.ts';
import { startLocalUserPool } from './services/cognito.ts';
import { ensureTable, requireJava17, startDynamoDbLocal } from './services/dynamodb.ts';
import { startLocalMail } from './services/mail.ts';

export interface LocalCloudPorts {
  readonly api: number;
  readonly dynamodb: number;
  readonly cognito: number;
  readonly mail: number;
  readonly scheduler: number;
  readonly mqtt: number;
  readonly mqtts: number;
  readonly iot: number;
}

/** Every port can be moved with an environment variable; 0 picks a free one (the tests do). */
export const defaultPorts: LocalCloudPorts = {
  api: 3000,
  dynamodb: 8000,
  cognito: 9229,
  mail: 8005,
  scheduler: 8006,
  mqtt: 1883,
  mqtts: 8883,
  iot: 8007,
};

export const portVariables: Record<keyof LocalCloudPorts, string> = {
  api: 'LOCKSTAY_API_PORT',
  dynamodb: 'LOCKSTAY_DYNAMODB_PORT',
  cognito: 'LOCKSTAY_COGNITO_PORT',
  mail: 'LOCKSTAY_MAIL_PORT',
  scheduler: 'LOCKSTAY_SCHEDULER_PORT',
  mqtt: 'LOCKSTAY_MQTT_PORT',
  mqtts: 'LOCKSTAY_MQTTS_PORT',
  iot: 'LOCKSTAY_IOT_PORT',
};

export interface LocalCloudOptions {
  readonly projectRoot: string;
  /** Holds `data/`, `logs/` and `endpoints.json`. */
  readonly stateDir: string;
  readonly ports: LocalCloudPorts;
  /** Start from empty: wipe the data folder first. */
  readonly fresh?: boolean;
  /** Keep DynamoDB's data in memory only (tests). */
  readonly inMemory?: boolean;
  readonly seed?: boolean;
  /** Called as each step starts; the function it returns is called when the step is done. */
  readonly progress?: (step: string) => () => void;
  readonly log?: (message: string) => void;
}

export interface LocalCloud {
  readonly endpoints: Endpoints;
  /** Settles with the name of the service when a child process exits on its own. */
  readonly crashed: Promise<string>;
  /**
   * Settles once every function's module is loaded (started as the cloud is ready, in the background): tests
   * wait for it so that no first request pays for loading a function; `npm start` does not.
   */
  readonly warmed: Promise<void>;
  stop(): Promise<void>;
}

const region = 'us-east-1';
const tableName = 'lockstay';
const scheduleGroupName = 'lockstay';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || !address) throw new Error('Could not find a free port');
  return address.port;
}

async function resolvePorts(ports: LocalCloudPorts): Promise<LocalCloudPorts> {
  const resolved = { ...ports };
  for (const [service, port] of Object.entries(ports) as [keyof LocalCloudPorts, number][]) {
    if (port === 0) resolved[service] = await freePort();
    else if (await isListening(port)) {
      throw new LocalCloudError(
        `Port ${port} (${service}) is already in use: stop what is using it, or set ${portVariables[service]} to another port.`,
      );
    }
  }
  return resolved;
}

export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  const { projectRoot, stateDir, fresh = false, inMemory = false, seed = true } = options;
  const progress = options.progress ?? (() => () => {});
  const log = options.log ?? ((message: string) => console.error(message));
  const step = async <T>(label: string, work: () => Promise<T>): Promise<T> => {
    const done = progress(label);
    const result = await work();
    done();
    return result;
  };

  const dataDir = join(stateDir, 'data');
  const logsDir = join(stateDir, 'logs');
  if (fresh) await rm(dataDir, { recursive: true, force: true });
  await mkdir(join(dataDir, 'dynamodb'), { recursive: true });
  await mkdir(logsDir, { recursive: true });

  await step('Checking Java for DynamoDB Local', requireJava17);
  const ports = await resolvePorts(options.ports);

  const processes: ManagedProcess[] = [];
  const stoppables: { stop(): Promise<void> }[] = [];
  // In reverse order of starting, one after another: the locks leave before the broker, the gateway before the
  // functions' services. The child processes go last, together.
  const stopAll = async () => {
    for (const service of [...stoppables].reverse()) await service.stop().catch(log);
    await Promise.allSettled(processes.map((child) => child.stop()));
  };

  // The console's build needs nothing from the services, so it runs while they start; its config comes later.
  const landingDir = join(stateDir, 'pages');
  const consoleDir = join(landingDir, 'console');
  const guestPageDir = join(projectRoot, guestPageFolder);
  const consoleBuilt = import('../../web/console/build.ts').then(async (module) => {
    await module.buildConsole({ outDir: consoleDir });
    return module;
  });
  consoleBuilt.catch(() => {}); // awaited below; this only keeps an early failure from going unhandled

  const supervise = <T extends { process: ManagedProcess }>(service: T): T => {
    processes.push(service.process);
    return service;
  };

  try {
    const [database, userPool, mail] = await step(
      'Starting DynamoDB Local, cognito-local and the SES twin',
      () =>
        Promise.all([
          startDynamoDbLocal({
            port: ports.dynamodb,
            dataDir: join(dataDir, 'dynamodb'),
            inMemory,
            logFile: join(logsDir, 'dynamodb.log'),
          }).then(supervise),
          startLocalUserPool({
            port: ports.cognito,
            dataDir: join(dataDir, 'cognito'),
            logFile: join(logsDir, 'cognito.log'),
          }).then(supervise),
          startLocalMail({ port: ports.mail, logFile: join(logsDir, 'mail.log') }).then(supervise),
        ]),
    );
    await step('Creating the table from the stack definition', () =>
      ensureTable({ endpoint: database.endpoint, tableName }),
    );

    const schedulerUrl = `http://127.0.0.1:${ports.scheduler}`;
    const taskFunctionArn = `arn:aws:lambda:${region}:000000000000:function:runScheduledTask`;
    // The handlers run in this process and read these exactly as they read the variables the stack sets.
    Object.assign(process.env, {
      AWS_REGION: region,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: database.endpoint,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: userPool.endpoint,
      AWS_ENDPOINT_URL_SESV2: mail.endpoint,
      AWS_ENDPOINT_URL_SCHEDULER: schedulerUrl,
      [resourceVariables.table]: tableName,
      [resourceVariables.userPoolId]: userPool.userPoolId,
      [resourceVariables.userPoolClientId]: userPool.clientId,
      [resourceVariables.mailFrom]: 'no-reply@lockstay.localhost',
      [resourceVariables.schedulerGroup]: scheduleGroupName,
      [resourceVariables.schedulerRoleArn]: 'arn:aws:iam::000000000000:role/lockstay-scheduler',
      [resourceVariables.scheduledTaskFunctionArn]: taskFunctionArn,
      // The demo and test iCal feeds are served on loopback, which the feed URL guard refuses anywhere else.
      LOCKSTAY_LOCAL_ALLOW_LOOPBACK_FEEDS: 'true',
      POWERTOOLS_SERVICE_NAME: 'lockstay',
      POWERTOOLS_LOG_LEVEL: process.env.LOG_LEVEL ?? 'WARN',
      POWERTOOLS_TRACE_ENABLED: 'false',
      POWERTOOLS_METRICS_DISABLED: 'true',
    });

    const runtime = createFunctionRuntime({ projectRoot });
    const scheduler: SchedulerTwin = await step('Starting the scheduler twin', () =>
      startSchedulerTwin({
        dataDir,
        port: ports.scheduler,
        groups: [scheduleGroupName],
        log,
        invoke: async (functionName, event) => {
          if (!runtime.has(functionName)) throw new Error(`No function named ${functionName}`);
          await runtime.invoke(functionName, event);
        },
      }),
    );
    stoppables.push(scheduler);

    const iot = await step('Starting the local IoT Core', () =>
      startIotCore({
        dataDir: join(dataDir, 'iot'),
        mqttPort: ports.mqtt,
        mqttTlsPort: ports.mqtts,
        httpPort: ports.iot,
        log,
        // As a topic rule's Lambda action does: the rule's document goes to the rule's target function.
        onRuleMatch: async ({ rule, definition, payload }) => {
          if (!runtime.has(definition.target)) {
            log(`[iot] rule ${rule}: no function named ${definition.target}; the message is dropped`);
            return;
          }
          await runtime.invoke(definition.target, payload);
        },
      }),
    );
    stoppables.push(iot);
    process.env.AWS_ENDPOINT_URL_IOT_DATA_PLANE = iot.endpoints.http;
    // Lock identities come from the local CA's provisioning twin, and device keys are sealed with a key kept
    // in the data folder (so they open again after a restart), where AWS uses its IoT API and KMS.
    process.env[resourceVariables.localIotProvisioningUrl] = `${iot.endpoints.http}/${provisioningPrefix}`;
    process.env[resourceVariables.localSealingKey] = await localSealingKey(dataDir);

    const gateway: Gateway = await step('Starting the API gateway', () =>
      startGateway({
        port: ports.api,
        runtime,
        log,
        tokens: {
          issuer: userPool.issuer,
          jwksUri: userPool.jwksUri,
          clientId: userPool.clientId,
          hasEnrolledMfa: (username) => userPool.hasEnrolledMfa(username),
        },
        pages: { '/': landingDir, '/stay/': guestPageDir },
        pageHeaders: { '/stay/': guestPageHeaders },
      }),
    );
    stoppables.push(gateway);
    // The gateway serves the pages itself, on the API's own origin (known once it listens: tests ask for port 0).
    process.env[resourceVariables.pagesOrigin] = gateway.url;

    const demo = seed
      ? await step('Seeding the demo tenant', () =>
          seedDemoTenant({
            cognito: userPool.client,
            userPoolId: userPool.userPoolId,
            clientId: userPool.clientId,
            dataDir,
            database: { endpoint: database.endpoint, region, tableName },
          }),
        )
      : undefined;

    // The firmware narrates everything it does; that goes to its own log, not the console.
    const lockLog = createWriteStream(join(logsDir, 'locks.log'), { flags: 'a' });
    stoppables.push({ stop: () => new Promise<void>((resolve) => lockLog.end(resolve)) });
    const demoLocks = demo
      ? await step('Starting the demo locks (reference firmware)', () =>
          startDemoLocks({
            dataDir,
            tenantId: demo.tenantId,
            ownerUserId: demo.userId,
            propertyId: demo.propertyId,
            mqttsEndpoint: iot.endpoints.mqtts,
            log: (message) => lockLog.write(`${new Date().toISOString()} ${message}\n`),
          }),
        )
      : undefined;
    if (demoLocks) stoppables.push(demoLocks);

    await step('Building the host console', async () => {
      const { writeConsoleConfig } = await consoleBuilt;
      await writeConsoleConfig({
        outDir: consoleDir,
        config: {
          apiUrl: gateway.url,
          region,
          cognito: {
            endpoint: userPool.endpoint,
            userPoolId: userPool.userPoolId,
            clientId: userPool.clientId,
          },
          environmentName: 'local',
        },
      });
    });

    const endpoints: Endpoints = {
      api: gateway.url,
      health: `${gateway.url}/health`,
      emailViewer: mail.viewerUrl,
      pages: { home: `${gateway.url}/`, console: `${gateway.url}/console/`, guest: `${gateway.url}/stay/` },
      region,
      tableName,
      services: {
        dynamodb: database.endpoint,
        cognito: userPool.endpoint,
        ses: mail.endpoint,
        scheduler: scheduler.url,
        iotDataPlane: iot.endpoints.http,
        mqtt: iot.endpoints.mqtt,
        mqtts: iot.endpoints.mqtts,
      },
      iotCaPath: iot.endpoints.caPath,
      cognito: {
        userPoolId: userPool.userPoolId,
        clientId: userPool.clientId,
        issuer: userPool.issuer,
        jwksUri: userPool.jwksUri,
      },
      ...(demo ? { demo } : {}),
      ...(demoLocks ? { demoLocks: demoLocks.locks } : {}),
    };
    await mkdir(landingDir, { recursive: true });
    await writeFile(join(landingDir, 'index.html'), landingPage(endpoints));
    await writeEndpoints(stateDir, endpoints);

    const crashed = Promise.race(processes.map((child) => child.exited.then(() => child.name)));
    const warmed = runtime.warm().catch((error: unknown) => {
      log(`[functions] a function failed to load: ${error instanceof Error ? error.message : String(error)}`);
    });
    let stopping: Promise<void> | undefined;
    return {
      endpoints,
      crashed,
      warmed,
      stop: () => {
        stopping ??= stopAll();
        return stopping;
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * A local cloud of its own for tests and benchmarks: free ports (a running `npm start` is left alone), a new state
 * folder, DynamoDB in memory, the demo tenant seeded, and every function loaded before it is handed over. Stopping
 * it also removes its folder.
 */
export async function startScratchLocalCloud({
  projectRoot,
  label,
}: {
  projectRoot: string;
  /** Names the state folder, e.g. `test` or `bench`. */
  label: string;
}): Promise<LocalCloud & { readonly stateDir: string }> {
  const stateDir = await mkdtemp(join(tmpdir(), `lockstay-${label}-`));
  const removeFolder = () => rm(stateDir, { recursive: true, force: true });
  let cloud: LocalCloud;
  try {
    cloud = await startLocalCloud({
      projectRoot,
      stateDir,
      ports: { api: 0, dynamodb: 0, cognito: 0, mail: 0, scheduler: 0, mqtt: 0, mqtts: 0, iot: 0 },
      inMemory: true,
      fresh: true,
    });
  } catch (error) {
    await removeFolder();
    throw error;
  }
  await cloud.warmed;
  return {
    ...cloud,
    stateDir,
    stop: async () => {
      await cloud.stop();
      await removeFolder();
    },
  };
}

/** The local stand-in for the KMS key that seals device keys: 32 random bytes, made once per data folder. */
async function localSealingKey(dataDir: string): Promise<string> {
  const file = join(dataDir, 'device-key-sealing.key');
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing !== undefined) return existing.trim();
  const key = randomBytes(32).toString('base64');
  await writeFile(file, `${key}\n`, { mode: 0o600 });
  return key;
}

function landingPage(endpoints: Endpoints): string {
  const link = (label: string, url: string) => `<li><a href="${url}">${label}</a> <code>${url}</code></li>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Lockstay (local)</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}code{color:#444}</style>
</head><body><h1>Lockstay, running locally</h1><ul>
${link('Health of every local service', endpoints.health)}
${link('Host console', `${endpoints.api}/console/`)}
${link('Email viewer (every message sent)', endpoints.emailViewer)}
</ul>${endpoints.demo ? `<p>Demo host: <code>${endpoints.demo.username}</code> (password and TOTP secret in the terminal; <code>npm run otp</code> prints the current code).</p>` : ''}
</body></html>
`;
}
