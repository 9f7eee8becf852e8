// Options that change what arrives: --schema, --tables/--exclude, --schema-only/--data-only,
// --source-timezone and --type-map.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, test } from 'vitest';
import type { MigrationReport } from '../../src/report/model.js';
import { runCli } from '../helpers/cli.js';
import { freshMysql, freshPostgres, type MysqlDatabase, type PostgresDatabase } from '../helpers/databases.js';

let source: MysqlDatabase;
let target: PostgresDatabase;

beforeAll(async () => {
  source = await freshMysql('options');
  target = await freshPostgres('options');
  await source.conn.query(`CREATE TABLE events (id INT PRIMARY KEY, at DATETIME NOT NULL, stamp TIMESTAMP NULL, flag TINYINT(1) NOT NULL DEFAULT 0)`);
  await source.conn.query("SET time_zone = '+00:00'");
  await source.conn.query("INSERT INTO events VALUES (1, '2024-01-01 12:00:00', '2024-01-01 12:00:00', 1), (2, '2024-07-01 00:30:00', NULL, 0)");
  await source.conn.query('CREATE TABLE skipped (id INT PRIMARY KEY)');
  await source.conn.query('CREATE TABLE logs (id INT PRIMARY KEY, event_id INT NOT NULL, CONSTRAINT fk_logs_event FOREIGN KEY (event_id) REFERENCES events (id))');
  await source.conn.query('INSERT INTO logs VALUES (1, 1), (2, 1)');
  // A log whose event was deleted while foreign-key checks were off.
  await source.conn.query('SET FOREIGN_KEY_CHECKS = 0');
  await source.conn.query('INSERT INTO logs VALUES (3, 99)');
  await source.conn.query('SET FOREIGN_KEY_CHECKS = 1');
});

afterAll(async () => {
  await source?.drop();
  await target?.drop();
});

const migrate = async (...args: string[]) => {
  const result = await runCli(['migrate', 'db', '--source', source.url, '--target', target.url, '--json', ...args]);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as MigrationReport;
};

test('--schema, --exclude and --source-timezone: DATETIME is read as wall-clock time in that zone', async () => {
  const report = await migrate('--schema', 'Lagos Shop', '--exclude', 'skipped', '--source-timezone', 'Africa/Lagos');
  assert.deepEqual(report.tables.map((t) => t.name).sort(), ['events', 'logs']);
  const { rows } = await target.client.query(`SELECT id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS at, to_char(stamp AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS stamp FROM "Lagos Shop".events ORDER BY id`);
  // Lagos is UTC+1 all year; TIMESTAMP values are stored in UTC by MySQL and are not shifted.
  assert.deepEqual(rows, [
    { id: 1, at: '2024-01-01 11:00', stamp: '2024-01-01 12:00' },
    { id: 2, at: '2024-06-30 23:30', stamp: null },
  ]);
  const fk = await target.client.query(`SELECT confrelid::regclass::text AS ref FROM pg_constraint WHERE conname = 'fk_logs_event'`);
  assert.deepEqual(fk.rows, [{ ref: '"Lagos Shop".events' }]);
});

test('--schema-only then --data-only: same result as one run, FKs already in place', async () => {
  const schemaOnly = await migrate('--schema', 'split', '--tables', 'events,logs', '--schema-only');
  assert.ok(schemaOnly.tables.every((t) => t.status === 'schema-only' && t.rowsWritten === 0));
  assert.equal((await target.client.query('SELECT count(*)::int AS n FROM split.events')).rows[0].n, 0);
  const dataOnly = await migrate('--schema', 'split', '--tables', 'events,logs', '--data-only');
  assert.deepEqual(Object.fromEntries(dataOnly.tables.map((t) => [t.name, t.rowsWritten])), { events: 2, logs: 3 });
  // Loaded with the existing foreign keys' triggers off, then checked: the orphan is kept and reported.
  assert.deepEqual(dataOnly.notes.filter((n) => n.kind === 'constraint').map((n) => `${n.table}: ${n.what}`), ['logs: 1 rows break foreign key fk_logs_event']);
  const { rows } = await target.client.query('SELECT e.id, count(l.id)::int AS logs FROM split.events e LEFT JOIN split.logs l ON l.event_id = e.id GROUP BY e.id ORDER BY e.id');
  assert.deepEqual(rows, [{ id: 1, logs: 2 }, { id: 2, logs: 0 }]);
});

test('--type-map overrides types per column and per source type, noted in the report', async () => {
  const file = path.join(os.tmpdir(), `type-map-${process.pid}.json`);
  await writeFile(file, JSON.stringify({ columns: { 'events.flag': 'smallint' }, types: { datetime: 'timestamp' } }));
  const report = await migrate('--schema', 'mapped', '--tables', 'events', '--type-map', file);
  const { rows } = await target.client.query(`SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'mapped' AND table_name = 'events' ORDER BY ordinal_position`);
  assert.deepEqual(rows.map((r) => `${r.column_name}:${r.data_type}`), ['id:integer', 'at:timestamp without time zone', 'stamp:timestamp with time zone', 'flag:smallint']);
  const values = await target.client.query('SELECT at::text, flag FROM mapped.events ORDER BY id');
  assert.deepEqual(values.rows, [{ at: '2024-01-01 12:00:00', flag: 1 }, { at: '2024-07-01 00:30:00', flag: 0 }]);
  assert.ok(report.notes.some((n) => n.column === 'flag' && n.why === 'set by --type-map'));

  // verify is not given --type-map: it holds the target to the types the migration recorded.
  const verify = () => runCli(['migrate', 'verify', '--source', source.url, '--target', target.url, '--schema', 'mapped', '--tables', 'events', '--json']);
  const verified = await verify();
  assert.deepEqual(JSON.parse(verified.stdout).schemaProblems, []);
  assert.equal(verified.code, 0, verified.stdout);
  // A column changed in the source since is held to what the migration would plan for it now.
  await source.conn.query('ALTER TABLE events MODIFY flag TINYINT(1) NULL DEFAULT 0');
  const drifted = await verify();
  assert.equal(drifted.code, 4);
  assert.deepEqual(JSON.parse(drifted.stdout).schemaProblems.map((p: { what: string }) => p.what), ['column flag is smallint, planned boolean', 'column flag is NOT NULL, planned nullable', 'column flag defaults to 0, planned false']);
  await source.conn.query('ALTER TABLE events MODIFY flag TINYINT(1) NOT NULL DEFAULT 0');

  await writeFile(file, JSON.stringify({ colums: {} }));
  const bad = await runCli(['migrate', 'db', '--source', source.url, '--target', target.url, '--type-map', file]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--type-map: .*type-map-\d+\.json: top level Unrecognized key: "colums"/);
});
