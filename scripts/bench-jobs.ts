// Worker throughput: a no-op job drained by 4 concurrent workers (as 4 overlapping cron
// invocations would), against 1 worker in the same invocation as the peer.
//   npm run bench:jobs -- [--jobs 5000] [--batch 20] [--concurrency 4]
import { applyAppMigrations, PostgresJobQueue, runWorker, unconfiguredMailer, type JobHandlers } from '../src/jobs/index.js';
import { freshPostgres, option } from './bench/common.js';

const total = Number(option('jobs', '5000'));
const batchSize = Number(option('batch', '20'));
const concurrency = Number(option('concurrency', '4'));
const handlers: JobHandlers = { noop: async () => {} };

async function run(workers: number): Promise<{ seconds: number; perSecond: number }> {
  const url = await freshPostgres(`markethub_bench_jobs_${workers}`);
  const setup = new PostgresJobQueue({ url, poolSize: 1 });
  await applyAppMigrations(setup.pool);
  // Setup is not measured: one statement fills the queue.
  await setup.pool.query(`INSERT INTO markethub_jobs.jobs (type, payload, key) SELECT 'noop', jsonb_build_object('i', i), 'k' || i FROM generate_series(1, $1) i`, [total]);
  const queues = Array.from({ length: workers }, () => new PostgresJobQueue({ url, poolSize: 2 }));
  const started = process.hrtime.bigint();
  const reports = await Promise.all(queues.map((queue) => runWorker({ db: queue.pool, queue, mailer: unconfiguredMailer() }, handlers, { budgetMs: 600_000, batchSize, concurrency })));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const done = reports.reduce((n, r) => n + r.succeeded, 0);
  const stats = await setup.stats();
  if (done !== total || stats.done !== total) throw new Error(`expected ${total} jobs done, workers report ${done}, table says ${stats.done}`);
  await Promise.all([...queues, setup].map((q) => q.close()));
  return { seconds, perSecond: total / seconds };
}

const one = await run(1);
const four = await run(4);
const line = (name: string, r: { seconds: number; perSecond: number }) => `${name.padEnd(10)} ${r.seconds.toFixed(2).padStart(7)} s  ${Math.round(r.perSecond).toString().padStart(6)} jobs/s`;
console.log(`no-op jobs: ${total}, batch ${batchSize}, ${concurrency} at a time per worker`);
console.log(line('1 worker', one));
console.log(line('4 workers', four));
console.log(`ratio 4 workers / 1 worker: ${(four.perSecond / one.perSecond).toFixed(2)}x`);
