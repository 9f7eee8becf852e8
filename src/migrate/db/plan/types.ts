// Default MySQL -> Postgres type rules, and how each column's values must be converted on the way.
import type { SourceColumn } from '../catalog.js';
import { quoteLiteral } from './expression.js';

/** How a value read from MySQL (as raw bytes) becomes COPY text for its Postgres type. */
export type ValueKind =
  | 'raw' // numbers, year: the MySQL text form is valid Postgres input
  | 'int-to-boolean'
  | 'text'
  | 'bytea'
  | 'date'
  | 'datetime' // wall-clock time in --source-timezone
  | 'timestamp-utc' // MySQL TIMESTAMP, read in UTC
  | 'time'
  | 'json'
  | 'set'
  | 'bit-to-boolean'
  | 'bit-varying';

export interface TypeChoice {
  pgType: string;
  kind: ValueKind;
  /** Changes to record as notes. */
  notes: { what: string; why: string }[];
  /** A CHECK that keeps the source's value domain (enum, set), given the quoted column name. */
  check?: (column: string) => string;
}

/** `--type-map file.json`: per column ("table.column") or per source type ("tinyint(1)", "datetime"). */
export interface TypeMap {
  columns?: Record<string, string>;
  types?: Record<string, string>;
}

const BIGINT_MAX = 9223372036854775807n;
const TEXT_TYPES = new Set(['char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext']);
const BINARY_TYPES = new Set(['binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob']);
/** MySQL's integer types (YEAR aside). */
export const MYSQL_INTEGER_TYPES = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'bigint']);
export const SPATIAL_TYPES = new Set(['geometry', 'point', 'linestring', 'polygon', 'multipoint', 'multilinestring', 'multipolygon', 'geometrycollection']);

function integerType(column: SourceColumn): TypeChoice {
  const { dataType, unsigned } = column;
  if (dataType === 'tinyint') return { pgType: 'smallint', kind: 'raw', notes: [] };
  if (dataType === 'smallint') return { pgType: unsigned ? 'integer' : 'smallint', kind: 'raw', notes: [] };
  if (dataType === 'mediumint') return { pgType: 'integer', kind: 'raw', notes: [] };
  if (dataType === 'int') return { pgType: unsigned ? 'bigint' : 'integer', kind: 'raw', notes: [] };
  // bigint
  if (!unsigned) return { pgType: 'bigint', kind: 'raw', notes: [] };
  const max = column.profile.maxValue;
  if (max == null || BigInt(max) <= BIGINT_MAX) {
    return {
      pgType: 'bigint',
      kind: 'raw',
      notes: [{ what: 'bigint unsigned -> bigint', why: `every value fits (largest: ${max ?? 'none, table empty'}); values above ${BIGINT_MAX} would now be rejected` }],
    };
  }
  return { pgType: 'numeric(20,0)', kind: 'raw', notes: [{ what: 'bigint unsigned -> numeric(20,0)', why: `largest value ${max} does not fit bigint` }] };
}

function precision(column: SourceColumn): string {
  return `(${column.datetimePrecision ?? 0})`;
}

