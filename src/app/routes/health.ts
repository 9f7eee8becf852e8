// GET /api/health: the database, the file storage and any configured extra (cache) answer, or 503.
import { Router } from 'express';
import type { CacheHealth } from '../../cache/redis-cache.js';
import type { ResolvedConfig } from '../config.js';
import type { AppDatabase } from '../database.js';

async function timed(check: () => Promise<unknown>, timeoutMs = 3_000): Promise<{ status: 'ok' | 'error'; latencyMs: number; error?: string }> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('timed out')), timeoutMs); }),
    ]);
    return { status: 'ok', latencyMs: Date.now() - started };
  } catch (error) {
    // The reason is a class of failure, never a connection string or a server message with secrets.
    const message = error instanceof Error && error.message === 'timed out' ? 'timed out' : 'unavailable';
    return { status: 'error', latencyMs: Date.now() - started, error: message };
  } finally {
    clearTimeout(timer);
  }
}

export function healthRouter(database: AppDatabase, config: ResolvedConfig, cache?: { health(): Promise<CacheHealth> }): Router {
  const router = Router({ caseSensitive: true });
  router.get('/', async (_req, res) => {
    const checks: Record<string, () => Promise<unknown>> = {
      database: () => database.ping(),
      storage: () => config.storage.check(),
      ...config.healthChecks,
    };
    const names = Object.keys(checks);
    const results = await Promise.all(names.map((n) => timed(checks[n]!)));
    const report = Object.fromEntries(names.map((n, i) => [n, results[i]]));
    const ok = results.every((r) => r.status === 'ok');
    // The app answers without its cache (uncached), so a degraded cache is reported but is not a 503.
    report.cache = { status: cache ? await cache.health() : 'not configured' } as never;
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', dialect: database.dialect, checks: report });
  });
  return router;
}
