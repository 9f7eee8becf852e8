// Row-for-row comparison of a MySQL database with the Postgres database `migrate db` made from it,
// plus catalog descriptions of both sides so tests can check constraints and defaults survived.
//
// Values are brought to one canonical text per column kind on each side, so equal values compare
// equal and different values never do. Both sides are streamed in primary-key order and merged,
// so memory stays flat however big a table is.
import { createHash } from 'node:crypto';
import mysql from 'mysql2';
import pg from 'pg';
import { parseDsn } from '../../src/config/dsn.js';
import { canonicalDecimal, canonicalFloat32, canonicalFloat64, canonicalJson, mysqlTimeToSeconds } from '../../src/migrate/verify/normalise.js';

// One set of value normalisers for this check and for `migrate verify`.
export { canonicalDecimal, canonicalFloat32, canonicalFloat64, canonicalJson, mysqlTimeToSeconds };

// ---------------------------------------------------------------------------------------------
// Public types

export type ColumnKind =
  | 'int'
  | 'decimal'
  | 'float'
  | 'double'
  | 'date'
  | 'datetime'
  | 'time'
  | 'year'
  | 'text'
  | 'enum'
  | 'set'
  | 'bit'
  | 'binary'
  | 'json'
  | 'other';

/** Why a value is allowed to differ between the two sides. */
export type ExpectedReason = 'zero-date' | 'nul-removed';

export interface CanonicalValue {
  value: string | null;
  /** The value Postgres is expected to hold instead, when the MySQL value cannot be stored as it is. */
  expected?: { value: string | null; reason: ExpectedReason };
}

export interface Mismatch {
  /** Primary key of the row (column -> MySQL value), or null for tables compared as multisets. */
  pk: Record<string, string | null> | null;
  /** The differing column, or '*' for a row present on one side only. */
  column: string;
  mysql: string | null;
  postgres: string | null;
}

export interface TableComparison {
  table: string;
  /** Primary-key columns; empty when the table has none and was compared as a multiset of rows. */
  primaryKey: string[];
  rowsMysql: number;
  rowsPostgres: number;
  /** Rows that differ in any column, plus rows present on one side only. */
  mismatchedRows: number;
  missingInPostgres: number;
  extraInPostgres: number;
  /** The first few differences found. */
  mismatches: Mismatch[];
  /** Values that differ in the ways the migration documents (zero date -> NULL, NUL removed). */
  expectedDifferences: number;
  expectedByReason: Partial<Record<ExpectedReason, number>>;
  /** Problems that make the comparison of this table incomplete (missing table or column, ...). */
  errors: string[];
  seconds: number;
}

export interface ComparisonResult {
  tables: TableComparison[];
  mismatchedRows: number;
  expectedDifferences: number;
  /** True when no table has mismatches, row-count differences or errors. */
  ok: boolean;
  seconds: number;
}

export interface CompareOptions {
  mysqlUrl: string;
  postgresUrl: string;
  schema?: string;
  /** Only these tables (default: every base table of the MySQL database). */
  tables?: string[];
  /** How many mismatches to keep per table (default 10). */
  maxMismatches?: number;
  /** Called as soon as a table is done, e.g. to print progress. */
  onTable?: (table: TableComparison) => void;
}

// ---------------------------------------------------------------------------------------------
// Normalisers (pure; exported for unit tests)

const INVALID = '\u0001invalid:';

/** Orders two canonical decimals (as produced by canonicalDecimal) by value. */
export function compareDecimal(a: string, b: string): number {
  const negA = a.startsWith('-');
  const negB = b.startsWith('-');
  if (negA !== negB) return negA ? -1 : 1;
  const absA = negA ? a.slice(1) : a;
  const absB = negB ? b.slice(1) : b;
  const [ia = '', fa = ''] = absA.split('.');
  const [ib = '', fb = ''] = absB.split('.');
  let c = ia.length - ib.length || (ia < ib ? -1 : ia > ib ? 1 : 0);
  if (c === 0) {
    const len = Math.max(fa.length, fb.length);
    const pa = fa.padEnd(len, '0');
    const pb = fb.padEnd(len, '0');
    c = pa < pb ? -1 : pa > pb ? 1 : 0;
  }
  const sign = Math.sign(c);
  return negA && sign !== 0 ? -sign : sign;
}

/**
 * True for MySQL dates Postgres has no value for: a zero year, month or day ('0000-00-00', '2024-00-10',
 * '0000-06-15') or a day past the end of its month ('2023-02-31', stored under ALLOW_INVALID_DATES).
 */
export function isZeroDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year === 0 || month === 0 || day === 0) return true;
  const daysInMonth = [31, year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return day > daysInMonth;
}

