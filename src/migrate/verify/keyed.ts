// Tables with a single integer key: per key range, a count and a hash sum computed inside each database;
// ranges that differ are bisected down to a few rows, which are then read and compared one by one.
// Columns the databases cannot render alike are compared afterwards by streaming just the key and them.
import type pg from 'pg';
import type { KeyRange } from '../db/chunks.js';
import type { MysqlConnection } from '../db/mysql.js';
import { bisect, emptySummary, type BisectOps, type RangeSummary } from './bisect.js';
import type { DifferenceLog } from './differences.js';
import { differingColumns, mergeByKey, sourceValue } from './merge.js';
import type { ColumnRender } from './render.js';
import { mysqlRows, postgresRows, streamMysql, streamPostgres, type TextRow } from './rows.js';
import { boundsQueries, rowQueries, summaryQueries, type TableNames } from './sql.js';
import type { TableVerification } from './index.js';

export interface Sides {
  mysql: MysqlConnection;
  postgres: pg.Client;
}

export interface TableJob {
  names: TableNames;
  renders: ColumnRender[];
  /** The single integer key, or null: the table is compared as a multiset of rows. */
  key: { source: string; target: string } | null;
  /** Target names of the primary key columns (any type), to pair rows of a multiset comparison. */
  primaryKey: string[];
  result: TableVerification;
  /** Ranges whose rows were compared one by one: the column pass need not look at them again. */
  compared: { from: bigint | null; to: bigint | null }[];
}

type SummaryRow = [string | null, string | null, string | null, string | null];

/** Summaries by part ('0', '1') from both sides' GROUP BY results; `expected` collects MySQL's count. */
function summariesByPart(source: TextRow[], target: TextRow[]): Map<string, RangeSummary & { expected: number }> {
  const parts = new Map<string, RangeSummary & { expected: number }>();
  const of = (part: string) => parts.get(part) ?? parts.set(part, { ...emptySummary(), expected: 0 }).get(part)!;
  for (const [part, rows, sum, expected] of source as SummaryRow[]) {
    const entry = of(part!);
    entry.source = { rows: Number(rows), sum: sum ?? '0' };
    entry.expected = Number(expected ?? 0);
  }
  for (const [part, rows, sum] of target as SummaryRow[]) of(part!).target = { rows: Number(rows), sum: sum ?? '0' };
  return parts;
}

async function summarise(job: TableJob, sides: Sides, range: KeyRange, split?: string) {
  const sql = summaryQueries(job.names, job.key!, job.renders, range, split);
  const [source, target] = await Promise.all([mysqlRows(sides.mysql, sql.mysql), postgresRows(sides.postgres, sql.postgres)]);
  return summariesByPart(source, target);
}

function record(job: TableJob, log: DifferenceLog, kind: 'missing' | 'extra' | 'changed', key: string | null, columns: string[] = []): void {
  job.result.differences++;
  log.add({ table: job.result.table, key: { [job.key!.target]: key }, kind, columns });
}

/** Reads the range's rows from both sides and reports every row that differs, with its columns. */
export async function compareRange(job: TableJob, sides: Sides, range: KeyRange, log: DifferenceLog): Promise<void> {
  job.compared.push({ from: range.from === null ? null : BigInt(range.from), to: range.to === null ? null : BigInt(range.to) });
  const sql = rowQueries(job.names, job.key!, job.renders, range);
  await mergeByKey(streamMysql(sides.mysql, sql.mysql), streamPostgres(sides.postgres, sql.postgres), {
    both: (source, target) => {
      const columns = differingColumns(job.renders, source, target, 1);
      if (columns.length) record(job, log, 'changed', source[0], columns);
    },
    onlySource: (row) => record(job, log, 'missing', row[0]),
    onlyTarget: (row) => record(job, log, 'extra', row[0]),
  });
}

/** Summarises one range on both sides and, where they differ, finds the rows. */
export async function verifyRange(job: TableJob, sides: Sides, range: KeyRange, log: DifferenceLog): Promise<void> {
  const summary = (await summarise(job, sides, range)).get('0') ?? { ...emptySummary(), expected: 0 };
  job.result.rowsSource += summary.source.rows;
  job.result.rowsTarget += summary.target.rows;
  job.result.expected += summary.expected;
  const ops: BisectOps = {
    split: async (closed, at) => {
      const parts = await summarise(job, sides, closed, at);
      return [parts.get('0') ?? emptySummary(), parts.get('1') ?? emptySummary()];
    },
    bounds: async (open) => {
      const sql = boundsQueries(job.names, job.key!, open);
      const [[source], [target]] = await Promise.all([mysqlRows(sides.mysql, sql.mysql), postgresRows(sides.postgres, sql.postgres)]);
      const mins = [source[0], target[0]].filter((v): v is string => v !== null).map(BigInt);
      const maxes = [source[1], target[1]].filter((v): v is string => v !== null).map(BigInt);
      if (!mins.length) return null;
      return { min: mins.reduce((a, b) => (a < b ? a : b)).toString(), max: maxes.reduce((a, b) => (a > b ? a : b)).toString() };
    },
    compare: (leaf) => compareRange(job, sides, leaf, log),
  };
  await bisect(range, summary, ops);
}

/** True for keys inside a range already compared row by row; keys arrive in ascending order. */
function comparedSkipper(ranges: TableJob['compared']): (key: bigint) => boolean {
  const sorted = [...ranges].sort((a, b) => (a.from === null ? -1 : b.from === null ? 1 : a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  let i = 0;
  return (key) => {
    while (i < sorted.length && sorted[i].to !== null && key >= sorted[i].to!) i++;
    const range = sorted[i];
    return range !== undefined && (range.from === null || key >= range.from) && (range.to === null || key < range.to);
  };
}

/**
 * The columns left out of the in-database hash, for every row present on both sides. Missing and extra
 * rows were already found by the range pass, which counts the key.
 */
export async function verifyClientColumns(job: TableJob, sides: Sides, log: DifferenceLog, range: KeyRange = { from: null, to: null }): Promise<void> {
  const renders = job.renders.filter((r) => r.client);
  if (!renders.length) return;
  const skip = comparedSkipper(job.compared);
  const sql = rowQueries(job.names, job.key!, renders, range);
  const countExpected = (row: TextRow) => {
    renders.forEach((render, i) => {
      if (sourceValue(render, row[i + 1] ?? null).changed) job.result.expected++;
    });
  };
  await mergeByKey(streamMysql(sides.mysql, sql.mysql), streamPostgres(sides.postgres, sql.postgres), {
    both: (source, target) => {
      countExpected(source);
      if (skip(BigInt(source[0]!))) return;
      const columns = differingColumns(renders, source, target, 1);
      if (columns.length) record(job, log, 'changed', source[0], columns);
    },
    onlySource: countExpected,
    onlyTarget: () => {},
  });
}
