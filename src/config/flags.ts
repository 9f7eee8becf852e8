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
