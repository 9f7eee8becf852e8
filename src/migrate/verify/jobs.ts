// What to do per table: how each column is compared, whether the table is cut into key ranges or
// compared as a multiset, and the tasks that follow from it.
import type pg from 'pg';
import { MYSQL_INTEGER_TYPES as INTEGER_TYPES, splitKeyRange, type KeyRange, type KeysetRange, type TargetTable } from '../db/index.js';
import type { TableJob } from './keyed.js';
import { renderColumn, streamed } from './column-comparison.js';
import type { TargetColumnType } from './model.js';
import type { SourceFacts } from './source-facts.js';
import { tableNames } from './sql.js';
import { keysetOf, type Keyset } from './keyset.js';

/** About this many rows per in-database summary: small enough to bisect cheaply, big enough to be few. */
export const ROWS_PER_RANGE = 10_000;
/** About this many rows per piece of the streaming pass, so several workers share a big table. */
const ROWS_PER_STREAM = 100_000;

export interface Job extends TableJob {
  /** Any other primary key: the table is cut into key tuple ranges (keyset-compare.ts). */
  keyset: Keyset | null;
  rowEstimate: number;
  rangesLeft: number;
  /** The pieces of the streaming pass over the columns compared outside the databases (run in parallel). */
  streamRanges: KeyRange[];
  tasksLeft: number;
  started: number | null;
}

/** 'columns': the pass over the columns compared outside the databases, once the table's ranges are settled. */
export type Task =
  | { kind: 'range' | 'columns'; job: Job; range: KeyRange }
  | { kind: 'multiset'; job: Job }
  /** Choosing a keyset table's ranges, which then join the queue. */
  | { kind: 'keyset-plan'; job: Job }
  | { kind: 'keyset'; job: Job; range: KeysetRange };

/** The target's real column types, by table and column. */
export async function targetColumnTypes(client: pg.Client, schema: string): Promise<Map<string, Map<string, TargetColumnType>>> {
  const { rows } = await client.query<{ table_name: string; column_name: string; udt_name: string; numeric_scale: number | null; is_nullable: string }>(
    'SELECT table_name, column_name, udt_name, numeric_scale, is_nullable FROM information_schema.columns WHERE table_schema = $1',
    [schema],
  );
  const tables = new Map<string, Map<string, TargetColumnType>>();
  for (const r of rows) {
    const columns = tables.get(r.table_name) ?? tables.set(r.table_name, new Map()).get(r.table_name)!;
    columns.set(r.column_name, { udt: r.udt_name, scale: r.numeric_scale, nullable: r.is_nullable === 'YES' });
  }
  for (const [table, column] of await byteOrderColumns(client, schema)) {
    const type = tables.get(table)?.get(column);
    if (type) type.byteOrder = true;
  }
  return tables;
}

/** libc locales whose collation is the order of the UTF-8 bytes (code points). */
const BYTE_ORDER_LOCALES = /^(C|POSIX|C\.UTF-?8)$/i;

/** Target text columns whose collation (their own, or the database's default) orders by bytes. */
async function byteOrderColumns(client: pg.Client, schema: string): Promise<[string, string][]> {
  // datlocprovider is new in Postgres 15; before it every default collation was libc's.
  const provider = (await client.query("SELECT 1 FROM pg_attribute WHERE attrelid = 'pg_database'::regclass AND attname = 'datlocprovider'")).rowCount ? 'datlocprovider' : "'c'";
  const { rows } = await client.query<{ table_name: string; column_name: string; locale: string | null }>(
    `SELECT cl.relname AS table_name, a.attname AS column_name,
       CASE WHEN co.collprovider = 'd' THEN (SELECT CASE WHEN ${provider} = 'c' THEN datcollate END FROM pg_database WHERE datname = current_database())
            WHEN co.collprovider = 'c' THEN co.collcollate END AS locale
     FROM pg_attribute a JOIN pg_class cl ON cl.oid = a.attrelid JOIN pg_namespace n ON n.oid = cl.relnamespace
     JOIN pg_collation co ON co.oid = a.attcollation
     WHERE n.nspname = $1 AND a.attnum > 0 AND NOT a.attisdropped`,
    [schema],
  );
  return rows.filter((r) => r.locale !== null && BYTE_ORDER_LOCALES.test(r.locale)).map((r) => [r.table_name, r.column_name]);
}

/** The comparison of one table, or a result with status 'error' when the target cannot be compared. */
export function planJob(table: TargetTable, schema: string, types: Map<string, TargetColumnType> | undefined, sourceTimezone: string, facts?: SourceFacts): Job {
  const result = { table: table.name, rowsSource: 0, rowsTarget: 0, status: 'ok' as const, differences: 0, expected: 0, seconds: 0 };
  const job: Job = {
    names: tableNames(table.sourceName, schema, table.name), renders: [], key: null, keyset: null, rowEstimate: table.rowEstimate, primaryKey: table.primaryKey, result, compared: [],
    rangesLeft: 0, streamRanges: [], tasksLeft: 0, started: null,
  };
  const fail = (error: string): Job => {
    Object.assign(job.result, { status: 'error', error });
    return job;
  };
  if (!types) return fail(`table ${schema}.${table.name} does not exist in the target`);
  const missing = table.columns.filter((c) => !types.has(c.name)).map((c) => c.name);
  if (missing.length) return fail(`column(s) ${missing.join(', ')} of ${table.name} do not exist in the target`);

  job.renders = table.columns.map((c) => renderColumn(c, types.get(c.name)!, sourceTimezone, facts));
  const key = table.primaryKey.length === 1 ? table.columns.find((c) => c.name === table.primaryKey[0]) : undefined;
  const keyType = key && types.get(key.name)!;
  // Keys are cut into ranges and merged as numbers: only integers on both sides qualify.
  const integerTarget = keyType && (['int2', 'int4', 'int8'].includes(keyType.udt) || (keyType.udt === 'numeric' && keyType.scale === 0));
  if (key && INTEGER_TYPES.has(key.source.dataType) && integerTarget) job.key = { source: key.source.name, target: key.name };
  else job.keyset = keysetOf(table, types, sourceTimezone, facts?.utf8Columns ?? new Set());
  return job;
}

export function tasksOf(job: Job, table: TargetTable): Task[] {
  if (job.result.status === 'error') return [];
  if (job.keyset) return [{ kind: 'keyset-plan', job }];
  if (!job.key) return [{ kind: 'multiset', job }];
  // An empty source table has no key range, but the target may still hold rows: one open range.
  const ranges = table.keyRange ? splitKeyRange(table.keyRange.min, table.keyRange.max, table.rowEstimate, ROWS_PER_RANGE) : [{ from: null, to: null }];
  job.rangesLeft = ranges.length;
  job.streamRanges = table.keyRange ? splitKeyRange(table.keyRange.min, table.keyRange.max, table.rowEstimate, ROWS_PER_STREAM) : [{ from: null, to: null }];
  return ranges.map((range) => ({ kind: 'range', job, range }));
}

/**
 * Tables with columns compared outside the databases end in one long streaming pass, which runs
 * alongside other tables' ranges only if their own ranges come first; then biggest first.
 */
export function queueOrder(a: { job: Job; table: TargetTable }, b: { job: Job; table: TargetTable }): number {
  const streams = (job: Job) => (job.renders.some(streamed) ? 1 : 0);
  return streams(b.job) - streams(a.job) || b.table.rowEstimate - a.table.rowEstimate;
}
