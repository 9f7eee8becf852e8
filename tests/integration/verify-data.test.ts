// verifyData against a real migration: no false positives on the odd values, and exactly the rows
// changed in the target afterwards, with the right kinds and columns.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from 'vitest';
import { parseDsn } from '../../src/config/dsn.js';
import { connectMysql } from '../../src/migrate/db/mysql.js';
import { introspectMysql, profileTables } from '../../src/migrate/db/introspect.js';
import { planMigration } from '../../src/migrate/db/plan/plan.js';
import { DifferenceLog } from '../../src/migrate/verify/differences.js';
import { verifyData, type Difference, type VerifyOptions } from '../../src/migrate/verify/index.js';
import { planJob, targetColumnTypes, tasksOf } from '../../src/migrate/verify/jobs.js';
import { openSides, runTasks } from '../../src/migrate/verify/workers.js';
import { runCli } from '../helpers/cli.js';
import { freshMysql, freshPostgres, type MysqlDatabase, type PostgresDatabase } from '../helpers/databases.js';
import { loadSqlFile } from '../helpers/sql-file.js';

let source: MysqlDatabase;
let target: PostgresDatabase;
let options: VerifyOptions;

beforeAll(async () => {
  source = await freshMysql('verify');
  target = await freshPostgres('verify');
  await loadSqlFile(source.conn, 'tests/integration/fixtures/odd-values.sql');
  // A keyless table with a duplicate row, and a table spanning many key ranges with every hashed kind.
  await source.conn.query(`
    CREATE TABLE events (kind VARCHAR(20) NOT NULL, at DATETIME(6) NULL, amount DOUBLE NULL);
    INSERT INTO events VALUES ('click', '2024-01-01 10:00:00.000001', 0.1), ('click', '2024-01-01 10:00:00.000001', 0.1),
      ('click', '2024-01-01 10:00:00.000001', 0.1), ('view', NULL, NULL), ('buy', '2024-05-05 05:05:05', 1e300);
    CREATE TABLE ledger (id BIGINT NOT NULL PRIMARY KEY, note VARCHAR(40) NOT NULL, amount DECIMAL(12,3) NOT NULL,
      at TIMESTAMP(6) NULL, day DATE NOT NULL, flag TINYINT(1) NOT NULL, meta JSON NULL, ratio FLOAT NULL);
    INSERT INTO ledger
      SELECT seq, CONCAT('note ', seq), seq / 7, FROM_UNIXTIME(1700000000 + seq * 61.5), DATE_ADD('2020-01-01', INTERVAL seq % 1000 DAY),
             seq % 2, CONCAT('{"n": ', seq, ', "tags": ["a", "b"]}'), seq / 3
        FROM seq_1_to_25000;
  `);
  const result = await runCli(['migrate', 'db', '--source', source.url, '--target', target.url, '--json']);
  assert.equal(result.code, 0, result.stderr);
  options = {
    source: parseDsn(source.url, 'mysql', 'source'),
    target: parseDsn(target.url, 'postgres', 'target'),
    schema: 'public',
    jobs: 2,
  };
});

afterAll(async () => {
  await source?.drop();
  await target?.drop();
});

const brief = (d: Difference) => `${d.table} ${d.kind} ${JSON.stringify(d.key)} ${d.columns.join(',')}`;

test('a faithful migration verifies clean: no false positives, by-design changes counted apart', async () => {
  const report = await verifyData(options);
  assert.deepEqual(report.differences.map(brief), []);
  assert.equal(report.differencesTotal, 0);
  for (const table of report.tables) {
    assert.equal(table.status, 'ok', `${table.table}: ${table.error ?? ''}`);
    assert.equal(table.rowsSource, table.rowsTarget, table.table);
  }
  assert.equal(report.ok, true);
  const expected = Object.fromEntries(report.tables.filter((t) => t.expected > 0).map((t) => [t.table, t.expected]));
  // users: born and left_at zero dates, born '2024-00-10'; impossible_dates: two impossible dates;
  // texts: NUL in body, \u0000 in doc.
  assert.deepEqual(expected, { users: 3, impossible_dates: 2, texts: 2 });
  assert.equal(report.expectedDifferences, 7);
  assert.equal(report.tables.find((t) => t.table === 'ledger')!.rowsSource, 25000);
});

