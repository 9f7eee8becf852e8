// `markethub migrate verify` as a user runs it: exit 0 on parity, 4 with every difference listed, 3 when
// it cannot verify; schema and integrity differences count too; the migration's own changes do not.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { freshMysql, freshPostgres, MYSQL_ADMIN_URL, type MysqlDatabase, type PostgresDatabase } from '../helpers/databases.js';
import { loadSqlFile } from '../helpers/sql-file.js';

let source: MysqlDatabase;
let target: PostgresDatabase;

beforeAll(async () => {
  source = await freshMysql('verify_cli');
  target = await freshPostgres('verify_cli');
  await loadSqlFile(source.conn, 'tests/integration/fixtures/odd-values.sql');
  const migrated = await runCli(['migrate', 'db', '--source', source.url, '--target', target.url, '--json']);
  assert.equal(migrated.code, 0, migrated.stderr);
});

afterAll(async () => {
  await source?.drop();
  await target?.drop();
});

const verify = (...extra: string[]) => runCli(['migrate', 'verify', '--source', source.url, '--target', target.url, ...extra]);

test('right after the migration: parity, exit 0, the migration\'s own changes counted as expected', async () => {
  const result = await verify('--json');
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const report = JSON.parse(result.stdout);
  assert.equal(report.ok, true);
  assert.deepEqual(report.differences, []);
  assert.deepEqual(report.schemaProblems, []);
  assert.deepEqual(report.integrityProblems, []);
  assert.ok(report.expectedDifferences >= 5, 'zero dates and NUL removals');
  assert.ok(report.expected.some((e: { what: string }) => /born lost NOT NULL/.test(e.what)));
  assert.ok(report.expected.some((e: { what: string }) => /fk_tag_category is NOT VALID/.test(e.what)), 'the orphan the migration reported');

  const human = await verify();
  assert.equal(human.code, 0);
  assert.match(human.stdout, /^table name\s+rows source\s+rows target\s+status/m);
  assert.match(human.stdout, /Parity: the target holds what the source holds/);
  const stored = await target.client.query("SELECT outcome FROM markethub_migrate.runs WHERE command = 'migrate verify' ORDER BY id DESC LIMIT 1");
  assert.deepEqual(stored.rows, [{ outcome: 'success' }]);
});

test('changed, missing and extra rows, a JSON value and a microsecond: exit 4, exactly those listed', async () => {
  await target.client.query("UPDATE public.\"order\" SET total = 10.51 WHERE id = 1");
  await target.client.query('DELETE FROM wishlist_notes WHERE id = 1');
  await target.client.query("INSERT INTO categories (id, parent_id, name) VALUES (99, NULL, 'Extra')");
  await target.client.query(`UPDATE texts SET doc = '{"b": 1, "a": [1, 2, {"c": "e"}]}' WHERE id = 1`);
  await target.client.query("UPDATE wishlists SET added_at = added_at + interval '1 microsecond' WHERE user_id = 3");
  const result = await verify('--json');
  assert.equal(result.code, 4, result.stderr);
  const report = JSON.parse(result.stdout);
  const found = report.differences.map((d: { table: string; key: Record<string, string>; kind: string; columns: string[] }) => `${d.table} ${JSON.stringify(d.key)} ${d.kind} ${d.columns.join(',')}`).sort();
  assert.deepEqual(found, [
    'categories {"id":"99"} extra ',
    'order {"id":"1"} changed total',
    'texts {"id":"1"} changed doc',
    'wishlist_notes {"id":"1"} missing ',
    'wishlists {"user_id":"3","product_id":"5"} changed added_at',
  ]);
  assert.equal(report.differencesTotal, 5);
  const limited = JSON.parse((await verify('--json', '--max-differences', '2')).stdout);
  assert.equal(limited.differences.length, 2);
  assert.equal(limited.differencesTotal, 5);
});

test('schema and integrity differences count too', async () => {
  await target.client.query('DROP INDEX uq_email');
  await target.client.query("ALTER TABLE public.\"order\" ALTER COLUMN \"select\" SET DEFAULT 'x'");
  const report = JSON.parse((await verify('--json', '--tables', 'users,order')).stdout);
  assert.equal(report.ok, false);
  const problems = report.schemaProblems.map((p: { table: string; what: string }) => `${p.table}: ${p.what}`).sort();
  assert.deepEqual(problems, [
    "order: column select defaults to 'x'::citext, planned 'it''s'::citext",
    'users: index uq_email missing',
  ]);
});

test('when it cannot verify: exit 3 and one line; an unknown table is a usage error, exit 2', async () => {
  const missingDb = await runCli(['migrate', 'verify', '--source', `${MYSQL_ADMIN_URL}/no_such_db_v`, '--target', target.url]);
  assert.equal(missingDb.code, 3);
  assert.match(missingDb.stderr, /^markethub: .*database "no_such_db_v" does not exist\n$/);
  const badTable = await verify('--tables', 'ghost');
  assert.equal(badTable.code, 2);
  assert.match(badTable.stderr, /unknown table "ghost"/);
});
