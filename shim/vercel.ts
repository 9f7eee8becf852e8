// Express app -> Vercel Node runtime handler `(req, res) => Promise<void>`.
// Vercel hands over Node's own req/res with helpers added (lazy req.query, req.cookies, req.body).
// Those helpers must not change what the app sees: Express parses the query with qs (arrays,
// nested keys) and the body with its own parsers (multer, raw, text, json with a verify hook).
// With the helpers on, the runtime reads the whole body of a request with a Content-Type before the
// function runs, and replays those bytes to later `req.on('data')` listeners; the bytes are taken from
// that replay and the request rebuilt around them, byte for byte. A body read with no replay and no
// raw bytes left (an older runtime, or middleware in front) cannot be recovered exactly: the request
// is refused with a 500 naming the fix, never re-serialised from what a parser made of it.
import { IncomingMessage, type ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { removeBasePathAnywhere, runInvocation, stripBasePath, type ShimOptions } from './options.js';

export type VercelHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;
type AppFunction = ((req: IncomingMessage, res: ServerResponse) => unknown) & { set?: (name: string, value: unknown) => unknown };

const HELPER_PROPS = ['query', 'cookies', 'body'] as const;
// What the runtime's body replay puts on the request, over the stream's own methods.
const REPLAY_PROPS = ['on', 'addListener', 'read'] as const;

export class BodyUnavailableError extends Error {
  readonly code = 'body_unavailable';
  constructor() {
    super('the request body was read before the function ran and its bytes are gone: turn off the runtime\'s '
      + 'helpers (NODEJS_HELPERS=0) or keep anything in front of the app from reading the body');
    this.name = 'BodyUnavailableError';
  }
}

function removeOwn(req: IncomingMessage, names: readonly string[]): void {
  for (const name of names) {
    const descriptor = Object.getOwnPropertyDescriptor(req, name);
    if (descriptor?.configurable) delete (req as unknown as Record<string, unknown>)[name];
  }
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
  if (body.length > 0) req.push(body);
  req.push(null);
  req.complete = true;
  return req;
}

/**
 * The bytes the runtime replays through `req.on('data')`. Its replay stream is full and ended, so it
 * delivers everything within the current turn's ticks; one that stays silent until the next turn was
 * consumed by someone else already (undefined, rather than waiting forever).
 */
function replayedBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let ended = false;
    req.on('data', (chunk: Buffer | string) => { chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk)); });
    req.on('end', () => { ended = true; resolve(Buffer.concat(chunks)); });
    req.on('error', reject);
    setImmediate(() => { if (!ended) resolve(undefined); });
  });
}

async function requestFor(req: IncomingMessage & { rawBody?: unknown }): Promise<IncomingMessage> {
  const replays = Object.prototype.hasOwnProperty.call(req, 'on');
  if (!req.readableEnded) {
    // Nothing read the stream (helpers off, a GET, or no Content-Type): the app reads it itself.
    removeOwn(req, HELPER_PROPS);
    removeOwn(req, REPLAY_PROPS);
    return req;
  }
  const bytes = replays ? await replayedBody(req) : Buffer.isBuffer(req.rawBody) ? req.rawBody : undefined;
  if (bytes === undefined) throw new BodyUnavailableError();
  return rebuildRequest(req, bytes);
}

function refuse(res: ServerResponse, error: BodyUnavailableError): void {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'error', msg: 'request refused', error: error.message })}\n`);
  if (res.headersSent) { res.end(); return; }
  const text = JSON.stringify({ error: { code: error.code, message: error.message } });
  res.statusCode = 500;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

export function toVercel(app: AppFunction, options: ShimOptions = {}): VercelHandler {
  if (options.trustProxy !== undefined && typeof app.set === 'function') app.set('trust proxy', options.trustProxy);
  return (incoming, res) => {
    const id = incoming.headers['x-vercel-id'];
    return runInvocation('vercel', Array.isArray(id) ? id[0] : id, options, () => new Promise<void>((resolve, reject) => {
      // The invocation lasts until the response is complete: the platform may freeze us after that.
      let settled = false;
      const done = () => { if (!settled) { settled = true; resolve(); } };
      res.once('finish', done);
      res.once('close', done);
      requestFor(incoming).then((req) => {
        if (options.basePath && req.url) {
          const [pathname = '', ...query] = req.url.split('?');
          req.url = options.basePathMatch === 'front' ? stripBasePath(req.url, options.basePath) : [removeBasePathAnywhere(pathname, options.basePath), ...query].join('?');
        }
        app(req, res);
      }).catch((error: unknown) => {
        if (error instanceof BodyUnavailableError) refuse(res, error);
        else reject(error);
      });
    }), () => res.statusCode);
  };
}