test('changes made in the target afterwards are found exactly', async () => {
  const pg = target.client;
  // Without the ON UPDATE CURRENT_TIMESTAMP trigger, which would change updated_at too.
  await pg.query(`SET session_replication_role = replica`);
  await pg.query(`UPDATE users SET email = 'changed@example.com' WHERE id = 3`);
  await pg.query(`SET session_replication_role = DEFAULT`);
  await pg.query(`DELETE FROM "order" WHERE id = 7`);
  await pg.query(`INSERT INTO categories (id, parent_id, name) VALUES (99, NULL, 'Extra')`);
  await pg.query(`UPDATE texts SET doc = '{"b": 2, "a": [1, 2, {"c": "é"}]}' WHERE id = 1`);
  await pg.query(`UPDATE wishlist_notes SET note = 'for my birthday' WHERE id = 1`); // same value: no difference
  await pg.query(`UPDATE ledger SET at = at + interval '1 microsecond' WHERE id = 12345`);
  await pg.query(`UPDATE wishlists SET added_at = added_at - interval '1 microsecond' WHERE user_id = 1 AND product_id = 5`);
  await pg.query(`UPDATE ledger SET ratio = ratio * 2 WHERE id = 20000`);
  await pg.query(`UPDATE numbers SET dbl = 0.30000000000000004 WHERE id = 4`);
  await pg.query(`DELETE FROM events WHERE ctid = (SELECT ctid FROM events WHERE kind = 'click' LIMIT 1)`);

  const report = await verifyData(options);
  assert.deepEqual(report.differences.map(brief).sort(), [
    'categories extra {"id":"99"} ',
    'events missing {"kind":"click","at":"2024-01-01 10:00:00.000001","amount":"0.1"} ',
    'ledger changed {"id":"12345"} at',
    'ledger changed {"id":"20000"} ratio',
    'numbers changed {"id":"4"} dbl',
    'order missing {"id":"7"} ',
    'texts changed {"id":"1"} doc',
    'users changed {"id":"3"} email',
    'wishlists changed {"user_id":"1","product_id":"5"} added_at',
  ]);
  assert.equal(report.differencesTotal, 9);
  assert.equal(report.ok, false);
  const status = Object.fromEntries(report.tables.map((t) => [t.table, t.status]));
  assert.equal(status.wishlist_notes, 'ok');
  assert.equal(status.users, 'different');
  assert.equal(report.tables.find((t) => t.table === 'events')!.rowsTarget, 4);
  // By-design changes are still counted, not reported.
  assert.equal(report.expectedDifferences, 7);
});

test('only the listed tables, at most maxDifferences listed, all counted', async () => {
  const report = await verifyData({ ...options, tables: ['users', 'order', 'categories'], maxDifferences: 1, jobs: 1 });
  assert.deepEqual(report.tables.map((t) => t.table).sort(), ['categories', 'order', 'users']);
  assert.equal(report.differences.length, 1);
  assert.equal(report.differencesTotal, 3);
});

