// `npm run bench:sync -- [--seconds N] [--rate W]`: the sample shop taking W writes/s on MySQL (default
// 200) for N seconds (default 30) while `markethub migrate sync` follows; prints the lag of every change
// from its commit on MySQL to its commit on Postgres (p50, p95, max), against the 2 s target, and the
// follower's peak memory. Then shoppers register at W/s through the legacy front while
// `migrate sync --switch-writes` moves writes to Postgres: how long writes were refused, and how many
// acknowledged writes are missing (must be none); then the way back and parity.
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { runShopWriter } from './bench/shop-writer.js';
import { die, freshPostgres, mysqlCli, MYSQL, option, ROOT } from './bench/common.js';
import { measure } from './bench/measure.js';
import { startShoppers, startSwitchRig } from './bench/switch-rig.js';
import { seedLegacyDatabase } from './seed-mysql.js';

const CLI = path.join(ROOT, 'dist/cli/index.js');
const DATABASE = 'mh_bench_sync';
const LAG_TARGET_SECONDS = 2;
/** The apps' cutover flag cache in the switch: what a deployment would set for a quick switch. */
const SWITCH_FLAG_CACHE_MS = 500;

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
  const stockBefore = await mysqlStock(source);
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
  await reportTriggerEffects(source, target, stockBefore);
  await switchUnderLoad(source, target, rate);
  console.log(`lag:          p50 ${follow.lag.p50.toFixed(3)} s, p95 ${follow.lag.p95.toFixed(3)} s, max ${follow.lag.max.toFixed(3)} s (target: p95 under ${LAG_TARGET_SECONDS} s) -> ${follow.lag.p95 < LAG_TARGET_SECONDS ? 'met' : 'NOT met'}`);
}

async function mysqlStock(url: string): Promise<Map<number, number>> {
  const conn = await mysql.createConnection({ uri: url });
  const [rows] = await conn.query('SELECT id, stock FROM products');
  await conn.end();
  return new Map((rows as { id: number; stock: number }[]).map((r) => [Number(r.id), Number(r.stock)]));
}

/**
 * MySQL's order_items_after_insert took each item's quantity off its product's stock, and sync carried
 * that stock over; the translated trigger on Postgres must not take it off a second time.
 */
async function reportTriggerEffects(source: string, target: string, before: Map<number, number>): Promise<void> {
  const onMysql = await mysqlStock(source);
  const client = new pg.Client({ connectionString: target });
  await client.connect();
  const { rows } = await client.query<{ id: number; stock: number }>('SELECT id, stock FROM products');
  await client.end();
  const onPostgres = new Map(rows.map((r) => [Number(r.id), Number(r.stock)]));
  const taken = (after: Map<number, number>) => [...before].reduce((n, [id, stock]) => n + stock - (after.get(id) ?? stock), 0);
  const differing = [...onMysql].filter(([id, stock]) => onPostgres.get(id) !== stock).length;
  console.log(`triggers:     order_items_after_insert took ${taken(onMysql)} units of stock on MySQL, ${taken(onPostgres)} are gone on Postgres; ${differing} products differ (an effect applied twice would show here)`);
}

async function cli(args: string[]): Promise<string> {
  const run = await measure(process.execPath, [CLI, ...args]);
  if (run.code !== 0) die(`markethub ${args.slice(0, 2).join(' ')} failed (${run.code}): ${run.stderr.trim()}`);
  return run.stdout;
}

async function switchUnderLoad(source: string, target: string, rate: number): Promise<void> {
  const rig = await startSwitchRig({ mysqlUrl: source, postgresUrl: target, flagCacheMs: SWITCH_FLAG_CACHE_MS });
  let follower: ChildProcess | undefined;
  const following = measure(process.execPath, [CLI, 'migrate', 'sync', '--source', source, '--target', target, '--json'], { started: (c) => (follower = c) });
  const shoppers = startShoppers(rig.frontUrl, { prefix: `bench-${Date.now().toString(36)}`, concurrency: 8, perSecond: rate });
  await new Promise((r) => setTimeout(r, 3000));
  const switched = JSON.parse(await cli(['migrate', 'sync', '--source', source, '--target', target, '--switch-writes', '--flag-cache-ms', String(SWITCH_FLAG_CACHE_MS), '--json']));
  await new Promise((r) => setTimeout(r, 3000));
  await shoppers.stop();
  await following;
  follower = undefined;
  const emails = shoppers.acknowledged.map((a) => a.email);
  const client = new pg.Client({ connectionString: target });
  await client.connect();
  const { rows } = await client.query('SELECT count(*)::int AS n FROM users WHERE email = ANY($1)', [emails]);
  await client.end();
  await cli(['migrate', 'sync', '--source', source, '--target', target, '--reverse', '--until-caught-up']);
  await cli(['cutover', 'rollback', '--source', source, '--target', target, '--flag-cache-ms', String(SWITCH_FLAG_CACHE_MS)]);
  await rig.close();
  const verified = await measure(process.execPath, [CLI, 'migrate', 'verify', '--source', source, '--target', target, '--json']);
  const parity = JSON.parse(verified.stdout) as { differencesTotal: number };
  const seen = shoppers.refusals.length ? (Math.max(...shoppers.refusals) - Math.min(...shoppers.refusals)) / 1000 : 0;
  console.log(`switch-writes: ${switched.steps.map((s: { name: string; seconds: number }) => `${s.name} ${s.seconds.toFixed(2)} s`).join(', ')}`);
  console.log(`               writes refused for ${switched.writesRefusedSeconds.toFixed(2)} s (clients saw 503s over ${seen.toFixed(2)} s, ${shoppers.refusals.length} refusals, target: under 5 s)`);
  console.log(`               ${emails.length} writes acknowledged, ${emails.length - rows[0].n} missing in Postgres; after the way back and rollback: ${parity.differencesTotal} differences`);
}

await main();
