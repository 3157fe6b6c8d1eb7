/**
 * The local twin of the HTTP API: it serves exactly the routes of the shared route table, turns each request
 * into an API Gateway v2 (payload format 2.0) event, verifies Cognito tokens on protected routes as the JWT
 * authorizer does (signature against the pool's JWKS, issuer, audience or client id, expiry) and fills
 * `requestContext.authorizer.jwt.claims`, then invokes the same handler module the stack deploys.
 * It also serves the web pages from their folders.
 */
import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';
import type { Problem } from '#shared/http/problem.ts';
import { type RouteDefinition, routeKey, routes } from '../routes.ts';
import type { FunctionRuntime } from './function-runtime.ts';
import { closeHttpServer, listenOn } from './listen.ts';

/** HTTP APIs refuse request payloads over 10 MB. */
const maxBodyBytes = 10 * 1024 * 1024;

export interface TokenIssuer {
  readonly issuer: string;
  readonly jwksUri: string;
  readonly clientId: string;
  /**
   * Whether the user finished MFA enrolment. In AWS the pool requires MFA, so every token implies it; the local
   * pool cannot (cognito-local has no MFA_SETUP challenge), so the gateway asks.
   */
  readonly hasEnrolledMfa: (username: string) => Promise<boolean>;
}

export interface GatewayOptions {
  readonly port: number;
  readonly host?: string;
  readonly runtime: FunctionRuntime;
  readonly tokens: TokenIssuer;
  /** URL prefix -> folder of static pages, e.g. `{ '/': 'web/landing' }`. */
  readonly pages?: Readonly<Record<string, string>>;
  /** URL prefix of `pages` -> headers its files are served with (a CSP, `Referrer-Policy`...). */
  readonly pageHeaders?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly log?: (message: string) => void;
}

