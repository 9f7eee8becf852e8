// /api/worker and /api/cron/check-dlq as an Express router (mounted under /api by the Vercel entry
// point) and as plain handlers. Only Vercel Cron (or an operator) holding CRON_SECRET may call them.
import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { cronAuthorized } from './cron-secret.js';
import { checkDeadLetters } from './dlq.js';
import { runWorker, type JobDeps, type JobHandlers, type WorkerOptions } from './worker.js';

export interface JobRoutesOptions {
  /** Built per request: the serverless entry point opens its pool lazily. */
  deps: () => JobDeps | Promise<JobDeps>;
  handlers: JobHandlers;
  worker?: WorkerOptions;
  /** Default: process.env.CRON_SECRET, read at each request. */
  secret?: () => string | undefined;
}

export function hasCronSecret(req: Request, secret: string | undefined): boolean {
  return cronAuthorized(req.get('authorization'), secret);
}

export function requireCronSecret(secret: () => string | undefined = () => process.env.CRON_SECRET): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (hasCronSecret(req, secret())) return next();
    res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: { code: 'unauthorized', message: 'a valid cron secret is required' } });
  };
}

export function workerHandler(options: JobRoutesOptions): RequestHandler {
  return async (_req, res, next) => {
    try {
      const report = await runWorker(await options.deps(), options.handlers, options.worker);
      res.json({ ok: true, ...report });
    } catch (error) {
      next(error);
    }
  };
}

export function checkDlqHandler(options: JobRoutesOptions): RequestHandler {
  return async (_req, res, next) => {
    try {
      res.json({ ok: true, ...(await checkDeadLetters(await options.deps())) });
    } catch (error) {
      next(error);
    }
  };
}

/** GET (Vercel Cron) or POST (manual) /worker and /cron/check-dlq. */
export function jobRoutes(options: JobRoutesOptions): Router {
  const router = Router();
  const guard = requireCronSecret(options.secret);
  router.all('/worker', guard, workerHandler(options));
  router.all('/cron/check-dlq', guard, checkDlqHandler(options));
  return router;
}

/** The schedules, for vercel.json's "crons" and for node-cron on the legacy server. */
export const CRON_SCHEDULES = [
  { path: '/api/worker', schedule: '* * * * *' },
  { path: '/api/cron/check-dlq', schedule: '*/15 * * * *' },
] as const;
