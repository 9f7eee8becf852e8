// Errors a user can cause end in one clear line naming the thing and the fix (see cli/index.ts).
import { maskDsn, type Dsn } from './dsn.js';

/** Exit code for a usage or configuration error. */
export const USAGE_ERROR = 2;

/** An error whose message is fit to show the user as it is, on one line. */
export class UserError extends Error {
  constructor(message: string, readonly exitCode = 1) {
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
  const label = `${role} ${dsn.protocol === 'mysql' ? 'MySQL' : 'Postgres'} ${maskDsn(dsn.url)}`;
  switch (e.code) {
    case 'ECONNREFUSED':
      return new UserError(`cannot reach ${label}: connection refused at ${where(dsn)} (is the server running?)`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new UserError(`cannot reach ${label}: host ${dsn.host} not found`);
    case 'ETIMEDOUT':
      return new UserError(`cannot reach ${label}: connection to ${where(dsn)} timed out`);
    case 'ER_ACCESS_DENIED_ERROR':
    case '28P01':
      return new UserError(`cannot log in to ${label}: wrong password or user "${dsn.user}" not allowed`);
    case '28000':
      return new UserError(`cannot log in to ${label}: role "${dsn.user}" is not allowed (${firstLine(e.message)})`);
    case 'ER_BAD_DB_ERROR':
    case '3D000':
      return new UserError(`${label}: database "${dsn.database}" does not exist`);
    case 'ER_DBACCESS_DENIED_ERROR':
    case 'ER_TABLEACCESS_DENIED_ERROR':
    case '42501':
      return new UserError(`${label}: user "${dsn.user}" lacks privileges (${firstLine(e.message)})`);
    default:
      return new UserError(`cannot use ${label}: ${firstLine(e.message) || String(error)}`);
  }
}

export function firstLine(message: string | undefined): string {
  return (message ?? '').split('\n')[0].trim();
}
