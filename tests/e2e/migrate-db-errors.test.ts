// Errors a user can cause: one clear line on stderr, a meaningful exit code, no stack trace, no password.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from 'vitest';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { runCli, type CliResult } from '../helpers/cli.js';
import { freshMysql, freshPostgres, MYSQL_ADMIN_URL, POSTGRES_ADMIN_URL, type MysqlDatabase, type PostgresDatabase } from '../helpers/databases.js';

const SECRET = 'Sup3r-s3cret!';
let source: MysqlDatabase;
let target: PostgresDatabase;

beforeAll(async () => {
  source = await freshMysql('errors');
  target = await freshPostgres('errors');
  await source.conn.query('CREATE TABLE users (id INT PRIMARY KEY, email VARCHAR(50) NOT NULL)');
  await source.conn.query("INSERT INTO users VALUES (1, 'a@example.com'), (2, 'b@example.com')");
});

afterAll(async () => {
  await source?.drop();
  await target?.drop();
});

function assertOneLineError(result: CliResult, code: number, pattern: RegExp): void {
  assert.equal(result.code, code, `exit code; stderr: ${result.stderr}`);
  const lines = result.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line, got:\n${result.stderr}`);
  assert.match(lines[0], /^markethub: /);
  assert.match(lines[0], pattern);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  assert.ok(!result.stderr.includes(SECRET) && !result.stdout.includes(SECRET), 'password never printed');
  assert.ok(!result.stderr.includes(encodeURIComponent(SECRET)), 'password never printed, even encoded');
}

const db = (...extra: string[]) => runCli(['migrate', 'db', ...extra]);
const withSecret = (url: string) => url.replace(/:\/\/([^:@/]+)@/, `://$1:${encodeURIComponent(SECRET)}@`);

test('a malformed DSN names the option', async () => {
  assertOneLineError(await db('--source', 'not a url', '--target', target.url), 2, /--source is not a valid URL/);
  assertOneLineError(await db('--source', target.url, '--target', target.url), 2, /--source must be a mysql:\/\/ URL/);
  assertOneLineError(await db('--source', `${MYSQL_ADMIN_URL}`, '--target', target.url), 2, /--source names no database/);
  assertOneLineError(await db('--target', target.url), 2, /--source is required \(or set MARKETHUB_SOURCE_URL\)/);
});

test('DSNs may come from the environment', async () => {
  const result = await runCli(['migrate', 'db', '--dry-run', '--json'], { env: { MARKETHUB_SOURCE_URL: source.url, DATABASE_URL: target.url } });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(JSON.parse(result.stdout).outcome, 'dry-run');
});

test('an option with a typo gets a suggestion', async () => {
  assertOneLineError(await db('--source', source.url, '--target', target.url, '--tabels', 'users'), 2, /unknown option '--tabels' \(Did you mean --tables\?\)/);
  assertOneLineError(await db('--source', source.url, '--target', target.url, '--jobs', 'zero'), 2, /--jobs must be a whole number/);
});

test('wrong password, unknown database and unreachable host, with the password masked', async () => {
  assertOneLineError(await db('--source', withSecret(source.url), '--target', target.url), 3, /cannot log in to source MySQL mysql:\/\/root:\*\*\*@127\.0\.0\.1:3306\/mh_errors_\w+: wrong password/);
  assertOneLineError(await db('--source', `${MYSQL_ADMIN_URL}/no_such_db_x`, '--target', target.url), 3, /database "no_such_db_x" does not exist/);
  assertOneLineError(await db('--source', withSecret('mysql://root@127.0.0.1:1/shop'), '--target', target.url), 3, /cannot reach source MySQL .*connection refused at 127\.0\.0\.1:1/);
  assertOneLineError(await db('--source', source.url, '--target', `${POSTGRES_ADMIN_URL}/no_such_db_y`), 3, /target Postgres .*database "no_such_db_y" does not exist/);
  assertOneLineError(await db('--source', source.url, '--target', 'postgres://no_such_role_z@127.0.0.1:5432/postgres'), 3, /role "no_such_role_z"/);
});

test('missing privileges on either side', async () => {
  const admin = await mysql.createConnection({ uri: MYSQL_ADMIN_URL });
  await admin.query("CREATE USER IF NOT EXISTS 'mh_nopriv'@'%' IDENTIFIED BY 'Sup3r-s3cret!'");
  await admin.query("CREATE USER IF NOT EXISTS 'mh_nopriv'@'localhost' IDENTIFIED BY 'Sup3r-s3cret!'");
  await admin.end();
  const limited = source.url.replace('://root@', `://mh_nopriv:${encodeURIComponent(SECRET)}@`);
  assertOneLineError(await db('--source', limited, '--target', target.url), 3, /user "mh_nopriv" lacks privileges/);

  const pgAdmin = new pg.Client({ connectionString: `${POSTGRES_ADMIN_URL}/postgres` });
  await pgAdmin.connect();
  await pgAdmin.query("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mh_nopriv') THEN CREATE ROLE mh_nopriv LOGIN; END IF; END $$");
  await pgAdmin.end();
  const weakTarget = target.url.replace(/:\/\/[^@]+@/, '://mh_nopriv@');
  assertOneLineError(await db('--source', source.url, '--target', weakTarget), 3, /cannot create the ledger schema markethub_migrate .*grant CREATE/);
});

test('an unknown table in --tables or --exclude', async () => {
  assertOneLineError(await db('--source', source.url, '--target', target.url, '--tables', 'users,nope'), 2, /unknown table "nope" in source database "mh_errors_\w+" \(it has: users\)/);
  assertOneLineError(await db('--source', source.url, '--target', target.url, '--exclude', 'ghost'), 2, /unknown table "ghost"/);
});

test('a target table that already holds rows is never overwritten without --truncate', async () => {
  await target.client.query('CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL)');
  await target.client.query("INSERT INTO users VALUES (99, 'keep@example.com')");
  assertOneLineError(await db('--source', source.url, '--target', target.url), 1, /target already has 1 table\(s\) markethub did not create in schema "public" \(users\)/);
  assertOneLineError(await db('--source', source.url, '--target', target.url, '--data-only'), 1, /target table\(s\) already hold rows: public\.users; pass --truncate/);
  const { rows } = await target.client.query('SELECT id FROM users');
  assert.deepEqual(rows, [{ id: 99 }], 'nothing touched');

  const replaced = await db('--source', source.url, '--target', target.url, '--data-only', '--truncate', '--json');
  assert.equal(replaced.code, 0, replaced.stderr);
  const after = await target.client.query('SELECT id, email FROM users ORDER BY id');
  assert.deepEqual(after.rows, [{ id: 1, email: 'a@example.com' }, { id: 2, email: 'b@example.com' }]);
  await target.client.query('DROP TABLE users');
});

test('--dry-run prints the plan and DDL and writes nothing; --verbose shows details', async () => {
  const dry = await db('--source', source.url, '--target', target.url, '--schema', 'dry', '--dry-run');
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /CREATE TABLE "dry"\."users"/);
  assert.equal(dry.stderr, '', 'no spinner or progress bar when output is not a terminal');
  assert.match(dry.stdout, /ADD CONSTRAINT "users_pkey" PRIMARY KEY \("id"\)/);
  const { rows } = await target.client.query("SELECT nspname FROM pg_namespace WHERE nspname = 'dry'");
  assert.deepEqual(rows, []);
  const runs = await target.client.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'markethub_migrate' AND EXISTS (SELECT 1 FROM markethub_migrate.runs WHERE target_schema = 'dry')");
  assert.deepEqual(runs.rows, [{ n: 0 }]);

  const verbose = await db('--source', withSecret(source.url), '--target', target.url, '--verbose');
  assert.equal(verbose.code, 3);
  assert.match(verbose.stderr, /\n\s+at /, 'stack shown with --verbose');
  assert.ok(!verbose.stderr.includes(SECRET));
});

