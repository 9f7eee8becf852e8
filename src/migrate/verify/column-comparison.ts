// How each column is compared: where both databases can render a value as the very same text, it goes
// into the in-database row hash; where they usually can (JSON) it goes into a second hash whose
// mismatches are checked value by value; where they cannot (floats, times, anything uncertain) it is read
// and normalised here instead. The decision follows the column's actual Postgres type, so a target that
// differs from the plan is compared by value rather than producing false differences.
import { MYSQL_INTEGER_TYPES, quoteIdent, quoteLiteral, quoteMysqlIdentifier, SPATIAL_TYPES, type TargetColumn } from '../db/index.js';
import type { ClientKind } from './normalise.js';
import { mysqlJsonHasNul, mysqlJsonText, mysqlRawJsonText, postgresJsonText } from './json.js';
import { NO_SOURCE_FACTS, type SourceFacts } from './source-facts.js';
import type { TargetColumnType } from './model.js';

/** What information_schema.columns says about a target column. */
export interface ColumnRender {
  /** The target column's name. */
  name: string;
  /** Select expressions: canonical text when hashed, otherwise the raw value for canonicalSource/Target. */
  mysql: string;
  postgres: string;
  /** The element each side feeds to the row hash (text on both sides, byte-identical for equal data). */
  hash: HashElement | null;
  /**
   * The element each side feeds to the pre-check hash: equal text means equal values, but equal values
   * may print differently, so where this hash differs the values are read and compared here.
   */
  loose: HashElement | null;
  /** How values read from both sides are brought to one form here; null: compared as the text read. */
  client: ClientKind | null;
  /** MySQL condition (1, 0 or NULL) for a value the migration changes on purpose (zero date, NUL). */
  mysqlExpected: string | null;
}

export interface HashElement {
  mysql: string;
  postgres: string;
  /**
   * A cheaper MySQL text for the first summary of a range. Like `mysql`, it equals a Postgres text only
   * for an equal value; unlike it, not for values the migration changed on purpose (NUL removed, zero
   * date made NULL) nor always for text `mysql` normalises. Ranges whose quick summaries differ are
   * summarised again with `mysql`, which also counts those changes.
   */
  quick?: string;
  /** The target column is NOT NULL: its Postgres text needs no NULL marker. */
  targetNotNull?: boolean;
  /** The source column is NOT NULL and `quick` is its value, never NULL: the quick text needs no marker. */
  quickNotNull?: boolean;
  /**
   * Text of any bytes: it goes into the row text after its byte length, so that no value can pose as
   * NULL or swallow a separator.
   */
  framed?: boolean;
}

const INTEGER_TYPES = new Set([...MYSQL_INTEGER_TYPES, 'year']);
const TEXT_TYPES = new Set(['char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext', 'enum']);
const BINARY_TYPES = new Set(['binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob']);
const PG_INTEGERS = new Set(['int2', 'int4', 'int8']);
const PG_TEXTS = new Set(['text', 'varchar', 'bpchar', 'citext']);

/**
 * Zero, partial and impossible dates: the test the migration applies before writing NULL (a zero year,
 * month or day, or a day past the end of its month). LAST_DAY is NULL for a zero month. True for NULL.
 */
export function mysqlInvalidDate(c: string): string {
  return `(NOT IFNULL(YEAR(${c}) > 0 AND DAYOFMONTH(${c}) BETWEEN 1 AND DAYOFMONTH(LAST_DAY(${c})), FALSE))`;
}

/** Text as UTF-8 bytes: a binary string never meets a collation, and MD5 sees exactly the bytes Postgres hashes. */
function mysqlUtf8(c: string): string {
  return `CAST(CONVERT(${c} USING utf8mb4) AS BINARY)`;
}

/**
 * `frame`: the value is text, hashed after its byte length (see HashElement.framed). `value`: a Postgres
 * value whose type prints it as `postgres` reads: the row hash prints it itself, cheaper than a cast.
 */