function trimFraction(frac: string | undefined): string {
  const f = (frac ?? '').replace(/0+$/, '');
  return f ? `.${f}` : '';
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** A MySQL DATETIME/TIMESTAMP text (read as UTC) as 'YYYY-MM-DD HH:MM:SS[.fraction]'. */
export function canonicalMysqlDatetime(value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?$/.exec(value.trim());
  if (!m) return INVALID + value;
  return `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]}${trimFraction(m[7])}`;
}

/** A Postgres timestamptz/timestamp text as the UTC instant, in the form canonicalMysqlDatetime uses. */
export function canonicalPostgresTimestamp(value: string): string {
  const m =
    /^(\d{4,})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?)?( BC)?$/.exec(
      value.trim(),
    );
  if (!m || m[12]) return INVALID + value;
  const frac = trimFraction(m[7]);
  const offsetSeconds = m[8] ? (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 3600 + Number(m[10] ?? 0) * 60 + Number(m[11] ?? 0)) : 0;
  if (offsetSeconds === 0) return `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]}${frac}`;
  const d = new Date(0);
  d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  d.setUTCHours(Number(m[4]), Number(m[5]), Number(m[6]) - offsetSeconds, 0);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${frac}`
  );
}

/** Bits as an unsigned integer in decimal, from MySQL BIT bytes. */
export function bitsFromBuffer(buf: Buffer): string {
  return buf.length === 0 ? '0' : BigInt(`0x${buf.toString('hex')}`).toString();
}

/** Bits as an unsigned integer in decimal, from a Postgres bit/bit varying text ('0101'). */
export function bitsFromBitString(bits: string): string {
  if (!/^[01]*$/.test(bits)) return INVALID + bits;
  return bits === '' ? '0' : BigInt(`0b${bits}`).toString();
}

function sortedArrayText(items: string[]): string {
  return JSON.stringify([...items].sort());
}

/** A MySQL SET value ('a,c') as a canonical array text. */
export function canonicalMysqlSet(value: string): string {
  return sortedArrayText(value === '' ? [] : value.split(','));
}

/** A Postgres array read with to_json(col)::text, as a canonical array text. */
export function canonicalPostgresArrayJson(json: string): string {
  try {
    const parsed: unknown = JSON.parse(json);
    if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) return sortedArrayText(parsed as string[]);
  } catch {
    // fall through
  }
  return INVALID + json;
}

/** Elements of a one-dimensional Postgres array literal ('{a,"b,c",NULL}'). */
export function parsePostgresArrayLiteral(literal: string): (string | null)[] | undefined {
  const s = literal.trim();
  if (!s.startsWith('{') || !s.endsWith('}')) return undefined;
  const out: (string | null)[] = [];
  let i = 1;
  if (s[i] === '}') return out;
  while (i < s.length) {
    let item = '';
    let quoted = false;
    if (s[i] === '"') {
      quoted = true;
      i++;
      while (i < s.length && s[i] !== '"') {
        if (s[i] === '\\') i++;
        item += s[i];
        i++;
      }
      i++;
    } else {
      while (i < s.length && s[i] !== ',' && s[i] !== '}') item += s[i++];
    }
    out.push(!quoted && item.toUpperCase() === 'NULL' ? null : item);
    if (s[i] === ',') i++;
    else if (s[i] === '}') return i === s.length - 1 ? out : undefined;
    else return undefined;
  }
  return undefined;
}

/** The comparison kind of a MySQL column, from information_schema DATA_TYPE and COLUMN_TYPE. */
export function classifyMysqlColumn(dataType: string, columnType = ''): ColumnKind {
  const t = dataType.toLowerCase();
  switch (t) {
    case 'tinyint':
    case 'smallint':
    case 'mediumint':
    case 'int':
    case 'integer':
    case 'bigint':
      return 'int';
    case 'decimal':
    case 'numeric':
    case 'dec':
    case 'fixed':
      return 'decimal';
    case 'float':
      return 'float';
    case 'double':
    case 'double precision':
    case 'real':
      return 'double';
    case 'date':
      return 'date';
    case 'datetime':
    case 'timestamp':
      return 'datetime';
    case 'time':
      return 'time';
    case 'year':
      return 'year';
    case 'char':
    case 'varchar':
    case 'tinytext':
    case 'text':
    case 'mediumtext':
    case 'longtext':
    case 'uuid':
    case 'inet4':
    case 'inet6':
      return 'text';
    case 'enum':
      return 'enum';
    case 'set':
      return 'set';
    case 'bit':
      return 'bit';
    case 'binary':
    case 'varbinary':
    case 'tinyblob':
    case 'blob':
    case 'mediumblob':
    case 'longblob':
      return 'binary';
    case 'json':
      return 'json';
    default:
      return /^(tiny|small|medium|big)?int/.test(columnType.toLowerCase()) ? 'int' : 'other';
  }
}

/** Postgres type facts the canonicalisers need. */
export interface PostgresType {
  /** pg_type.typname, e.g. int4, bool, timestamptz, _text */
  typname: string;
  /** pg_type.typcategory, 'A' for arrays */
  category: string;
}

/** The kind both sides are compared as: MariaDB JSON columns are longtext, recognised by their jsonb target. */
export function comparisonKind(mysqlKind: ColumnKind, pgType: PostgresType): ColumnKind {
  if ((mysqlKind === 'text' || mysqlKind === 'other') && (pgType.typname === 'jsonb' || pgType.typname === 'json')) return 'json';
  return mysqlKind;
}

/** Canonical form of a MySQL value as read with a raw-string/Buffer typeCast (floats read as CAST(... AS DOUBLE)). */
export function canonicalMysqlValue(kind: ColumnKind, raw: string | Buffer | null): CanonicalValue {
  if (raw === null) return { value: null };
  if (Buffer.isBuffer(raw)) {
    if (kind === 'bit') return { value: bitsFromBuffer(raw) };
    return { value: raw.toString('hex') };
  }
  switch (kind) {
    case 'int':
    case 'year':
    case 'decimal':
    case 'bit':
      return { value: canonicalDecimal(raw) ?? INVALID + raw };
    case 'float':
      return { value: canonicalFloat32(raw) };
    case 'double':
      return { value: canonicalFloat64(raw) };
    case 'date':
      if (isZeroDate(raw)) return { value: INVALID + raw, expected: { value: null, reason: 'zero-date' } };
      return { value: /^\d{4}-\d{2}-\d{2}$/.test(raw) ? raw : INVALID + raw };
    case 'datetime':
      if (isZeroDate(raw)) return { value: INVALID + raw, expected: { value: null, reason: 'zero-date' } };
      return { value: canonicalMysqlDatetime(raw) };
    case 'time':
      return { value: mysqlTimeToSeconds(raw) };
    case 'set':
      return { value: canonicalMysqlSet(raw) };
    case 'binary':
      return { value: Buffer.from(raw, 'utf8').toString('hex') };
    case 'json': {
      const value = canonicalJson(raw) ?? INVALID + raw;
      if (raw.includes('\u0000') || raw.includes('\\u0000')) {
        const stripped = canonicalJson(raw.replaceAll('\u0000', ''), true);
        if (stripped !== undefined && stripped !== value) return { value, expected: { value: stripped, reason: 'nul-removed' } };
      }
      return { value };
    }
    case 'text':
    case 'enum':
    case 'other':
      if (raw.includes('\u0000')) return { value: raw, expected: { value: raw.replaceAll('\u0000', ''), reason: 'nul-removed' } };
      return { value: raw };
  }
}

function postgresBits(pgType: PostgresType, raw: string): string | undefined {
  if (pgType.typname === 'bool') return raw === 'true' || raw === 't' ? '1' : raw === 'false' || raw === 'f' ? '0' : INVALID + raw;
  if (pgType.typname === 'bit' || pgType.typname === 'varbit') return bitsFromBitString(raw);
  if (pgType.typname === 'bytea') return raw === '' ? '0' : BigInt(`0x${raw}`).toString();
  return undefined;
}

/**
 * Canonical form of a Postgres value read as text with postgresSelectExpression (bytea as hex,
 * time/interval as epoch seconds, arrays as JSON), to compare with canonicalMysqlValue.
 */
export function canonicalPostgresValue(kind: ColumnKind, pgType: PostgresType, raw: string | null): string | null {
  if (raw === null) return null;
  switch (kind) {
    case 'int':
    case 'year':
    case 'decimal':
    case 'bit':
      return postgresBits(pgType, raw) ?? canonicalDecimal(raw) ?? INVALID + raw;
    case 'float':
      return canonicalFloat32(raw);
    case 'double':
      return canonicalFloat64(raw);
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(raw) ? raw : INVALID + raw;
    case 'datetime':
      return canonicalPostgresTimestamp(raw);
    case 'time':
      if (isTimeLike(pgType)) return canonicalDecimal(raw) ?? INVALID + raw;
      return mysqlTimeToSeconds(raw);
    case 'set':
      if (pgType.category === 'A') return canonicalPostgresArrayJson(raw);
      return canonicalMysqlSet(raw);
    case 'binary':
      if (pgType.typname === 'uuid') return raw.replaceAll('-', '').toLowerCase();
      return pgType.typname === 'bytea' ? raw.toLowerCase() : Buffer.from(raw, 'utf8').toString('hex');
    case 'json':
      return canonicalJson(raw) ?? INVALID + raw;
    case 'text':
    case 'enum':
    case 'other':
      return raw;
  }
}

function isTimeLike(pgType: PostgresType): boolean {
  return pgType.typname === 'time' || pgType.typname === 'timetz' || pgType.typname === 'interval';
}

/** How to read a MySQL column so canonicalMysqlValue gets what it expects. */
export function mysqlSelectExpression(kind: ColumnKind, quotedColumn: string): string {
  return kind === 'float' || kind === 'double' ? `CAST(${quotedColumn} AS DOUBLE)` : quotedColumn;
}

/** How to read a Postgres column as text so canonicalPostgresValue gets what it expects. */
export function postgresSelectExpression(pgType: PostgresType, quotedColumn: string): string {
  if (pgType.typname === 'bytea') return `encode(${quotedColumn}, 'hex')`;
  if (isTimeLike(pgType)) return `extract(epoch from ${quotedColumn})::text`;
  if (pgType.category === 'A') return `to_json(${quotedColumn})::text`;
  return `${quotedColumn}::text`;
}

/** Orders two canonical primary-key values of one kind the way both databases are asked to sort them. */
export function compareKeyValues(kind: ColumnKind, a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  switch (kind) {
    case 'int':
    case 'year':
    case 'decimal':
    case 'bit':
    case 'time':
      if (!a.startsWith(INVALID) && !b.startsWith(INVALID)) return compareDecimal(a, b);
      break;
    case 'float':
    case 'double':
      return Math.sign(Number(a) - Number(b)) || (a < b ? -1 : 1);
    case 'text':
    case 'enum':
    case 'set':
    case 'json':
    case 'other':
      return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
  }
  return a < b ? -1 : 1;
}

// ---------------------------------------------------------------------------------------------
// Defaults and foreign-key actions

export type DefaultValue =
  | { kind: 'now' }
  | { kind: 'literal'; value: string }
  | { kind: 'expression'; sql: string };

const NOW_FUNCTIONS = /^(now\(\)|current_timestamp(\(\d*\))?|transaction_timestamp\(\)|statement_timestamp\(\)|localtimestamp(\(\d*\))?)$/i;

/** The body of a quoted SQL string literal ('' doubles a quote; backslash escapes where the dialect has them). */
function unquoteSql(s: string, backslashEscapes: boolean): string | undefined {
  const escapes = backslashEscapes || /^[eE]'/.test(s);
  const m = escapes ? /^[eE]?'((?:[^'\\]|''|\\.)*)'$/s.exec(s) : /^'((?:[^']|'')*)'$/s.exec(s);
  if (!m) return undefined;
  let body = m[1]!;
  if (escapes) {
    body = body.replace(/''|\\(.)/gs, (_all, c: string | undefined) =>
      c === undefined ? "'" : ({ n: '\n', t: '\t', r: '\r', '0': '\0', Z: '\x1a', b: '\b' } as Record<string, string>)[c] ?? c,
    );
  } else {
    body = body.replaceAll("''", "'");
  }
  return body;
}

/**
 * A MySQL/MariaDB information_schema COLUMN_DEFAULT as a structured value. MariaDB quotes string
 * literals and shows 'NULL' for a NULL default; MySQL shows literals bare and marks expressions
 * with DEFAULT_GENERATED in EXTRA.
 */
export function parseMysqlDefault(raw: string | null, options: { mariadb: boolean; extra?: string }): DefaultValue | null {
  if (raw === null) return null;
  const s = raw.trim();
  if (NOW_FUNCTIONS.test(s)) return { kind: 'now' };
  if (!options.mariadb) {
    if (/DEFAULT_GENERATED/i.test(options.extra ?? '')) return { kind: 'expression', sql: s };
    return { kind: 'literal', value: raw };
  }
  if (s === 'NULL') return null;
  const unquoted = unquoteSql(s, true);
  if (unquoted !== undefined) return { kind: 'literal', value: unquoted };
  if (canonicalDecimal(s) !== undefined) return { kind: 'literal', value: s };
  const bits = /^b'([01]*)'$/i.exec(s);
  if (bits) return { kind: 'literal', value: bitsFromBitString(bits[1]!) };
  return { kind: 'expression', sql: s };
}

/** A Postgres default expression (pg_get_expr) as a structured value; nextval() counts as no default. */
export function parsePostgresDefault(expr: string | null): DefaultValue | null {
  if (expr === null) return null;
  let s = expr.trim();
  for (;;) {
    const before = s;
    while (s.startsWith('(') && s.endsWith(')') && balanced(s.slice(1, -1))) s = s.slice(1, -1).trim();
    s = s.replace(/::(?:"[^"]+"|[a-z_][a-z0-9_ ]*)(?:\(\d+(?:,\s*\d+)?\))?(?:\[\])*$/i, '').trim();
    if (s === before) break;
  }
  if (/^nextval\(/i.test(s)) return null;
  if (s.toUpperCase() === 'NULL') return null;
  if (NOW_FUNCTIONS.test(s)) return { kind: 'now' };
  const bits = /^B'([01]*)'$/.exec(s);
  if (bits) return { kind: 'literal', value: bits[1]! };
  const unquoted = unquoteSql(s, false);
  if (unquoted !== undefined) return { kind: 'literal', value: unquoted };
  if (/^(true|false)$/i.test(s)) return { kind: 'literal', value: s.toLowerCase() };
  if (canonicalDecimal(s) !== undefined) return { kind: 'literal', value: s };
  return { kind: 'expression', sql: s };
}

function balanced(s: string): boolean {
  let depth = 0;
  let quoted = false;
  for (const ch of s) {
    if (ch === "'") quoted = !quoted;
    if (quoted) continue;
    if (ch === '(') depth++;
    if (ch === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

/** Canonical value of a Postgres default literal, in the same form canonicalPostgresValue produces. */
function canonicalPostgresLiteral(kind: ColumnKind, pgType: PostgresType, literal: string): string | null {
  switch (kind) {
    case 'time':
      return mysqlTimeToSeconds(literal);
    case 'set': {
      if (pgType.category !== 'A') return canonicalMysqlSet(literal);
      const items = parsePostgresArrayLiteral(literal);
      return items && items.every((x) => x !== null) ? sortedArrayText(items as string[]) : INVALID + literal;
    }
    case 'binary':
      if (pgType.typname === 'bytea' && literal.startsWith('\\x')) return literal.slice(2).toLowerCase();
      return canonicalPostgresValue(kind, pgType, literal);
    default:
      return canonicalPostgresValue(kind, pgType, literal);
  }
}

export interface DefaultComparisonInput {
  mysql: { dataType: string; columnType: string; defaultValue: DefaultValue | null };
  postgres: { dataType: string; category: string; defaultValue: DefaultValue | null };
}

/**
 * Whether a Postgres column default carries the MySQL one: CURRENT_TIMESTAMP as now()/CURRENT_TIMESTAMP,
 * literals by value in the column's kind (1 == true for booleans, 10.00 == 10.0), a zero-date
 * literal as no default.
 */
export function sameDefault({ mysql: source, postgres: target }: DefaultComparisonInput): boolean {
  const s = source.defaultValue;
  const t = target.defaultValue;
  if (s === null || t === null) {
    if (s?.kind === 'literal' && t === null) {
      const kind = classifyMysqlColumn(source.dataType, source.columnType);
      return canonicalMysqlValue(kind, s.value).expected?.value === null;
    }
    return s === t;
  }
  if (s.kind === 'now' || t.kind === 'now') return s.kind === t.kind;
  if (s.kind === 'expression' || t.kind === 'expression') {
    const sql = (d: DefaultValue) => (d.kind === 'expression' ? d.sql : d.kind === 'literal' ? d.value : '').toLowerCase().replace(/\s+/g, '');
    return s.kind === t.kind && sql(s) === sql(t);
  }
  const pgType = { typname: target.dataType, category: target.category };
  const kind = comparisonKind(classifyMysqlColumn(source.dataType, source.columnType), pgType);
  const canonical = canonicalMysqlValue(kind, s.value);
  const pgValue = canonicalPostgresLiteral(kind, pgType, t.value);
  return pgValue === canonical.value || (canonical.expected !== undefined && pgValue === canonical.expected.value);
}

/** MySQL treats NO ACTION as RESTRICT; either is an acceptable Postgres rendering of the other. */
export function sameForeignKeyAction(mysqlAction: string, postgresAction: string): boolean {
  const norm = (a: string) => {
    const u = a.toUpperCase().replace(/_/g, ' ');
    return u === 'NO ACTION' ? 'RESTRICT' : u;
  };
  return norm(mysqlAction) === norm(postgresAction);
}

// ---------------------------------------------------------------------------------------------
// Catalog descriptions

export interface ForeignKeyDescription {
  name: string;
  table: string;
  columns: string[];
  referencedTable: string;
  referencedColumns: string[];
  /** CASCADE, SET NULL, SET DEFAULT, RESTRICT or NO ACTION */
  onDelete: string;
  onUpdate: string;
}

export interface ColumnDescription {
  table: string;
  column: string;
  /** MySQL COLUMN_TYPE or Postgres format_type() */
  type: string;
  /** MySQL DATA_TYPE or Postgres typname */
  dataType: string;
  /** Postgres typcategory ('' for MySQL) */
  category: string;
  notNull: boolean;
  /** The default as the catalog shows it */
  default: string | null;
  defaultValue: DefaultValue | null;
  /** AUTO_INCREMENT / identity or serial */
  autoIncrement: boolean;
}

export interface SchemaDescription {
  tables: string[];
  columns: ColumnDescription[];
  foreignKeys: ForeignKeyDescription[];
  notNull: Array<{ table: string; column: string }>;
  defaults: Array<{ table: string; column: string; default: string; value: DefaultValue }>;
}

function summarise(tables: string[], columns: ColumnDescription[], foreignKeys: ForeignKeyDescription[]): SchemaDescription {
  return {
    tables,
    columns,
    foreignKeys,
    notNull: columns.filter((c) => c.notNull).map((c) => ({ table: c.table, column: c.column })),
    defaults: columns
      .filter((c) => c.defaultValue !== null)
      .map((c) => ({ table: c.table, column: c.column, default: c.default ?? '', value: c.defaultValue! })),
  };
}

/** Foreign keys, NOT NULL columns and defaults of every base table of the MySQL database, from information_schema. */
export async function describeSource(mysqlUrl: string): Promise<SchemaDescription> {
  const database = parseDsn(mysqlUrl, 'mysql', 'MySQL URL').database;
  const conn = mysql.createConnection({ uri: mysqlUrl, charset: 'utf8mb4' }).promise();
  try {
    const [[versionRow]] = await conn.query<mysql.RowDataPacket[]>('SELECT VERSION() AS v');
    const mariadb = /mariadb/i.test(String(versionRow?.v ?? ''));
    const tables = await mysqlBaseTables(conn, database);
    const [cols] = await conn.query<mysql.RowDataPacket[]>(
      `SELECT TABLE_NAME AS t, COLUMN_NAME AS c, COLUMN_TYPE AS ct, DATA_TYPE AS dt, IS_NULLABLE AS n, COLUMN_DEFAULT AS d, EXTRA AS x
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION`,
      [database],
    );
    const tableSet = new Set(tables);
    const columns: ColumnDescription[] = cols
      .filter((r) => tableSet.has(String(r.t)))
      .map((r) => ({
        table: String(r.t),
        column: String(r.c),
        type: String(r.ct),
        dataType: String(r.dt),
        category: '',
        notNull: r.n === 'NO',
        default: r.d === null ? null : String(r.d),
        defaultValue: parseMysqlDefault(r.d === null ? null : String(r.d), { mariadb, extra: String(r.x ?? '') }),
        autoIncrement: /auto_increment/i.test(String(r.x ?? '')),
      }));
    const [fks] = await conn.query<mysql.RowDataPacket[]>(
      `SELECT rc.CONSTRAINT_NAME AS name, rc.TABLE_NAME AS t, rc.REFERENCED_TABLE_NAME AS rt,
              rc.DELETE_RULE AS del, rc.UPDATE_RULE AS upd, k.COLUMN_NAME AS c, k.REFERENCED_COLUMN_NAME AS rc
         FROM information_schema.REFERENTIAL_CONSTRAINTS rc
         JOIN information_schema.KEY_COLUMN_USAGE k
           ON k.CONSTRAINT_SCHEMA = rc.CONSTRAINT_SCHEMA AND k.CONSTRAINT_NAME = rc.CONSTRAINT_NAME AND k.TABLE_NAME = rc.TABLE_NAME
        WHERE rc.CONSTRAINT_SCHEMA = ?
        ORDER BY rc.TABLE_NAME, rc.CONSTRAINT_NAME, k.ORDINAL_POSITION`,
      [database],
    );
    const byName = new Map<string, ForeignKeyDescription>();
    for (const r of fks) {
      const key = `${r.t}\u0000${r.name}`;
      let fk = byName.get(key);
      if (!fk) {
        fk = {
          name: String(r.name),
          table: String(r.t),
          columns: [],
          referencedTable: String(r.rt),
          referencedColumns: [],
          onDelete: String(r.del),
          onUpdate: String(r.upd),
        };
        byName.set(key, fk);
      }
      fk.columns.push(String(r.c));
      fk.referencedColumns.push(String(r.rc));
    }
    return summarise(tables, columns, [...byName.values()]);
  } finally {
    await conn.end();
  }
}

const PG_ACTIONS: Record<string, string> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };

/** Foreign keys, NOT NULL columns and defaults of every table in the Postgres schema, from pg_catalog. */
export async function describeTarget(postgresUrl: string, schema = 'public'): Promise<SchemaDescription> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    // Defaults are deparsed with the session time zone; UTC keeps timestamptz literals comparable.
    await client.query(`SET TIME ZONE 'UTC'`);
    const tables = (
      await client.query<{ t: string }>(
        `SELECT c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1`,
        [schema],
      )
    ).rows.map((r) => r.t);
    const cols = await client.query<{
      t: string; c: string; ft: string; tn: string; cat: string; nn: boolean; d: string | null; ident: string;
    }>(
      `SELECT c.relname AS t, a.attname AS c, format_type(a.atttypid, a.atttypmod) AS ft, ty.typname AS tn,
              ty.typcategory AS cat, a.attnotnull AS nn, pg_get_expr(d.adbin, d.adrelid) AS d, a.attidentity AS ident
         FROM pg_attribute a
         JOIN pg_class c ON c.oid = a.attrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_type ty ON ty.oid = a.atttypid
         LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY c.relname, a.attnum`,
      [schema],
    );
    const columns: ColumnDescription[] = cols.rows.map((r) => ({
      table: r.t,
      column: r.c,
      type: r.ft,
      dataType: r.tn,
      category: r.cat,
      notNull: r.nn,
      default: r.d,
      defaultValue: parsePostgresDefault(r.d),
      autoIncrement: r.ident === 'a' || r.ident === 'd' || /^nextval\(/i.test(r.d ?? ''),
    }));
    const fks = await client.query<{
      name: string; t: string; rt: string; cols: string[]; rcols: string[]; del: string; upd: string;
    }>(
      `SELECT con.conname AS name, rel.relname AS t, frel.relname AS rt,
              ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, o)
                      JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.o) AS cols,
              ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, o)
                      JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.o) AS rcols,
              con.confdeltype::text AS del, con.confupdtype::text AS upd
         FROM pg_constraint con
         JOIN pg_class rel ON rel.oid = con.conrelid
         JOIN pg_namespace n ON n.oid = rel.relnamespace
         JOIN pg_class frel ON frel.oid = con.confrelid
        WHERE con.contype = 'f' AND n.nspname = $1
        ORDER BY rel.relname, con.conname`,
      [schema],
    );
    const foreignKeys = fks.rows.map((r) => ({
      name: r.name,
      table: r.t,
      columns: r.cols,
      referencedTable: r.rt,
      referencedColumns: r.rcols,
      onDelete: PG_ACTIONS[r.del] ?? r.del,
      onUpdate: PG_ACTIONS[r.upd] ?? r.upd,
    }));
    return summarise(tables, columns, foreignKeys);
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// Row comparison

const quoteMysql = (id: string) => `\`${id.replaceAll('`', '``')}\``;
const quotePg = (id: string) => `"${id.replaceAll('"', '""')}"`;

