// Key ranges on any primary key: a range is bounded by key tuples, compared as row values
// (`(a, b) > (x, y) AND (a, b) <= (u, v)`). A bound may name only the leading columns of the key: the
// prefix (x) stands for every key that starts with x, so ranges cut on the leading column alone still
// cover each key exactly once.
import { quoteMysqlIdentifier, type MysqlConnection } from './mysql.js';
import type { TargetTable } from './plan/plan.js';

/** A key's values, as text, in key column order; possibly only the leading columns. */
export type KeyTuple = string[];

/** Keys after `after` (exclusive) up to `upTo` (inclusive); null means unbounded on that side. */
export interface KeysetRange {
  after: KeyTuple | null;
  upTo: KeyTuple | null;
}

export const WHOLE_KEYSET: KeysetRange = { after: null, upTo: null };

/** Consecutive ranges between the given increasing split points; the first and last are open, so no row is missed. */
export function rangesBetween(points: KeyTuple[]): KeysetRange[] {
  const bounds: (KeyTuple | null)[] = [null, ...points, null];
  return bounds.slice(1).map((upTo, i) => ({ after: bounds[i], upTo }));
}

/**
 * Split points on an integer leading column, assuming its values spread evenly over [min, max]: no read
 * of the key is needed. Fewer points when the column has fewer values than ranges wanted.
 */
export function integerSplitPoints(min: string, max: string, rows: number, rowsPerRange: number): KeyTuple[] | null {
  const count = Math.ceil(rows / rowsPerRange);
  const low = BigInt(min);
  const span = BigInt(max) - low + 1n;
  if (count <= 1) return [];
  if (span < BigInt(count) * 4n) return null;
  const width = span / BigInt(count);
  return Array.from({ length: count - 1 }, (_, i) => [(low + width * BigInt(i + 1) - 1n).toString()]);
}

// Copying by key tuple ranges: the ranges are cut in MySQL's own order (its collations), the one its
// primary key index holds, since only MySQL reads them. Values are kept as text: integers and dates as
// MySQL prints them, text and binary strings as the hex of their bytes (text as UTF-8), so that a range
// recorded in the ledger means the same rows when a resumed run reads it back.

export type CopyKeyKind = 'integer' | 'temporal' | 'text' | 'binary';

export interface CopyKeyColumn {
  /** The source column's name. */
  name: string;
  kind: CopyKeyKind;
}

const KEY_KINDS: Record<string, CopyKeyKind> = {
  tinyint: 'integer', smallint: 'integer', mediumint: 'integer', int: 'integer', bigint: 'integer',
  date: 'temporal', datetime: 'temporal', timestamp: 'temporal',
  char: 'text', varchar: 'text', binary: 'binary', varbinary: 'binary',
};

/** The primary key's columns when every one has a type whose values round-trip as text here; else null. */
export function copyKeyColumns(table: TargetTable): CopyKeyColumn[] | null {
  if (!table.primaryKey.length) return null;
  const columns: CopyKeyColumn[] = [];
  for (const name of table.primaryKey) {
    const source = table.columns.find((c) => c.name === name)?.source;
    const kind = source && KEY_KINDS[source.dataType];
    if (!source || !kind) return null;
    columns.push({ name: source.name, kind });
  }
  return columns;
}

function literal(column: CopyKeyColumn, value: string): string {
  switch (column.kind) {
    case 'integer':
      if (!/^-?\d+$/.test(value)) throw new Error(`not an integer key value: ${value}`);
      return value;
    case 'temporal':
      if (!/^[\d :.-]+$/.test(value)) throw new Error(`not a date key value: ${value}`);
      return `'${value}'`;
    case 'text':
    case 'binary':
      if (!/^([0-9A-F]{2})*$/i.test(value)) throw new Error(`not a hex key value: ${value}`);
      // A text literal takes the column's collation, as coercible literals do.
      return column.kind === 'text' ? `_utf8mb4 X'${value}'` : `X'${value}'`;
  }
}

