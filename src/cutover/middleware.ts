// Express middleware in front of the legacy app: sends a sticky share of users to the new backend,
// mirrors sampled reads to it for comparison, and falls back to 0% by itself when it fails.
import { createHash } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { goesToNew, routeOf, signCohort, verifiedCohort } from './bucket.js';
import { differingFields, ErrorWindow, isBackendFailure } from './compare.js';
import { refuseFrozenWrite } from './frozen-writes.js';
import { fetchShadow, forward } from './proxy.js';
import type { CutoverStore, RouteStats } from './store.js';

export const SIDE_HEADER = 'x-markethub-backend';
export const COHORT_COOKIE = 'mh_cohort';

export interface CutoverOptions {
  store: CutoverStore;
  /** Base URL of the new backend, e.g. https://markethub.vercel.app */
  newBackend: string;
  /** Signs the cohort cookie: a cookie this front did not sign is ignored. At least 16 characters. */
  cohortSecret: string;
  /** The user of a request's Authorization header once verified (jwtUserVerifier), else undefined. */
  verifyUser?: (authorization: string | undefined) => string | undefined;
  timeoutMs?: number;
  /** Share of legacy GETs mirrored when shadow is on (0..1). */
  shadowSampleRate?: number;
  /** Fields whose values may differ between the sides (timestamps, request ids). */
  ignoreFields?: string[];
  /** Requests in the guard's window, and the error rate above which routing drops to 0%. */
  guardWindow?: number;
  guardThreshold?: number;
  /** Outcomes one client address may hold in the guard's window; failing addresses needed to trip it. */
  guardPerClient?: number;
  guardMinFailingClients?: number;
  statsFlushMs?: number;
  /** Told when the guard trips (for logs). */
  onGuard?: (reason: string) => void;
}

