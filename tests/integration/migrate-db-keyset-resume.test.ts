// Tables keyed by composite or text primary keys are copied in key tuple ranges, each committed with
// its ledger record: a run killed in the middle of such a table resumes with the ranges it never
// finished, and the result matches the source row for row.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, test } from 'vitest';
import { CLI_PATH, runCli } from '../helpers/cli.js';
import { compareDatabases } from '../helpers/compare.js';
import { freshMysql, freshPostgres, type MysqlDatabase, type PostgresDatabase } from '../helpers/databases.js';

const HISTORY_ROWS = 400_000; // led by an integer: about four ranges cut evenly on emp_no
const CODES_ROWS = 250_000; // led by a case-insensitive code: about three ranges at keys sampled from the index
let source: MysqlDatabase;
let target: PostgresDatabase;

beforeAll(async () => {
  source = await freshMysql('keyset_resume');
  target = await freshPostgres('keyset_resume');
  await source.conn.query(`
    CREATE TABLE history (emp_no INT NOT NULL, from_date DATE NOT NULL, salary INT NOT NULL, note VARCHAR(100) NOT NULL, PRIMARY KEY (emp_no, from_date));
    INSERT INTO history SELECT 10000 + seq DIV 4, '1990-01-01' + INTERVAL seq % 4 YEAR, 40000 + seq % 1000, REPEAT('x', 60) FROM seq_0_to_${HISTORY_ROWS - 1};
    CREATE TABLE codes (code VARCHAR(8) NOT NULL, n INT NOT NULL, PRIMARY KEY (code, n)) COLLATE utf8mb4_general_ci;
    INSERT INTO codes SELECT ELT(1 + seq % 5, 'ab', 'B', 'c', 'D ', 'é'), seq FROM seq_1_to_${CODES_ROWS};
    ANALYZE TABLE history, codes;
  `);
});

afterAll(async () => {
  await source?.drop();
  await target?.drop();
});

const args = (...extra: string[]) => ['migrate', 'db', '--source', source.url, '--target', target.url, '--jobs', '1', ...extra];

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 1500; i++) {
    if (await check()) return;
    await sleep(20);
  }
  assert.fail(`timed out waiting for ${what}`);
}

/** The table's committed ranges (none before the run has made its ledger). */
async function chunks(table: string): Promise<{ step_key: string; run_id: number }[]> {
  if (!(await target.client.query("SELECT to_regclass('markethub_migrate.steps') AS t")).rows[0].t) return [];
  const { rows } = await target.client.query('SELECT step_key, run_id::int FROM markethub_migrate.steps WHERE step_key LIKE $1 ORDER BY step_key', [`copy:${table}#%`]);
  return rows;
}

const copying = (table: string) => async () => {
  const { rows } = await target.client.query('SELECT tuples_processed FROM pg_stat_progress_copy WHERE datname = current_database() AND relid = to_regclass($1)', [`public.${table}`]);
  return rows.length > 0 && Number(rows[0].tuples_processed) > 1000;
};

test('kill -9 in the middle of a composite-key table: the committed ranges are kept, only the rest copied', async () => {
  const run = spawn(process.execPath, [CLI_PATH, ...args()], { stdio: 'ignore' });
  const exited = new Promise((resolve) => run.on('exit', resolve));
  await until('two ranges of history', async () => (await chunks('history')).length >= 2);
  await until('the copy of the next range', copying('history'));
  run.kill('SIGKILL');
  await exited;

  const plan = await target.client.query("SELECT detail FROM markethub_migrate.steps WHERE step_key = 'chunks:history'");
  const recorded = plan.rows[0].detail as { keyColumns: { name: string; kind: string }[]; ranges: { after: string[] | null; upTo: string[] | null }[] };
  assert.deepEqual(recorded.keyColumns, [{ name: 'emp_no', kind: 'integer' }, { name: 'from_date', kind: 'temporal' }]);
  // About 100,000 rows each, by the table's row estimate.
  const n = recorded.ranges.length;
  assert.ok(n >= 3 && n <= 5, `ranges: ${n}`);
  assert.equal(recorded.ranges[0].after, null);
  assert.equal(recorded.ranges[n - 1].upTo, null);
  const killed = await chunks('history');
  const kept = Number((await target.client.query('SELECT count(*) AS n FROM public.history')).rows[0].n);
  assert.ok(killed.length >= 2 && killed.length < n, `ranges done before the kill: ${killed.length}`);
  assert.ok(kept > 0 && kept < HISTORY_ROWS, `whole ranges kept: ${kept}`);

  const again = await runCli(args('--json'));
  assert.equal(again.code, 0, again.stderr);
  const after = await chunks('history');
  assert.equal(after.length, n);
  const killedRun = killed[0].run_id;
  assert.deepEqual(
    after.filter((c) => c.run_id === killedRun).map((c) => c.step_key),
    killed.map((c) => c.step_key),
    'the ranges the killed run committed were not copied again',
  );
  assert.equal(after.filter((c) => c.run_id !== killedRun).length, n - killed.length);

  // The text-keyed table was cut at keys sampled in MySQL's own order, case and accents folded.
  const codes = await target.client.query("SELECT detail FROM markethub_migrate.steps WHERE step_key = 'chunks:codes'");
  assert.equal(codes.rows[0].detail.keyColumns[0].kind, 'text');
  const codeRanges = codes.rows[0].detail.ranges.length;
  assert.ok(codeRanges >= 2, `ranges: ${codeRanges}`);
  assert.equal((await chunks('codes')).length, codeRanges);

  const comparison = await compareDatabases({ mysqlUrl: source.url, postgresUrl: target.url });
  const rows = Object.fromEntries(comparison.tables.map((t) => [t.table, [t.rowsMysql, t.rowsPostgres, t.mismatchedRows, t.errors.length]]));
  assert.deepEqual(rows, { history: [HISTORY_ROWS, HISTORY_ROWS, 0, 0], codes: [CODES_ROWS, CODES_ROWS, 0, 0] });
});

test('verify after the resumed run finds the two tables equal', async () => {
  const result = await runCli(['migrate', 'verify', '--source', source.url, '--target', target.url, '--json']);
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout) as { differences: unknown[] };
  assert.deepEqual(report.differences, []);
});
