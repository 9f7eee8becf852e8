// HTTP in front of the shim, so the same HTTP clients (supertest, fetch) drive the app through it:
// - lambdaGateway: turns each HTTP request into an API Gateway v1 / HTTP API v2 / ALB event, invokes
//   the Lambda handler, and writes its result back, as the AWS front doors do;
// - vercelServer: calls a Vercel handler with Node's req/res after adding the runtime's helpers
//   (lazy req.query / req.cookies / req.body), optionally with the body already read and parsed.
import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import querystring from 'node:querystring';
import { PassThrough } from 'node:stream';
import type { LambdaHandler, LambdaResult } from '../../shim/index.js';

export type EventKind = 'v1' | 'v2' | 'alb' | 'alb-single';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

async function listen(server: http.Server): Promise<RunningServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const TEXTUAL = /^(application\/(json|x-www-form-urlencoded|xml)|text\/)/i;

export interface RequestParts {
  method: string;
  path: string;
  rawQuery: string;
  headers: Record<string, string[]>;
  body: Buffer;
  sourceIp: string;
}

/** The event an AWS front door would send for this request. */
export function lambdaEvent(kind: EventKind, parts: RequestParts): Record<string, unknown> {
  const single: Record<string, string> = {};
  for (const [k, v] of Object.entries(parts.headers)) single[k] = v[v.length - 1]!;
  const contentType = single['content-type'] ?? '';
  const asText = parts.body.length === 0 || TEXTUAL.test(contentType);
  const body = parts.body.length === 0 ? null : asText ? parts.body.toString('utf8') : parts.body.toString('base64');
  const requestId = randomUUID();
  const params = new URLSearchParams(parts.rawQuery);
  const multiQuery: Record<string, string[]> = {};
  for (const [k, v] of params) (multiQuery[k] ??= []).push(v);
  const lastQuery = Object.fromEntries(Object.entries(multiQuery).map(([k, v]) => [k, v[v.length - 1]!]));
  if (kind === 'v2') {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(parts.headers)) if (k !== 'cookie') headers[k] = v.join(',');
    return {
      version: '2.0', routeKey: '$default', rawPath: parts.path, rawQueryString: parts.rawQuery,
      cookies: parts.headers.cookie ? parts.headers.cookie.join('; ').split(/;\s*/) : undefined,
      headers,
      queryStringParameters: Object.keys(multiQuery).length ? Object.fromEntries(Object.entries(multiQuery).map(([k, v]) => [k, v.join(',')])) : undefined,
      requestContext: {
        accountId: '123456789012', apiId: 'api', domainName: 'api.example.com', requestId, stage: '$default', timeEpoch: Date.now(),
        http: { method: parts.method, path: parts.path, protocol: 'HTTP/1.1', sourceIp: parts.sourceIp, userAgent: single['user-agent'] ?? '' },
      },
      body, isBase64Encoded: !asText,
    };
  }
  if (kind === 'alb' || kind === 'alb-single') {
    // ALB passes query values still URL-encoded.
    const encode = (s: string) => encodeURIComponent(s);
    const base = {
      requestContext: { elb: { targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/markethub/1' } },
      httpMethod: parts.method, path: parts.path, body: body ?? '', isBase64Encoded: !asText,
    };
    if (kind === 'alb') {
      return {
        ...base,
        multiValueHeaders: parts.headers,
        multiValueQueryStringParameters: Object.fromEntries(Object.entries(multiQuery).map(([k, v]) => [encode(k), v.map(encode)])),
      };
    }
    return { ...base, headers: single, queryStringParameters: Object.fromEntries(Object.entries(lastQuery).map(([k, v]) => [encode(k), encode(v)])) };
  }
  return {
    resource: '/{proxy+}', path: parts.path, httpMethod: parts.method,
    headers: single, multiValueHeaders: parts.headers,
    queryStringParameters: Object.keys(lastQuery).length ? lastQuery : null,
    multiValueQueryStringParameters: Object.keys(multiQuery).length ? multiQuery : null,
    pathParameters: { proxy: parts.path.slice(1) }, stageVariables: null,
    requestContext: { requestId, stage: 'prod', httpMethod: parts.method, path: `/prod${parts.path}`, identity: { sourceIp: parts.sourceIp, userAgent: single['user-agent'] ?? '' } },
    body, isBase64Encoded: !asText,
  };
}

export async function requestParts(req: IncomingMessage): Promise<RequestParts> {
  const url = new URL(req.url ?? '/', 'http://x');
  const headers: Record<string, string[]> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!.toLowerCase();
    if (name === 'host' || name === 'connection' || name === 'content-length' || name === 'transfer-encoding') continue;
    (headers[name] ??= []).push(req.rawHeaders[i + 1]!);
  }
  headers.host = ['api.example.com'];
  const rawQuery = (req.url ?? '').includes('?') ? (req.url ?? '').slice((req.url ?? '').indexOf('?') + 1) : '';
  return { method: req.method ?? 'GET', path: url.pathname, rawQuery, headers, body: await readBody(req), sourceIp: '198.51.100.20' };
}