export interface Gateway {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

interface CompiledRoute {
  readonly route: RouteDefinition;
  readonly pattern: RegExp;
  readonly parameterNames: readonly string[];
  /** Lower sorts first: literal paths before parameters, greedy `{proxy+}` last, as API Gateway matches. */
  readonly rank: number;
}

export function compileRoutes(table: readonly RouteDefinition[]): CompiledRoute[] {
  const compiled = table.map((route) => {
    const parameterNames: string[] = [];
    let rank = 0;
    const source = route.path
      .split('/')
      .map((segment) => {
        const greedy = /^\{(\w+)\+\}$/.exec(segment);
        if (greedy?.[1]) {
          parameterNames.push(greedy[1]);
          rank += 100;
          return '(.+)';
        }
        const parameter = /^\{(\w+)\}$/.exec(segment);
        if (parameter?.[1]) {
          parameterNames.push(parameter[1]);
          rank += 1;
          return '([^/]+)';
        }
        return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    return { route, pattern: new RegExp(`^${source}$`), parameterNames, rank };
  });
  return compiled.sort((a, b) => a.rank - b.rank);
}

function problem(
  status: number,
  title: string,
  detail: string,
  instance: string,
): APIGatewayProxyStructuredResultV2 {
  const body: Problem = { type: 'about:blank', title, status, detail, instance };
  return {
    statusCode: status,
    headers: { 'content-type': 'application/problem+json' },
    body: JSON.stringify(body),
  };
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
};

const isTextual = (contentType: string | undefined): boolean =>
  !contentType ||
  /^(text\/|application\/([\w.+-]*json|xml|x-www-form-urlencoded|javascript))/i.test(contentType);

/** API Gateway hands claims to the function as strings; arrays become `[a b]`. */
function claimsAsStrings(payload: JWTPayload): Record<string, string> {
  return Object.fromEntries(
    Object.entries(payload).map(([name, value]) => [
      name,
      Array.isArray(value)
        ? `[${value.join(' ')}]`
        : typeof value === 'string'
          ? value
          : JSON.stringify(value),
    ]),
  );
}

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const { port, host = '127.0.0.1', runtime, tokens, pages = {}, pageHeaders = {}, log = () => {} } = options;
  const compiled = compileRoutes(routes);
  const jwks = createRemoteJWKSet(new URL(tokens.jwksUri));

  const verify = async (authorization: string | undefined): Promise<JWTPayload | string> => {
    const token = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1];
    if (!token) return 'Sign in and send the token as "Authorization: Bearer <token>".';
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, { issuer: tokens.issuer }));
    } catch {
      return 'The token is invalid or expired; sign in again.';
    }
    const audience = payload.token_use === 'id' ? payload.aud : payload.client_id;
    if (audience !== tokens.clientId) return 'The token was not issued to this application.';
    const username = String(payload['cognito:username'] ?? payload.username ?? payload.sub);
    if (!(await tokens.hasEnrolledMfa(username))) {
      return 'Multi-factor authentication is required: enrol an authenticator app, then sign in again.';
    }
    return payload;
  };

  const readBody = async (request: IncomingMessage): Promise<Buffer | 'too-large'> => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request) {
      size += (chunk as Buffer).length;
      if (size > maxBodyBytes) return 'too-large';
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  };

  const servePage = async (path: string): Promise<APIGatewayProxyStructuredResultV2 | undefined> => {
    const prefix = Object.keys(pages)
      .filter((candidate) => path.startsWith(candidate))
      .sort((a, b) => b.length - a.length)[0];
    if (prefix === undefined) return undefined;
    const root = pages[prefix] as string;
    let file = normalize(join(root, path.slice(prefix.length)));
    if (!file.startsWith(normalize(root + sep)) && file !== normalize(root)) return undefined;
    try {
      if ((await stat(file)).isDirectory()) {
        // As static hosts do: a folder's address ends in a slash, so the page's relative links resolve.
        if (!path.endsWith('/')) return { statusCode: 301, headers: { location: `${path}/` }, body: '' };
        file = join(file, 'index.html');
      }
      const content = await readFile(file);
      return {
        statusCode: 200,
        headers: {
          ...pageHeaders[prefix],
          'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
        },
        body: content.toString('base64'),
        isBase64Encoded: true,
      };
    } catch {
      return undefined;
    }
  };

  const dispatch = async (request: IncomingMessage): Promise<APIGatewayProxyStructuredResultV2> => {
    const url = new URL(request.url ?? '/', 'http://gateway');
    const method = (request.method ?? 'GET').toUpperCase();
    const path = url.pathname;
    const candidates = compiled.filter((entry) => entry.pattern.test(path));
    const match = candidates.find((entry) => entry.route.method === method);
    if (!match) {
      if (method === 'GET' || method === 'HEAD') {
        const page = await servePage(path);
        if (page) return page;
      }
      return candidates.length > 0
        ? problem(405, 'Method not allowed', `${method} is not allowed on ${path}.`, path)
        : problem(404, 'Not found', `No route for ${method} ${path}.`, path);
    }

    let claims: Record<string, string> | undefined;
    if (match.route.auth === 'host') {
      const verified = await verify(request.headers.authorization);
      if (typeof verified === 'string') return problem(401, 'Not authenticated', verified, path);
      claims = claimsAsStrings(verified);
    }

    const body = await readBody(request);
    if (body === 'too-large')
      return problem(413, 'Payload too large', 'The request body exceeds 10 MB.', path);
    const captured = match.pattern.exec(path) ?? [];
    const pathParameters = Object.fromEntries(
      match.parameterNames.map((name, index) => [name, decodeURIComponent(captured[index + 1] ?? '')]),
    );
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined && name !== 'cookie')
        headers[name] = Array.isArray(value) ? value.join(',') : value;
    }
    const query: Record<string, string> = {};
    for (const [name, value] of url.searchParams)
      query[name] = name in query ? `${query[name]},${value}` : value;
    const textual = isTextual(headers['content-type']);
    const now = new Date();
    const requestContext = {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? `${host}:${port}`,
      domainPrefix: 'local',
      http: {
        method,
        path,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: routeKey(match.route),
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}),
    };
    const event: APIGatewayProxyEventV2 = {
      version: '2.0',
      routeKey: routeKey(match.route),
      rawPath: path,
      rawQueryString: url.search.slice(1),
      headers,
      requestContext,
      isBase64Encoded: body.length > 0 && !textual,
      ...(request.headers.cookie ? { cookies: request.headers.cookie.split(/;\s*/) } : {}),
      ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
      ...(match.parameterNames.length > 0 ? { pathParameters } : {}),
      ...(body.length > 0 ? { body: body.toString(textual ? 'utf8' : 'base64') } : {}),
    };

    try {
      const result = await runtime.invoke(match.route.function, event);
      return toStructuredResult(result);
    } catch (error) {
      log(
        `${routeKey(match.route)} -> ${match.route.function} failed: ${error instanceof Error ? error.stack : error}`,
      );
      return {
        statusCode: 500,
        headers: { 'content-type': 'application/json' },
        body: '{"message":"Internal Server Error"}',
      };
    }
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const result = await dispatch(request).catch((error: unknown) => {
      log(`gateway error: ${error instanceof Error ? error.stack : error}`);
      return problem(500, 'Internal error', 'The local gateway failed.', request.url ?? '/');
    });
    const headers: Record<string, string | string[]> = { ...(result.headers as Record<string, string>) };
    if (result.cookies?.length) headers['set-cookie'] = result.cookies;
    response.writeHead(result.statusCode ?? 200, headers);
    const body = result.body ?? '';
    response.end(
      request.method === 'HEAD' ? undefined : Buffer.from(body, result.isBase64Encoded ? 'base64' : 'utf8'),
    );
  };

  const server: Server = createServer((request, response) => void handle(request, response));
  const actualPort = await listenOn({ server, port, host });
  return {
    url: `http://${host}:${actualPort}`,
    port: actualPort,
    async stop() {
      await closeHttpServer(server);
    },
  };
}

/** Payload format 2.0: a result without `statusCode` is a 200 JSON body. */
function toStructuredResult(result: unknown): APIGatewayProxyStructuredResultV2 {
  if (result && typeof result === 'object' && 'statusCode' in result)
    return result as APIGatewayProxyStructuredResultV2;
  if (typeof result === 'string')
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: result };
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(result ?? null),
  };
}
