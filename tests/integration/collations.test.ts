// The same statements on MariaDB and on the migrated Postgres give the same answers: MySQL's
// case-insensitive collations stay case-insensitive, binary ones stay exact, and what is not kept is noted.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from 'vitest';
import type { MigrationReport } from '../../src/report/model.js';
import { runCli } from '../helpers/cli.js';
import { freshMysql, freshPostgres, type MysqlDatabase, type PostgresDatabase } from '../helpers/databases.js';
import { loadSqlFile } from '../helpers/sql-file.js';

let source: MysqlDatabase;
let target: PostgresDatabase;
let exact: PostgresDatabase;
let report: MigrationReport;

beforeAll(async () => {
  source = await freshMysql('collations');
  target = await freshPostgres('collations');
  exact = await freshPostgres('collations_exact');
  await loadSqlFile(source.conn, 'tests/integration/fixtures/collations.sql');
  const [preserved, asToday] = await Promise.all([
    runCli(['migrate', 'db', '--source', source.url, '--target', target.url, '--json']),
    runCli(['migrate', 'db', '--source', source.url, '--target', exact.url, '--collations', 'exact', '--json']),
  ]);
  assert.equal(preserved.code, 0, preserved.stderr);
  assert.equal(asToday.code, 0, asToday.stderr);
  report = JSON.parse(preserved.stdout);
}, 120_000);

afterAll(async () => {
  await source?.drop();
  await target?.drop();
  await exact?.drop();
});

type Rows = string[][];
const normalise = (rows: Record<string, unknown>[]): Rows => rows.map((r) => Object.values(r).map((v) => String(v)));

async function onMysql(sql: string): Promise<Rows> {
  const [rows] = await source.conn.query(sql);
  return normalise(rows as Record<string, unknown>[]);
}

async function onPostgres(sql: string, db: PostgresDatabase = target): Promise<Rows> {
  return normalise((await db.client.query(sql)).rows);
}

/** Runs one statement on both sides and returns MySQL's answer after asserting Postgres gives the same. */
async function same(sql: string): Promise<Rows> {
  const [mysql, postgres] = [await onMysql(sql), await onPostgres(sql)];
  assert.deepEqual(postgres, mysql, sql);
  return mysql;
}

test('= , IN and LIKE with other case match the same rows', async () => {
  assert.deepEqual(await same(`SELECT id FROM people_general WHERE email = 'ALICE@X.COM' ORDER BY id`), [['1']]);
  assert.deepEqual(await same(`SELECT id FROM people_general WHERE email IN ('BOB@x.com', 'carol@X.COM') ORDER BY id`), [['2'], ['3']]);
  assert.deepEqual(await same(`SELECT id FROM people_general WHERE name LIKE 'b%' ORDER BY id`), [['2'], ['4']]);
  assert.deepEqual(await same(`SELECT id FROM people_general WHERE status = 'PAID' ORDER BY id`), [['2'], ['3']]);
  assert.deepEqual(await same(`SELECT id FROM people_unicode WHERE email = 'alice@X.com' OR name LIKE 'B%' ORDER BY id`), [['1'], ['2'], ['3']]);
  assert.deepEqual(await same(`SELECT id FROM latin_swedish WHERE name = 'björn' OR name LIKE 'A%' ORDER BY id`), [['2'], ['3'], ['4']]);
});

test('ORDER BY, GROUP BY and DISTINCT fold case as MySQL does', async () => {
  await same('SELECT name FROM people_general ORDER BY name, id');
  await same('SELECT name FROM people_unicode ORDER BY name');
  await same('SELECT name FROM latin_swedish ORDER BY name');
  assert.deepEqual(await same('SELECT COUNT(DISTINCT name) AS n FROM people_general'), [['4']]);
  assert.deepEqual(await same('SELECT lower(name) AS k, COUNT(*) AS n FROM people_general GROUP BY name ORDER BY 1'), [['alice', '1'], ['bob', '2'], ['carol', '1'], ['erin', '1']]);
});

