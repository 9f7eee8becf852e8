// Errors a user can cause end in one clear line naming the thing and the fix (see cli/index.ts).
import { maskDsn, type Dsn } from './dsn.js';

/**
 * Every exit code the `markethub` command uses, one meaning each (the table in docs/exit-codes.md).
 * Scripts branch on these: keep them stable.
 */
export const EXIT = {
  ok: 0,
  /** The command ran and part of its work failed: a table, a file, a refused precondition, a bug. */
  failed: 1,
  /** Flags or arguments are wrong; checked before anything connects. */
  usage: 2,
  /** A server could not be reached or used: connection, login, missing database or bucket, privilege. */
  couldNotRun: 3,
  /** verify compared everything and found differences. */
  differences: 4,
  /** Stopped by Ctrl-C (128 + SIGINT); what finished is kept. */
  interrupted: 130,
} as const;

/** Exit code for a usage or configuration error. */
export const USAGE_ERROR = EXIT.usage;

/** An error whose message is fit to show the user as it is, on one line. */
export class UserError extends Error {
  constructor(message: string, readonly exitCode: number = EXIT.failed) {
    super(message);
  }
}

interface DriverError {
  code?: string;
  errno?: number;
  message?: string;
}

function where(dsn: Dsn): string {
  return `${dsn.host}:${dsn.port}`;
}

/** Turns a connection failure from mysql2 or pg into a UserError naming the server and the fix. */
export function connectionError(error: unknown, dsn: Dsn, role: 'source' | 'target'): UserError {
  const e = (error ?? {}) as DriverError;
  const couldNotRun = (message: string) => new UserError(message, EXIT.couldNotRun);
  const label = `${role} ${dsn.protocol === 'mysql' ? 'MySQL' : 'Postgres'} ${maskDsn(dsn.url)}`;
  switch (e.code) {
    case 'ECONNREFUSED':
      return couldNotRun(`cannot reach ${label}: connection refused at ${where(dsn)} (is the server running?)`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return couldNotRun(`cannot reach ${label}: host ${dsn.host} not found`);
    case 'ETIMEDOUT':
      return couldNotRun(`cannot reach ${label}: connection to ${where(dsn)} timed out`);
    case 'ER_ACCESS_DENIED_ERROR':
    case '28P01':
      return couldNotRun(`cannot log in to ${label}: wrong password or user "${dsn.user}" not allowed`);
    case '28000':
      return couldNotRun(`cannot log in to ${label}: role "${dsn.user}" is not allowed (${firstLine(e.message)})`);
    case 'ER_BAD_DB_ERROR':
    case '3D000':
      return couldNotRun(`${label}: database "${dsn.database}" does not exist`);
    case 'ER_DBACCESS_DENIED_ERROR':
    case 'ER_TABLEACCESS_DENIED_ERROR':
    case '42501':
      return couldNotRun(`${label}: user "${dsn.user}" lacks privileges (${firstLine(e.message)})`);
    default:
      return couldNotRun(`cannot use ${label}: ${firstLine(e.message) || String(error)}`);
  }
}

export function firstLine(message: string | undefined): string {
  return (message ?? '').split('\n')[0].trim();
}
