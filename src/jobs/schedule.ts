// The legacy server's node-cron: the same functions the Vercel Cron routes call, on the same schedules.
import cron from 'node-cron';
import { checkDeadLetters } from './dlq.js';
import { CRON_SCHEDULES } from './http.js';
import { runWorker, type JobDeps, type JobHandlers, type WorkerOptions } from './worker.js';

export interface LegacySchedule {
  /** Runs a task now, as its schedule would (an operator's nudge, and tests). */
  runNow(name: 'worker' | 'check-dlq'): Promise<unknown>;
  /** When each task runs next. */
  nextRuns(): Record<string, Date | null>;
  stop(): Promise<void>;
}

export function scheduleLegacyJobs(deps: JobDeps, handlers: JobHandlers, options: { worker?: WorkerOptions; onError?: (name: string, error: unknown) => void } = {}): LegacySchedule {
  const onError = options.onError ?? ((name, error) => process.stderr.write(`${name}: ${error instanceof Error ? error.message : String(error)}\n`));
  const run = (name: string, work: () => Promise<unknown>) => async () => {
    try {
      await work();
    } catch (error) {
      onError(name, error);
    }
  };
  const byPath = Object.fromEntries(CRON_SCHEDULES.map((s) => [s.path, s.schedule]));
  // noOverlap: a minute whose worker is still busy is skipped, as a Vercel function would time out.
  const tasks = [
    cron.schedule(byPath['/api/worker']!, run('worker', () => runWorker(deps, handlers, options.worker)), { name: 'worker', noOverlap: true }),
    cron.schedule(byPath['/api/cron/check-dlq']!, run('check-dlq', () => checkDeadLetters(deps)), { name: 'check-dlq', noOverlap: true }),
  ];
  return {
    runNow(name) {
      const task = tasks.find((t) => t.name === name);
      if (!task) throw new Error(`no scheduled task "${name}"`);
      return task.execute();
    },
    nextRuns: () => Object.fromEntries(tasks.map((t) => [t.name, t.getNextRun()])),
    async stop() {
      await Promise.all(tasks.map((t) => t.destroy()));
    },
  };
}
