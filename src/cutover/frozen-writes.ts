// While the database is switched, nothing may be written on either side for a few seconds: the
// answer both backends give a write then, and the guard the new backend runs when called directly.
import type { RequestHandler, Response } from 'express';

const FROZEN_RETRY_AFTER_SECONDS = 2;

/** Writes are moving to the other database: nothing may be written on either side for a few seconds. */
export function refuseFrozenWrite(res: Response): void {
  res.setHeader('Retry-After', String(FROZEN_RETRY_AFTER_SECONDS));
  res.status(503).json({ error: { code: 'writes_frozen', message: 'writes are paused for a few seconds while the database is switched; retry shortly' } });
}

/**
 * For the new backend, which may be called directly: refuses writes while the flag says frozen.
 * `frozen` reads the flag; a read that fails counts as not frozen, as the routing does.
 */
export function frozenWritesGuard(frozen: () => Promise<boolean>, cacheMs = 1000): RequestHandler {
  let cached = { value: false, at: 0 };
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    const decide = (value: boolean) => (value ? refuseFrozenWrite(res) : next());
    if (Date.now() - cached.at < cacheMs) return decide(cached.value);
    frozen().catch(() => false).then((value) => {
      cached = { value, at: Date.now() };
      decide(value);
    }, next);
  };
}