interface ColumnPlan {
  name: string;
  kind: ColumnKind;
  pgType: PostgresType;
  mysqlExpr: string;
  pgExpr: string;
  /** Read as Buffer from MySQL */
  binary: boolean;
}

type MysqlRaw = string | Buffer | null;
type PromiseConnection = ReturnType<mysql.Connection['promise']>;

async function mysqlBaseTables(conn: PromiseConnection, database: string): Promise<string[]> {
  const [rows] = await conn.query<mysql.RowDataPacket[]>(
    `SELECT TABLE_NAME AS t FROM information_schema.TABLES
      WHERE TABLE_SCHEMA = ? AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED') ORDER BY TABLE_NAME`,
    [database],
  );
  return rows.map((r) => String(r.t));
}

function openMysql(url: string): mysql.Connection {
  return mysql.createConnection({ uri: url, charset: 'utf8mb4', supportBigNumbers: true, bigNumberStrings: true, dateStrings: true });
}

/** Streams the rows of a MySQL query as arrays of raw strings / Buffers, with backpressure. */
async function* mysqlRows(conn: mysql.Connection, sql: string, binaryColumns: Set<string>): AsyncGenerator<MysqlRaw[]> {
  const stream = conn
    .query({
      sql,
      rowsAsArray: true,
      typeCast: (field) => (binaryColumns.has(field.name) || field.type === 'BIT' ? field.buffer() : field.string('utf8')),
    })
    .stream({ highWaterMark: 1000 });
  for await (const row of stream) yield row as MysqlRaw[];
}

