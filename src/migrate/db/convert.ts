// Row conversion on the stream: MySQL values as the driver hands them over (strings, numbers for the
// small integer and float types, Buffers for binary data) -> one COPY text line, written into a buffer.
// A value Postgres cannot hold becomes NULL or loses its NUL characters, and is reported: never a failed row.
import { CopyLineBuffer } from './copy-lines.js';
import { setLiteral } from './set-literal.js';
import type { TargetColumn } from './plan/plan.js';
import type { ValueKind } from './plan/types.js';

/** A value that had to change, reported by column; the row's key is attached by the caller. */
export interface ValueChange {
  column: string;
  what: string;
  why: string;
}

/** A value as mysql2 reads it with dateStrings, bigNumberStrings and jsonStrings on. */
export type SourceValue = string | number | Buffer;

type Converter = (value: SourceValue, changes: ValueChange[], column: string) => string | null;

function asText(value: SourceValue): string {
  return typeof value === 'string' ? value : Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
}

function asBytes(value: SourceValue): Buffer {
  return Buffer.isBuffer(value) ? value : Buffer.from(String(value), 'utf8');
}

const COPY_SPECIAL = /[\\\n\r\t]/;
const COPY_SPECIAL_ALL = /[\\\n\r\t]/g;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Escapes a value for COPY's text format. */
export function escapeCopyText(value: string): string {
  return COPY_SPECIAL.test(value) ? value.replace(COPY_SPECIAL_ALL, (c) => COPY_ESCAPES[c]) : value;
}

function withoutNul(value: string, changes: ValueChange[], column: string): string {
  if (!value.includes('\0')) return value;
  const count = value.split('\0').length - 1;
  changes.push({ column, what: `${count} NUL character(s) removed`, why: 'Postgres text cannot hold NUL' });
  return value.replace(/\0/g, '');
}

/** Why Postgres cannot hold a MySQL date of these numbers, or null when it can. */
function dateProblem(year: number, month: number, day: number): string | null {
  if (month === 0 || day === 0 || year === 0) return 'zero or partial date has no Postgres value';
  // Only days past the 28th can fall outside their month (stored under ALLOW_INVALID_DATES).
  if (day > 28 && day > daysInMonth(year, month)) return 'the day does not exist in that month';
  return null;
}

// Digits as character codes or bytes: on every date of every row, no allocation.
const twoDigits = (a: number, b: number) => (a - 48) * 10 + b - 48;
const fourDigits = (a: number, b: number, c: number, d: number) => twoDigits(a, b) * 100 + twoDigits(c, d);

/** Why Postgres cannot hold a MySQL date ('0000-00-00', '2024-00-10', '2023-02-31'), or null when it can. */
export function invalidDateReason(value: string): string | null {
  const c = (i: number) => value.charCodeAt(i);
  return dateProblem(fourDigits(c(0), c(1), c(2), c(3)), twoDigits(c(5), c(6)), twoDigits(c(8), c(9)));
}

/** `invalidDateReason(...) === null`, read from the bytes MySQL sent: true when Postgres takes the date as it is. */
export function isPlainDate(src: Buffer, at: number): boolean {
  return dateProblem(fourDigits(src[at], src[at + 1], src[at + 2], src[at + 3]), twoDigits(src[at + 5], src[at + 6]), twoDigits(src[at + 8], src[at + 9])) === null;
}

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
}

/** A value must become NULL in a column that is NOT NULL: the copy stops so the column can be relaxed. */
export class NullNeeded extends Error {
  constructor(readonly column: string) {
    super(`column ${column} needs NULL for a date Postgres cannot hold`);
  }
}

function date(suffix: string, nullable: boolean): Converter {
  return (raw, changes, column) => {
    const value = asText(raw);
    const reason = invalidDateReason(value);
    if (reason) {
      if (!nullable) throw new NullNeeded(column);
      changes.push({ column, what: `'${value}' -> NULL`, why: reason });
      return null;
    }
    return value + suffix;
  };
}

// JSON text may spell NUL as \u0000, which jsonb refuses; after an odd run of backslashes it is literal text.
const JSON_NUL = /(?<!\\)((?:\\\\)*)\\u0000/g;


function bitsOf(raw: SourceValue, width: number): string {
  let bits = '';
  for (const byte of asBytes(raw)) bits += byte.toString(2).padStart(8, '0');
  return bits.slice(-width).padStart(width, '0');
}

export function converterFor(kind: ValueKind, column: TargetColumn): Converter {
  switch (kind) {
    case 'raw':
    case 'time':
      return asText;
    case 'int-to-boolean':
      return (raw) => (Number(raw) === 0 ? 'f' : 't');
    case 'bit-to-boolean':
      return (raw) => (asBytes(raw).some((b) => b !== 0) ? 't' : 'f');
    case 'bit-varying': {
      const width = column.source.numericPrecision ?? 1;
      return (raw) => bitsOf(raw, width);
    }
    case 'bytea':
      return (raw) => '\\\\x' + asBytes(raw).toString('hex');
    case 'date':
    case 'datetime':
      return date('', column.nullable);
    case 'timestamp-utc':
      return date('+00', column.nullable);
    case 'json':
      return (raw, changes, name) => {
        let value = withoutNul(asText(raw), changes, name);
        // An escaped backslash before "u0000" is text, not NUL: only a real escape is removed and reported.
        const withoutNulEscapes = value.includes('\\u0000') ? value.replace(JSON_NUL, '$1') : value;
        if (withoutNulEscapes !== value) {
          changes.push({ column: name, what: 'JSON \\u0000 escapes removed', why: 'jsonb cannot hold NUL' });
          value = withoutNulEscapes;
        }
        return escapeCopyText(value);
      };
    case 'set':
      return (raw) => escapeCopyText(setLiteral(asText(raw)));
    case 'text':
      return (raw, changes, name) => escapeCopyText(withoutNul(asText(raw), changes, name));
  }
}

export interface RowEncoder {
  /** Encodes one row as a COPY line (with newline); changes get the row's values pushed for reporting. */
  encode(row: (SourceValue | null)[], changes: ValueChange[]): string;
}

export interface RowWriter {
  /** Writes one row as a COPY line into `out`; true when `out` is full enough to be taken. */
  write(row: (SourceValue | null)[], changes: ValueChange[], out: CopyLineBuffer): boolean;
}

export function rowWriter(columns: TargetColumn[]): RowWriter {
  const converters = columns.map((c) => converterFor(c.kind, c));
  // Integer columns arrive as numbers; written as they are, they never become strings.
  const verbatim = columns.map((c) => c.kind === 'raw' || c.kind === 'time');
  const names = columns.map((c) => c.name);
  const n = columns.length;
  return {
    write(row, changes, out) {
      for (let i = 0; i < n; i++) {
        if (i) out.tab();
        const raw = row[i];
        if (raw === null) {
          out.text('\\N');
        } else if (verbatim[i] && typeof raw === 'number' && Number.isSafeInteger(raw)) {
          out.integer(raw);
        } else {
          const value = converters[i](raw, changes, names[i]);
          out.text(value === null ? '\\N' : value);
        }
      }
      return out.endLine();
    },
  };
}

/** One row at a time as a string; the copy itself writes rows straight into buffers with `rowWriter`. */
export function rowEncoder(columns: TargetColumn[]): RowEncoder {
  const writer = rowWriter(columns);
  return {
    encode(row, changes) {
      const out = new CopyLineBuffer(0);
      writer.write(row, changes, out);
      return out.take().toString('utf8');
    },
  };
}