test('a JOIN on case-insensitive keys pairs the same rows; the foreign key holds on both ends', async () => {
  assert.deepEqual(await same('SELECT o.id, p.id AS person FROM orders o JOIN people_general p ON p.email = o.customer_email ORDER BY o.id'), [['1', '1'], ['2', '2'], ['3', '3'], ['4', '1']]);
  const { rows } = await target.client.query(`SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = 'orders'::regclass AND attname = 'customer_email'`);
  assert.equal(rows[0].type, 'citext');
  const valid = await target.client.query(`SELECT convalidated FROM pg_constraint WHERE conname = 'orders_customer'`);
  assert.equal(valid.rows[0].convalidated, true);
});

test('a UNIQUE key refuses an other-case duplicate on both; a _bin unique key accepts it on both', async () => {
  await assert.rejects(source.conn.query(`INSERT INTO people_general VALUES (9, 'ALICE@x.com', 'x', 'new')`), /Duplicate entry/);
  await assert.rejects(target.client.query(`INSERT INTO people_general VALUES (9, 'ALICE@x.com', 'x', 'new')`), /duplicate key value violates unique constraint/);
  await source.conn.query(`INSERT INTO codes_bin VALUES (9, 'ABC')`);
  await target.client.query(`INSERT INTO codes_bin VALUES (9, 'ABC')`);
  assert.deepEqual(await same(`SELECT id FROM codes_bin WHERE code = 'abc' ORDER BY id`), [['1']]);
  assert.deepEqual(await same(`SELECT id FROM codes_bin WHERE code LIKE 'b%' ORDER BY id`), [['3']]);
  await source.conn.query('DELETE FROM codes_bin WHERE id = 9');
  await target.client.query('DELETE FROM codes_bin WHERE id = 9');
});

test('lengths and enum members stay as strict as in MySQL', async () => {
  await assert.rejects(target.client.query(`INSERT INTO people_general VALUES (10, '${'a'.repeat(191)}', 'x', 'new')`), /check constraint/);
  // MySQL stores an enum member as declared, whatever the case it was given in: so do the rows here.
  await assert.rejects(target.client.query(`INSERT INTO people_general VALUES (10, 'z@x.com', 'x', 'PAID')`), /check constraint/);
});

test('accent folding is not kept by citext: the report names the column, the values and the weaker unique key', async () => {
  // One value to MySQL's =, two to citext's.
  assert.deepEqual(await onMysql(`SELECT COUNT(*) FROM words WHERE w = 'resume'`), [['2']]);
  assert.deepEqual(await onPostgres(`SELECT COUNT(*) FROM words WHERE w = 'resume'`), [['1']]);
  const words = report.notes.filter((n) => n.kind === 'collation' && n.table === 'words');
  assert.ok(words.some((n) => n.column === 'w' && n.what === "values one to MySQL, distinct in Postgres: 'resume' = 'résumé'"), JSON.stringify(words));
  const unique = report.notes.find((n) => n.kind === 'collation' && n.table === 'unique_words' && /UNIQUE w is weaker/.test(n.what));
  assert.ok(unique, JSON.stringify(report.notes.filter((n) => n.table === 'unique_words')));
  assert.match(unique.what, /Postgres will accept 'résumé' beside 'resume'.*, which MySQL refuses/);
  await assert.rejects(source.conn.query(`INSERT INTO unique_words VALUES (2, 'résumé')`), /Duplicate entry/);
  await target.client.query(`INSERT INTO unique_words VALUES (2, 'résumé')`);
  await target.client.query('DELETE FROM unique_words WHERE id = 2');
});

test('the plan names the mechanism; --collations exact gives today\'s exact comparison', async () => {
  const mechanism = report.notes.find((n) => n.kind === 'collation' && !n.table)!;
  assert.match(mechanism.what, /case-insensitive columns -> citext/);
  assert.match(mechanism.why, /Postgres 15: citext/);
  assert.ok(report.notes.some((n) => n.kind === 'type' && n.table === 'people_general' && n.column === 'email' && n.what === 'varchar(190) -> citext with CHECK char_length <= 190'));
  assert.deepEqual(await onPostgres(`SELECT id FROM people_general WHERE email = 'ALICE@X.COM'`, exact), []);
  const { rows } = await exact.client.query(`SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = 'people_general'::regclass AND attname = 'email'`);
  assert.equal(rows[0].type, 'character varying(190)');
});

