// Express app -> Vercel Node runtime handler `(req, res) => Promise<void>`.
// Vercel hands over Node's own req/res with helpers added (lazy req.query, req.cookies, req.body).
// Those helpers must not change what the app sees: Express parses the query with qs (arrays,
// nested keys) and the body with its own parsers. When the runtime has already consumed the body
// stream, the request is rebuilt from the bytes (or the parsed body) so the parsers still work.
import { IncomingMessage, type ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { runInvocation, stripBasePath, type ShimOptions } from './options.js';

export type VercelHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;
type AppFunction = ((req: IncomingMessage, res: ServerResponse) => unknown) & { set?: (name: string, value: unknown) => unknown };

const HELPER_PROPS = ['query', 'cookies', 'body'] as const;

function removeRuntimeHelpers(req: IncomingMessage): void {
  for (const name of HELPER_PROPS) {
    const descriptor = Object.getOwnPropertyDescriptor(req, name);
    if (descriptor?.configurable) delete (req as unknown as Record<string, unknown>)[name];
  }
}

function serialiseParsedBody(body: unknown, contentType: string): Buffer {
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (/application\/x-www-form-urlencoded/i.test(contentType) && typeof body === 'object') {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      for (const v of Array.isArray(value) ? value : [value]) params.append(key, String(v));
    }
    return Buffer.from(params.toString(), 'utf8');
  }
  return Buffer.from(JSON.stringify(body), 'utf8');
}

/** A fresh, readable request carrying `body`, with the original's method, URL, headers and socket. */
function rebuildRequest(original: IncomingMessage, body: Buffer): IncomingMessage {
  const socket = original.socket ?? new Socket();
  const req = new IncomingMessage(socket);
  req.method = original.method;
  req.url = original.url;
  req.httpVersion = original.httpVersion;
  req.httpVersionMajor = original.httpVersionMajor;
  req.httpVersionMinor = original.httpVersionMinor;
  const headers = { ...original.headers };
  delete headers['transfer-encoding'];
  if (body.length > 0 || headers['content-length'] !== undefined) headers['content-length'] = String(body.length);
  req.headers = headers;
  req.rawHeaders = Object.entries(headers).flatMap(([k, v]) => (Array.isArray(v) ? v.flatMap((x) => [k, x]) : [k, String(v)]));
  req.push(body.length > 0 ? body : null);
  if (body.length > 0) req.push(null);
  req.complete = true;
  return req;
}

function requestFor(req: IncomingMessage & { rawBody?: unknown; body?: unknown }): IncomingMessage {
  if (!req.readableEnded) {
    removeRuntimeHelpers(req);
    return req;
  }
  // The runtime read the body already: take its bytes, else what it parsed.
  let bytes: Buffer;
  if (Buffer.isBuffer(req.rawBody)) bytes = req.rawBody;
  else {
    let parsed: unknown;
    try {
      parsed = req.body;
    } catch {
      // The runtime's parser rejected the body (invalid JSON): let the app's parser reject it too.
      parsed = Buffer.from('\u0000', 'utf8');
    }
    bytes = serialiseParsedBody(parsed, String(req.headers['content-type'] ?? ''));
  }
  return rebuildRequest(req, bytes);
}

export function toVercel(app: AppFunction, options: ShimOptions = {}): VercelHandler {
  if (options.trustProxy !== undefined && typeof app.set === 'function') app.set('trust proxy', options.trustProxy);
  return (incoming, res) => {
    const id = incoming.headers['x-vercel-id'];
    return runInvocation('vercel', Array.isArray(id) ? id[0] : id, options, () => new Promise<void>((resolve, reject) => {
      let req: IncomingMessage;
      try {
        req = requestFor(incoming);
        if (options.basePath && req.url) req.url = stripBasePath(req.url, options.basePath);
      } catch (error) {
        reject(error);
        return;
      }
      // The invocation lasts until the response is complete: the platform may freeze us after that.
      let settled = false;
      const done = () => { if (!settled) { settled = true; resolve(); } };
      res.once('finish', done);
      res.once('close', done);
      try {
        app(req, res);
      } catch (error) {
        reject(error);
      }
    }), () => res.statusCode);
  };
}
