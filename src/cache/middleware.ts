// Response caching for public GET routes (X-Cache: HIT / STALE / MISS) and invalidation on writes.
// One request per key recomputes at a time; the others get the stale copy or wait briefly.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Envelope, RedisCache } from './redis-cache.js';

export interface CacheRule {
  /** Matched against req.path where the middleware is mounted. */
  path: RegExp;
  tags: string[] | ((req: Request) => string[]);
  ttlSeconds?: number;
  /** Keyed per user: the answer depends on who asks. Needs `authenticate`; anonymous requests are not cached. */
  personal?: boolean;
  /** Requests this rule must not cache (e.g. admin-only variants of a public list). */
  bypass?: (req: Request) => boolean;
}

export interface InvalidationRule {
  path: RegExp;
  tags: string[] | ((req: Request) => string[]);
}

export interface ResponseCacheOptions {
  rules: CacheRule[];
  invalidate: InvalidationRule[];
  /** The app's authentication, run for personal rules: it sets req.user or fails (then no caching). */
  authenticate?: RequestHandler;
  ttlSeconds?: number;
  staleSeconds?: number;
  waitMs?: number;
}

interface CachedResponse {
  status: number;
  contentType: string | undefined;
  body: string;
}

type RequestWithUser = Request & { user?: { id: number } };

const tagsOf = (rule: { tags: CacheRule['tags'] }, req: Request) => (typeof rule.tags === 'function' ? rule.tags(req) : rule.tags);

function identify(authenticate: RequestHandler, req: Request, res: Response): Promise<number | undefined> {
  return new Promise((resolve) => {
    try {
      authenticate(req, res, (err?: unknown) => resolve(err ? undefined : (req as RequestWithUser).user?.id));
    } catch {
      resolve(undefined);
    }
  });
}

export function responseCache(cache: RedisCache, options: ResponseCacheOptions): RequestHandler {
  const ttlDefault = options.ttlSeconds ?? 60;
  const staleSeconds = options.staleSeconds ?? 30;
  const waitMs = options.waitMs ?? 1_000;

  const send = (res: Response, entry: CachedResponse, outcome: 'HIT' | 'STALE') => {
    res.status(entry.status).set('X-Cache', outcome);
    if (entry.contentType) res.set('Content-Type', entry.contentType);
    res.send(entry.body);
  };

  const invalidateOnSuccess = (req: Request, res: Response, rules: InvalidationRule[]) => {
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    // The answer leaves only after the invalidation (bounded by the cache's timeout), so a client's
    // next read never sees the old copy.
    (res as unknown as { end: (...args: unknown[]) => Response }).end = (...args: unknown[]) => {
      if (res.statusCode >= 400) return end(...args);
      const tags = [...new Set(rules.flatMap((r) => tagsOf(r, req)))];
      void cache.invalidateTags(tags).finally(() => end(...args));
      return res;
    };
  };

  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      if (req.method !== 'GET') {
        const rules = options.invalidate.filter((r) => r.path.test(req.path));
        if (rules.length > 0 && req.method !== 'HEAD' && req.method !== 'OPTIONS') invalidateOnSuccess(req, res, rules);
        return next();
      }
      const rule = options.rules.find((r) => r.path.test(req.path));
      if (!rule || rule.bypass?.(req)) return next();
      let scope = 'public';
      if (rule.personal) {
        const userId = options.authenticate ? await identify(options.authenticate, req, res) : undefined;
        if (userId === undefined) return next();
        scope = `user:${userId}`;
      }
      const key = `resp:${scope}:${req.originalUrl}`;
      const entry = await cache.getJson<Envelope<CachedResponse>>(key);
      if (entry && entry.freshUntil > Date.now()) return send(res, entry.v, 'HIT');
      res.set('X-Cache', 'MISS');
      if (entry === undefined) return next(); // cache unavailable: answer uncached

      const token = await cache.lock(key, 5_000);
      if (!token) {
        if (entry) return send(res, entry.v, 'STALE');
        const waited = await cache.waitFor<Envelope<CachedResponse>>(key, waitMs);
        if (waited) return send(res, waited.v, 'HIT');
        return next();
      }
      const ttlSeconds = rule.ttlSeconds ?? ttlDefault;
      const tags = tagsOf(rule, req);
      const end = res.end.bind(res) as (...args: unknown[]) => Response;
      (res as unknown as { end: (...args: unknown[]) => Response }).end = (...args: unknown[]) => {
        const chunk = args[0];
        const release = () => cache.unlock(key, token);
        if (res.statusCode !== 200 || (typeof chunk !== 'string' && !Buffer.isBuffer(chunk))) {
          void release();
          return end(...args);
        }
        const value: CachedResponse = { status: 200, contentType: res.get('Content-Type'), body: chunk.toString() };
        void cache.setJson(key, { v: value, freshUntil: Date.now() + ttlSeconds * 1000 }, ttlSeconds + staleSeconds, tags)
          .then(release)
          .finally(() => end(...args));
        return res;
      };
      next();
    } catch (error) {
      next(error);
    }
  };
}