test('--json prints only the JSON report on stdout, with the password masked', async () => {
  const result = await db('--source', source.url, '--target', withSecret(target.url), '--schema', 'jsononly', '--json');
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  assert.equal(report.outcome, 'success');
  assert.equal(report.target, target.url.replace('://postgres@', '://postgres:***@'));
  assert.ok(!result.stdout.includes(SECRET));
  assert.equal(result.stderr, '');
});

test('a resume after the source changed refuses; --fresh never drops what the user built on top', async () => {
  const args = ['--source', source.url, '--target', target.url, '--schema', 'changed', '--json'];
  assert.equal((await db(...args)).code, 0);
  await source.conn.query('ALTER TABLE users MODIFY email VARCHAR(80) NOT NULL');
  try {
    assertOneLineError(await db(...args), 1, /the source or the options changed since table\(s\) users were created by an earlier run; run again with --fresh/);
    await target.client.query('CREATE VIEW changed.mine AS SELECT email FROM changed.users');
    assertOneLineError(await db(...args, '--fresh'), 1, /--fresh: cannot drop table changed\.users because other objects depend on it .*view changed\.mine/);
    assert.equal((await target.client.query('SELECT count(*)::int AS n FROM changed.mine')).rows[0].n, 2, 'the view and the table are untouched');
    await target.client.query('DROP VIEW changed.mine');
    const fresh = await db(...args, '--fresh');
    assert.equal(fresh.code, 0, fresh.stderr);
    // The new length: email became citext (its collation is case-insensitive), whose length is a CHECK.
    const checks = await target.client.query("SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'changed.users'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%email%'");
    assert.deepEqual(checks.rows, [{ def: 'CHECK ((char_length((email)::text) <= 80))' }]);
  } finally {
    await source.conn.query('ALTER TABLE users MODIFY email VARCHAR(50) NOT NULL');
  }
});