function hashed(name: string, mysql: string, postgres: string, options: { frame?: boolean; expected?: string; quick?: string; hash?: HashElement; value?: string } = {}): ColumnRender {
  const hash = options.hash ?? {
    mysql,
    postgres: options.value ?? postgres,
    ...(options.quick ? { quick: options.quick } : {}),
    ...(options.frame ? { framed: true } : {}),
  };
  return { name, mysql, postgres, hash, loose: null, client: null, mysqlExpected: options.expected ?? null };
}

function client(name: string, kind: ClientKind, mysql: string, postgres: string): ColumnRender {
  return { name, mysql, postgres, hash: null, loose: null, client: kind, mysqlExpected: null };
}

/** Compared in neither hash: every row's value is read and compared here. */
export const streamed = (render: ColumnRender): boolean => render.hash === null && render.loose === null;

function booleanText(name: string, m: string, p: string): ColumnRender {
  // NULL must stay NULL: IF(x <> 0, ...) would turn it into 'f'.
  return hashed(name, `CASE WHEN ${m} <> 0 THEN 't' WHEN ${m} = 0 THEN 'f' END`, `CASE WHEN ${p} THEN 't' WHEN NOT ${p} THEN 'f' END`);
}

/**
 * Dates as MySQL prints them. Whole-second columns: Postgres prints dates and seconds the same way itself
 * (the sessions use the ISO date style and UTC), far cheaper than to_char, and shows any fraction of a
 * second the target holds. Fractional columns: six digits on both sides, whatever either column's
 * precision. The quick MySQL text prints impossible dates as they are, which no Postgres date prints as.
 */
function dateText(name: string, m: string, p: string, withFraction: boolean | null, zone: string | null): ColumnRender {
  const invalid = mysqlInvalidDate(m);
  const expected = `(${m} IS NOT NULL AND ${invalid})`;
  const local = zone === null ? p : zone === 'UTC' ? `${p}::timestamp` : `(${p} AT TIME ZONE ${quoteLiteral(zone)})`;
  if (withFraction) {
    return hashed(name, `CASE WHEN ${invalid} THEN NULL ELSE DATE_FORMAT(${m}, '%Y-%m-%d %H:%i:%s.%f') END`, `to_char(${local}, 'YYYY-MM-DD HH24:MI:SS.US')`, { expected });
  }
  return hashed(name, `CASE WHEN ${invalid} THEN NULL ELSE CAST(${m} AS CHAR) END`, `${local}::text`, { expected, quick: m, value: local });
}

/** How to compare one column, given the source column, the plan's value kind and the target's real type. */
export function renderColumn(column: TargetColumn, target: TargetColumnType, sourceTimezone: string, facts: SourceFacts = NO_SOURCE_FACTS): ColumnRender {
  const render = renderByType(column, target, sourceTimezone, facts);
  // Every Postgres rendering is NULL only for NULL. (MySQL's may be NULL for a value the migration made
  // NULL, such as a zero date in a NOT NULL column: MySQL's texts always mark NULL.)
  if (target.nullable === false) for (const element of [render.hash, render.loose]) if (element) element.targetNotNull = true;
  // Quick texts are the stored value, or a conversion of it that is NULL only for NULL.
  if (!column.source.nullable && render.hash?.quick && !column.source.isJson) render.hash.quickNotNull = true;
  return render;
}

