// A primary key of any shape, as verify compares it: per key column, the expressions that put keys in
// one order on both sides (byte order for text: MySQL compares the UTF-8 bytes, Postgres the "C"
// collation), the text each side reads a key value as (the same text for the same value), and literals
// for bounds. Keys are compared by those texts when rows are merged here, in the same order.
import { MYSQL_INTEGER_TYPES, quoteIdent, quoteLiteral, quoteMysqlIdentifier, type KeysetRange, type KeyTuple, type TargetTable } from '../db/index.js';
import type { TargetColumnType } from './model.js';

export type KeyKind = 'integer' | 'date' | 'datetime' | 'text' | 'binary';

export interface KeyColumn {
  /** Target column name. */
  name: string;
  kind: KeyKind;
  /** The quoted MySQL column, in its own collation: for conditions its index can serve. */
  mysqlColumn: string;
  /** MySQL expression in the shared order (text: its UTF-8 bytes). */
  mysqlOrder: string;
  /** MySQL expression read as the key's text. */
  mysqlText: string;
  mysqlLiteral(value: string): string;
  /** Postgres expression in the shared order (text in a byte-order collation, or COLLATE "C"). */
  postgresOrder: string;
  postgresText: string;
  postgresLiteral(value: string): string;
}

export interface Keyset {
  columns: KeyColumn[];
  /** MySQL's primary key index holds keys in the shared order (no text column): rows read through it need no sort. */
  mysqlIndexOrdered: boolean;
  /** Postgres's primary key index holds keys in the shared order. */
  postgresIndexOrdered: boolean;
}

const TEXT_TYPES = new Set(['char', 'varchar']);
const BINARY_TYPES = new Set(['binary', 'varbinary']);
const PG_TEXTS = new Set(['text', 'varchar', 'bpchar', 'citext']);
const PG_INTEGERS = new Set(['int2', 'int4', 'int8']);

/** UTF-8 bytes of a text as a MySQL hex literal: a binary string, compared byte by byte. */
export function mysqlBytes(value: string): string {
  return `X'${Buffer.from(value, 'utf8').toString('hex')}'`;
}

function integerLiteral(value: string): string {
  if (!/^-?\d+$/.test(value)) throw new Error(`not an integer key value: ${value}`);
  return value;
}

function dateLiteral(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2}(\.\d{1,6})?)?$/.test(value)) throw new Error(`not a date key value: ${value}`);
  return `'${value}'`;
}

function hexLiteral(value: string): string {
  if (!/^([0-9A-F]{2})*$/.test(value)) throw new Error(`not a hex key value: ${value}`);
  return value;
}

/**
 * The key of a table that can be cut into key ranges, or null: no primary key, or a key column of a type
 * whose order or text the two sides do not share (floats, enums, JSON ...), or one typed differently
 * in the target than planned. `byteOrderCollations`: the target text columns whose collation is byte order.
 */