const PG_BATCH = 5000;

/** Reads a Postgres query through a server-side cursor, PG_BATCH rows at a time. */
async function* postgresRows(client: pg.Client, sql: string): AsyncGenerator<(string | null)[]> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  let finished = false;
  try {
    await client.query(`DECLARE compare_rows NO SCROLL CURSOR FOR ${sql}`);
    for (;;) {
      const res = await client.query<(string | null)[]>({ text: `FETCH FORWARD ${PG_BATCH} FROM compare_rows`, rowMode: 'array' });
      for (const row of res.rows) yield row;
      if (res.rows.length < PG_BATCH) break;
    }
    await client.query('COMMIT');
    finished = true;
  } finally {
    if (!finished) await client.query('ROLLBACK').catch(() => undefined);
  }
}

async function openPostgres(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`SET TIME ZONE 'UTC'`);
  await client.query(`SET DateStyle TO ISO, YMD`);
  await client.query(`SET IntervalStyle TO postgres`);
  await client.query(`SET extra_float_digits TO 3`);
  return client;
}

function display(raw: MysqlRaw | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  if (Buffer.isBuffer(raw)) return raw.length > 64 ? `0x${raw.subarray(0, 64).toString('hex')}… (${raw.length} bytes)` : `0x${raw.toString('hex')}`;
  return raw.length > 200 ? `${raw.slice(0, 200)}… (${raw.length} chars)` : raw;
}

