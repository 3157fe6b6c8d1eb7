/**
 * `npm start`: the whole platform on this machine. Prints progress, then every URL a person needs, and writes
 * them to `.lockstay/endpoints.json`. Ctrl-C stops everything it started.
 *
 *   npm start               keep the data of the last run
 *   npm start -- --fresh    start from empty
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { LocalCloudError } from './child-process.ts';
import { defaultPorts, type LocalCloudPorts, portVariables, startLocalCloud } from './cloud.ts';
import { endpointsFile } from './endpoints.ts';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const stateDir = process.env.LOCKSTAY_STATE_DIR ?? join(projectRoot, '.lockstay');

function portsFromEnvironment(): LocalCloudPorts {
  const ports = { ...defaultPorts };
  for (const [service, variable] of Object.entries(portVariables) as [keyof LocalCloudPorts, string][]) {
    const value = process.env[variable];
    if (value === undefined) continue;
    const port = Number(value);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new LocalCloudError(`${variable}=${value} is not a port number (0-65535).`);
    }
    ports[service] = port;
  }
  return ports;
}

async function main() {
  const { values } = parseArgs({ options: { fresh: { type: 'boolean', default: false } } });
  const started = performance.now();
  const cloud = await startLocalCloud({
    projectRoot,
    stateDir,
    ports: portsFromEnvironment(),
    fresh: values.fresh,
    progress: (step) => {
      const stepStarted = performance.now();
      process.stdout.write(`  ${step}...`);
      return () =>
        process.stdout.write(` done (${((performance.now() - stepStarted) / 1000).toFixed(1)} s)\n`);
    },
  });
  const { endpoints } = cloud;
  const lines = [
    '',
    `Lockstay is running locally (ready in ${((performance.now() - started) / 1000).toFixed(1)} s).`,
    '',
    `  API             ${endpoints.api}`,
    `  Health          ${endpoints.health}`,
    `  Email viewer    ${endpoints.emailViewer}`,
    ...Object.entries(endpoints.pages).map(([name, url]) => `  Page: ${name.padEnd(9)} ${url}`),
    `  DynamoDB Local  ${endpoints.services.dynamodb}   (table ${endpoints.tableName})`,
    `  Cognito         ${endpoints.services.cognito}   (pool ${endpoints.cognito.userPoolId}, client ${endpoints.cognito.clientId})`,
    `  Scheduler twin  ${endpoints.services.scheduler}`,
    `  IoT Core        ${endpoints.services.mqtts} (mutual TLS, CA ${endpoints.iotCaPath})`,
    `                  ${endpoints.services.mqtt} (loopback services)   Data Plane API ${endpoints.services.iotDataPlane}`,
  ];
  if (endpoints.demo) {
    lines.push(
      '',
      'Demo host (owner of the demo tenant):',
      `  username        ${endpoints.demo.username}`,
      `  password        ${endpoints.demo.password}`,
      `  TOTP secret     ${endpoints.demo.totpSecret}`,
      `  otpauth URL     ${endpoints.demo.otpauthUrl}`,
      '  current code    npm run otp',
    );
  }
  if (endpoints.demoLocks?.length) {
    lines.push(
      '',
      'Demo locks (reference firmware; drive them through their control API, e.g. POST /keypad {"pin":"..."}):',
    );
    for (const lock of endpoints.demoLocks) {
      lines.push(
        `  ${lock.name.padEnd(14)} ${lock.connectivity.padEnd(9)} ${lock.lockId}   ${lock.controlUrl ?? ''}`,
      );
    }
  }
  lines.push(
    '',
    `Endpoints written to ${endpointsFile(stateDir)}. Logs in ${join(stateDir, 'logs')}.`,
    'Press Ctrl-C to stop.',
  );
  console.log(lines.join('\n'));

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nStopping...');
    await cloud.stop();
    console.log(' stopped.');
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  void cloud.crashed.then((service) => {
    if (stopping) return;
    console.error(`\n${service} stopped unexpectedly; see ${join(stateDir, 'logs')}. Stopping the rest.`);
    void stop(1);
  });
}

main().catch((error: unknown) => {
  if (error instanceof LocalCloudError) console.error(`\nlockstay: ${error.message}`);
  else console.error('\nlockstay: the local cloud failed to start:', error);
  process.exit(1);
});
