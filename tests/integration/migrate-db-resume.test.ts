// A run killed at any moment resumes where it stopped: finished tables and key-range chunks are kept,
// the rest is copied once, and the result matches the source row for row.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, test } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MigrationReport } from '../../src/report/model.js';
import { CLI_PATH, runCli } from '../helpers/cli.js';
import { compareDatabases } from '../helpers/compare.js';
import { freshMysql, freshPostgres, type MysqlDatabase, type PostgresDatabase } from '../helpers/databases.js';

const BIG_ROWS = 400_000; // four key-range chunks
const SECOND_ROWS = 200_000;
const NO_KEY_ROWS = 300_000;
let source: MysqlDatabase;
let target: PostgresDatabase;

beforeAll(async () => {
  source = await freshMysql('resume');
  target = await freshPostgres('resume');
  await source.conn.query('CREATE TABLE a_small (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL)');
  await source.conn.query("INSERT INTO a_small SELECT seq, CONCAT('n', seq) FROM seq_1_to_1000");
  await source.conn.query('CREATE TABLE b_big (id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY, small_id INT NOT NULL, payload VARCHAR(200) NOT NULL, at DATETIME NOT NULL, FOREIGN KEY (small_id) REFERENCES a_small (id))');
  await source.conn.query(`INSERT INTO b_big SELECT seq, 1 + seq % 1000, REPEAT(CHAR(65 + seq % 26), 150), '2024-01-01' + INTERVAL seq SECOND FROM seq_1_to_${BIG_ROWS}`);
  // Copied after b_big (biggest first).
  await source.conn.query('CREATE TABLE c_second (id INT PRIMARY KEY, note VARCHAR(100) NOT NULL)');
  await source.conn.query(`INSERT INTO c_second SELECT seq, REPEAT('y', 80) FROM seq_1_to_${SECOND_ROWS}`);
  // No primary key, and duplicate rows: it can only restart as a whole.
  await source.conn.query('CREATE TABLE d_no_key (page VARCHAR(100) NOT NULL, viewed_at DATETIME NOT NULL)');
  await source.conn.query(`INSERT INTO d_no_key SELECT CONCAT('/products/', seq % 5000), '2024-01-01' + INTERVAL (seq % 1000) MINUTE FROM seq_1_to_${NO_KEY_ROWS}`);
  await source.conn.query('ANALYZE TABLE a_small, b_big, c_second, d_no_key');
});

afterAll(async () => {
  await source?.drop();
  await target?.drop();
});

const args = (...extra: string[]) => ['migrate', 'db', '--source', source.url, '--target', target.url, '--jobs', '1', ...extra];

function start(...extra: string[]): { child: ChildProcess; exited: Promise<number | null>; stderr: () => string } {
  const child = spawn(process.execPath, [CLI_PATH, ...args(...extra)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  return { child, exited: new Promise((resolve) => child.on('exit', resolve)), stderr: () => stderr };
}

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 1500; i++) {
    if (await check()) return;
    await sleep(20);
  }
  assert.fail(`timed out waiting for ${what}`);
}

/** Postgres is in the middle of a COPY into the table. */
const copying = (table: string) => async () => {
  const { rows } = await target.client.query(
    'SELECT tuples_processed FROM pg_stat_progress_copy WHERE datname = current_database() AND relid = to_regclass($1)', [`public.${table}`],
  );
  return rows.length > 0 && Number(rows[0].tuples_processed) > 1000;
};

async function lastRunId(): Promise<number> {
  const { rows } = await target.client.query('SELECT coalesce(max(id), 0)::int AS id FROM markethub_migrate.runs');
  return rows[0].id;
}

/** Runs newer than `afterRun` finished this many chunks of the table. */
const chunksDone = (table: string, count: number, afterRun: number) => async () => {
  const { rows } = await target.client.query('SELECT count(*)::int AS n FROM markethub_migrate.steps WHERE step_key LIKE $1 AND run_id > $2', [`copy:${table}#%`, afterRun]);
  return rows[0].n >= count;
};

async function count(table: string, distinctBy = 'id'): Promise<number> {
  const { rows } = await target.client.query(`SELECT count(*)::int AS n, count(DISTINCT ${distinctBy})::int AS d FROM public.${table}`);
  if (distinctBy === 'id') assert.equal(rows[0].n, rows[0].d, `no duplicates in ${table}`);
  return rows[0].n;
}

async function assertSameAsSource(tables?: string[]): Promise<void> {
  const comparison = await compareDatabases({ mysqlUrl: source.url, postgresUrl: target.url, tables });
  const problems = comparison.tables.filter((t) => t.mismatchedRows || t.rowsMysql !== t.rowsPostgres || t.errors.length);
  assert.deepEqual(problems.map((t) => t.table), []);
}

