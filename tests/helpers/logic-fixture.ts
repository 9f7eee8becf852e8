// The database-logic tests' common ground: a MariaDB database built from statements and migrated with
// `migrate db` into a fresh Postgres, and values made comparable across the two drivers.
import assert from 'node:assert/strict';
import type { MigrationReport } from '../../src/report/model.js';
import { runCli } from './cli.js';
import { freshMysql, freshPostgres, type MysqlDatabase, type PostgresDatabase } from './databases.js';

export async function migratedFixture(label: string, statements: string[]): Promise<{ source: MysqlDatabase; target: PostgresDatabase; report: MigrationReport }> {
  const source = await freshMysql(label);
  const target = await freshPostgres(label);
  for (const sql of statements) await source.conn.query(sql);
  const result = await runCli(['migrate', 'db', '--source', source.url, '--target', target.url, '--json']);
  assert.equal(result.code, 0, result.stderr);
  return { source, target, report: JSON.parse(result.stdout) as MigrationReport };
}

/** A value as comparable plain data: booleans as MySQL's 0/1, numbers by value, times only as present. */
export function probeValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return 'a time';
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return value;
}