export function keysetOf(table: TargetTable, types: Map<string, TargetColumnType>, sourceTimezone: string, utf8Columns: Set<string>): Keyset | null {
  if (!table.primaryKey.length) return null;
  const columns: KeyColumn[] = [];
  for (const name of table.primaryKey) {
    const column = table.columns.find((c) => c.name === name);
    const type = types.get(name);
    if (!column || !type) return null;
    const source = column.source;
    const m = quoteMysqlIdentifier(source.name);
    const p = quoteIdent(name);
    const udt = type.udt;
    const base = { name, mysqlColumn: m };
    if (MYSQL_INTEGER_TYPES.has(source.dataType) && (PG_INTEGERS.has(udt) || (udt === 'numeric' && type.scale === 0))) {
      columns.push({ ...base, kind: 'integer', mysqlOrder: m, mysqlText: m, mysqlLiteral: integerLiteral, postgresOrder: p, postgresText: `${p}::text`, postgresLiteral: integerLiteral });
    } else if (source.dataType === 'date' && udt === 'date') {
      columns.push({ ...base, kind: 'date', mysqlOrder: m, mysqlText: m, mysqlLiteral: dateLiteral, postgresOrder: p, postgresText: `${p}::text`, postgresLiteral: (v) => `${dateLiteral(v)}::date` });
    } else if ((source.dataType === 'datetime' || source.dataType === 'timestamp') && (udt === 'timestamptz' || udt === 'timestamp')) {
      // As the row hash renders them: wall-clock time in the source's zone; TIMESTAMP was read in UTC.
      const zone = udt === 'timestamp' ? null : column.kind === 'timestamp-utc' || source.dataType === 'timestamp' ? 'UTC' : sourceTimezone;
      const local = zone === null ? p : `(${p} AT TIME ZONE ${quoteLiteral(zone)})`;
      const fraction = (source.datetimePrecision ?? 0) > 0;
      columns.push({
        ...base,
        kind: 'datetime',
        mysqlOrder: m,
        mysqlText: fraction ? `DATE_FORMAT(${m}, '%Y-%m-%d %H:%i:%s.%f')` : `CAST(${m} AS CHAR)`,
        mysqlLiteral: dateLiteral,
        postgresOrder: p,
        postgresText: `to_char(${local}, ${fraction ? "'YYYY-MM-DD HH24:MI:SS.US'" : "'YYYY-MM-DD HH24:MI:SS'"})`,
        postgresLiteral: (v) => (zone === null ? `${dateLiteral(v)}::timestamp` : `(${dateLiteral(v)}::timestamp AT TIME ZONE ${quoteLiteral(zone)})`),
      });
    } else if (TEXT_TYPES.has(source.dataType) && PG_TEXTS.has(udt)) {
      // The bytes Postgres holds: UTF-8, whatever the source column's character set.
      const bytes = utf8Columns.has(source.name) ? `CAST(${m} AS BINARY)` : `CAST(CONVERT(${m} USING utf8mb4) AS BINARY)`;
      // citext compares lower() whatever the collation: only its text form orders by bytes.
      const order = udt === 'citext' ? `${p}::text COLLATE "C"` : type.byteOrder ? p : `${p} COLLATE "C"`;
      columns.push({ ...base, kind: 'text', mysqlOrder: bytes, mysqlText: bytes, mysqlLiteral: mysqlBytes, postgresOrder: order, postgresText: `${p}::text`, postgresLiteral: quoteLiteral });
    } else if (BINARY_TYPES.has(source.dataType) && udt === 'bytea') {
      columns.push({
        ...base, kind: 'binary', mysqlOrder: m, mysqlText: `HEX(${m})`, mysqlLiteral: (v) => `X'${hexLiteral(v)}'`,
        postgresOrder: p, postgresText: `upper(encode(${p}, 'hex'))`, postgresLiteral: (v) => `'\\x${hexLiteral(v)}'::bytea`,
      });
    } else return null;
  }
  return {
    columns,
    mysqlIndexOrdered: columns.every((c) => c.kind !== 'text'),
    postgresIndexOrdered: columns.every((c) => c.kind !== 'text' || c.postgresOrder === quoteIdent(c.name)),
  };
}

const SURROGATE = /[\ud800-\udfff]/;

/**
 * Text in byte order of its UTF-8 form, which is code point order. JavaScript compares UTF-16 code
 * units: the same order, except for characters past U+FFFF (surrogate pairs), compared as bytes.
 */
function compareText(a: string, b: string): number {
  if (SURROGATE.test(a) || SURROGATE.test(b)) return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareValue(kind: KeyKind, a: string, b: string): number {
  if (kind === 'integer') {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (kind === 'text') return compareText(a, b);
  // Fixed-width dates and upper-case hex: their text order is their order.
  return a < b ? -1 : a > b ? 1 : a.length - b.length;
}

/** Order of two keys (or key prefixes: a prefix sorts as the point after all keys it begins). */
export function compareTuples(keyset: Keyset, a: KeyTuple, b: KeyTuple): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const order = compareValue(keyset.columns[i].kind, a[i], b[i]);
    if (order !== 0) return order;
  }
  return 0;
}

/** True when the full key lies in the range. */
export function inRange(keyset: Keyset, range: KeysetRange, key: KeyTuple): boolean {
  return (range.after === null || compareTuples(keyset, key, range.after) > 0) && (range.upTo === null || compareTuples(keyset, key, range.upTo) <= 0);
}

/** The key as the difference list shows it: column -> value. */
export function keyObject(keyset: Keyset, key: KeyTuple): Record<string, string | null> {
  return Object.fromEntries(keyset.columns.map((c, i) => [c.name, key[i] ?? null]));
}