test('DATETIME values are compared in the source time zone the migration used', async () => {
  const zoned = await freshPostgres('verify_zone');
  try {
    const result = await runCli(['migrate', 'db', '--source', source.url, '--target', zoned.url, '--tables', 'users,wishlists', '--source-timezone', 'Asia/Kolkata', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const zonedOptions = { ...options, target: parseDsn(zoned.url, 'postgres', 'target'), tables: ['users', 'wishlists'] };

    const right = await verifyData({ ...zonedOptions, sourceTimezone: 'Asia/Kolkata' });
    assert.deepEqual(right.differences.map(brief), []);
    assert.equal(right.ok, true);

    // Read as UTC, every wall-clock DATETIME is 5:30 off; TIMESTAMP columns (wishlists) are not affected.
    const wrong = await verifyData(zonedOptions);
    assert.deepEqual(wrong.differences.map(brief), [
      'users changed {"id":"1"} created_at,updated_at',
      'users changed {"id":"2"} created_at,updated_at',
      'users changed {"id":"3"} created_at,updated_at,left_at',
    ]);
    assert.equal(wrong.tables.find((t) => t.table === 'wishlists')!.status, 'ok');

    await assert.rejects(verifyData({ ...zonedOptions, sourceTimezone: 'Mars/Olympus_Mons' }), /time zone "Mars\/Olympus_Mons"/);
  } finally {
    await zoned.drop();
  }
});

test('text framing: a separator moved between values, or a "\\N" text against NULL, changes the range digest', async () => {
  // Made by hand on both sides, and only differences that unframed texts would hide: were the digests
  // equal, the rows would never be compared one by one.
  await source.conn.query(`CREATE TABLE frames (id INT PRIMARY KEY, a VARCHAR(10) NOT NULL, b VARCHAR(10) NULL);
    INSERT INTO frames VALUES (1, 'x', CONCAT('y', CHAR(31), 'z')), (2, '', '\\\\N'), (3, 'p', NULL), (4, '', '')`);
  await target.client.query(`CREATE TABLE frames (id integer PRIMARY KEY, a text NOT NULL, b text NULL);
    INSERT INTO frames VALUES (1, 'x' || chr(31) || 'y', 'z'), (2, '', NULL), (3, 'p', NULL), (4, '', '')`);
  try {
    const report = await verifyData({ ...options, tables: ['frames'] });
    assert.deepEqual(report.differences.map(brief), ['frames changed {"id":"1"} a,b', 'frames changed {"id":"2"} b']);
  } finally {
    await source.conn.query('DROP TABLE frames');
    await target.client.query('DROP TABLE frames');
  }
});

test('a table missing from the target is an error for that table only', async () => {
  await target.client.query('ALTER TABLE latin RENAME TO latin_gone');
  try {
    const report = await verifyData({ ...options, tables: ['latin', 'categories'] });
    const latin = report.tables.find((t) => t.table === 'latin')!;
    assert.equal(latin.status, 'error');
    assert.match(latin.error!, /does not exist in the target/);
    assert.equal(report.tables.find((t) => t.table === 'categories')!.status, 'different');
    assert.equal(report.ok, false);
  } finally {
    await target.client.query('ALTER TABLE latin_gone RENAME TO latin');
  }
});

test('a table that fails mid-way is an error; the worker reconnects and verifies the next table', async () => {
  const mysql = await connectMysql(options.source);
  const catalog = await introspectMysql(mysql, options.source.database, { tables: ['users'] });
  await profileTables([mysql], catalog.tables);
  await mysql.end();
  const [users] = planMigration(catalog, { schema: 'public' }).tables;
  const workers = [await openSides(options.source, options.target)];
  try {
    const types = await targetColumnTypes(workers[0].postgres, 'public');
    const gone = planJob({ ...users, sourceName: 'no_such_table' }, 'public', types.get('users'), 'UTC');
    const fine = planJob(users, 'public', types.get('users'), 'UTC');
    const log = new DifferenceLog(10);
    await runTasks(workers, [...tasksOf(gone, users), ...tasksOf(fine, users)], log, options);
    assert.equal(gone.result.status, 'error');
    assert.match(gone.result.error!, /no_such_table/);
    assert.equal(fine.result.status, 'ok');
    assert.equal(fine.result.rowsSource, 3);
  } finally {
    await Promise.all(workers.map(async (w) => { await w.mysql.end(); await w.postgres.end(); }));
  }
});
