// Tables keyed by a composite or non-integer primary key: as for integer keys (keyed.ts), a count and
// digests per key range computed inside each database; ranges that differ are halved at their middle
// key until a few rows are left, which are read from both sides and compared one by one.
import type { KeysetRange, KeyTuple } from '../db/index.js';
import { sameSummary, type RangeSummary } from './bisect.js';
import type { DifferenceLog } from './differences.js';
import type { Sides, TableJob } from './keyed.js';
import { compareTuples, inRange, keyObject, type Keyset } from './keyset.js';
import { differingColumns, mergeSorted, sourceValue } from './merge.js';
import { streamed, type ColumnRender } from './column-comparison.js';
import { mysqlRows, postgresRows, streamMysql, streamPostgres, type TextRow } from './rows.js';
import { keysetPointQueries, keysetRowQueries, keysetSummaryQueries } from './sql.js';

export interface KeysetJob extends TableJob {
  keyset: Keyset;
}

interface Summary extends RangeSummary {
  looseSame: boolean;
  expected: number;
}

const digests = (row: TextRow) => ({ rows: Number(row[0]), digest: row[1] ?? '', loose: row[2] });

async function summarise(job: KeysetJob, sides: Sides, range: KeysetRange, quick: boolean): Promise<Summary> {
  const sql = keysetSummaryQueries(job.names, job.keyset, job.renders, range, quick);
  const [[source], [target]] = await Promise.all([mysqlRows(sides.mysql, sql.mysql), postgresRows(sides.postgres, sql.postgres)]);
  const s = digests(source);
  const t = digests(target);
  const summary = { source: s, target: t, looseSame: s.loose === t.loose, expected: Number(source[3] ?? 0) };
  if (!quick || (sameSummary(summary) && summary.looseSame)) return summary;
  // Quick MySQL texts differ for values the migration changed on purpose: ask again, carefully.
  const [careful] = await mysqlRows(sides.mysql, keysetSummaryQueries(job.names, job.keyset, job.renders, range).mysql);
  const c = digests(careful);
  return { source: c, target: t, looseSame: c.loose === t.loose, expected: Number(careful[3] ?? 0) };
}

const keyOf = (job: KeysetJob, row: TextRow): KeyTuple => row.slice(0, job.keyset.columns.length) as KeyTuple;

function record(job: KeysetJob, log: DifferenceLog, kind: 'missing' | 'extra' | 'changed', row: TextRow, columns: string[] = []): void {
  job.result.differences++;
  log.add({ table: job.result.table, key: keyObject(job.keyset, keyOf(job, row)), kind, columns });
}

const rowOrder = (job: KeysetJob) => (a: TextRow, b: TextRow) => compareTuples(job.keyset, keyOf(job, a), keyOf(job, b));

/** Reads the range's rows from both sides and reports every row that differs, with its columns. */
async function compareRows(job: KeysetJob, sides: Sides, range: KeysetRange, log: DifferenceLog, leaves: KeysetRange[]): Promise<void> {
  leaves.push(range);
  const sql = keysetRowQueries(job.names, job.keyset, job.renders, range);
  const offset = job.keyset.columns.length;
  await mergeSorted(streamMysql(sides.mysql, sql.mysql), streamPostgres(sides.postgres, sql.postgres), rowOrder(job), {
    both: (source, target) => {
      const columns = differingColumns(job.renders, source, target, offset);
      if (columns.length) record(job, log, 'changed', source, columns);
    },
    onlySource: (row) => record(job, log, 'missing', row),
    onlyTarget: (row) => record(job, log, 'extra', row),
  });
}

/**
 * Ranges of at most this many rows (a first range is about 10,000) are read and compared row by row:
 * a summary here may sort or read past the range (text keys on MySQL), and the eight or so halvings
 * down to a few rows cost several times one streamed pass over the range.
 */
export const KEYSET_LEAF_ROWS = 16_384;

/**
 * The key halfway through the range, or null when it has no rows. From Postgres where its index holds
 * the shared order (MySQL would sort the range for it), else from the side holding more rows.
 */
