// GET /api/health: the database, the file storage and any configured extra (cache) answer, or 503.
import { Router } from 'express';
import type { AppContext } from '../context.js';

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

export function healthRouter(ctx: AppContext): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    const checks: Record<string, () => Promise<unknown>> = {
      database: () => ctx.sequelize.query('SELECT 1'),
      storage: () => ctx.config.storage.check(),
      ...ctx.config.healthChecks,
    };
    const names = Object.keys(checks);
    const results = await Promise.all(names.map((n) => timed(checks[n]!)));
    const report = Object.fromEntries(names.map((n, i) => [n, results[i]]));
    const ok = results.every((r) => r.status === 'ok');
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', dialect: ctx.dialect, checks: report });
  });
  return router;
}