function emptyResult(table: string): TableComparison {
  return {
    table,
    primaryKey: [],
    rowsMysql: 0,
    rowsPostgres: 0,
    mismatchedRows: 0,
    missingInPostgres: 0,
    extraInPostgres: 0,
    mismatches: [],
    expectedDifferences: 0,
    expectedByReason: {},
    errors: [],
    seconds: 0,
  };
}

function countExpected(result: TableComparison, reason: ExpectedReason): void {
  result.expectedDifferences++;
  result.expectedByReason[reason] = (result.expectedByReason[reason] ?? 0) + 1;
}

interface TableContext {
  table: string;
  database: string;
  schema: string;
  mysqlUrl: string;
  pgClient: pg.Client;
  metaConn: PromiseConnection;
  maxMismatches: number;
}

async function compareTable(ctx: TableContext): Promise<TableComparison> {
  const started = performance.now();
  const result = emptyResult(ctx.table);
  try {
    await compareTableInto(ctx, result);
  } catch (err) {
    result.errors.push(`comparison failed: ${(err as Error).message}`);
  }
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

async function compareTableInto(ctx: TableContext, result: TableComparison): Promise<void> {
  const { table, database, schema } = ctx;
  const [myCols] = await ctx.metaConn.query<mysql.RowDataPacket[]>(
    `SELECT COLUMN_NAME AS c, DATA_TYPE AS dt, COLUMN_TYPE AS ct, COLUMN_KEY AS k
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`,
    [database, table],
  );
  const [pkRows] = await ctx.metaConn.query<mysql.RowDataPacket[]>(
    `SELECT COLUMN_NAME AS c FROM information_schema.STATISTICS
      WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND INDEX_NAME = 'PRIMARY' ORDER BY SEQ_IN_INDEX`,
    [database, table],
  );
  const pgCols = await ctx.pgClient.query<{ c: string; tn: string; cat: string }>(
    `SELECT a.attname AS c, ty.typname AS tn, ty.typcategory AS cat
       FROM pg_attribute a JOIN pg_class cl ON cl.oid = a.attrelid JOIN pg_namespace n ON n.oid = cl.relnamespace
       JOIN pg_type ty ON ty.oid = a.atttypid
      WHERE n.nspname = $1 AND cl.relname = $2 AND cl.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    [schema, table],
  );
  // Table alias t: ORDER BY must name the table's columns, never the text-cast output columns.
  const pgTable = `${quotePg(schema)}.${quotePg(table)} AS t`;
  if (pgCols.rows.length === 0) {
    const [[count]] = await ctx.metaConn.query<mysql.RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${quoteMysql(table)}`);
    result.rowsMysql = Number(count?.n ?? 0);
    result.missingInPostgres = result.rowsMysql;
    result.mismatchedRows = result.rowsMysql;
    result.errors.push(`table ${schema}.${table} does not exist in Postgres`);
    return;
  }
  const pgByName = new Map(pgCols.rows.map((r) => [r.c, { typname: r.tn, category: r.cat }]));
  const plans: ColumnPlan[] = [];
  for (const r of myCols) {
    const name = String(r.c);
    const pgType = pgByName.get(name);
    if (!pgType) {
      result.errors.push(`column ${table}.${name} does not exist in Postgres`);
      continue;
    }
    const kind = comparisonKind(classifyMysqlColumn(String(r.dt), String(r.ct)), pgType);
    plans.push({
      name,
      kind,
      pgType,
      mysqlExpr: mysqlSelectExpression(kind, `t.${quoteMysql(name)}`),
      pgExpr: postgresSelectExpression(pgType, `t.${quotePg(name)}`),
      binary: kind === 'binary' || kind === 'bit',
    });
  }
  const mysqlNames = new Set(myCols.map((r) => String(r.c)));
  for (const r of pgCols.rows) if (!mysqlNames.has(r.c)) result.errors.push(`column ${table}.${r.c} exists only in Postgres`);

  const pk = pkRows.map((r) => String(r.c));
  result.primaryKey = pk;
  const pkIndexes = pk.map((name) => plans.findIndex((p) => p.name === name));
  if (pkIndexes.some((i) => i < 0)) {
    result.errors.push(`primary key of ${table} cannot be compared: a key column is missing in Postgres`);
    return;
  }

  const binaryAliases = new Set(plans.flatMap((p, i) => (p.binary ? [`c${i}`] : [])));
  const mysqlList = plans.map((p, i) => `${p.mysqlExpr} AS c${i}`).join(', ');
  const pgList = plans.map((p, i) => `${p.pgExpr} AS c${i}`).join(', ');
  const mysqlTable = `${quoteMysql(table)} AS t`;

  if (pk.length === 0) {
    await compareAsMultisets(ctx, result, plans, `SELECT ${mysqlList} FROM ${mysqlTable}`, `SELECT ${pgList} FROM ${pgTable}`, binaryAliases);
    return;
  }

  // Both sides sort text keys by code point, so the merge below sees one order.
  const mysqlOrder = pkIndexes
    .map((i) => {
      const p = plans[i]!;
      const q = `t.${quoteMysql(p.name)}`;
      return p.kind === 'text' || p.kind === 'enum' || p.kind === 'set' ? `CAST(CONVERT(${q} USING utf8mb4) AS BINARY)` : q;
    })
    .join(', ');
  const pgOrder = pkIndexes
    .map((i) => {
      const p = plans[i]!;
      const q = `t.${quotePg(p.name)}`;
      // citext orders by lower() under any collation: only its text form sorts by code point.
      if (p.pgType.typname === 'citext') return `${q}::text COLLATE "C"`;
      return ['text', 'varchar', 'bpchar'].includes(p.pgType.typname) ? `${q} COLLATE "C"` : q;
    })
    .join(', ');

  const conn = openMysql(ctx.mysqlUrl);
  let clean = false;
  try {
    await conn.promise().query(`SET time_zone = '+00:00'`);
    const myIt = mysqlRows(conn, `SELECT ${mysqlList} FROM ${mysqlTable} ORDER BY ${mysqlOrder}`, binaryAliases);
    const pgIt = postgresRows(ctx.pgClient, `SELECT ${pgList} FROM ${pgTable} ORDER BY ${pgOrder}`);
    try {
      await mergeByKey(result, plans, pkIndexes, myIt, pgIt, ctx.maxMismatches);
      clean = true;
    } finally {
      // Closes the Postgres cursor and transaction when the merge stopped early.
      await pgIt.return(undefined).catch(() => undefined);
    }
  } finally {
    if (clean) await conn.promise().end();
    else conn.destroy();
  }
}