test('--dry-run shows the DDL with the chosen type per column', async () => {
  // The exact target has no citext yet: the plan installs it.
  const dry = await runCli(['migrate', 'db', '--source', source.url, '--target', exact.url, '--schema', 'shop', '--dry-run', '--json', '--tables', 'people_general']);
  assert.equal(dry.code, 0, dry.stderr);
  const planned: MigrationReport = JSON.parse(dry.stdout);
  assert.ok(planned.ddl!.some((sql) => /"email" citext NOT NULL CONSTRAINT "people_general_email_check" CHECK \(char_length\("email"\) <= 190\)/.test(sql)), planned.ddl!.join('\n'));
  assert.ok(planned.ddl!.includes('CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA "public"'), planned.ddl!.join('\n'));
  assert.match(planned.notes.find((n) => n.kind === 'collation' && !n.table)!.why, /Postgres 15: citext available/);
});

test('verify compares the data exactly and finds parity', async () => {
  const result = await runCli(['migrate', 'verify', '--source', source.url, '--target', target.url, '--json']);
  assert.equal(result.code, 0, result.stdout.slice(0, 2000) + result.stderr);
});

test('verify sees a change of case alone, in a value and in a case-insensitive primary key', async () => {
  // Equal to citext's =, different bytes: verify compares what is stored, not what compares equal.
  await target.client.query(`UPDATE people_general SET name = 'ALICE' WHERE id = 1`);
  await target.client.query(`UPDATE tags SET name = 'zebra' WHERE name = 'Zebra'`);
  try {
    const result = await runCli(['migrate', 'verify', '--source', source.url, '--target', target.url, '--json']);
    assert.equal(result.code, 4, result.stderr);
    const found = JSON.parse(result.stdout).differences.map((d: { table: string; key: Record<string, string>; kind: string; columns: string[] }) => `${d.table} ${d.kind} ${JSON.stringify(d.key)} ${d.columns.join(',')}`).sort();
    assert.deepEqual(found, [
      'people_general changed {"id":"1"} name',
      'tags extra {"name":"zebra"} ',
      'tags missing {"name":"Zebra"} ',
    ]);
  } finally {
    await target.client.query(`UPDATE people_general SET name = 'alice' WHERE id = 1`);
    await target.client.query(`UPDATE tags SET name = 'Zebra' WHERE name = 'zebra'`);
  }
});

test('--collations rejects an unknown mode in one line', async () => {
  const result = await runCli(['migrate', 'db', '--source', source.url, '--target', target.url, '--collations', 'loose']);
  assert.equal(result.code, 2);
  assert.match(result.stderr.trim(), /^.*--collations must be preserve or exact$/m);
});

test('rollback drops the citext it installed, and keeps it once a table of the user\'s uses it', async () => {
  const own = await freshPostgres('collations_rollback');
  try {
    const types = async () => (await own.client.query("SELECT count(*)::int AS n FROM pg_extension WHERE extname = 'citext'")).rows[0].n;
    const migrate = () => runCli(['migrate', 'db', '--source', source.url, '--target', own.url, '--tables', 'people_general', '--json']);
    assert.equal((await migrate()).code, 0);
    assert.equal(await types(), 1);
    const rollback = await runCli(['migrate', 'rollback', '--target', own.url, '--yes', '--json']);
    assert.equal(rollback.code, 0, rollback.stdout + rollback.stderr);
    assert.equal(await types(), 0);

    // Installed by migrate db, then used by the user's own table: rollback takes only its tables.
    assert.equal((await migrate()).code, 0);
    await own.client.query('CREATE SCHEMA mine; CREATE TABLE mine.handles (h citext PRIMARY KEY); INSERT INTO mine.handles VALUES (\'Ann\')');
    const again = await runCli(['migrate', 'rollback', '--target', own.url, '--yes', '--json']);
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.equal(await types(), 1);
    assert.equal((await own.client.query("SELECT to_regclass('public.people_general') AS t")).rows[0].t, null);
    assert.deepEqual((await own.client.query("SELECT h FROM mine.handles WHERE h = 'ANN'")).rows, [{ h: 'Ann' }]);
  } finally {
    await own.drop();
  }
});
