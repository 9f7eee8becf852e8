// verifyData on tables keyed by composite and non-integer primary keys: compared by key tuple ranges
// (many ranges per table here), in byte order on both sides whatever MySQL's collation, so that keys
// differing only in case or trailing spaces land in the same range on both sides; planted changes are
// found exactly, with their whole key.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from 'vitest';
import { parseDsn } from '../../src/config/dsn.js';
import { introspectMysql, profileTables } from '../../src/migrate/db/introspect.js';
import { planMigration } from '../../src/migrate/db/plan/plan.js';
import { verifyData, type Difference, type VerifyOptions } from '../../src/migrate/verify/index.js';
import { connectMysql } from '../../src/migrate/db/mysql.js';
import { planJob, targetColumnTypes } from '../../src/migrate/verify/jobs.js';
import { readSourceFacts } from '../../src/migrate/verify/source-facts.js';
import { DifferenceLog } from '../../src/migrate/verify/differences.js';
import { verifyKeysetRange, type KeysetJob } from '../../src/migrate/verify/keyset-compare.js';
import { closeSides, openSides } from '../../src/migrate/verify/workers.js';
import { WHOLE_KEYSET } from '../../src/migrate/db/keyset.js';
import { runCli } from '../helpers/cli.js';
import { freshMysql, freshPostgres, type MysqlDatabase, type PostgresDatabase } from '../helpers/databases.js';

let source: MysqlDatabase;
let target: PostgresDatabase;
let options: VerifyOptions;

beforeAll(async () => {
  source = await freshMysql('verify_keyset');
  target = await freshPostgres('verify_keyset');
  await source.conn.query(`
    -- Led by an integer, then a date: cut evenly on emp_no.
    CREATE TABLE salaries (emp_no INT NOT NULL, from_date DATE NOT NULL, salary INT NOT NULL, to_date DATE NOT NULL, PRIMARY KEY (emp_no, from_date));
    INSERT INTO salaries SELECT 10000 + seq DIV 8, DATE_ADD('1990-01-01', INTERVAL seq % 8 YEAR), 40000 + seq % 997, DATE_ADD('1991-01-01', INTERVAL seq % 8 YEAR) FROM seq_0_to_29999;
    -- Led by a case-insensitive char code: cut at sampled keys.
    CREATE TABLE dept_emp (dept_no CHAR(4) NOT NULL, emp_no INT NOT NULL, from_date DATE NOT NULL, PRIMARY KEY (dept_no, emp_no)) COLLATE utf8mb4_general_ci;
    INSERT INTO dept_emp SELECT CONCAT('d', LPAD(seq % 9, 3, '0')), seq, DATE_ADD('1990-01-01', INTERVAL seq % 3000 DAY) FROM seq_1_to_25000;
    -- Text in the middle of the key, its values differing only in case or trailing spaces (a binary collation, no padding).
    CREATE TABLE titles (emp_no INT NOT NULL, title VARCHAR(50) COLLATE utf8mb4_nopad_bin NOT NULL, from_date DATE NOT NULL, to_date DATE NULL, PRIMARY KEY (emp_no, title, from_date));
    INSERT INTO titles SELECT seq DIV 4, ELT(seq % 4 + 1, 'Engineer', 'engineer', 'Engineer ', 'ENGINEER'), DATE_ADD('2000-01-01', INTERVAL seq % 5 DAY), NULL FROM seq_0_to_23999;
    -- Keyed by a case-insensitive varchar only: every row of 'Ab…', 'aB…' and 'ab…' sorts apart in bytes, together in MySQL's collation.
    CREATE TABLE users (login VARCHAR(40) NOT NULL PRIMARY KEY, name VARCHAR(40) NOT NULL) COLLATE utf8mb4_unicode_ci;
    INSERT INTO users SELECT CONCAT(ELT(seq % 5 + 1, 'Ab', 'aB', 'zz', 'ÄÖ', '_%'), seq), CONCAT('user ', seq) FROM seq_1_to_22000;
    -- Keyed by a UUID string and by a date and time.
    CREATE TABLE sessions (id CHAR(36) NOT NULL PRIMARY KEY, started DATETIME NOT NULL, UNIQUE KEY (started));
    INSERT INTO sessions SELECT LOWER(CONCAT(LPAD(HEX(CRC32(seq)), 8, '0'), '-', LPAD(HEX(seq), 4, '0'), '-4000-8000-', LPAD(HEX(seq * 7919), 12, '0'))), DATE_ADD('2024-01-01', INTERVAL seq MINUTE) FROM seq_1_to_21000;
    CREATE TABLE readings (at DATETIME(3) NOT NULL, sensor VARBINARY(4) NOT NULL, value INT NOT NULL, PRIMARY KEY (at, sensor));
    INSERT INTO readings SELECT DATE_ADD('2024-01-01', INTERVAL seq DIV 2 SECOND) + INTERVAL (seq % 2) * 250000 MICROSECOND, UNHEX(LPAD(HEX(seq % 3), 8, '0')), seq FROM seq_1_to_20000;
    ANALYZE TABLE salaries, dept_emp, titles, users, sessions, readings;
  `);
  const result = await runCli(['migrate', 'db', '--source', source.url, '--target', target.url, '--json']);
  assert.equal(result.code, 0, result.stderr);
  options = { source: parseDsn(source.url, 'mysql', 'source'), target: parseDsn(target.url, 'postgres', 'target'), schema: 'public', jobs: 2 };
});