async function mergeByKey(
  result: TableComparison,
  plans: ColumnPlan[],
  pkIndexes: number[],
  myIt: AsyncGenerator<MysqlRaw[]>,
  pgIt: AsyncGenerator<(string | null)[]>,
  maxMismatches: number,
): Promise<void> {
  const mysqlKey = (row: MysqlRaw[]) => pkIndexes.map((i) => canonicalMysqlValue(plans[i]!.kind, row[i] ?? null).value);
  const pgKey = (row: (string | null)[]) => pkIndexes.map((i) => canonicalPostgresValue(plans[i]!.kind, plans[i]!.pgType, row[i] ?? null));
  const compareKeys = (a: (string | null)[], b: (string | null)[]) => {
    for (let k = 0; k < pkIndexes.length; k++) {
      const c = compareKeyValues(plans[pkIndexes[k]!]!.kind, a[k]!, b[k]!);
      if (c !== 0) return c;
    }
    return 0;
  };
  const pkOf = (row: MysqlRaw[] | (string | null)[]) =>
    Object.fromEntries(pkIndexes.map((i) => [plans[i]!.name, display(row[i] ?? null)]));
  const note = (m: Mismatch) => {
    if (result.mismatches.length < maxMismatches) result.mismatches.push(m);
  };

  let my = await myIt.next();
  let pgr = await pgIt.next();
  let myKey = my.done ? null : mysqlKey(my.value);
  let pgKeyValue = pgr.done ? null : pgKey(pgr.value);
  let prevMy: (string | null)[] | null = null;
  let prevPg: (string | null)[] | null = null;

  const advanceMy = async () => {
    result.rowsMysql++;
    prevMy = myKey;
    my = await myIt.next();
    myKey = my.done ? null : mysqlKey(my.value);
    if (myKey && prevMy && compareKeys(prevMy, myKey) >= 0) throw new Error('MySQL rows did not arrive in primary-key order');
  };
  const advancePg = async () => {
    result.rowsPostgres++;
    prevPg = pgKeyValue;
    pgr = await pgIt.next();
    pgKeyValue = pgr.done ? null : pgKey(pgr.value);
    if (pgKeyValue && prevPg && compareKeys(prevPg, pgKeyValue) >= 0) {
      throw new Error('Postgres rows did not arrive in primary-key order (duplicate keys or a different sort order)');
    }
  };

  while (!my.done || !pgr.done) {
    const c = my.done ? 1 : pgr.done ? -1 : compareKeys(myKey!, pgKeyValue!);
    if (c < 0) {
      result.missingInPostgres++;
      result.mismatchedRows++;
      note({ pk: pkOf(my.value as MysqlRaw[]), column: '*', mysql: '(row)', postgres: null });
      await advanceMy();
    } else if (c > 0) {
      result.extraInPostgres++;
      result.mismatchedRows++;
      note({ pk: pkOf(pgr.value as (string | null)[]), column: '*', mysql: null, postgres: '(row)' });
      await advancePg();
    } else {
      const myRow = my.value as MysqlRaw[];
      const pgRow = pgr.value as (string | null)[];
      let rowDiffers = false;
      for (let i = 0; i < plans.length; i++) {
        const plan = plans[i]!;
        const m = canonicalMysqlValue(plan.kind, myRow[i] ?? null);
        const p = canonicalPostgresValue(plan.kind, plan.pgType, pgRow[i] ?? null);
        if (p === m.value) continue;
        if (m.expected && p === m.expected.value) {
          countExpected(result, m.expected.reason);
          continue;
        }
        if (!rowDiffers) result.mismatchedRows++;
        rowDiffers = true;
        note({ pk: pkOf(myRow), column: plan.name, mysql: display(myRow[i]), postgres: display(pgRow[i]) });
      }
      await advanceMy();
      await advancePg();
    }
  }
}

