// Background work for serverless: a Postgres job queue with retries and a dead-letter queue, the
// job handlers, the worker and cron routes, and the legacy node-cron wiring.
import { pgModule } from '../db/pg-driver.js';
import { smtpMailer, unconfiguredMailer } from './mailer.js';
import { PostgresJobQueue } from './postgres-queue.js';
import type { JobDeps } from './worker.js';

export * from './types.js';
export { PostgresJobQueue } from './postgres-queue.js';
export { applyAppMigrations } from './migrations.js';
export { runWorker, type JobContext, type JobDeps, type JobHandler, type JobHandlers, type WorkerOptions, type WorkerReport } from './worker.js';
export { checkDeadLetters, type DeadLetterCheck } from './dlq.js';
export { smtpMailer, unconfiguredMailer, type EmailMessage, type Mailer } from './mailer.js';
export { defaultHandlers, JOB_TYPES } from './handlers/index.js';
export { cronAuthorized } from './cron-secret.js';
export { CRON_SCHEDULES, checkDlqHandler, hasCronSecret, jobRoutes, requireCronSecret, workerHandler } from './http.js';
export { scheduleLegacyJobs } from './schedule.js';

/** Deps from the environment: DATABASE_URL (Postgres), SMTP_URL, ALERT_EMAIL. One small pool per instance. */
export function jobDepsFromEnv(env: NodeJS.ProcessEnv = process.env): JobDeps {
  if (!env.DATABASE_URL) throw new Error('DATABASE_URL is not set');
  const db = new pgModule.Pool({ connectionString: env.DATABASE_URL, max: 2, idleTimeoutMillis: 1_000 });
  // An idle connection the server closes must not crash the function; the next query reconnects.
  db.on('error', () => {});
  return {
    db,
    queue: new PostgresJobQueue({ pool: db }),
    mailer: env.SMTP_URL ? smtpMailer(env.SMTP_URL, env.MAIL_FROM) : unconfiguredMailer(),
    alertEmail: env.ALERT_EMAIL,
  };
}

let envDeps: JobDeps | undefined;

/** The queue of this process (DATABASE_URL), opened on first use. */
export function defaultJobDeps(): JobDeps {
  envDeps ??= jobDepsFromEnv();
  return envDeps;
}

