// At a terminal, phases show a spinner and tables a progress bar with rows/s and ETA.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, test } from 'vitest';
import { CLI_PATH } from '../helpers/cli.js';
import { freshMysql, freshPostgres, type MysqlDatabase, type PostgresDatabase } from '../helpers/databases.js';

const hasScript = spawnSync('script', ['--version']).status === 0;
let source: MysqlDatabase;
let target: PostgresDatabase;

beforeAll(async () => {
  source = await freshMysql('progress');
  target = await freshPostgres('progress');
  await source.conn.query('CREATE TABLE events (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL)');
  await source.conn.query("INSERT INTO events SELECT seq, 'e' FROM seq_1_to_20000");
});

afterAll(async () => {
  await source?.drop();
  await target?.drop();
});

// Needs script(1) for a pseudo-terminal.
test.skipIf(!hasScript)('a terminal sees spinners and a progress bar with rows/s and ETA', () => {
  // script(1) gives the command a pseudo-terminal for stdout and stderr, as a person's shell would.
  const command = `stty cols 120 rows 40; '${process.execPath}' '${CLI_PATH}' migrate db --source '${source.url}' --target '${target.url}'`;
  const result = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, CI: '' } });
  assert.equal(result.status, 0, result.stdout);
  assert.match(result.stdout, /introspect: 1 tables, 0 views/);
  assert.match(result.stdout, /events \| 20000\/20000 rows \| \d+ rows\/s \| ETA/);
  assert.match(result.stdout, /Total\s+20000\s+20000/);
});
