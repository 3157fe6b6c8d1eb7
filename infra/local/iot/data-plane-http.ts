/**
 * The AWS IoT Data Plane HTTP API at the paths `@aws-sdk/client-iot-data-plane` calls (GetThingShadow,
 * UpdateThingShadow, DeleteThingShadow, ListNamedShadowsForThing, Publish), so production code pointed at this
 * endpoint works unchanged. Errors carry `x-amzn-ErrorType`, from which the SDK raises its exception classes.
 * Requests are not signature-checked: the listener is on the loopback interface and stands for IAM callers.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type JsonObject, ShadowRequestError, shadowErrorMessages } from './shadow-document.ts';
import type { ShadowService } from './shadow-service.ts';

export type BrokerPublish = (
  topic: string,
  payload: Uint8Array,
  options: { qos: 0 | 1; retain: boolean },
) => Promise<void>;

const errorTypes: Record<number, string> = {
  400: 'InvalidRequestException',
  401: 'UnauthorizedException',
  403: 'ForbiddenException',
  404: 'ResourceNotFoundException',
  405: 'MethodNotAllowedException',
  409: 'ConflictException',
  413: 'RequestEntityTooLargeException',
  415: 'UnsupportedDocumentEncodingException',
  429: 'ThrottlingException',
  500: 'InternalFailureException',
  503: 'ServiceUnavailableException',
};

const maxBodyBytes = 128 * 1024;

/**
 * The local twin of provisioning a lock's identity (CreateThing, CreateKeysAndCertificate and the attachments
 * in AWS IoT), for the platform's local certificate issuer: issue a certificate for a thing, take back one or all
 * of a thing's certificates, and say where devices connect and which CA they trust.
 */
export interface DeviceProvisioningTwin {
  issue(thingName: string): Promise<{ certificateId: string; certificatePem: string; privateKeyPem: string }>;
  revokeAll(thingName: string): Promise<void>;
  /** The ids of the thing's active certificates. */
  activeCertificates(thingName: string): string[];
  /** Revokes one of the thing's certificates (a rotation retiring the previous one); false when it has no such. */
  revoke(thingName: string, certificateId: string): Promise<boolean>;
  connection(): { endpoint: string; caCertificatePem: string };
}

/** Paths of the provisioning twin; under a prefix no AWS IoT API uses. */
export const provisioningPrefix = 'lockstay-local';

export function createDataPlaneServer({
  shadows,
  publish,
  log,
  provisioning,
}: {
  shadows: ShadowService;
  publish: BrokerPublish;
  log: (message: string) => void;
  provisioning?: DeviceProvisioningTwin;
}): Server {
  return createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      if (!(error instanceof ShadowRequestError))
        log(`data plane ${request.method} ${request.url} failed: ${error}`);
      const refusal =
        error instanceof ShadowRequestError ? error : new ShadowRequestError(500, 'Internal service failure');
      sendError(response, refusal);
    });
  });

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    // Path labels arrive percent-encoded (a Publish topic as `%24aws%2Fthings%2F...`): split first, then decode.
    const segments = (request.url ?? '/').split('?')[0]?.split('/').filter(Boolean).map(decodeSegment) ?? [];
    const method = request.method ?? 'GET';
    const name = url.searchParams.get('name') ?? undefined;

    if (segments.length === 3 && segments[0] === 'things' && segments[2] === 'shadow') {
      const ref = { thingName: segments[1] as string, shadowName: name };
      if (method === 'GET') return sendJson(response, await shadows.get(ref));
      if (method === 'POST') return sendJson(response, await shadows.update(ref, await readBody(request)));
      if (method === 'DELETE') return sendJson(response, await shadows.delete(ref));
      throw new ShadowRequestError(405, `Method ${method} is not allowed`);
    }

    if (
      segments.length === 5 &&
      segments.slice(0, 4).join('/') === 'api/things/shadow/ListNamedShadowsForThing'
    ) {
      if (method !== 'GET') throw new ShadowRequestError(405, `Method ${method} is not allowed`);
      const pageSize = url.searchParams.get('pageSize');
      const nextToken = url.searchParams.get('nextToken') ?? undefined;
      const page = shadows.listNamedShadows({
        thingName: segments[4] as string,
        ...(pageSize === null ? {} : { pageSize: Number(pageSize) }),
        ...(nextToken === undefined ? {} : { nextToken }),
      });
      return sendJson(response, page as unknown as JsonObject);
    }

    if (segments.length >= 2 && segments[0] === 'topics') {
      if (method !== 'POST') throw new ShadowRequestError(405, `Method ${method} is not allowed`);
      const topic = segments.slice(1).join('/');
      const qos = Number(url.searchParams.get('qos') ?? '0');
      const retain = url.searchParams.get('retain') === 'true';
      if (qos !== 0 && qos !== 1) throw new ShadowRequestError(400, 'qos must be 0 or 1');
      if (topic.includes('+') || topic.includes('#')) throw new ShadowRequestError(400, 'Invalid topic');
      if (retain && topic.startsWith('$')) {
        throw new ShadowRequestError(400, 'RETAIN is not allowed on reserved topics');
      }
      await publish(topic, await readBody(request), { qos, retain });
      response.writeHead(200, { 'content-type': 'application/json', 'x-amzn-RequestId': randomUUID() });
      response.end();
      return;
    }

    if (provisioning && segments[0] === provisioningPrefix) {
      if (segments.length === 2 && segments[1] === 'connection' && method === 'GET') {
        return sendJson(response, { ...provisioning.connection() });
      }
      if (segments.length === 4 && segments[1] === 'things' && segments[3] === 'certificates') {
        const thingName = segments[2] as string;
        if (method === 'POST') return sendJson(response, { ...(await provisioning.issue(thingName)) });
        if (method === 'GET') {
          return sendJson(response, { certificateIds: provisioning.activeCertificates(thingName) });
        }
        if (method === 'DELETE') {
          await provisioning.revokeAll(thingName);
          return sendJson(response, {});
        }
      }
      if (
        segments.length === 5 &&
        segments[1] === 'things' &&
        segments[3] === 'certificates' &&
        method === 'DELETE'
      ) {
        const revoked = await provisioning.revoke(segments[2] as string, segments[4] as string);
        return sendJson(response, { revoked });
      }
    }

    throw new ShadowRequestError(404, `No route for ${method} ${url.pathname}`);
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ShadowRequestError(400, 'Invalid path');
  }
}

async function readBody(request: IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).byteLength;
    if (size > maxBodyBytes) throw new ShadowRequestError(413, shadowErrorMessages.payloadTooLarge);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function sendJson(response: ServerResponse, document: JsonObject): void {
  response.writeHead(200, { 'content-type': 'application/json', 'x-amzn-RequestId': randomUUID() });
  response.end(JSON.stringify(document));
}

function sendError(response: ServerResponse, error: ShadowRequestError): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  response.writeHead(error.code, {
    'content-type': 'application/json',
    'x-amzn-ErrorType': errorTypes[error.code] ?? errorTypes[500],
    'x-amzn-RequestId': randomUUID(),
  });
  response.end(JSON.stringify({ message: error.message }));
}