afterAll(async () => {
  await source?.drop();
  await target?.drop();
});

const brief = (d: Difference) => `${d.table} ${d.kind} ${JSON.stringify(d.key)} ${d.columns.join(',')}`;

test('every composite and text-keyed table is cut into key ranges rather than compared as a multiset', async () => {
  const conn = await connectMysql(options.source);
  try {
    const catalog = await introspectMysql(conn, source.name);
    await profileTables([conn], catalog.tables);
    const plan = planMigration(catalog, { schema: 'public' });
    const types = await targetColumnTypes(target.client, 'public');
    const facts = await readSourceFacts(conn, plan.tables, types);
    const keys = Object.fromEntries(
      plan.tables.map((t) => [t.name, planJob(t, 'public', types.get(t.name), 'UTC', facts.get(t.name)).keyset?.columns.map((c) => `${c.name}:${c.kind}`).join(',') ?? null]),
    );
    assert.deepEqual(keys, {
      salaries: 'emp_no:integer,from_date:date',
      dept_emp: 'dept_no:text,emp_no:integer',
      titles: 'emp_no:integer,title:text,from_date:date',
      users: 'login:text',
      sessions: 'id:text',
      readings: 'at:datetime,sensor:binary',
    });
  } finally {
    await conn.end();
  }
});

test('a faithful migration verifies clean, row counts whole', async () => {
  const report = await verifyData(options);
  assert.deepEqual(report.differences.map(brief), []);
  const rows = Object.fromEntries(report.tables.map((t) => [t.table, [t.status, t.rowsSource, t.rowsTarget]]));
  assert.deepEqual(rows, {
    salaries: ['ok', 30000, 30000], dept_emp: ['ok', 25000, 25000], titles: ['ok', 24000, 24000],
    users: ['ok', 22000, 22000], sessions: ['ok', 21000, 21000], readings: ['ok', 20000, 20000],
  });
});

test('planted changes are found exactly, keys differing only in case or trailing spaces told apart', async () => {
  const pg = target.client;
  await pg.query(`UPDATE salaries SET salary = salary + 1 WHERE emp_no = 12345 AND from_date = '1991-01-01'`);
  await pg.query(`UPDATE dept_emp SET from_date = from_date + 1 WHERE dept_no = 'd004' AND emp_no = 13000`);
  // 'Engineer ' (trailing space) changes; 'Engineer' and 'engineer' of the same employee do not.
  await pg.query(`UPDATE titles SET to_date = '2001-01-01' WHERE emp_no = 4000 AND title = 'Engineer ' AND from_date = '2000-01-03'`);
  await pg.query(`DELETE FROM titles WHERE emp_no = 5000 AND title = 'ENGINEER'`);
  // users.login became citext, which refuses 'AB16' beside 'aB16' as MySQL does; an accent it does not fold:
  // a new row in bytes and in citext, a duplicate only in MySQL's collation.
  await assert.rejects(pg.query(`INSERT INTO users VALUES ('AB16', 'intruder')`), /users_pkey/);
  await pg.query(`INSERT INTO users VALUES ('áB16', 'intruder')`);
  await pg.query(`UPDATE users SET name = 'renamed' WHERE login = 'aB21001'`);
  await pg.query(`UPDATE sessions SET started = started + interval '1 second' WHERE id = (SELECT min(id COLLATE "C") FROM sessions)`);
  await pg.query(`DELETE FROM readings WHERE at = '2024-01-01 01:00:01.25+00' AND sensor = '\\x00000000'`);
  const { rows: [first] } = await pg.query<{ id: string }>('SELECT min(id COLLATE "C") AS id FROM sessions');

  const report = await verifyData(options);
  assert.deepEqual(report.differences.map(brief).sort(), [
    'dept_emp changed {"dept_no":"d004","emp_no":"13000"} from_date',
    'readings missing {"at":"2024-01-01 01:00:01.250000","sensor":"00000000"} ',
    'salaries changed {"emp_no":"12345","from_date":"1991-01-01"} salary',
    `sessions changed {"id":"${first.id}"} started`,
    'titles changed {"emp_no":"4000","title":"Engineer ","from_date":"2000-01-03"} to_date',
    'titles missing {"emp_no":"5000","title":"ENGINEER","from_date":"2000-01-04"} ',
    'users changed {"login":"aB21001"} name',
    'users extra {"login":"áB16"} ',
  ]);
  assert.equal(report.differencesTotal, 8);
  assert.equal(report.ok, false);
});