/** The default Postgres type for a MySQL column, from its declaration and its value profile. */
export function defaultTypeFor(column: SourceColumn): TypeChoice {
  const t = column.dataType;
  if (column.isJson) {
    return { pgType: 'jsonb', kind: 'json', notes: [{ what: `${t === 'json' ? 'json' : 'json (longtext + json_valid)'} -> jsonb`, why: 'jsonb normalises key order and whitespace and keeps the last of duplicate keys' }] };
  }
  if (column.columnType.startsWith('tinyint(1)')) {
    if (column.profile.onlyBooleanValues !== false) return { pgType: 'boolean', kind: 'int-to-boolean', notes: [] };
    return { pgType: 'smallint', kind: 'raw', notes: [{ what: 'tinyint(1) -> smallint, not boolean', why: 'the column holds values other than 0, 1 and NULL' }] };
  }
  if (MYSQL_INTEGER_TYPES.has(t)) return integerType(column);
  switch (t) {
    case 'decimal':
      return { pgType: `numeric(${column.numericPrecision},${column.numericScale})`, kind: 'raw', notes: [] };
    case 'float':
      return { pgType: 'real', kind: 'raw', notes: [] };
    case 'double':
      return { pgType: 'double precision', kind: 'raw', notes: [] };
    case 'date':
      return { pgType: 'date', kind: 'date', notes: [] };
    case 'datetime':
      return { pgType: `timestamptz${precision(column)}`, kind: 'datetime', notes: [] };
    case 'timestamp':
      return { pgType: `timestamptz${precision(column)}`, kind: 'timestamp-utc', notes: [] };
    case 'time':
      if (column.profile.outsideTimeOfDay) {
        return { pgType: 'interval', kind: 'time', notes: [{ what: 'time -> interval', why: 'values lie outside 00:00..24:00, which Postgres time cannot hold' }] };
      }
      return { pgType: `time${precision(column)}`, kind: 'time', notes: [] };
    case 'year':
      return { pgType: 'smallint', kind: 'raw', notes: [{ what: 'year -> smallint', why: 'Postgres has no year type' }] };
    case 'char':
      return {
        pgType: `char(${column.charMaxLength})`,
        kind: 'text',
        notes: (column.charMaxLength ?? 0) > 1 ? [{ what: `char(${column.charMaxLength}) kept`, why: 'Postgres returns char(n) padded with spaces; MySQL strips trailing spaces when reading' }] : [],
      };
    case 'varchar':
      return { pgType: `varchar(${column.charMaxLength})`, kind: 'text', notes: [] };
    case 'enum': {
      const members = [...(column.members ?? [])];
      const notes: TypeChoice['notes'] = [{ what: 'enum -> text with CHECK', why: `members: ${members.join(', ')}` }];
      if ((column.profile.enumErrorValues ?? 0) > 0) {
        members.push('');
        notes.push({ what: "'' allowed by the CHECK", why: `${column.profile.enumErrorValues} rows hold MySQL's '' enum error value` });
      }
      return { pgType: 'text', kind: 'text', notes, check: (c) => `${c} IN (${members.map(quoteLiteral).join(', ')})` };
    }
    case 'set': {
      const members = column.members ?? [];
      return {
        pgType: 'text[]',
        kind: 'set',
        notes: [{ what: 'set -> text[] with CHECK', why: `members: ${members.join(', ')}` }],
        check: (c) => `${c} <@ ARRAY[${members.map(quoteLiteral).join(', ')}]::text[]`,
      };
    }
    case 'bit':
      if (column.numericPrecision === 1) return { pgType: 'boolean', kind: 'bit-to-boolean', notes: [{ what: 'bit(1) -> boolean', why: 'closest Postgres type' }] };
      return { pgType: `bit varying(${column.numericPrecision})`, kind: 'bit-varying', notes: [] };
    case 'uuid':
      return { pgType: 'uuid', kind: 'text', notes: [] };
    case 'inet4':
    case 'inet6':
      return { pgType: 'inet', kind: 'text', notes: [] };
  }
  if (TEXT_TYPES.has(t)) return { pgType: 'text', kind: 'text', notes: [] };
  if (BINARY_TYPES.has(t)) return { pgType: 'bytea', kind: 'bytea', notes: [] };
  if (SPATIAL_TYPES.has(t)) return { pgType: 'bytea', kind: 'bytea', notes: [{ what: `${t} -> bytea`, why: 'stored as MySQL internal geometry bytes; PostGIS is not assumed' }] };
  return { pgType: 'text', kind: 'text', notes: [{ what: `${t} -> text`, why: 'no known Postgres equivalent; the MySQL text form is kept' }] };
}

/** The value conversion that fits a user-chosen Postgres type. */
function kindForOverride(column: SourceColumn, pgType: string, fallback: ValueKind): ValueKind {
  const target = pgType.toLowerCase();
  if (target === 'boolean' || target === 'bool') return column.dataType === 'bit' ? 'bit-to-boolean' : 'int-to-boolean';
  if (target === 'bytea') return 'bytea';
  if (target === 'jsonb' || target === 'json') return 'json';
  if (['tinyint', 'smallint', 'mediumint', 'int', 'bigint', 'decimal', 'float', 'double', 'year'].includes(column.dataType)) return 'raw';
  if (fallback === 'bytea' || fallback === 'bit-to-boolean' || fallback === 'int-to-boolean' || fallback === 'json') return 'text';
  return fallback;
}

/** The --type-map entry that applies to a column, if any. */
export function typeOverride(table: string, column: SourceColumn, typeMap: TypeMap = {}): string | undefined {
  return typeMap.columns?.[`${table}.${column.name}`] ?? typeMap.types?.[column.columnType] ?? typeMap.types?.[column.dataType];
}

export function mapColumnType(table: string, column: SourceColumn, typeMap: TypeMap = {}): TypeChoice {
  const choice = defaultTypeFor(column);
  const override = typeOverride(table, column, typeMap);
  if (!override) return choice;
  return {
    pgType: override,
    kind: kindForOverride(column, override, choice.kind),
    notes: [{ what: `${column.columnType} -> ${override}`, why: 'set by --type-map' }],
    check: choice.check,
  };
}