export interface CutoverMiddleware extends RequestHandler {
  /** Writes the counters gathered so far. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** A cookie's raw value; never decoded, so nothing a client sends can make it throw. */
function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The client's address as the app sees it (trust proxy applies): one client, one address. */
function clientOf(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? '';
}

/**
 * Who the request belongs to, for a sticky bucket: the user of a verified access token, else the
 * cohort in a cookie this front signed; a request with neither gets a cohort derived from its
 * address (so a client that drops cookies still lands on one side, and cannot pick another), which
 * the response sets as its signed cookie.
 */
function identityOf(req: Request, res: Response, options: CutoverOptions): string {
  const user = options.verifyUser?.(req.headers.authorization);
  if (user) return `user:${user}`;
  let cohort = verifiedCohort(cookieValue(req.headers.cookie, COHORT_COOKIE), options.cohortSecret);
  if (!cohort) {
    cohort = createHash('sha256').update(clientOf(req)).digest('hex').slice(0, 24);
    res.append('Set-Cookie', `${COHORT_COOKIE}=${signCohort(cohort, options.cohortSecret)}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax`);
  }
  return `cohort:${cohort}`;
}



export function cutoverMiddleware(options: CutoverOptions): CutoverMiddleware {
  if (!options.cohortSecret || options.cohortSecret.length < 16) throw new Error('cohortSecret must be at least 16 characters');
  const base = new URL(options.newBackend);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const ignore = new Set(options.ignoreFields ?? ['requestId', 'createdAt', 'updatedAt', 'timestamp']);
  const guard = new ErrorWindow(options.guardWindow ?? 100, options.guardThreshold ?? 0.02, {
    perClient: options.guardPerClient, minFailingClients: options.guardMinFailingClients,
  });
  const stats = new Map<string, RouteStats>();
  const count = (side: RouteStats['side'], route: string, change: Partial<Omit<RouteStats, 'side' | 'route'>>) => {
    const key = `${side} ${route}`;
    const s = stats.get(key) ?? { side, route, requests: 0, errors: 0, shadowCompared: 0, shadowDiffered: 0 };
    for (const [k, v] of Object.entries(change) as [keyof typeof change, number][]) s[k] += v;
    stats.set(key, s);
  };
  const flush = async () => {
    const batch = [...stats.values()];
    stats.clear();
    await options.store.addStats(batch).catch(() => batch.forEach((s) => count(s.side, s.route, s)));
  };
  const timer = setInterval(() => void flush(), options.statsFlushMs ?? 2000);
  timer.unref();
  let tripping = false;

  const tripGuard = async () => {
    if (tripping) return;
    tripping = true;
    const reason = `guard: ${(guard.rate * 100).toFixed(1)}% of the last ${guard.size} requests to the new backend failed (limit ${(options.guardThreshold ?? 0.02) * 100}%)`;
    try {
      await options.store.change({ percentage: 0 }, 'guard', reason);
      options.onGuard?.(reason);
      guard.reset();
    } finally {
      tripping = false;
    }
  };

  const shadow = (req: Request, res: Response, route: string) => {
    // Keep what legacy sends, to compare once it has been sent: the user never waits for the new side.
    const chunks: Buffer[] = [];
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    const keep = (chunk: unknown, encoding?: unknown) => {
      if (chunk !== undefined && chunk !== null && typeof chunk !== 'function') chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk), typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
    };
    res.write = ((chunk: unknown, ...rest: unknown[]) => (keep(chunk, rest[0]), write(chunk, ...rest))) as Response['write'];
    res.end = ((chunk?: unknown, ...rest: unknown[]) => (keep(chunk, rest[0]), end(chunk, ...rest))) as Response['end'];
    res.on('finish', () => {
      void fetchShadow(req, base, timeoutMs).then(async (answer) => {
        const legacy = { status: res.statusCode, body: Buffer.concat(chunks) };
        const fields = answer ? differingFields(legacy, answer, ignore) : ['no answer'];
        count('legacy', route, { shadowCompared: 1, shadowDiffered: fields.length ? 1 : 0 });
        if (fields.length) {
          const parse = (b: Buffer) => { try { return JSON.parse(b.toString('utf8')); } catch { return b.toString('utf8').slice(0, 2000); } };
          await options.store.addShadowExample({ route, path: req.originalUrl, legacy: { status: legacy.status, body: parse(legacy.body) }, new: answer ? { status: answer.status, body: parse(answer.body) } : null, fields }).catch(() => {});
        }
      });
    });
  };

  const handle = async (req: Request, res: Response, next: NextFunction) => {
    const route = routeOf(req.method, req.path);
    let state;
    try {
      state = await options.store.state();
    } catch {
      state = undefined; // the flag cannot be read: legacy serves, as at 0%
    }
    const read = req.method === 'GET' || req.method === 'HEAD';
    if (state?.frozen && !read) {
      count('legacy', route, { requests: 1 });
      refuseFrozenWrite(res);
      return;
    }
    const identity = identityOf(req, res, options);
    if (state && (read || state.writes) && state.percentage > 0 && goesToNew(identity, state.percentage)) {
      const outcome = await forward(req, res, base, timeoutMs, { [SIDE_HEADER]: 'new' });
      count('new', route, { requests: 1, errors: outcome.failed ? 1 : 0 });
      if (guard.record(outcome.failed, clientOf(req))) await tripGuard().catch(() => {});
      return;
    }
    res.setHeader(SIDE_HEADER, 'legacy');
    res.on('finish', () => count('legacy', route, { requests: 1, errors: isBackendFailure(res.statusCode, res.getHeader('retry-after') as string | undefined) ? 1 : 0 }));
    if (state?.shadow && req.method === 'GET' && Math.random() < (options.shadowSampleRate ?? 1)) shadow(req, res, route);
    next();
  };
  return Object.assign((req: Request, res: Response, next: NextFunction) => void handle(req, res, next).catch(next), {
    flush,
    close: async () => {
      clearInterval(timer);
      await flush();
    },
  });
}