async function middleKey(job: KeysetJob, sides: Sides, range: KeysetRange, summary: Summary): Promise<KeyTuple | null> {
  const { mysqlIndexOrdered, postgresIndexOrdered } = job.keyset;
  const fromTarget = summary.target.rows > 0 && ((postgresIndexOrdered && !mysqlIndexOrdered) || summary.target.rows > summary.source.rows);
  const onSource = !fromTarget;
  const rows = onSource ? summary.source.rows : summary.target.rows;
  const sql = keysetPointQueries(job.names, job.keyset, range, Math.floor((rows - 1) / 2));
  const [point] = onSource ? await mysqlRows(sides.mysql, sql.mysql) : await postgresRows(sides.postgres, sql.postgres);
  return (point as KeyTuple | undefined) ?? null;
}

/** `leaves`: the ranges whose rows were compared one by one. */
async function bisect(job: KeysetJob, sides: Sides, range: KeysetRange, summary: Summary, log: DifferenceLog, leaves: KeysetRange[], leafRows: number): Promise<void> {
  if (sameSummary(summary)) return;
  const rows = Math.max(summary.source.rows, summary.target.rows);
  if (rows <= leafRows) return compareRows(job, sides, range, log, leaves);
  const middle = await middleKey(job, sides, range, summary);
  if (!middle) return compareRows(job, sides, range, log, leaves);
  const lowRange = { after: range.after, upTo: middle };
  const highRange = { after: middle, upTo: range.upTo };
  const low = await summarise(job, sides, lowRange, false);
  const high = await summarise(job, sides, highRange, false);
  // One key holding most rows (duplicates on a target without a unique key): halving gains nothing.
  if (Math.max(low.source.rows, low.target.rows) >= rows || Math.max(high.source.rows, high.target.rows) >= rows) return compareRows(job, sides, range, log, leaves);
  const lowDiffers = !sameSummary(low);
  const highDiffers = !sameSummary(high);
  if (lowDiffers && highDiffers && rows <= 4 * leafRows) return compareRows(job, sides, range, log, leaves);
  if (lowDiffers) await bisect(job, sides, lowRange, low, log, leaves, leafRows);
  if (highDiffers) await bisect(job, sides, highRange, high, log, leaves, leafRows);
}

/**
 * The given columns of every row present on both sides of the range, except in ranges already compared
 * row by row. Missing and extra rows were already found by the range pass.
 */
async function compareColumns(job: KeysetJob, sides: Sides, log: DifferenceLog, range: KeysetRange, renders: ColumnRender[], compared: KeysetRange[]): Promise<void> {
  const sql = keysetRowQueries(job.names, job.keyset, renders, range);
  const offset = job.keyset.columns.length;
  const counted = renders.map((render) => render.mysqlExpected === null);
  const countExpected = (row: TextRow) => {
    renders.forEach((render, i) => {
      if (counted[i] && sourceValue(render, row[i + offset] ?? null).changed) job.result.expected++;
    });
  };
  await mergeSorted(streamMysql(sides.mysql, sql.mysql), streamPostgres(sides.postgres, sql.postgres), rowOrder(job), {
    both: (source, target) => {
      countExpected(source);
      const key = keyOf(job, source);
      if (compared.some((r) => inRange(job.keyset, r, key))) return;
      const columns = differingColumns(renders, source, target, offset);
      if (columns.length) record(job, log, 'changed', source, columns);
    },
    onlySource: countExpected,
    onlyTarget: () => {},
  });
}

/**
 * One range: summaries on both sides; where they differ, the rows; then the columns no digest covers.
 * Where both halves of a range up to four leaves big differ, differences are dense: its rows are read.
 */
export async function verifyKeysetRange(job: KeysetJob, sides: Sides, range: KeysetRange, log: DifferenceLog, leafRows = KEYSET_LEAF_ROWS): Promise<void> {
  const summary = await summarise(job, sides, range, true);
  job.result.rowsSource += summary.source.rows;
  job.result.rowsTarget += summary.target.rows;
  job.result.expected += summary.expected;
  const leaves: KeysetRange[] = [];
  await bisect(job, sides, range, summary, log, leaves, leafRows);
  const columns = job.renders.filter((r) => streamed(r) || (!summary.looseSame && r.loose));
  if (columns.length) await compareColumns(job, sides, log, range, columns, leaves);
}