test('kill -9 in the middle of a table: finished tables are kept, the rest copied once', async () => {
  const run = start('--json');
  await until('the copy of c_second', copying('c_second'));
  run.child.kill('SIGKILL');
  await run.exited;

  assert.equal(await count('b_big'), BIG_ROWS, 'the finished table is kept');
  assert.equal(await count('c_second'), 0, 'the interrupted COPY left nothing behind');

  const again = await runCli(args('--json'));
  assert.equal(again.code, 0, again.stderr);
  const report: MigrationReport = JSON.parse(again.stdout);
  const status = Object.fromEntries(report.tables.map((t) => [t.name, t.status]));
  // Biggest first: b_big and d_no_key were done before the kill.
  assert.deepEqual(status, { a_small: 'copied', b_big: 'already-copied', c_second: 'copied', d_no_key: 'already-copied' });
  assert.equal(await count('b_big'), BIG_ROWS);
  assert.equal(await count('c_second'), SECOND_ROWS);
  assert.equal(await count('d_no_key', 'page'), NO_KEY_ROWS);
  const fk = await target.client.query("SELECT convalidated FROM pg_constraint WHERE contype = 'f' AND conrelid = 'public.b_big'::regclass");
  assert.deepEqual(fk.rows, [{ convalidated: true }]);
  const runs = await target.client.query('SELECT outcome FROM markethub_migrate.runs ORDER BY id');
  assert.deepEqual(runs.rows.map((r) => r.outcome), ['interrupted', 'success'], 'the killed run stays visible as never finished');
  await assertSameAsSource();
});

test('kill -9 between key-range chunks: committed chunks are not copied again', async () => {
  const before = await lastRunId();
  const run = start('--fresh', '--tables', 'a_small,b_big');
  await until('two chunks of b_big', chunksDone('b_big', 2, before));
  await until('the copy of the third chunk', copying('b_big'));
  run.child.kill('SIGKILL');
  await run.exited;

  const killedRun = await lastRunId();
  const kept = await count('b_big');
  assert.ok(kept >= 2 * (BIG_ROWS / 4) && kept < BIG_ROWS, `whole chunks kept: ${kept}`);

  const again = await runCli(args('--json', '--tables', 'a_small,b_big'));
  assert.equal(again.code, 0, again.stderr);
  assert.equal(await count('b_big'), BIG_ROWS);
  const chunks = await target.client.query("SELECT step_key, run_id::int FROM markethub_migrate.steps WHERE step_key LIKE 'copy:b_big#%' ORDER BY step_key");
  const byRun = chunks.rows.filter((r) => r.run_id === killedRun).length;
  assert.equal(byRun * (BIG_ROWS / 4), kept, 'the chunks the killed run committed were kept, not copied again');
  assert.equal(chunks.rows.length, 4);
  await assertSameAsSource(['a_small', 'b_big']);
});

test('a table without a primary key restarts as a whole, cleanly', async () => {
  const run = start('--fresh', '--tables', 'd_no_key');
  await until('the copy of d_no_key', copying('d_no_key'));
  run.child.kill('SIGKILL');
  await run.exited;
  assert.equal(await count('d_no_key', 'page'), 0);

  const again = await runCli(args('--json', '--tables', 'd_no_key'));
  assert.equal(again.code, 0, again.stderr);
  assert.equal(await count('d_no_key', 'page'), NO_KEY_ROWS, 'every row, duplicates included, exactly once');
  const duplicates = await target.client.query("SELECT count(*)::int AS n FROM public.d_no_key WHERE page = '/products/1' AND viewed_at = '2024-01-01 00:01:00+00'");
  const expected = await source.conn.query("SELECT COUNT(*) AS n FROM d_no_key WHERE page = '/products/1' AND viewed_at = '2024-01-01 00:01:00'");
  assert.equal(duplicates.rows[0].n, Number((expected[0] as { n: number }[])[0].n));
});

test('Ctrl-C stops cleanly and says how to resume', async () => {
  const run = start('--fresh', '--tables', 'a_small,b_big');
  await until('the copy of b_big', copying('b_big'));
  run.child.kill('SIGINT');
  assert.equal(await run.exited, 130);
  assert.match(run.stderr(), /interrupted; run the same command again to resume/);

  const resumed = await runCli(args('--json', '--tables', 'a_small,b_big'));
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.equal(await count('b_big'), BIG_ROWS);
  assert.equal(await count('a_small'), 1000);
});
