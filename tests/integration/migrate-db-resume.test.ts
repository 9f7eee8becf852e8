// A run killed at any moment resumes where it stopped: finished tables are kept, the rest is copied once.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MigrationReport } from '../../src/report/model.js';
import { CLI_PATH, runCli } from '../helpers/cli.js';
import { freshMysql, freshPostgres, type MysqlDatabase, type PostgresDatabase } from '../helpers/databases.js';

const BIG_ROWS = 400_000;
const SECOND_ROWS = 200_000;
let source: MysqlDatabase;
let target: PostgresDatabase;

before(async () => {
  source = await freshMysql('resume');
  target = await freshPostgres('resume');
  await source.conn.query('CREATE TABLE a_small (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL)');
  await source.conn.query("INSERT INTO a_small SELECT seq, CONCAT('n', seq) FROM seq_1_to_1000");
  await source.conn.query('CREATE TABLE b_big (id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY, small_id INT NOT NULL, payload VARCHAR(200) NOT NULL, at DATETIME NOT NULL, FOREIGN KEY (small_id) REFERENCES a_small (id))');
  await source.conn.query(`INSERT INTO b_big SELECT seq, 1 + seq % 1000, REPEAT('x', 150), '2024-01-01' + INTERVAL seq SECOND FROM seq_1_to_${BIG_ROWS}`);
  // Copied after b_big (biggest first): the run is killed while copying it.
  await source.conn.query('CREATE TABLE c_second (id INT PRIMARY KEY, note VARCHAR(100) NOT NULL)');
  await source.conn.query(`INSERT INTO c_second SELECT seq, REPEAT('y', 80) FROM seq_1_to_${SECOND_ROWS}`);
  await source.conn.query('ANALYZE TABLE a_small, b_big, c_second');
});

after(async () => {
  await source?.drop();
  await target?.drop();
});

function start(): ChildProcess {
  return spawn(process.execPath, [CLI_PATH, 'migrate', 'db', '--source', source.url, '--target', target.url, '--jobs', '1', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Waits until Postgres is in the middle of copying the table. */
async function waitForCopyOf(table: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const { rows } = await target.client.query(
      `SELECT p.tuples_processed FROM pg_stat_progress_copy p WHERE p.datname = current_database() AND p.relid = to_regclass($1)`, [`public.${table}`],
    );
    if (rows.length && Number(rows[0].tuples_processed) > 1000) return;
    await sleep(20);
  }
  assert.fail(`copy of ${table} never started`);
}

async function count(table: string): Promise<number> {
  const { rows } = await target.client.query(`SELECT count(*)::int AS n, count(DISTINCT id)::int AS d FROM public.${table}`);
  assert.equal(rows[0].n, rows[0].d, `no duplicates in ${table}`);
  return rows[0].n;
}

test('kill -9 in the middle of a table, then the same command again: exact rows, nothing twice', async () => {
  const child = start();
  const exited = new Promise((resolve) => child.on('exit', resolve));
  await waitForCopyOf('c_second');
  child.kill('SIGKILL');
  await exited;

  assert.equal(await count('b_big'), BIG_ROWS, 'the finished table is kept');
  assert.equal(await count('c_second'), 0, 'the interrupted COPY left nothing behind');

  const again = await runCli(['migrate', 'db', '--source', source.url, '--target', target.url, '--jobs', '1', '--json']);
  assert.equal(again.code, 0, again.stderr);
  const report: MigrationReport = JSON.parse(again.stdout);
  const status = Object.fromEntries(report.tables.map((t) => [t.name, t.status]));
  assert.deepEqual(status, { a_small: 'copied', b_big: 'already-copied', c_second: 'copied' });
  assert.equal(await count('a_small'), 1000);
  assert.equal(await count('b_big'), BIG_ROWS);
  assert.equal(await count('c_second'), SECOND_ROWS);
  const fk = await target.client.query("SELECT convalidated FROM pg_constraint WHERE contype = 'f' AND conrelid = 'public.b_big'::regclass");
  assert.deepEqual(fk.rows, [{ convalidated: true }]);
  const runs = await target.client.query('SELECT outcome FROM markethub_migrate.runs ORDER BY id');
  assert.deepEqual(runs.rows.map((r) => r.outcome), ['running', 'success'], 'the killed run stays visible as never finished');
});

test('Ctrl-C stops cleanly and says how to resume; --fresh starts over', async () => {
  const fresh = await runCli(['migrate', 'db', '--source', source.url, '--target', target.url, '--fresh', '--jobs', '1', '--tables', 'a_small,b_big', '--json']);
  assert.equal(fresh.code, 0, fresh.stderr);
  assert.ok((JSON.parse(fresh.stdout) as MigrationReport).tables.every((t) => t.status === 'copied'));
  assert.equal(await count('b_big'), BIG_ROWS);

  const child = spawn(process.execPath, [CLI_PATH, 'migrate', 'db', '--source', source.url, '--target', target.url, '--fresh', '--jobs', '1', '--tables', 'a_small,b_big'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  await waitForCopyOf('b_big');
  child.kill('SIGINT');
  assert.equal(await exited, 130);
  assert.match(stderr, /interrupted; run the same command again to resume/);
  assert.equal(await count('b_big'), 0);

  const resumed = await runCli(['migrate', 'db', '--source', source.url, '--target', target.url, '--jobs', '1', '--tables', 'a_small,b_big', '--json']);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.equal(await count('b_big'), BIG_ROWS);
  assert.equal(await count('a_small'), 1000);
});
