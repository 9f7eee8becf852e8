// Tables with a single integer key: per key range, a count and digests computed inside each database;
// ranges that differ are bisected down to a few rows, which are then read and compared one by one. Where
// only the pre-check digest differs, the range's pre-checked values are read and compared here. Columns
// the databases cannot render alike are compared afterwards by streaming just the key and them.
import type pg from 'pg';
import type { KeyRange, MysqlConnection } from '../db/index.js';
import { bisect, sameSummary, type BisectOps, type RangeSummary } from './bisect.js';
import type { DifferenceLog } from './differences.js';
import { differingColumns, mergeByKey, sourceValue } from './merge.js';
import { streamed, type ColumnRender } from './column-comparison.js';
import { mysqlRows, postgresRows, streamMysql, streamPostgres, type TextRow } from './rows.js';
import { boundsQueries, rowQueries, summaryQueries, type TableNames } from './sql.js';
import type { TableVerification } from './model.js';

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

interface Summary extends RangeSummary {
  /** The pre-checked columns print alike on both sides for every row of the range. */
  looseSame: boolean;
  /** Values the migration changed on purpose, counted on MySQL. */
  expected: number;
}

interface SideDigests {
  rows: number;
  digest: string;
  loose: string | null;
}

const digests = (row: TextRow): SideDigests => ({ rows: Number(row[0]), digest: row[1] ?? '', loose: row[2] });

function summary(source: SideDigests, target: SideDigests, expected: number): Summary {
  return { source, target, looseSame: source.loose === target.loose, expected };
}

/** Both sides' summaries of the range, MySQL's careful ones. */
async function summarise(job: TableJob, sides: Sides, range: KeyRange): Promise<Summary> {
  const sql = summaryQueries(job.names, job.key!, job.renders, range);
  const [[source], [target]] = await Promise.all([mysqlRows(sides.mysql, sql.mysql), postgresRows(sides.postgres, sql.postgres)]);
  return summary(digests(source), digests(target), Number(source[3] ?? 0));
}

/**
 * A range's first summary, with MySQL's quick texts. Only where the digests differ is MySQL asked again
 * for its careful texts and its count of values the migration changed on purpose (nothing to count
 * where they match); Postgres prints the same in both.
 */
async function summariseQuickly(job: TableJob, sides: Sides, range: KeyRange): Promise<Summary> {
  const sql = summaryQueries(job.names, job.key!, job.renders, range, true);
  const [[source], [target]] = await Promise.all([mysqlRows(sides.mysql, sql.mysql), postgresRows(sides.postgres, sql.postgres)]);
  const targetDigests = digests(target);
  const quick = summary(digests(source), targetDigests, 0);
  if (sameSummary(quick) && quick.looseSame) return quick;
  const [careful] = await mysqlRows(sides.mysql, summaryQueries(job.names, job.key!, job.renders, range).mysql);
  return summary(digests(careful), targetDigests, Number(careful[3] ?? 0));
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
  const summary = await summariseQuickly(job, sides, range);
  job.result.rowsSource += summary.source.rows;
  job.result.rowsTarget += summary.target.rows;
  job.result.expected += summary.expected;
  const ops: BisectOps = {
    split: async (closed, at) => [await summarise(job, sides, { from: closed.from, to: at }), await summarise(job, sides, { from: at, to: closed.to })],
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
  // After the bisection, so that the rows it compared are skipped.
  if (!summary.looseSame) await compareColumns(job, sides, log, range, job.renders.filter((r) => r.loose));
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
 * The given columns of every row present on both sides of the range, except in ranges already compared
 * row by row. Missing and extra rows were already found by the range pass, which counts the key.
 */
async function compareColumns(job: TableJob, sides: Sides, log: DifferenceLog, range: KeyRange, renders: ColumnRender[]): Promise<void> {
  const skip = comparedSkipper(job.compared);
  const sql = rowQueries(job.names, job.key!, renders, range);
  // Changes the range summaries did not count already.
  const counted = renders.map((render) => render.mysqlExpected === null);
  const countExpected = (row: TextRow) => {
    renders.forEach((render, i) => {
      if (counted[i] && sourceValue(render, row[i + 1] ?? null).changed) job.result.expected++;
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

/** The columns left out of both in-database hashes, for every row of the range. */
export async function verifyClientColumns(job: TableJob, sides: Sides, log: DifferenceLog, range: KeyRange = { from: null, to: null }): Promise<void> {
  const renders = job.renders.filter(streamed);
  if (renders.length) await compareColumns(job, sides, log, range, renders);
}
