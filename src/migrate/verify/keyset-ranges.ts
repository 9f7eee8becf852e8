// Where to cut a table with a non-integer or composite primary key: evenly over an integer leading
// column (two reads of its index), otherwise at every Nth key read through an index that holds the
// keys in the order both sides share, each jump reading N index entries from the last.
import { integerSplitPoints, rangesBetween, WHOLE_KEYSET, type KeysetRange, type KeyTuple } from '../db/index.js';
import type { Sides } from './keyed.js';
import type { Keyset } from './keyset.js';
import { mysqlRows, postgresRows } from './rows.js';
import { keysetPointQueries, leadingBoundsQuery, mysqlSampledKeysQuery, type TableNames } from './sql.js';

async function leadingIntegerPoints(sides: Sides, names: TableNames, keyset: Keyset, rows: number, rowsPerRange: number): Promise<KeyTuple[] | null> {
  if (keyset.columns[0].kind !== 'integer') return null;
  const [[min, max]] = await mysqlRows(sides.mysql, leadingBoundsQuery(names, keyset));
  if (min === null || max === null) return [];
  return integerSplitPoints(min, max, rows, rowsPerRange);
}

async function jumpedPoints(sides: Sides, names: TableNames, keyset: Keyset, rowsPerRange: number): Promise<KeyTuple[]> {
  const onMysql = keyset.mysqlIndexOrdered || !keyset.postgresIndexOrdered;
  if (!keyset.mysqlIndexOrdered && !keyset.postgresIndexOrdered) {
    return (await mysqlRows(sides.mysql, mysqlSampledKeysQuery(names, keyset, rowsPerRange))) as KeyTuple[];
  }
  const points: KeyTuple[] = [];
  for (let after: KeyTuple | null = null; ; ) {
    const sql = keysetPointQueries(names, keyset, { after, upTo: null }, rowsPerRange - 1);
    const [point] = onMysql ? await mysqlRows(sides.mysql, sql.mysql) : await postgresRows(sides.postgres, sql.postgres);
    if (!point) return points;
    points.push(point as KeyTuple);
    after = point as KeyTuple;
  }
}

/** Ranges of about `rowsPerRange` rows covering every key; `rows` is the source's estimate. */
export async function keysetRanges(sides: Sides, names: TableNames, keyset: Keyset, rows: number, rowsPerRange: number): Promise<KeysetRange[]> {
  if (rows <= rowsPerRange) return [WHOLE_KEYSET];
  let points = (await leadingIntegerPoints(sides, names, keyset, rows, rowsPerRange)) ?? (await jumpedPoints(sides, names, keyset, rowsPerRange));
  // A target emptier than the source (a failed copy) gives too few points: cut by the source's keys, sorted once.
  if (points.length < rows / rowsPerRange / 2 && !keyset.mysqlIndexOrdered) points = (await mysqlRows(sides.mysql, mysqlSampledKeysQuery(names, keyset, rowsPerRange))) as KeyTuple[];
  return rangesBetween(points);
}
