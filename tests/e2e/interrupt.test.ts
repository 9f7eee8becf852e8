// Ctrl-C during a migration with --json: exit 130, and the JSON on stdout says it was interrupted.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, test } from 'vitest';
import { CLI_PATH } from '../helpers/cli.js';
import { freshMysql, freshPostgres, type MysqlDatabase, type PostgresDatabase } from '../helpers/databases.js';

const ROWS = 400_000;
let source: MysqlDatabase;
let target: PostgresDatabase;

beforeAll(async () => {
  source = await freshMysql('interrupt');
  target = await freshPostgres('interrupt');
  await source.conn.query('CREATE TABLE big (id INT PRIMARY KEY, note VARCHAR(40) NOT NULL)');
  await source.conn.query(`INSERT INTO big SELECT seq, CONCAT('row ', seq) FROM seq_1_to_${ROWS}`);
});

afterAll(async () => {
  await source?.drop();
  await target?.drop();
});

/** Postgres is in the middle of a COPY into the table. */
async function copying(): Promise<boolean> {
  const { rows } = await target.client.query("SELECT tuples_processed FROM pg_stat_progress_copy WHERE datname = current_database() AND relid = to_regclass('public.big')");
  return rows.length > 0 && Number(rows[0].tuples_processed) > 1000;
}

test('Ctrl-C with --json: exit 130, the report so far with ok false and error code interrupted', async () => {
  const child = spawn(process.execPath, [CLI_PATH, 'migrate', 'db', '--source', source.url, '--target', target.url, '--jobs', '1', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  try {
    for (let i = 0; i < 1500 && !(await copying()); i++) await sleep(20);
    assert.ok(await copying(), `the copy started; stderr: ${stderr}`);
  } finally {
    child.kill('SIGINT');
  }
  assert.equal(await exited, 130, stderr);
  const report = JSON.parse(stdout);
  assert.deepEqual([report.schemaVersion, report.ok, report.command], [1, false, 'migrate db']);
  assert.deepEqual(report.error, { code: 'interrupted', message: 'interrupted; run the same command again to resume' });
  assert.ok(Array.isArray(report.tables), 'the report of what was done');
  assert.match(stderr, /interrupted; run the same command again to resume/);
});