/** 64-bit row hashes in a growable typed array: 8 bytes per row, sortable in place. */
class HashList {
  private data = new BigUint64Array(1024);
  length = 0;
  push(h: bigint): void {
    if (this.length === this.data.length) {
      const next = new BigUint64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = h;
  }
  sorted(): BigUint64Array {
    return this.data.subarray(0, this.length).sort();
  }
}

function rowHash(canonical: (string | null)[]): bigint {
  return createHash('sha256').update(JSON.stringify(canonical)).digest().readBigUInt64BE(0);
}

/**
 * Tables without a primary key: both sides become sorted lists of 64-bit row hashes, compared as
 * multisets. Rows without a partner are then looked up in a second pass to show what differs.
 */
async function compareAsMultisets(
  ctx: TableContext,
  result: TableComparison,
  plans: ColumnPlan[],
  mysqlSql: string,
  pgSql: string,
  binaryAliases: Set<string>,
): Promise<void> {
  const mysqlCanonical = (row: MysqlRaw[], countExpectations: boolean) =>
    plans.map((plan, i) => {
      const m = canonicalMysqlValue(plan.kind, row[i] ?? null);
      if (!m.expected) return m.value;
      if (countExpectations) countExpected(result, m.expected.reason);
      return m.expected.value;
    });
  const pgCanonical = (row: (string | null)[]) => plans.map((plan, i) => canonicalPostgresValue(plan.kind, plan.pgType, row[i] ?? null));

  const withMysql = async (visit: (row: MysqlRaw[]) => void) => {
    const conn = openMysql(ctx.mysqlUrl);
    let clean = false;
    try {
      await conn.promise().query(`SET time_zone = '+00:00'`);
      for await (const row of mysqlRows(conn, mysqlSql, binaryAliases)) visit(row);
      clean = true;
    } finally {
      if (clean) await conn.promise().end();
      else conn.destroy();
    }
  };

  const myHashes = new HashList();
  await withMysql((row) => myHashes.push(rowHash(mysqlCanonical(row, true))));
  const pgHashes = new HashList();
  for await (const row of postgresRows(ctx.pgClient, pgSql)) pgHashes.push(rowHash(pgCanonical(row)));
  result.rowsMysql = myHashes.length;
  result.rowsPostgres = pgHashes.length;

  const a = myHashes.sorted();
  const b = pgHashes.sorted();
  const onlyMysql = new Set<bigint>();
  const onlyPg = new Set<bigint>();
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]! < b[j]!)) {
      result.missingInPostgres++;
      if (onlyMysql.size < ctx.maxMismatches) onlyMysql.add(a[i]!);
      i++;
    } else if (i >= a.length || b[j]! < a[i]!) {
      result.extraInPostgres++;
      if (onlyPg.size < ctx.maxMismatches) onlyPg.add(b[j]!);
      j++;
    } else {
      i++;
      j++;
    }
  }
  result.mismatchedRows = Math.max(result.missingInPostgres, result.extraInPostgres);
  if (onlyMysql.size === 0 && onlyPg.size === 0) return;

  const shown = new Set<bigint>();
  const budget = () => result.mismatches.length < ctx.maxMismatches;
  if (onlyMysql.size > 0) {
    await withMysql((row) => {
      const h = rowHash(mysqlCanonical(row, false));
      if (onlyMysql.has(h) && !shown.has(h) && budget()) {
        shown.add(h);
        result.mismatches.push({ pk: null, column: '*', mysql: JSON.stringify(row.map((v) => display(v))), postgres: null });
      }
    });
  }
  if (onlyPg.size > 0) {
    for await (const row of postgresRows(ctx.pgClient, pgSql)) {
      const h = rowHash(pgCanonical(row));
      if (onlyPg.has(h) && !shown.has(h) && budget()) {
        shown.add(h);
        result.mismatches.push({ pk: null, column: '*', mysql: null, postgres: JSON.stringify(row) });
      }
    }
  }
}