/** Writes a Lambda result as the front door would. */
export function writeLambdaResult(res: ServerResponse, result: LambdaResult): void {
  const headers: Record<string, string | string[]> = { ...(result.headers ?? {}) };
  for (const [k, v] of Object.entries(result.multiValueHeaders ?? {})) headers[k] = v;
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  // ALB single-value targets: header names differing only in case are separate headers.
  const setCookies = Object.keys(headers).filter((k) => k.toLowerCase() === 'set-cookie');
  if (setCookies.length > 1) {
    const all = setCookies.flatMap((k) => ([] as string[]).concat(headers[k]!));
    for (const k of setCookies) delete headers[k];
    headers['set-cookie'] = all;
  }
  delete headers['transfer-encoding'];
  const body = Buffer.from(result.body ?? '', result.isBase64Encoded ? 'base64' : 'utf8');
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.statusCode = result.statusCode;
  res.end(body);
}

export async function lambdaGateway(handler: LambdaHandler, kind: EventKind): Promise<RunningServer> {
  const server = http.createServer((req, res) => {
    void (async () => {
      try {
        const event = lambdaEvent(kind, await requestParts(req));
        const result = await handler(event, { awsRequestId: randomUUID() });
        writeLambdaResult(res, result);
      } catch (error) {
        res.statusCode = 502;
        res.end(JSON.stringify({ message: 'Internal server error', detail: String(error) }));
      }
    })();
  });
  return listen(server);
}

type VercelLike = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

function lazy(req: IncomingMessage, name: string, get: () => unknown): void {
  let value: unknown;
  let done = false;
  Object.defineProperty(req, name, {
    configurable: true, enumerable: true,
    get: () => { if (!done) { value = get(); done = true; } return value; },
    set: (v) => { value = v; done = true; },
  });
}

function vercelParse(body: Buffer, contentType: string): unknown {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (!type || body.length === 0) return undefined;
  if (type === 'application/json') {
    try { return JSON.parse(body.toString('utf8')); } catch { throw Object.assign(new Error('Invalid JSON'), { statusCode: 400 }); }
  }
  if (type === 'application/octet-stream') return body;
  if (type === 'application/x-www-form-urlencoded') return querystring.parse(body.toString('utf8'));
  if (type === 'text/plain') return body.toString('utf8');
  return undefined;
}

/** What the runtime's helpers do after reading the body: later `data`/`end` listeners get the same bytes again. */
function replayBody(req: IncomingMessage, body: Buffer): void {
  const replica = new PassThrough();
  const ownOn = req.on.bind(req);
  const on = (name: string | symbol, listener: (...args: unknown[]) => void) => (name === 'data' || name === 'end' ? replica.on(name, listener) : ownOn(name, listener));
  Object.assign(req, { on, addListener: on, read: replica.read.bind(replica) });
  replica.end(body);
}

/**
 * `mode: 'lazy'`: the helpers are there but nothing read the body (the runtime with helpers off, or a
 * request without Content-Type). `mode: 'parsed'`: the body stream was read and parsed before the
 * handler and is replayed to later listeners (the runtime with helpers on). `mode: 'consumed'`: read
 * and parsed, with no replay (older runtimes): the bytes are gone.
 */
export async function vercelServer(handler: VercelLike, mode: 'lazy' | 'parsed' | 'consumed' = 'lazy'): Promise<RunningServer> {
  const server = http.createServer((req, res) => {
    void (async () => {
      req.headers['x-vercel-id'] = `fra1::${randomUUID()}`;
      lazy(req, 'query', () => Object.fromEntries(new URL(req.url ?? '/', 'http://x').searchParams));
      lazy(req, 'cookies', () => Object.fromEntries((req.headers.cookie ?? '').split(/;\s*/).filter(Boolean).map((c) => c.split('='))));
      if (mode !== 'lazy' && req.headers['content-type'] !== undefined) {
        const raw = req.method === 'GET' || req.method === 'HEAD' ? Buffer.alloc(0) : await readBody(req);
        if (mode === 'parsed') replayBody(req, raw);
        lazy(req, 'body', () => vercelParse(raw, req.headers['content-type'] ?? ''));
      }
      try {
        await handler(req, res);
      } catch (error) {
        if (!res.headersSent) res.statusCode = 500;
        res.end(JSON.stringify({ error: String(error) }));
      }
    })();
  });
  return listen(server);
}
