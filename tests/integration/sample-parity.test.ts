// The bundled legacy shop, with every odd value it holds, migrates and then matches MySQL row for row;
// the only differences are the values the report lists as changed.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from 'vitest';
import { seedLegacyDatabase } from '../../scripts/seed-mysql.js';
import type { MigrationReport } from '../../src/report/model.js';
import { runCli } from '../helpers/cli.js';
import { compareDatabases } from '../helpers/compare.js';
import { freshMysql, freshPostgres, MYSQL_ADMIN_URL, type MysqlDatabase, type PostgresDatabase } from '../helpers/databases.js';

let source: MysqlDatabase;
let target: PostgresDatabase;
let report: MigrationReport;

beforeAll(async () => {
  source = await freshMysql('sample');
  target = await freshPostgres('sample');
  await seedLegacyDatabase(MYSQL_ADMIN_URL, source.name);
  const result = await runCli(['migrate', 'db', '--source', source.url, '--target', target.url, '--json']);
  assert.equal(result.code, 0, result.stderr);
  report = JSON.parse(result.stdout);
});

afterAll(async () => {
  await source?.drop();
  await target?.drop();
});

test('every table of the sample arrives complete', () => {
  assert.equal(report.outcome, 'success');
  assert.deepEqual(report.errors, []);
  assert.ok(report.tables.length >= 30);
  for (const t of report.tables) assert.equal(t.rowsWritten, t.rowsRead, t.name);
});

test('row for row the same data; every difference is a value the report lists', async () => {
  const comparison = await compareDatabases({ mysqlUrl: source.url, postgresUrl: target.url });
  const mismatches = comparison.tables.flatMap((t) => t.mismatches.map((m) => `${t.table} ${JSON.stringify(m)}`));
  assert.deepEqual(mismatches, []);
  assert.ok(comparison.ok);
  assert.equal(comparison.expectedDifferences > 0, true, 'the sample holds values Postgres cannot hold');
  // Each expected difference the comparison finds is one value the migration reported.
  const found = Object.fromEntries(comparison.tables.filter((t) => t.expectedDifferences).map((t) => [t.table, t.expectedDifferences]));
  const listed: Record<string, number> = {};
  for (const v of report.valueChanges) listed[v.table!] = (listed[v.table!] ?? 0) + 1;
  assert.deepEqual(found, listed);
});

test('migrate verify agrees: parity on the sample, with every odd value, and no false positive', async () => {
  const result = await runCli(['migrate', 'verify', '--source', source.url, '--target', target.url, '--json']);
  assert.equal(result.code, 0, result.stdout.slice(0, 2000) + result.stderr);
  const verified = JSON.parse(result.stdout);
  assert.deepEqual(verified.differences, []);
  assert.deepEqual(verified.schemaProblems, []);
  assert.equal(verified.expectedDifferences, report.valueChanges.length, 'each value the migration changed, and only those');
});