/**
 * Compares every base table of the MySQL database with the same-named table in the Postgres schema,
 * row for row in primary-key order (or as multisets of rows when a table has no primary key).
 */
export async function compareDatabases(options: CompareOptions): Promise<ComparisonResult> {
  const started = performance.now();
  const schema = options.schema ?? 'public';
  const database = parseDsn(options.mysqlUrl, 'mysql', 'MySQL URL').database;
  const metaConn = openMysql(options.mysqlUrl).promise();
  const pgClient = await openPostgres(options.postgresUrl).catch(async (err: unknown) => {
    await metaConn.end();
    throw err;
  });
  const tables: TableComparison[] = [];
  try {
    const all = await mysqlBaseTables(metaConn, database);
    const wanted = options.tables ?? all;
    for (const table of wanted) {
      let comparison: TableComparison;
      if (!all.includes(table)) {
        comparison = emptyResult(table);
        comparison.errors.push(`table ${table} is not a base table of MySQL database ${database}`);
      } else {
        comparison = await compareTable({
          table,
          database,
          schema,
          mysqlUrl: options.mysqlUrl,
          pgClient,
          metaConn,
          maxMismatches: options.maxMismatches ?? 10,
        });
      }
      tables.push(comparison);
      options.onTable?.(comparison);
    }
  } finally {
    await pgClient.end();
    await metaConn.end();
  }
  const mismatchedRows = tables.reduce((n, t) => n + t.mismatchedRows, 0);
  return {
    tables,
    mismatchedRows,
    expectedDifferences: tables.reduce((n, t) => n + t.expectedDifferences, 0),
    ok: tables.every((t) => t.mismatchedRows === 0 && t.errors.length === 0 && t.rowsMysql === t.rowsPostgres),
    seconds: (performance.now() - started) / 1000,
  };
}
