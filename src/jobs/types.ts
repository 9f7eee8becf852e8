// The queue's interface. Postgres implements it (postgres-queue.ts); an SQS implementation would
// map enqueue to SendMessage (delay: DelaySeconds, key: MessageDeduplicationId), claim to
// ReceiveMessage (lock: visibility timeout), complete to DeleteMessage, fail to
// ChangeMessageVisibility, and the dead letters to a redrive queue.
export type Backoff = 'exponential' | 'linear' | 'fixed';

export interface EnqueueOptions {
  /** Milliseconds before the job may run. */
  delay?: number;
  /** Retries after the first attempt; the job is dead-lettered after maxRetries + 1 failures. Default 3. */
  maxRetries?: number;
  /** How the wait between attempts grows, and its base in ms (default exponential, 1000 ms). */
  backoff?: Backoff | { type: Backoff; delayMs: number };
  /** Idempotency key: a second enqueue with the same key is a no-op returning the first job. */
  key?: string;
}

export interface EnqueueResult {
  id: string;
  /** False when a job with the same key already existed. */
  created: boolean;
}

export interface Job<P = unknown> {
  id: string;
  type: string;
  payload: P;
  key: string | null;
  attempts: number;
  maxRetries: number;
  backoff: Backoff;
  backoffMs: number;
  claimToken: string;
}

export type FailOutcome = { outcome: 'retry'; runAt: Date } | { outcome: 'dead' } | { outcome: 'lost' };

export interface DeadLetter {
  id: string;
  type: string;
  payload: unknown;
  key: string | null;
  attempts: number;
  error: string;
  errors: { attempt: number; error: string; failedAt: string }[];
  deadAt: string;
  alertedAt: string | null;
}

export interface QueueStats {
  pending: number;
  running: number;
  done: number;
  dead: number;
}

export interface JobQueue {
  enqueue<P>(type: string, payload: P, options?: EnqueueOptions): Promise<EnqueueResult>;
  /** Takes up to `limit` due jobs for `lockMs`; no other claim sees them meanwhile. */
  claim(limit: number, lockMs: number): Promise<Job[]>;
  /** False when the claim was lost (lock expired and the job was claimed again). */
  complete(job: Job): Promise<boolean>;
  fail(job: Job, error: string): Promise<FailOutcome>;
  deadLetters(options?: { limit?: number; unalertedOnly?: boolean }): Promise<DeadLetter[]>;
  markAlerted(ids: string[]): Promise<void>;
  /** Puts dead jobs back in the queue with fresh attempts; all when ids is undefined. Returns how many. */
  retryDead(ids?: string[]): Promise<number>;
  /** Deletes dead jobs (and frees their keys); all when ids is undefined. Returns how many. */
  purgeDead(ids?: string[]): Promise<number>;
  /** Deletes finished jobs older than `olderThanMs` (their keys no longer dedupe). */
  pruneFinished(olderThanMs: number): Promise<number>;
  stats(): Promise<QueueStats>;
  close(): Promise<void>;
}

export function backoffDelay(attempt: number, backoff: Backoff, baseMs: number, capMs = 3_600_000): number {
  const n = Math.max(1, attempt);
  const raw = backoff === 'exponential' ? baseMs * 2 ** (n - 1) : backoff === 'linear' ? baseMs * n : baseMs;
  return Math.min(raw, capMs);
}
