// The few SQL fragments that must be spelled per dialect, in one place.
import { Op, type Sequelize, type WhereOptions } from 'sequelize';
import type { Dialect } from '../models/dialect.js';

function quote(dialect: Dialect, qualified: string): string {
  const q = dialect === 'mysql' ? '`' : '"';
  return qualified.split('.').map((part) => `${q}${part.replaceAll(q, q + q)}${q}`).join('.');
}

export function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Case-insensitive, accent-sensitive substring match, the same on both dialects:
 * LOWER() on both sides, compared byte for byte. MySQL's utf8mb4_unicode_ci would also fold
 * accents in LIKE (where Postgres ILIKE does not), so the comparison is forced to utf8mb4_bin.
 */
export function containsInsensitive(sequelize: Sequelize, dialect: Dialect, column: string, term: string): WhereOptions {
  const lowered = dialect === 'mysql'
    ? sequelize.literal(`LOWER(${quote(dialect, column)}) COLLATE utf8mb4_bin`)
    : sequelize.fn('LOWER', sequelize.col(column));
  return sequelize.where(lowered, Op.like, sequelize.fn('LOWER', `%${escapeLike(term)}%`));
}

/** Case-insensitive equality (e-mail addresses: MySQL's unique key ignores case, Postgres' does not). */
export function equalsInsensitive(sequelize: Sequelize, column: string, value: string): WhereOptions {
  return sequelize.where(sequelize.fn('LOWER', sequelize.col(column)), sequelize.fn('LOWER', value));
}

/** Deadlocks and serialization failures: the transaction may simply run again. */
export function isRetryable(error: unknown): boolean {
  const parent = (error as { parent?: { code?: string; errno?: number } })?.parent ?? (error as { code?: string; errno?: number });
  return parent?.errno === 1213 || parent?.errno === 1205 || parent?.code === '40P01' || parent?.code === '40001'
    || parent?.code === 'ER_LOCK_DEADLOCK' || parent?.code === 'ER_LOCK_WAIT_TIMEOUT';
}

export async function withRetry<T>(attempts: number, fn: () => Promise<T>): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (error) {
      if (i >= attempts || !isRetryable(error)) throw error;
      await new Promise((r) => setTimeout(r, 5 * i + Math.random() * 20));
    }
  }
}