/** MySQL expression reading a key column as the text `literal` takes back. */
function textOf(column: CopyKeyColumn, datetimePrecision: number | null): string {
  const c = quoteMysqlIdentifier(column.name);
  switch (column.kind) {
    case 'integer':
      return c;
    case 'temporal':
      return datetimePrecision ? `DATE_FORMAT(${c}, '%Y-%m-%d %H:%i:%s.%f')` : `CAST(${c} AS CHAR)`;
    case 'text':
      return `HEX(CONVERT(${c} USING utf8mb4))`;
    case 'binary':
      return `HEX(${c})`;
  }
}

function comparison(columns: CopyKeyColumn[], operator: string, bound: KeyTuple): string {
  const left = columns.slice(0, bound.length).map((c) => quoteMysqlIdentifier(c.name));
  const right = bound.map((v, i) => literal(columns[i], v));
  return bound.length === 1 ? `${left[0]} ${operator} ${right[0]}` : `(${left.join(', ')}) ${operator} (${right.join(', ')})`;
}

/**
 * The MySQL condition selecting a range, or undefined for the whole table. MariaDB reads a row-value
 * comparison through no index: ahead of it go the columns both bounds share, by equality, and the
 * first they do not share by its bounds, which the primary key index serves.
 */
export function keysetCondition(columns: CopyKeyColumn[], range: KeysetRange): string | undefined {
  const { after, upTo } = range;
  const parts: string[] = [];
  let i = 0;
  for (; after && upTo && i < after.length && i < upTo.length && after[i] === upTo[i]; i++) parts.push(`${quoteMysqlIdentifier(columns[i].name)} = ${literal(columns[i], after[i])}`);
  if (i < columns.length) {
    const c = quoteMysqlIdentifier(columns[i].name);
    if (after && i < after.length) parts.push(`${c} >= ${literal(columns[i], after[i])}`);
    if (upTo && i < upTo.length) parts.push(`${c} <= ${literal(columns[i], upTo[i])}`);
  }
  if (after) parts.push(comparison(columns, '>', after));
  if (upTo) parts.push(comparison(columns, '<=', upTo));
  return parts.length ? [...new Set(parts)].join(' AND ') : undefined;
}

/**
 * Ranges of about `rowsPerRange` rows: evenly over an integer leading column, else at every Nth key read
 * through the primary key index, each jump reading N index entries on from the last.
 */
export async function sampleKeysetRanges(conn: MysqlConnection, table: TargetTable, columns: CopyKeyColumn[], rowsPerRange: number): Promise<KeysetRange[]> {
  if (table.rowEstimate <= rowsPerRange) return [WHOLE_KEYSET];
  const name = quoteMysqlIdentifier(table.sourceName);
  const query = async (sql: string) => ((await conn.query({ sql, rowsAsArray: true, typeCast: (field: { string: () => string | null }) => field.string() } as never)) as unknown as [(string | null)[][]])[0];
  if (columns[0].kind === 'integer') {
    const [[min, max]] = await query(`SELECT MIN(${quoteMysqlIdentifier(columns[0].name)}), MAX(${quoteMysqlIdentifier(columns[0].name)}) FROM ${name}`);
    if (min === null || max === null) return [WHOLE_KEYSET];
    const points = integerSplitPoints(min, max, table.rowEstimate, rowsPerRange);
    if (points) return rangesBetween(points);
  }
  const precision = (c: CopyKeyColumn) => table.columns.find((t) => t.source.name === c.name)!.source.datetimePrecision;
  const texts = columns.map((c) => textOf(c, precision(c))).join(', ');
  const order = columns.map((c) => quoteMysqlIdentifier(c.name)).join(', ');
  const points: KeyTuple[] = [];
  for (let after: KeyTuple | null = null; ; ) {
    const where = keysetCondition(columns, { after, upTo: null });
    const rows = await query(`SELECT ${texts} FROM ${name} FORCE INDEX (PRIMARY)${where ? ` WHERE ${where}` : ''} ORDER BY ${order} LIMIT 1 OFFSET ${rowsPerRange - 1}`);
    if (!rows.length) return rangesBetween(points);
    points.push(rows[0] as KeyTuple);
    after = rows[0] as KeyTuple;
  }
}
