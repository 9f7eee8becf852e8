// `npm run bench:verify -- --scale N`: migrate the MarketHub-shaped database at scale N, change one row
// in the target, then time `markethub migrate verify` against the `migrate db` run and check it finds it.
// `--only personnel` (or `--only markethub`): just one of the two databases; the personnel-style one is
// keyed by composite, text, date and UUID keys (scripts/bench/personnel.ts), with one change per table;
// `--kill-resume` then kills `migrate db` mid-table and resumes it (scripts/bench/personnel-resume.ts).
import path from 'node:path';
import pg from 'pg';
import { measure } from './bench/measure.js';
import { cpuDuring, describeCpu } from './bench/server-cpu.js';
import { die, freshPostgres, option, prepareBenchDatabase, ROOT } from './bench/common.js';
import { plantPersonnelChanges, preparePersonnel } from './bench/personnel.js';
import { killAndResume } from './bench/personnel-resume.js';

const CLI = path.join(ROOT, 'dist/cli/index.js');

async function markethub(): Promise<void> {
  const { source } = await prepareBenchDatabase();
  const target = await freshPostgres('mh_bench_verify');
  const { result: migrated, cpu: migrateCpu } = await cpuDuring(() => measure(process.execPath, [CLI, 'migrate', 'db', '--source', source, '--target', target, '--json']));
  if (migrated.code !== 0) die(`migrate db failed: ${migrated.stderr.trim()}`);

  const client = new pg.Client({ connectionString: target });
  await client.connect();
  await client.query('UPDATE public.order_items SET quantity = quantity + 1 WHERE id = 424242 % (SELECT max(id) FROM public.order_items) + 1');
  const { rows: [changed] } = await client.query<{ id: string }>('SELECT (424242 % max(id) + 1)::text AS id FROM public.order_items');
  await client.end();

  const { result: verified, cpu: verifyCpu } = await cpuDuring(() => measure(process.execPath, [CLI, 'migrate', 'verify', '--source', source, '--target', target, '--json']));
  if (verified.code !== 0 && verified.code !== 4) die(`migrate verify could not verify (exit ${verified.code}): ${verified.stderr.trim()}`);
  const report = JSON.parse(verified.stdout) as { differences: { table: string; key: Record<string, string>; kind: string; columns: string[] }[] };
  const found = report.differences.map((d) => `${d.table} ${JSON.stringify(d.key)} ${d.kind} ${d.columns.join(',')}`);
  console.log(`migrate db:     ${migrated.seconds.toFixed(2)} s, peak RSS ${(migrated.peakRssBytes / 2 ** 20).toFixed(0)} MB`);
  console.log(`migrate verify: ${verified.seconds.toFixed(2)} s, peak RSS ${(verified.peakRssBytes / 2 ** 20).toFixed(0)} MB`);
  console.log(`verify / migrate: ${(verified.seconds / migrated.seconds).toFixed(2)}x`);
  console.log(`migrate db     ${describeCpu(migrateCpu)}`);
  console.log(`migrate verify ${describeCpu(verifyCpu)}`);
  console.log(`differences found: ${found.join('; ') || 'none'}`);
  const expected = `order_items {"id":"${changed.id}"} changed quantity`;
  if (found.length !== 1 || found[0] !== expected) die(`expected exactly: ${expected}`);
}

const MB = 2 ** 20;

async function personnel(): Promise<void> {
  const { source, rows } = preparePersonnel(process.argv.includes('--regenerate'));
  const target = await freshPostgres('mh_bench_verify_personnel');
  const { result: migrated, cpu: migrateCpu } = await cpuDuring(() => measure(process.execPath, [CLI, 'migrate', 'db', '--source', source, '--target', target, '--json']));
  if (migrated.code !== 0) die(`migrate db failed: ${migrated.stderr.trim()}`);

  const client = new pg.Client({ connectionString: target });
  await client.connect();
  const expected = await plantPersonnelChanges(client);
  await client.end();

  const { result: verified, cpu: verifyCpu } = await cpuDuring(() => measure(process.execPath, [CLI, 'migrate', 'verify', '--source', source, '--target', target, '--json']));
  if (verified.code !== 0 && verified.code !== 4) die(`migrate verify could not verify (exit ${verified.code}): ${verified.stderr.trim()}`);
  const report = JSON.parse(verified.stdout) as { differences: { table: string; key: Record<string, string>; kind: string; columns: string[] }[] };
  const found = report.differences.map((d) => `${d.table} ${d.kind} ${JSON.stringify(d.key)} ${d.columns.join(',')}`);
  console.log(`personnel-style database: ${rows} rows, composite, text, date and UUID keys`);
  console.log(`migrate db:     ${migrated.seconds.toFixed(2)} s, ${Math.round(rows / migrated.seconds)} rows/s, peak RSS ${(migrated.peakRssBytes / MB).toFixed(0)} MB`);
  console.log(`migrate verify: ${verified.seconds.toFixed(2)} s, ${Math.round(rows / verified.seconds)} rows/s, peak RSS ${(verified.peakRssBytes / MB).toFixed(0)} MB`);
  console.log(`verify / migrate: ${(verified.seconds / migrated.seconds).toFixed(2)}x`);
  console.log(`migrate db     ${describeCpu(migrateCpu)}`);
  console.log(`migrate verify ${describeCpu(verifyCpu)}`);
  console.log(`differences found (${found.length}):`);
  for (const line of found) console.log(`  ${line}`);
  const missed = expected.filter((e) => !found.includes(e));
  const unexpected = found.filter((f) => !expected.includes(f));
  if (missed.length || unexpected.length) die(`expected exactly the ${expected.length} planted changes; not found: ${missed.join('; ') || 'none'}; not planted: ${unexpected.join('; ') || 'none'}`);

  if (process.argv.includes('--kill-resume')) await killAndResume(CLI, source, await freshPostgres('mh_bench_resume_personnel'));
}

const only = option('only', 'all');
if (!['all', 'markethub', 'personnel'].includes(only)) die(`--only must be markethub or personnel, got ${only}`);
if (only !== 'personnel') await markethub();
if (only !== 'markethub') await personnel();