test('a table the plan cannot range (no primary key) is still compared as a multiset', async () => {
  await source.conn.query(`CREATE TABLE log (line VARCHAR(20) NOT NULL); INSERT INTO log VALUES ('a'), ('a'), ('B')`);
  await target.client.query(`CREATE TABLE log (line varchar(20) NOT NULL); INSERT INTO log VALUES ('a'), ('B'), ('B')`);
  const report = await verifyData({ ...options, tables: ['log'] });
  assert.deepEqual(report.differences.map(brief).sort(), ['log extra {"line":"B"} ', 'log missing {"line":"a"} ']);
});

test('halving a differing range down to small leaves finds the same rows: text keys in byte order, from either side', async () => {
  // Its own tables: the source's case-insensitive codes, the target made alike by hand, then changed.
  await source.conn.query(`
    CREATE TABLE halving (code VARCHAR(10) NOT NULL, n INT NOT NULL, v INT NOT NULL, PRIMARY KEY (code, n)) COLLATE utf8mb4_general_ci;
    INSERT INTO halving SELECT ELT(1 + seq % 4, 'a', 'B', 'b_', 'C'), seq, seq FROM seq_1_to_30000;
  `);
  const pg = target.client;
  await pg.query(`CREATE TABLE halving (code varchar(10) NOT NULL, n integer NOT NULL, v integer NOT NULL, PRIMARY KEY (code, n));
    INSERT INTO halving SELECT (ARRAY['a', 'B', 'b_', 'C'])[1 + s % 4], s, s FROM generate_series(1, 30000) s;
    UPDATE halving SET v = 0 WHERE n IN (17, 29998);
    DELETE FROM halving WHERE n = 15001;
    INSERT INTO halving VALUES ('b', 5, 5), ('A', 1, 1);`);
  const conn = await connectMysql(options.source);
  const sides = await openSides(options.source, options.target);
  try {
    const catalog = await introspectMysql(conn, source.name, { tables: ['halving'] });
    await profileTables([conn], catalog.tables);
    const [table] = planMigration(catalog, { schema: 'public' }).tables;
    const types = await targetColumnTypes(pg, 'public');
    const facts = await readSourceFacts(conn, [table], types);
    const job = planJob(table, 'public', types.get('halving'), 'UTC', facts.get('halving'));
    const log = new DifferenceLog(100);
    await verifyKeysetRange(job as KeysetJob, sides, WHOLE_KEYSET, log, 64);
    assert.deepEqual(log.kept.map(brief).sort(), [
      'halving changed {"code":"B","n":"17"} v',
      'halving changed {"code":"b_","n":"29998"} v',
      'halving extra {"code":"A","n":"1"} ',
      'halving extra {"code":"b","n":"5"} ',
      'halving missing {"code":"B","n":"15001"} ',
    ]);
    assert.deepEqual([job.result.rowsSource, job.result.rowsTarget], [30000, 30001]);
  } finally {
    await closeSides(sides);
    await conn.end();
  }
});

test('a text-keyed table left empty in the target: every source row reported missing, counted once', async () => {
  await source.conn.query(`CREATE TABLE emptied (code VARCHAR(12) NOT NULL PRIMARY KEY) COLLATE utf8mb4_general_ci;
    INSERT INTO emptied SELECT CONCAT(ELT(1 + seq % 3, 'x', 'Y', 'z'), seq) FROM seq_1_to_25000; ANALYZE TABLE emptied;`);
  await target.client.query('CREATE TABLE emptied (code varchar(12) NOT NULL PRIMARY KEY)');
  const report = await verifyData({ ...options, tables: ['emptied'], maxDifferences: 3 });
  assert.equal(report.differencesTotal, 25000);
  assert.deepEqual(report.differences.map((d) => d.kind), ['missing', 'missing', 'missing']);
  assert.deepEqual(report.tables.map((t) => [t.rowsSource, t.rowsTarget]), [[25000, 0]]);
});
