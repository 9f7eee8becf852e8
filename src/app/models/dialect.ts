// Column kinds whose values the two dialects hand back differently. Each helper gives one JS shape
// on both: the legacy MySQL schema and the Postgres schema `markethub migrate db` makes from it.
import type { ModelAttributeColumnOptions, Model, Sequelize } from 'sequelize';
import { sequelizeRuntime } from './sequelize-runtime.js';

export type Dialect = 'mysql' | 'postgres';

export function dialectOf(sequelize: Sequelize): Dialect {
  const d = sequelize.getDialect();
  if (d === 'mysql' || d === 'mariadb') return 'mysql';
  if (d === 'postgres') return 'postgres';
  throw new Error(`unsupported dialect ${d}`);
}

type Column = ModelAttributeColumnOptions<Model>;

const dataTypes = () => sequelizeRuntime().DataTypes;

function get<T>(self: Model, key: string): T {
  return self.getDataValue(key as never) as T;
}

/**
 * TINYINT(1) and BIT(1) in MySQL (1/0 numbers, or a one-byte Buffer for BIT), boolean in Postgres.
 */
export function toBoolean(value: unknown): boolean | null {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return value.length > 0 && value[value.length - 1] !== 0;
  if (typeof value === 'string') return value === '1' || value === 'true' || value === 't';
  return Boolean(value);
}

export function booleanColumn(key: string, options: Partial<Column> = {}): Column {
  return {
    type: dataTypes().BOOLEAN,
    ...options,
    get(this: Model) {
      return toBoolean(get(this, key));
    },
  };
}


/**
 * MySQL SET: a comma-separated string; Postgres (after the migration): text[]. Read and written as a
 * string array, members in the order the column declares them.
 */
export function setColumn(dialect: Dialect, key: string, members: readonly string[], options: Partial<Column> = {}): Column {
  const order = (values: string[]) => members.filter((m) => values.includes(m));
  return {
    type: dialect === 'postgres' ? dataTypes().ARRAY(dataTypes().TEXT) : dataTypes().STRING,
    ...options,
    validate: {
      isMembers(value: unknown) {
        const values = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',').filter(Boolean) : [];
        for (const v of values) if (!members.includes(String(v))) throw new Error(`${String(v)} is not one of ${members.join(', ')}`);
      },
    },
    get(this: Model) {
      const raw = get<unknown>(this, key);
      if (raw === null || raw === undefined) return raw;
      const values = Array.isArray(raw) ? raw.map(String) : String(raw).split(',').filter(Boolean);
      return order(values);
    },
    set(this: Model, value: unknown) {
      const values = order(Array.isArray(value) ? value.map(String) : []);
      this.setDataValue(key as never, (dialect === 'postgres' ? values : values.join(',')) as never);
    },
  };
}

/**
 * MySQL JSON (on MariaDB a LONGTEXT with a json_valid check, so mysql2 returns text) and Postgres
 * jsonb (parsed by pg). Parsed on MySQL only: on Postgres a JSON string value is already a string.
 */
export function jsonColumn(dialect: Dialect, key: string, options: Partial<Column> = {}): Column {
  return {
    type: dataTypes().JSON,
    ...options,
    get(this: Model) {
      const raw = get<unknown>(this, key);
      return sortKeys(dialect === 'mysql' && typeof raw === 'string' ? (JSON.parse(raw) as unknown) : raw);
    },
  };
}

/** jsonb stores object keys in its own order (shortest first); MySQL keeps them as written. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as Record<string, unknown>)[k]);
  return out;
}

/** ENUM as text: the migration turns MySQL ENUMs into text with a CHECK of the members. */
export function enumColumn(members: readonly string[], options: Partial<Column> = {}): Column {
  return { type: dataTypes().STRING, validate: { isIn: [members as string[]] }, ...options };
}

/**
 * CHAR(n): MySQL strips trailing spaces when reading, Postgres' character(n) pads to n.
 * The MySQL value is the meaningful one (e.g. the 32-character md5 hashes in a CHAR(60)).
 */
export function charColumn(key: string, length: number, options: Partial<Column> = {}): Column {
  return {
    type: dataTypes().CHAR(length),
    ...options,
    get(this: Model) {
      const raw = get<unknown>(this, key);
      return typeof raw === 'string' ? raw.replace(/ +$/, '') : raw;
    },
  };
}

/**
 * FLOAT (single precision): MariaDB sends 6 significant digits (3.33333), Postgres real sends the
 * shortest exact form (3.3333333). Both read as the value rounded to 6 significant digits.
 */
export function floatColumn(key: string, options: Partial<Column> = {}): Column {
  return {
    type: dataTypes().FLOAT,
    ...options,
    get(this: Model) {
      const raw = get<unknown>(this, key);
      return raw === null || raw === undefined ? raw : roundFloat(Number(raw));
    },
  };
}

export function roundFloat(value: number): number {
  return Number(value.toPrecision(6));
}

/**
 * Integer columns that the migration widened to bigint or that MySQL returns as strings
 * (DECIMAL sums, BIGINT beyond 2^53) read as numbers when they fit; huge values stay strings.
 */
export function intColumn(key: string, options: Partial<Column> = {}): Column {
  return {
    type: dataTypes().INTEGER,
    ...options,
    get(this: Model) {
      const raw = get<unknown>(this, key);
      return toInteger(raw);
    },
  };
}

export function toInteger(raw: unknown): number | string | null | undefined {
  if (raw === null || raw === undefined) return raw as null | undefined;
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : String(raw);
}

/** DECIMAL: a string on both (mysql2 and pg), normalised to the column's scale. */
export function decimalColumn(key: string, precision: number, scale: number, options: Partial<Column> = {}): Column {
  return {
    type: dataTypes().DECIMAL(precision, scale),
    ...options,
    get(this: Model) {
      const raw = get<unknown>(this, key);
      return raw === null || raw === undefined ? raw : formatDecimal(raw, scale);
    },
  };
}

export function formatDecimal(raw: unknown, scale: number): string {
  const s = String(raw);
  const negative = s.startsWith('-');
  const [whole = '0', frac = ''] = (negative ? s.slice(1) : s).split('.');
  const padded = (frac + '0'.repeat(scale)).slice(0, scale);
  return `${negative ? '-' : ''}${whole || '0'}${scale > 0 ? `.${padded}` : ''}`;
}

/** Raw binary (BINARY/VARBINARY/BLOB -> bytea): a Buffer on both. */
export function binaryColumn(options: Partial<Column> = {}): Column {
  return { type: dataTypes().BLOB, ...options };
}

/**
 * DATE: MySQL may hold zero or partial dates ('0000-00-00', '1992-07-00'), which the migration turns
 * into NULL. Read as 'YYYY-MM-DD' or null on both.
 */
export function dateOnlyColumn(key: string, options: Partial<Column> = {}): Column {
  return {
    type: dataTypes().DATEONLY,
    ...options,
    get(this: Model) {
      const raw = get<unknown>(this, key);
      if (raw === null || raw === undefined) return null;
      const s = raw instanceof Date ? raw.toISOString().slice(0, 10) : String(raw);
      return /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(s) && !s.startsWith('0000') ? s : null;
    },
  };
}
