/**
 * The reference lock from a terminal.
 *
 *   node firmware/cli.ts run lock.json            run a lock from its configuration (below) until Ctrl-C
 *   node firmware/cli.ts state                    what the lock reports, its codes and recent events
 *   node firmware/cli.ts pin 123456               type a PIN on its keypad
 *   node firmware/cli.ts card 04A1B2C3            present an RFID card (fingerprint ID, face ID alike)
 *   node firmware/cli.ts key | lock               turn the mechanical key | press the lock button
 *   node firmware/cli.ts door open|closed
 *   node firmware/cli.ts network cut|up
 *   node firmware/cli.ts battery 15
 *   node firmware/cli.ts tamper forced-door|cover-removed|jammed
 *
 * Commands other than `run` talk to a running lock's control API: `--control http://127.0.0.1:7801`, or the
 * LOCK_CONTROL environment variable. The configuration file of `run` (paths relative to it):
 *
 *   { "thingName": "lockstay-…", "connectivity": "wifi", "endpoint": "mqtts://127.0.0.1:8883",
 *     "certificateFile": "lock.crt", "privateKeyFile": "lock.key", "caFile": "ca.crt",
 *     "deviceKeys": [{ "version": 1, "key": "<base64 of 32 bytes>" }],
 *     "storagePath": "lock-memory.json", "pinLength": 6, "capacity": 20,
 *     "credentials": [{ "method": "rfid", "id": "04A1B2C3" }], "control": { "port": 7801 } }
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { encodedDeviceKeySchema } from '#shared/devices/device-key.ts';
import { localUnlockMethods } from '#shared/devices/state.ts';
import { lockConnectivities } from '#shared/domain/lock.ts';
import { type LockOptions, startLock } from './lock.ts';

const configSchema = z.strictObject({
  thingName: z.string().min(1),
  connectivity: z.enum(lockConnectivities),
  endpoint: z.string().url().optional(),
  certificateFile: z.string().optional(),
  privateKeyFile: z.string().optional(),
  caFile: z.string().optional(),
  deviceKeys: z.array(encodedDeviceKeySchema).min(1),
  storagePath: z.string().min(1),
  pinLength: z.int().min(4).max(8).optional(),
  capacity: z.int().min(1).optional(),
  firmwareVersion: z.string().optional(),
  methods: z.array(z.enum(localUnlockMethods)).optional(),
  credentials: z
    .array(z.strictObject({ method: z.enum(['fingerprint', 'rfid', 'face']), id: z.string().min(1) }))
    .optional(),
  doorSensor: z.boolean().optional(),
  autoRelockMs: z.int().min(0).optional(),
  bridgeDelayMs: z.int().min(0).optional(),
  control: z.strictObject({ port: z.int().min(0).max(65_535), host: z.string().optional() }).optional(),
});

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { control: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
});
const [command, ...rest] = positionals;
const controlUrl = values.control ?? process.env.LOCK_CONTROL ?? 'http://127.0.0.1:7801';

async function run(configPath: string) {
  const path = resolve(configPath);
  const config = configSchema.parse(JSON.parse(await readFile(path, 'utf8')));
  const relative = (file: string) => resolve(dirname(path), file);
  const read = (file: string | undefined) =>
    file === undefined ? undefined : readFile(relative(file), 'utf8');
  const [certificatePem, privateKeyPem, caPem] = await Promise.all([
    read(config.certificateFile),
    read(config.privateKeyFile),
    read(config.caFile),
  ]);
  const { certificateFile, privateKeyFile, caFile, storagePath, ...options } = config;
  const lock = await startLock({
    ...(options as Omit<LockOptions, 'storagePath'>),
    storagePath: relative(storagePath),
    ...(certificatePem && privateKeyPem && caPem
      ? { certificate: { certificatePem, privateKeyPem, caPem } }
      : {}),
  });
  const stop = async () => {
    await lock.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function control(method: 'GET' | 'POST', path: string, body?: unknown) {
  const response = await fetch(`${controlUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const answer: unknown = await response.json();
  console.log(JSON.stringify(answer, null, 2));
  if (!response.ok) process.exitCode = 1;
}

function argument(name: string): string {
  const value = rest[0];
  if (value === undefined) throw new Error(`${command} needs ${name}`);
  return value;
}

const commands: Record<string, () => Promise<void>> = {
  run: () => run(argument('a configuration file')),
  state: () => control('GET', '/state'),
  pin: () => control('POST', '/keypad', { pin: argument('the digits') }),
  card: () => control('POST', '/card', { id: argument('the card id') }),
  fingerprint: () => control('POST', '/fingerprint', { id: argument('the fingerprint id') }),
  face: () => control('POST', '/face', { id: argument('the face id') }),
  key: () => control('POST', '/key'),
  lock: () => control('POST', '/lock'),
  door: () => control('POST', '/door', { open: argument('open or closed') === 'open' }),
  network: () => control('POST', '/network', { up: argument('up or cut') === 'up' }),
  battery: () => control('POST', '/battery', { percent: Number(argument('a percentage')) }),
  tamper: () => control('POST', '/tamper', { kind: argument('forced-door, cover-removed or jammed') }),
};

const chosen = command === undefined || values.help ? undefined : commands[command];
if (chosen === undefined) {
  console.log(`usage: node firmware/cli.ts <${Object.keys(commands).join('|')}> [argument] [--control URL]`);
  process.exitCode = command === undefined || values.help ? 0 : 1;
} else {
  try {
    await chosen();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  }
}
