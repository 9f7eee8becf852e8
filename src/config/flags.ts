// Checks of single command-line values, with the same one-line messages as the zod schemas in index.ts:
// for commands that must start fast, where loading zod (about 80 ms) would be most of a no-op run.
import { DsnError, parseDsn, type Dsn } from './dsn.js';
import { USAGE_ERROR, UserError } from './errors.js';

export function usageError(message: string): never {
  throw new UserError(message, USAGE_ERROR);
}

/** A DSN given on the command line; a malformed one is a usage error naming the option. */
export function dsnFlag(raw: string, kind: 'mysql' | 'postgres', flag: string): Dsn {
  try {
    return parseDsn(raw, kind, flag);
  } catch (error) {
    if (error instanceof DsnError) usageError(error.message);
    throw error;
  }
}

/** A non-empty text; `missing` completes "--flag ..." when it is absent. */
export function requiredText(value: unknown, flag: string, missing: string): string {
  if (typeof value !== 'string' || value === '') usageError(`${flag} ${missing}`);
  return value;
}

export function optionalText(value: unknown, flag: string): string | undefined {
  if (value === undefined) return undefined;
  return requiredText(value, flag, 'must not be empty');
}

export function wholeNumber(value: unknown, flag: string, range: { min: number; max: number; fallback: number; unit?: string }): number {
  if (value === undefined) return range.fallback;
  const n = Number(value);
  const unit = range.unit ? ` of ${range.unit}` : '';
  if (!Number.isInteger(n)) usageError(`${flag} must be a whole number${unit}`);
  const inUnit = range.unit ? ` (${range.unit})` : '';
  if (n < range.min) usageError(`${flag} must be at least ${range.min}${inUnit}`);
  if (n > range.max) usageError(`${flag} must be at most ${range.max}${inUnit}`);
  return n;
}

/** An http(s) URL, without the slashes it may end with. */
export function httpUrl(value: unknown, flag: string, example: string): string | undefined {
  if (value === undefined) return undefined;
  let protocol: string | undefined;
  try {
    protocol = new URL(String(value)).protocol;
  } catch {
    // reported below
  }
  if (protocol !== 'http:' && protocol !== 'https:') usageError(`${flag} must be an http(s) URL, like ${example}`);
  return String(value).replace(/\/+$/, '');
}

export function oneOf<T extends string>(value: unknown, flag: string, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) usageError(`${flag} must be ${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}`);
  return value as T;
}

/** A percentage from 0 to 100 with at most two decimals, as `cutover set` takes it. */
export function percentage(value: unknown, what: string): number {
  const text = String(value ?? '');
  const n = Number(text);
  if (!/^\d+(\.\d{1,2})?$/.test(text) || n > 100) usageError(`${what}: ${text} is not a percentage from 0 to 100`);
  return n;
}

/** `--id N` (repeatable) or `--all`, exactly one of them; undefined means all. */
export function idsOrAll(ids: unknown, all: unknown, flag = '--id'): string[] | undefined {
  const list = Array.isArray(ids) ? ids.map(String) : [];
  if (all && list.length) usageError(`give ${flag} or --all, not both`);
  if (!all && !list.length) usageError(`name the jobs with ${flag} N (repeatable) or use --all`);
  if (all) return undefined;
  for (const id of list) if (!/^\d+$/.test(id)) usageError(`${flag} must be a job number, got "${id}"`);
  return list;
}

/** A comma-separated list, blanks dropped; undefined when the flag is absent. */
export function commaList(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  return String(value).split(',').map((t) => t.trim()).filter(Boolean);
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** An IANA time zone name. */
export function timeZone(value: unknown, flag: string, fallback: string): string {
  if (value === undefined) return fallback;
  const zone = String(value);
  if (!isTimeZone(zone)) usageError(`${flag} is not a time zone name (e.g. UTC, Africa/Lagos)`);
  return zone;
}

/** A Postgres schema markethub may write into: not a system schema, not its own ledger's. */
export function targetSchema(value: unknown, flag: string, reserved: readonly string[]): string {
  const schema = optionalText(value, flag) ?? 'public';
  if (Buffer.byteLength(schema) > 63) usageError(`${flag} is longer than 63 bytes`);
  if (schema.startsWith('pg_') || reserved.includes(schema)) usageError(`${flag} is reserved`);
  return schema;
}

/** Two flags that cannot be given together. */
export function exclusive(given: boolean, message: string): void {
  if (given) usageError(message);
}
