// The job queue in Postgres: claims with FOR UPDATE SKIP LOCKED, so any number of workers take
// disjoint batches without a broker, and each claim carries a token that fences late writers.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { pgModule } from '../db/pg-driver.js';
import { backoffDelay, type Backoff, type DeadLetter, type EnqueueOptions, type EnqueueResult, type FailOutcome, type Job, type JobQueue, type QueueStats } from './types.js';

const T = 'markethub_jobs.jobs';
const ERRORS = 'markethub_jobs.job_errors';
const DEAD = 'markethub_jobs.dead_letters';
const MAX_ERROR_LENGTH = 4_000;

export interface PostgresQueueOptions {
  /** A pool to use (not closed by close()), or a URL to open one of `poolSize` connections. */
  pool?: pg.Pool;
  url?: string;
  poolSize?: number;
}

interface JobRow {
  id: string; type: string; payload: unknown; key: string | null; attempts: number;
  max_retries: number; backoff: Backoff; backoff_ms: number; claim_token: string;
}

function toJob(r: JobRow): Job {
  return {
    id: r.id, type: r.type, payload: r.payload, key: r.key, attempts: r.attempts,
    maxRetries: r.max_retries, backoff: r.backoff, backoffMs: r.backoff_ms, claimToken: r.claim_token,
  };
}

export class PostgresJobQueue implements JobQueue {
  readonly pool: pg.Pool;
  private readonly ownsPool: boolean;

  constructor(options: PostgresQueueOptions) {
    if (options.pool) {
      this.pool = options.pool;
      this.ownsPool = false;
    } else if (options.url) {
      this.pool = new pgModule.Pool({ connectionString: options.url, max: options.poolSize ?? 2, idleTimeoutMillis: 1_000 });
      // An idle connection the server closes must not crash the process; the next query reconnects.
      this.pool.on('error', () => {});
      this.ownsPool = true;
    } else {
      throw new Error('PostgresJobQueue needs a pool or a url');
    }
  }

  async enqueue<P>(type: string, payload: P, options: EnqueueOptions = {}): Promise<EnqueueResult> {
    if (!type) throw new Error('job type is required');
    const backoff = typeof options.backoff === 'object' ? options.backoff : { type: options.backoff ?? 'exponential', delayMs: 1_000 };
    const delay = Math.max(0, Math.floor(options.delay ?? 0));
    const values = [type, JSON.stringify(payload ?? {}), options.key ?? null, options.maxRetries ?? 3, backoff.type, Math.floor(backoff.delayMs), delay];
    const inserted = await this.pool.query<{ id: string }>(
      `INSERT INTO ${T} (type, payload, key, max_retries, backoff, backoff_ms, run_at)
       VALUES ($1, $2::jsonb, $3, $4, $5, $6, now() + make_interval(secs => $7::double precision / 1000))
       ON CONFLICT (key) DO NOTHING RETURNING id`, values);
    if (inserted.rows[0]) return { id: inserted.rows[0].id, created: true };
    const existing = await this.pool.query<{ id: string }>(`SELECT id FROM ${T} WHERE key = $1`, [options.key]);
    // Purged between the two statements: enqueue again.
    if (!existing.rows[0]) return this.enqueue(type, payload, options);
    return { id: existing.rows[0].id, created: false };
  }

  async claim(limit: number, lockMs: number): Promise<Job[]> {
    const token = randomUUID();
    // Due pending jobs, and running jobs whose worker let the lock expire (it died or timed out).
    const { rows } = await this.pool.query<JobRow>(
      `WITH next AS (
         SELECT id FROM ${T}
         WHERE (status = 'pending' AND run_at <= now()) OR (status = 'running' AND locked_until < now())
         ORDER BY run_at, id
         LIMIT $1
         FOR UPDATE SKIP LOCKED
       )
       UPDATE ${T} j SET status = 'running', attempts = j.attempts + 1, claim_token = $2,
         locked_until = now() + make_interval(secs => $3::double precision / 1000), updated_at = now()
       FROM next WHERE j.id = next.id
       RETURNING j.id, j.type, j.payload, j.key, j.attempts, j.max_retries, j.backoff, j.backoff_ms, j.claim_token`,
      [limit, token, lockMs]);
    return rows.sort((a, b) => Number(a.id) - Number(b.id)).map(toJob);
  }

