// The worker: takes batches of due jobs and runs them until the invocation's time budget is spent.
// The same function serves /api/worker (Vercel Cron, every minute) and node-cron on the legacy server.
import type pg from 'pg';
import type { Mailer } from './mailer.js';
import type { Job, JobQueue } from './types.js';

export interface JobDeps {
  /** The app's Postgres: handlers do their work there. */
  db: pg.Pool;
  queue: JobQueue;
  mailer: Mailer;
  /** Where dead-letter alerts and reports go. */
  alertEmail?: string;
}

export interface JobContext extends JobDeps {
  job: Job;
  /** Aborted when the job's time is up; long handlers should stop at the next step. */
  signal: AbortSignal;
}

export type JobHandler = (payload: any, ctx: JobContext) => Promise<unknown>;
export type JobHandlers = Record<string, JobHandler>;

export interface WorkerOptions {
  /** Wall time for the whole run; no new batch is taken when less than jobTimeoutMs is left. Default 50 s. */
  budgetMs?: number;
  batchSize?: number;
  /** Jobs of one batch run at the same time. */
  concurrency?: number;
  /** A job running longer is failed (and retried). Default 20 s, never beyond the budget. */
  jobTimeoutMs?: number;
  /** Stop after one batch (tests, benchmarks). */
  once?: boolean;
}

export interface WorkerReport {
  claimed: number;
  succeeded: number;
  retried: number;
  dead: number;
  /** Finished after the lock expired and another worker took the job: the result was not recorded. */
  lost: number;
  durationMs: number;
}

class JobTimeout extends Error {}

export async function runWorker(deps: JobDeps, handlers: JobHandlers, options: WorkerOptions = {}): Promise<WorkerReport> {
  const started = Date.now();
  const budgetMs = options.budgetMs ?? 50_000;
  const batchSize = options.batchSize ?? 10;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const jobTimeoutMs = Math.min(options.jobTimeoutMs ?? 20_000, budgetMs);
  // The lock outlives the job's timeout, so a live worker never loses a job it is still running.
  const lockMs = jobTimeoutMs + 30_000;
  const report: WorkerReport = { claimed: 0, succeeded: 0, retried: 0, dead: 0, lost: 0, durationMs: 0 };

  const runOne = async (job: Job) => {
    let error: string | undefined;
    if (job.attempts > job.maxRetries + 1) {
      error = 'the worker stopped while running this job (its lock expired)';
    } else {
      const handler = handlers[job.type];
      if (!handler) {
        error = `no handler for job type "${job.type}"`;
      } else {
        const controller = new AbortController();
        let timer: NodeJS.Timeout | undefined;
        const remaining = Math.max(1_000, Math.min(jobTimeoutMs, budgetMs - (Date.now() - started)));
        try {
          await Promise.race([
            handler(job.payload, { ...deps, job, signal: controller.signal }),
            new Promise((_, reject) => { timer = setTimeout(() => { controller.abort(); reject(new JobTimeout(`timed out after ${remaining} ms`)); }, remaining); }),
          ]);
        } catch (e) {
          error = e instanceof Error ? e.message || e.name : String(e);
        } finally {
          clearTimeout(timer);
        }
      }
    }
    if (error === undefined) {
      if (await deps.queue.complete(job)) report.succeeded++;
      else report.lost++;
      return;
    }
    const outcome = await deps.queue.fail(job, error);
    if (outcome.outcome === 'retry') report.retried++;
    else if (outcome.outcome === 'dead') report.dead++;
    else report.lost++;
  };

  while (Date.now() - started < budgetMs - jobTimeoutMs || report.claimed === 0) {
    const jobs = await deps.queue.claim(batchSize, lockMs);
    if (jobs.length === 0) break;
    report.claimed += jobs.length;
    let next = 0;
    await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, async () => {
      while (next < jobs.length) await runOne(jobs[next++]!);
    }));
    if (options.once) break;
  }
  report.durationMs = Date.now() - started;
  return report;
}
