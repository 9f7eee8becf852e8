// The dead-letter check (/api/cron/check-dlq and node-cron): one alert e-mail per batch of newly
// dead jobs, enqueued with a key so a re-run of the check does not alert twice.
import type { JobDeps } from './worker.js';

export interface DeadLetterCheck {
  newlyDead: number;
  alertJobId: string | null;
  pruned: number;
}

/** Finished jobs older than this are deleted by the check (their idempotency keys expire with them). */
export const FINISHED_JOB_RETENTION_MS = 7 * 24 * 3600 * 1000;

export async function checkDeadLetters(deps: Pick<JobDeps, 'queue' | 'alertEmail'>): Promise<DeadLetterCheck> {
  const pruned = await deps.queue.pruneFinished(FINISHED_JOB_RETENTION_MS);
  const fresh = await deps.queue.deadLetters({ unalertedOnly: true, limit: 100 });
  if (fresh.length === 0) return { newlyDead: 0, alertJobId: null, pruned };
  let alertJobId: string | null = null;
  if (deps.alertEmail) {
    const lines = fresh.map((d) => `#${d.id} ${d.type} after ${d.attempts} attempts: ${d.error}`);
    const { id } = await deps.queue.enqueue('send-email', {
      to: deps.alertEmail,
      subject: `MarketHub: ${fresh.length} job(s) in the dead-letter queue`,
      text: `${lines.join('\n')}\n\nInspect: markethub jobs dlq list --database $DATABASE_URL\nRetry: markethub jobs dlq retry --database $DATABASE_URL [--id N]\n`,
    }, { key: `dlq-alert-${fresh.map((d) => d.id).join(',')}`.slice(0, 500), maxRetries: 5 });
    alertJobId = id;
  }
  await deps.queue.markAlerted(fresh.map((d) => d.id));
  return { newlyDead: fresh.length, alertJobId, pruned };
}
