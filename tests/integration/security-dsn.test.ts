// A password given as `?password=` in a DSN logs in, and no credential in a DSN's query is ever
// printed: not in the one-line error, not in --json output.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, test } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { freshMysql, freshPostgres, type MysqlDatabase, type PostgresDatabase } from '../helpers/databases.js';

let source: MysqlDatabase;
let target: PostgresDatabase;
const user = `mh_dsn_${randomBytes(3).toString('hex')}`;
const password = `Pw-${randomBytes(6).toString('hex')}`;

beforeAll(async () => {
  source = await freshMysql('security_dsn');
  target = await freshPostgres('security_dsn');
  await source.conn.query('CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL); INSERT INTO t VALUES (1, \'a\')');
  await source.conn.query(`CREATE USER '${user}'@'%' IDENTIFIED BY '${password}'`);
  await source.conn.query(`GRANT SELECT, SHOW VIEW ON \`${source.name}\`.* TO '${user}'@'%'`);
});

afterAll(async () => {
  await source?.conn.query(`DROP USER IF EXISTS '${user}'@'%'`);
  await source?.drop();
  await target?.drop();
});

const sourceWith = (query: string) => `mysql://${user}@127.0.0.1:3306/${source.name}?${query}`;

test('?password= logs in to MySQL, and the report shows it masked', async () => {
  const result = await runCli(['migrate', 'db', '--source', sourceWith(`password=${encodeURIComponent(password)}`), '--target', target.url, '--dry-run', '--json']);
  assert.equal(result.code, 0, result.stderr);
  assert.ok(!result.stdout.includes(password) && !result.stderr.includes(password));
  assert.equal(JSON.parse(result.stdout).source, `mysql://${user}@127.0.0.1:3306/${source.name}?password=***`);
});

test('a wrong ?password= is one masked line, on the terminal and in --json', async () => {
  const wrong = `Wrong-${randomBytes(6).toString('hex')}`;
  const terminal = await runCli(['migrate', 'db', '--source', sourceWith(`charset=utf8mb4&password=${wrong}`), '--target', target.url]);
  assert.equal(terminal.code, 3);
  assert.equal(terminal.stderr.trim().split('\n').length, 1, terminal.stderr);
  assert.match(terminal.stderr, new RegExp(`cannot log in to source MySQL mysql://${user}@127\\.0\\.0\\.1:3306/${source.name}\\?charset=utf8mb4&password=\\*\\*\\*`));
  const json = await runCli(['migrate', 'db', '--source', sourceWith(`password=${wrong}`), '--target', target.url, '--json']);
  assert.equal(json.code, 3);
  for (const output of [terminal.stdout, terminal.stderr, json.stdout, json.stderr]) assert.ok(!output.includes(wrong), output);
});

test('credentials in a Postgres DSN\'s query are masked in the error, tokens and ssl passwords too', async () => {
  const secrets = [`S-${randomBytes(5).toString('hex')}`, `K-${randomBytes(5).toString('hex')}`];
  // Nothing listens on port 1: the connection error names the target as given, masked.
  const dsn = `postgres://app@127.0.0.1:1/shop?password=${secrets[0]}&sslpassword=${secrets[1]}&application_name=mh`;
  const result = await runCli(['migrate', 'db', '--source', sourceWith(`password=${password}`), '--target', dsn]);
  assert.equal(result.code, 3, result.stderr);
  assert.match(result.stderr, /postgres:\/\/app@127\.0\.0\.1:1\/shop\?password=\*\*\*&sslpassword=\*\*\*&application_name=mh/);
  for (const secret of [...secrets, password]) assert.ok(!result.stderr.includes(secret) && !result.stdout.includes(secret), result.stderr);
});

test('two passwords, in the user part and in the query, are refused before anything connects', async () => {
  const result = await runCli(['migrate', 'db', '--source', `mysql://${user}:${password}@127.0.0.1:3306/${source.name}?password=other`, '--target', target.url]);
  assert.equal(result.code, 2);
  assert.match(result.stderr.trim(), /--source gives two passwords, in the user part and as the password parameter \(.*:\*\*\*@.*\?password=\*\*\*\); keep one$/);
  assert.ok(!result.stderr.includes(password));
});
