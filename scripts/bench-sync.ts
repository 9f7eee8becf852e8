// `npm run bench:sync -- [--seconds N] [--rate W]`: the sample shop taking W writes/s on MySQL (default
// 200) for N seconds (default 30) while `markethub migrate sync` follows; prints the lag of every change
// from its commit on MySQL to its commit on Postgres (p50, p95, max), against the 2 s target, and the
// follower's peak memory.
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { runShopWriter } from './bench/shop-writer.js';
import { die, freshPostgres, mysqlCli, MYSQL, option, ROOT } from './bench/common.js';
import { measure } from './bench/measure.js';
import { seedLegacyDatabase } from './seed-mysql.js';

const CLI = path.join(ROOT, 'dist/cli/index.js');
const DATABASE = 'mh_bench_sync';
const LAG_TARGET_SECONDS = 2;

async function main(): Promise<void> {
  const seconds = Number(option('seconds', '30'));
  const rate = Number(option('rate', '200'));
  if (!(seconds > 0 && rate > 0)) die('--seconds and --rate must be positive numbers');
  mysqlCli('mysql', `DROP DATABASE IF EXISTS ${DATABASE}; CREATE DATABASE ${DATABASE}`);
  // Changes left by an earlier run of this benchmark (the change table outlives the database).
  mysqlCli('information_schema', `SELECT 1 FROM TABLES WHERE TABLE_SCHEMA = 'markethub_sync' AND TABLE_NAME = 'changes'`).trim() && mysqlCli('mysql', `DELETE FROM markethub_sync.changes WHERE db = '${DATABASE}'`);
  await seedLegacyDatabase(`mysql://${MYSQL.user}@${MYSQL.host}:${MYSQL.port}`, DATABASE);
  const source = `mysql://${MYSQL.user}@${MYSQL.host}:${MYSQL.port}/${DATABASE}`;
  const target = await freshPostgres(DATABASE);
  const copied = await measure(process.execPath, [CLI, 'migrate', 'db', '--source', source, '--target', target, '--json']);
  if (copied.code !== 0) die(`migrate db failed: ${copied.stderr.trim()}`);

  let follower: ChildProcess | undefined;
  const following = measure(process.execPath, [CLI, 'migrate', 'sync', '--source', source, '--target', target, '--json'], { started: (c) => (follower = c) });
  // Capture is on once the follower has recorded where it stands.
  const client = new pg.Client({ connectionString: target });
  await client.connect();
  for (let i = 0; ; i++) {
    const { rows } = await client.query("SELECT to_regclass('markethub_migrate.sync_state') IS NOT NULL AND EXISTS (SELECT 1 FROM markethub_migrate.sync_state WHERE following) AS ready").catch(() => ({ rows: [{ ready: false }] }));
    if (rows[0].ready) break;
    if (i > 300) die('migrate sync did not start within 30 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  console.log(`writing ${rate} operations/s for ${seconds} s on ${DATABASE} while migrate sync follows ...`);
  const wrote = await runShopWriter({ url: source, operations: Math.round(seconds * rate), perSecond: rate });
  for (;;) {
    const { rows } = await client.query('SELECT pending FROM markethub_migrate.sync_state WHERE following');
    if (rows.length && Number(rows[0].pending) === 0) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  await new Promise((r) => setTimeout(r, 1500));
  await client.end();
  follower!.kill('SIGINT');
  const run = await following;
  if (run.code !== 0) die(`migrate sync failed: ${run.stderr.trim()}`);
  const { follow } = JSON.parse(run.stdout) as { follow: { changes: number; batches: number; lag: { p50: number; p95: number; max: number } } };

  console.log(`writer:       ${wrote.operations} operations in ${wrote.seconds.toFixed(1)} s (${(wrote.operations / wrote.seconds).toFixed(0)}/s): ${wrote.inserts} inserts, ${wrote.updates} updates, ${wrote.deletes} deletes`);
  console.log(`migrate sync: ${follow.changes} row changes in ${follow.batches} batches, peak RSS ${(run.peakRssBytes / 2 ** 20).toFixed(0)} MB`);
  console.log(`lag:          p50 ${follow.lag.p50.toFixed(3)} s, p95 ${follow.lag.p95.toFixed(3)} s, max ${follow.lag.max.toFixed(3)} s (target: p95 under ${LAG_TARGET_SECONDS} s) -> ${follow.lag.p95 < LAG_TARGET_SECONDS ? 'met' : 'NOT met'}`);
}

await main();