  async complete(job: Job): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE ${T} SET status = 'done', finished_at = now(), updated_at = now(), claim_token = NULL, locked_until = NULL
       WHERE id = $1 AND claim_token = $2 AND status = 'running'`, [job.id, job.claimToken]);
    return rowCount === 1;
  }

  async fail(job: Job, error: string): Promise<FailOutcome> {
    const message = (error || 'failed without a message').slice(0, MAX_ERROR_LENGTH);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ attempts: number; max_retries: number }>(
        `SELECT attempts, max_retries FROM ${T} WHERE id = $1 AND claim_token = $2 AND status = 'running' FOR UPDATE`, [job.id, job.claimToken]);
      const row = rows[0];
      if (!row) {
        await client.query('ROLLBACK');
        return { outcome: 'lost' };
      }
      await client.query(`INSERT INTO ${ERRORS} (job_id, attempt, error) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [job.id, row.attempts, message]);
      let outcome: FailOutcome;
      if (row.attempts > row.max_retries) {
        await client.query(
          `UPDATE ${T} SET status = 'dead', last_error = $2, claim_token = NULL, locked_until = NULL, finished_at = now(), updated_at = now() WHERE id = $1`,
          [job.id, message]);
        await client.query(`INSERT INTO ${DEAD} (job_id, error) VALUES ($1, $2) ON CONFLICT (job_id) DO UPDATE SET error = EXCLUDED.error, dead_at = now(), alerted_at = NULL`, [job.id, message]);
        outcome = { outcome: 'dead' };
      } else {
        const delay = backoffDelay(row.attempts, job.backoff, job.backoffMs);
        const { rows: updated } = await client.query<{ run_at: Date }>(
          `UPDATE ${T} SET status = 'pending', last_error = $2, claim_token = NULL, locked_until = NULL, updated_at = now(),
             run_at = now() + make_interval(secs => $3::double precision / 1000) WHERE id = $1 RETURNING run_at`,
          [job.id, message, delay]);
        outcome = { outcome: 'retry', runAt: updated[0]!.run_at };
      }
      await client.query('COMMIT');
      return outcome;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      client.release();
    }
  }

  async deadLetters(options: { limit?: number; unalertedOnly?: boolean } = {}): Promise<DeadLetter[]> {
    const { rows } = await this.pool.query<{
      id: string; type: string; payload: unknown; key: string | null; attempts: number; error: string;
      dead_at: Date; alerted_at: Date | null; errors: { attempt: number; error: string; failedAt: string }[];
    }>(
      `SELECT j.id, j.type, j.payload, j.key, j.attempts, d.error, d.dead_at, d.alerted_at,
         COALESCE((SELECT json_agg(json_build_object('attempt', e.attempt, 'error', e.error, 'failedAt', e.failed_at) ORDER BY e.attempt)
                   FROM ${ERRORS} e WHERE e.job_id = j.id), '[]') AS errors
       FROM ${DEAD} d JOIN ${T} j ON j.id = d.job_id
       WHERE j.status = 'dead' ${options.unalertedOnly ? 'AND d.alerted_at IS NULL' : ''}
       ORDER BY d.dead_at, j.id LIMIT $1`, [options.limit ?? 100]);
    return rows.map((r) => ({
      id: r.id, type: r.type, payload: r.payload, key: r.key, attempts: r.attempts, error: r.error, errors: r.errors,
      deadAt: r.dead_at.toISOString(), alertedAt: r.alerted_at ? r.alerted_at.toISOString() : null,
    }));
  }

  async markAlerted(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.pool.query(`UPDATE ${DEAD} SET alerted_at = now() WHERE job_id = ANY($1::bigint[])`, [ids]);
  }

  async retryDead(ids?: string[]): Promise<number> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ job_id: string }>(
        `DELETE FROM ${DEAD} WHERE ($1::bigint[] IS NULL OR job_id = ANY($1::bigint[])) RETURNING job_id`, [ids ?? null]);
      const revived = rows.map((r) => r.job_id);
      await client.query(
        `UPDATE ${T} SET status = 'pending', attempts = 0, run_at = now(), finished_at = NULL, updated_at = now()
         WHERE id = ANY($1::bigint[]) AND status = 'dead'`, [revived]);
      await client.query(`DELETE FROM ${ERRORS} WHERE job_id = ANY($1::bigint[])`, [revived]);
      await client.query('COMMIT');
      return revived.length;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      client.release();
    }
  }

  async purgeDead(ids?: string[]): Promise<number> {
    const { rowCount } = await this.pool.query(
      `DELETE FROM ${T} WHERE status = 'dead' AND ($1::bigint[] IS NULL OR id = ANY($1::bigint[]))`, [ids ?? null]);
    return rowCount ?? 0;
  }

  async pruneFinished(olderThanMs: number): Promise<number> {
    const { rowCount } = await this.pool.query(
      `DELETE FROM ${T} WHERE status = 'done' AND finished_at < now() - make_interval(secs => $1::double precision / 1000)`, [olderThanMs]);
    return rowCount ?? 0;
  }

  async stats(): Promise<QueueStats> {
    const { rows } = await this.pool.query<{ status: keyof QueueStats; n: string }>(`SELECT status, count(*) AS n FROM ${T} GROUP BY status`);
    const stats: QueueStats = { pending: 0, running: 0, done: 0, dead: 0 };
    for (const r of rows) stats[r.status] = Number(r.n);
    return stats;
  }

  async close(): Promise<void> {
    if (this.ownsPool) await this.pool.end();
  }
}