function renderByType(column: TargetColumn, target: TargetColumnType, sourceTimezone: string, facts: SourceFacts): ColumnRender {
  const name = column.name;
  const source = column.source;
  const m = quoteMysqlIdentifier(source.name);
  const p = quoteIdent(name);
  const type = source.dataType;
  const udt = target.udt;

  if (source.isJson && udt === 'jsonb') {
    // JSON text holds no control characters: the row separators need no framing around it.
    const loose = { mysql: mysqlJsonText(m, facts.mariaDb), postgres: postgresJsonText(p, facts.keyOrders.get(name) ?? []), quick: mysqlRawJsonText(m, facts.mariaDb) };
    return { ...client(name, 'json', m, `${p}::text`), loose, mysqlExpected: mysqlJsonHasNul(m, facts.mariaDb) };
  }
  if (source.isJson) return client(name, udt === 'json' ? 'json' : 'text', m, `${p}::text`);
  if (udt === 'float4' || udt === 'float8') {
    // `+ 0e0`: the server prints FLOAT with 6 digits, as a DOUBLE it prints the stored value exactly.
    return client(name, udt === 'float4' ? 'float32' : 'float64', `${m} + 0e0`, `${p}::text`);
  }
  if (udt === 'time' || udt === 'interval') return client(name, 'time', m, `extract(epoch from ${p})::text`);

  if (INTEGER_TYPES.has(type) || type === 'decimal') {
    if (udt === 'bool') return booleanText(name, m, p);
    // YEAR prints as '0000' and ZEROFILL pads with zeros in MySQL text, but both were copied as numbers.
    const mysql = type === 'year' || source.columnType.includes('zerofill') ? `(${m} + 0)` : m;
    const scale = type === 'decimal' ? source.numericScale ?? 0 : 0;
    // Equal scales print the same digits on both sides; anything else is compared by value.
    if (PG_INTEGERS.has(udt) ? scale === 0 : udt === 'numeric' && target.scale === scale) return hashed(name, mysql, `${p}::text`, { value: p, quick: mysql });
    return client(name, 'decimal', mysql, `${p}::text`);
  }
  if (type === 'date' && udt === 'date') return dateText(name, m, p, null, null);
  if ((type === 'datetime' || type === 'timestamp') && (udt === 'timestamptz' || udt === 'timestamp')) {
    // TIMESTAMP is read in UTC (the session runs at +00:00); DATETIME is wall-clock time in the source's zone.
    const zone = udt === 'timestamp' ? null : column.kind === 'timestamp-utc' || type === 'timestamp' ? 'UTC' : sourceTimezone;
    return dateText(name, m, p, (source.datetimePrecision ?? 0) > 0, zone);
  }
  if (type === 'bit') {
    if (udt === 'bool') return booleanText(name, m, p);
    if (udt === 'varbit' || udt === 'bit') return hashed(name, `LPAD(BIN(${m}), ${source.numericPrecision ?? 1}, '0')`, `${p}::text`);
  }
  if ((BINARY_TYPES.has(type) || SPATIAL_TYPES.has(type)) && udt === 'bytea') {
    const value = SPATIAL_TYPES.has(type) ? `ST_AsBinary(${m})` : m;
    // Hashing the bytes directly spares hex-encoding large blobs; hex is what rows show.
    return hashed(name, `HEX(${value})`, `upper(encode(${p}, 'hex'))`, { hash: { mysql: `MD5(${value})`, postgres: `md5(${p})` } });
  }
  if (type === 'set' && udt === '_text') return hashed(name, mysqlUtf8(m), `array_to_string(${p}, ',')`, { frame: true });
  if (TEXT_TYPES.has(type) && PG_TEXTS.has(udt)) {
    const withoutNul = `REPLACE(${mysqlUtf8(m)}, X'00', '')`;
    const expected = `(INSTR(${mysqlUtf8(m)}, X'00') > 0)`;
    // The quick text keeps NUL characters, which no Postgres text holds; UTF-8 bytes need no conversion.
    const bytes = facts.utf8Columns.has(source.name) ? `CAST(${m} AS BINARY)` : mysqlUtf8(m);
    // Postgres char(n) pads with spaces, which its cast to text drops; MySQL strips them when reading.
    if (udt === 'bpchar') return hashed(name, `RTRIM(${withoutNul})`, `${p}::text`, { frame: true, expected, quick: `RTRIM(${bytes})` });
    return hashed(name, withoutNul, `${p}::text`, { frame: true, expected, quick: bytes });
  }
  // uuid, inet and whatever else: compared as text, here.
  return client(name, udt === 'bpchar' ? 'padded-text' : 'text', m, `${p}::text`);
}
