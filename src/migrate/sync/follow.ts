// The follow loop: apply batches while there are any, poll when there are none, survive a dropped
// connection by opening new ones, and stop between batches when asked.
import { setTimeout as sleep } from 'node:timers/promises';
import { percentile } from './batch.js';
import type { BatchResult } from './batch.js';

/** One direction's batches over connections it can open again after a failure. */
export interface Applier {
  /** Applies the next batch, of `widen` times the usual number of changes; null when nothing is pending. */
  next(widen?: number): Promise<BatchResult | null>;
  /** Changes captured and not yet applied. */
  pending(): Promise<number>;
  /** Records where this direction stands (lag, pending) where `cutover status` reads it; true when asked to stop. */
  heartbeat(lagSeconds: number, pending: number): Promise<boolean>;
  /** Drops the connections; the next call opens new ones. */
  reset(): Promise<void>;
}

export interface FollowStats {
  changes: number;
  batches: number;
  upserts: number;
  deletes: number;
  valueChanges: number;
  /** Rows applied per table. */
  tables: Record<string, number>;
  lag: { p50: number; p95: number; max: number };
  reconnects: number;
  /** Batches read again because a row's parent was not there at commit. */
  retries: number;
  stoppedBy: 'caught-up' | 'signal' | 'handover';
}

export interface FollowOptions {
  signal: AbortSignal;
  pollMs: number;
  /** Return as soon as nothing is pending (instead of waiting for new changes). */
  untilCaughtUp: boolean;
  /** Told once a second or so while following. */
  onProgress?: (line: string) => void;
  /** Told when a connection failed and is being opened again. */
  onReconnect?: (error: Error, attempt: number) => void;
  onRetry?: (error: Error, attempt: number) => void;
}

const HEARTBEAT_MS = 1000;
/** Lags kept for the summary's percentiles: the most recent this many changes. */
const LAGS_KEPT = 200_000;
const MAX_BACKOFF_MS = 5000;
const MISSING_PARENT_RETRIES = 5;

function isMissingParent(error: unknown): boolean {
  return (error as { code?: string }).code === '23503';
}

function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? '';
  const message = (error as Error).message ?? '';
  return ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'PROTOCOL_CONNECTION_LOST', 'ER_SERVER_SHUTDOWN', '57P01', '57P02', '57P03', '08006', '08003', '08001'].includes(code)
    || /Connection terminated|connection is closed|Can't add new command when connection is in closed state|Client has encountered a connection error/i.test(message);
}

export async function follow(applier: Applier, options: FollowOptions): Promise<FollowStats> {
  const stats: FollowStats = { changes: 0, batches: 0, upserts: 0, deletes: 0, valueChanges: 0, tables: {}, lag: { p50: 0, p95: 0, max: 0 }, reconnects: 0, retries: 0, stoppedBy: 'signal' };
  const lags: number[] = [];
  let lastBeat = 0;
  let lastLag = 0;
  let failures = 0;
  let parentRetries = 0;
  let widen = 1;
  let sinceProgress = { at: Date.now(), changes: 0 };

  const beat = async (force: boolean): Promise<boolean> => {
    if (!force && Date.now() - lastBeat < HEARTBEAT_MS) return false;
    lastBeat = Date.now();
    const pending = await applier.pending();
    const stop = await applier.heartbeat(lastLag, pending);
    const seconds = (Date.now() - sinceProgress.at) / 1000;
    options.onProgress?.(`applied ${stats.changes} changes (${((stats.changes - sinceProgress.changes) / seconds).toFixed(0)}/s), lag ${lastLag.toFixed(2)} s, pending ${pending}`);
    sinceProgress = { at: Date.now(), changes: stats.changes };
    return stop;
  };

  while (!options.signal.aborted) {
    try {
      const batch = await applier.next(widen);
      failures = 0;
      parentRetries = 0;
      widen = 1;
      if (batch) {
        stats.batches++;
        stats.changes += batch.changes;
        stats.upserts += batch.upserts;
        stats.deletes += batch.deletes;
        stats.valueChanges += batch.valueChanges;
        for (const [t, n] of Object.entries(batch.tables)) stats.tables[t] = (stats.tables[t] ?? 0) + n;
        lags.push(...batch.lags);
        if (lags.length > LAGS_KEPT) lags.splice(0, lags.length - LAGS_KEPT);
        lastLag = batch.lags.reduce((a, b) => Math.max(a, b), 0);
      } else {
        lastLag = 0;
        if (options.untilCaughtUp) {
          stats.stoppedBy = 'caught-up';
          break;
        }
      }
      if (await beat(false)) {
        stats.stoppedBy = 'handover';
        break;
      }
      if (!batch) await sleep(options.pollMs, undefined, { signal: options.signal }).catch(() => {});
    } catch (error) {
      if (isMissingParent(error) && ++parentRetries <= MISSING_PARENT_RETRIES) {
        // A batch writes its rows as they are now, and a row may now point at a parent whose own change
        // lies past the batch's last change (an anonymous session that later logged in as a new user).
        // That change is visible in the same snapshot: a wider batch brings it along, and one holding
        // every visible change leaves Postgres equal to that snapshot, so the last try takes them all.
        stats.retries++;
        options.onRetry?.(error as Error, parentRetries);
        widen = parentRetries === MISSING_PARENT_RETRIES ? Infinity : 4 ** parentRetries;
        continue;
      }
      if (!isConnectionError(error)) throw error;
      failures++;
      stats.reconnects++;
      options.onReconnect?.(error as Error, failures);
      await applier.reset();
      await sleep(Math.min(MAX_BACKOFF_MS, 100 * 2 ** failures), undefined, { signal: options.signal }).catch(() => {});
    }
  }
  await beat(true).catch(() => false);
  stats.lag = { p50: percentile(lags, 50), p95: percentile(lags, 95), max: lags.reduce((a, b) => Math.max(a, b), 0) };
  return stats;
}
