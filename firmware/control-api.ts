/**
 * A small local HTTP API to drive a running lock by hand (the demo, the CLI, tests): what a person at the door
 * would do, and what would happen to the lock. It listens on loopback only and has no authentication: it
 * stands for the lock's physical surroundings, not for a service.
 *
 *   GET  /state                         the lock as it reports itself, its codes (no hashes), recent events
 *   POST /keypad       {"pin":"123456"} type a PIN (never logged)
 *   POST /card         {"id":"04A1…"}   present an RFID card
 *   POST /fingerprint  {"id":"fp-1"}    present a finger
 *   POST /face         {"id":"face-1"}  show a face
 *   POST /key                           turn the mechanical key
 *   POST /lock                          press the lock button inside
 *   POST /door         {"open":true}    open or close the door (door sensor)
 *   POST /network      {"up":false}     cut or restore the lock's network
 *   POST /battery      {"percent":15}   drain (or replace) the battery
 *   POST /tamper       {"kind":"forced-door"}
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { z } from 'zod';
import type { RunningLock } from './lock.ts';

const maxBodyBytes = 4096;

const bodies = {
  keypad: z.strictObject({ pin: z.string().regex(/^\d{1,12}$/, 'Digits only') }),
  credential: z.strictObject({ id: z.string().regex(/^[A-Za-z0-9:_-]{1,64}$/) }),
  door: z.strictObject({ open: z.boolean() }),
  network: z.strictObject({ up: z.boolean() }),
  battery: z.strictObject({ percent: z.int().min(0).max(100) }),
  tamper: z.strictObject({ kind: z.enum(['forced-door', 'cover-removed', 'jammed']) }),
};

type Route = (body: unknown) => Promise<unknown>;

function routesOf(lock: RunningLock): Record<string, Route> {
  return {
    'POST /keypad': async (body) => lock.enterPin(bodies.keypad.parse(body).pin),
    'POST /card': async (body) => lock.presentCredential('rfid', bodies.credential.parse(body).id),
    'POST /fingerprint': async (body) =>
      lock.presentCredential('fingerprint', bodies.credential.parse(body).id),
    'POST /face': async (body) => lock.presentCredential('face', bodies.credential.parse(body).id),
    'POST /key': async () => lock.turnKey(),
    'POST /lock': async () => {
      await lock.lockNow();
      return lock.snapshot().state;
    },
    'POST /door': async (body) => {
      await lock.setDoor(bodies.door.parse(body).open);
      return lock.snapshot().state;
    },
    'POST /network': async (body) => {
      lock.setNetwork(bodies.network.parse(body).up);
      return { network: lock.snapshot().network };
    },
    'POST /battery': async (body) => {
      await lock.setBattery(bodies.battery.parse(body).percent);
      return lock.snapshot().state;
    },
    'POST /tamper': async (body) => {
      await lock.reportTamper(bodies.tamper.parse(body).kind);
      return { reported: true };
    },
    'GET /state': async () => lock.snapshot(),
  };
}

export async function startControlApi({
  lock,
  port,
  host = '127.0.0.1',
}: {
  lock: RunningLock;
  port: number;
  host?: string;
}): Promise<{ server: Server; url: string }> {
  const routes = routesOf(lock);
  const server = createServer((request, response) => {
    handle(routes, request, response).catch(() =>
      send(response, 500, { error: 'The lock could not do that' }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address !== null ? address.port : port;
  return { server, url: `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}` };
}

async function handle(routes: Record<string, Route>, request: IncomingMessage, response: ServerResponse) {
  const path = new URL(request.url ?? '/', 'http://lock').pathname;
  const route = routes[`${request.method} ${path}`];
  if (route === undefined) {
    const known = Object.keys(routes).some((key) => key.endsWith(` ${path}`));
    return send(response, known ? 405 : 404, { error: known ? 'Method not allowed' : 'No such control' });
  }
  let body: unknown = {};
  try {
    body = await readJson(request);
  } catch (error) {
    return send(response, (error as { status?: number }).status ?? 400, { error: (error as Error).message });
  }
  try {
    send(response, 200, await route(body));
  } catch (error) {
    if (error instanceof z.ZodError) {
      return send(response, 400, { error: 'Invalid body', problems: z.flattenError(error).fieldErrors });
    }
    send(response, 409, { error: (error as Error).message });
  }
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).byteLength;
    if (size > maxBodyBytes) throw Object.assign(new Error('Body too large'), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw Object.assign(new Error('Body is not JSON'), { status: 400 });
  }
}

function send(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}
