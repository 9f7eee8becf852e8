// A few workers, each with its own connection to both databases, taking tasks from one queue. A task
// that fails marks its table as not verified; the other tables go on.
import { redactSecrets, type Dsn } from '../../config/dsn.js';
import { connectMysql, connectPostgres } from '../db/index.js';
import type { DifferenceLog } from './differences.js';
import type { Job, Task } from './jobs.js';
import { verifyClientColumns, verifyRange, type Sides } from './keyed.js';
import { verifyMultiset } from './multiset.js';
import { verifyKeysetRange, type KeysetJob } from './keyset-compare.js';
import { keysetRanges } from './keyset-ranges.js';
import { ROWS_PER_RANGE } from './jobs.js';
import { streamed } from './column-comparison.js';

/**
 * MySQL joins a range's rows into one text before hashing it: room for big ranges (a text cut short only
 * makes the digests differ). Postgres reads ranges through the key's index, so that rows come in key
 * order however the table's pages were filled.
 */
const MYSQL_SESSION = 'SET SESSION group_concat_max_len = 1073741824';
const POSTGRES_SESSION = [
  // Floats print their shortest exact text, dates as MySQL prints them, whatever the server's defaults.
  'SET extra_float_digits = 1', "SET TIME ZONE 'UTC'", "SET DateStyle = 'ISO, YMD'",
  'SET enable_seqscan = off', 'SET enable_bitmapscan = off', 'SET max_parallel_workers_per_gather = 0',
  // The plans cost more than they are (scans off): compiling each query would take longer than running it.
  'SET jit = off',
];

export async function openSides(source: Dsn, target: Dsn): Promise<Sides> {
  const mysql = await connectMysql(source);
  try {
    await mysql.query(MYSQL_SESSION);
    const postgres = await connectPostgres(target, 'target', POSTGRES_SESSION);
    return { mysql, postgres };
  } catch (error) {
    await mysql.end().catch(() => {});
    throw error;
  }
}

/** `broken`: a read may have stopped mid-result, and a paused MySQL result would keep end() waiting forever. */
export async function closeSides(sides: Sides, broken = false): Promise<void> {
  if (broken) sides.mysql.destroy();
  await Promise.all([broken ? undefined : sides.mysql.end().catch(() => sides.mysql.destroy()), sides.postgres.end().catch(() => {})]);
}

/** Runs a task; choosing a table's ranges gives the tasks that compare them. */
async function run(task: Task, sides: Sides, log: DifferenceLog): Promise<Task[] | void> {
  switch (task.kind) {
    case 'keyset-plan': {
      const { job } = task;
      const ranges = await keysetRanges(sides, job.names, job.keyset!, job.rowEstimate, ROWS_PER_RANGE);
      return ranges.map((range) => ({ kind: 'keyset' as const, job, range }));
    }
    case 'keyset':
      return verifyKeysetRange(task.job as KeysetJob, sides, task.range, log);
    case 'range':
      return verifyRange(task.job, sides, task.range, log);
    case 'columns':
      return verifyClientColumns(task.job, sides, log, task.range);
    case 'multiset':
      return verifyMultiset(task.job, sides, log);
  }
}

function settled(job: Job, task: Task, queue: Task[]): void {
  if (task.kind === 'range' && --job.rangesLeft === 0 && job.result.status !== 'error' && job.renders.some(streamed)) {
    // Only now: it skips the rows the ranges already compared one by one.
    queue.unshift(...job.streamRanges.map((range) => ({ kind: 'columns' as const, job, range })));
    job.tasksLeft += job.streamRanges.length;
  }
  if (--job.tasksLeft === 0) job.result.seconds = (performance.now() - job.started!) / 1000;
}

/** Runs the queue on the workers (replaced when a task leaves one unusable) until it is empty. */
export async function runTasks(workers: Sides[], queue: Task[], log: DifferenceLog, dsns: { source: Dsn; target: Dsn }): Promise<void> {
  const secrets = [dsns.source.password, dsns.target.password];
  for (const task of queue) task.job.tasksLeft++;
  const work = async (index: number) => {
    for (let task = queue.shift(); task; task = queue.shift()) {
      const { job } = task;
      job.started ??= performance.now();
      try {
        const more = job.result.status !== 'error' ? await run(task, workers[index], log) : undefined;
        if (more) {
          // A table's ranges go first, so that the workers share it.
          queue.unshift(...more);
          job.tasksLeft += more.length;
        }
      } catch (error) {
        job.result.status = 'error';
        job.result.error = redactSecrets(error instanceof Error ? error.message : String(error), secrets);
        await closeSides(workers[index], true);
        workers[index] = await openSides(dsns.source, dsns.target);
      }
      settled(job, task, queue);
    }
  };
  await Promise.all(workers.map((_, i) => work(i)));
}
