// Counting login attempts against guessing. Each attempt is counted before the password is checked,
// under the account and under the client address, so concurrent guesses cannot all slip in before
// the first failure is written. Past the limit the answer is 429 until the key's window ends.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Sequelize } from 'sequelize';
import { sequelizeRuntime } from '../models/sequelize-runtime.js';
import { fromProjectRoot } from '../../project-paths.js';
import { ipBytes } from './ip-bytes.js';

export interface AttemptCount {
  key: string;
  attempts: number;
  /** Seconds until the key's window ends and its count starts again. */
  retryAfterSeconds: number;
}

/** Where attempts are counted. Every instance that answers logins for the same users must share one. */
export interface LoginAttemptStore {
  /** Counts one attempt under each key and returns the counts including it. */
  hit(keys: string[], windowSeconds: number): Promise<AttemptCount[]>;
  /** Takes back one attempt under `key` (a login that succeeded is not a guess). */
  forgive(key: string): Promise<void>;
  /** Forgets the key's attempts (the account's owner has just proved the password). */
  clear(key: string): Promise<void>;
}

export interface LoginLimits {
  /** Attempts per account (e-mail, known or not) per window. */
  perAccount: number;
  /** Attempts per client address (IPv4, or the IPv6 /64) per window. */
  perAddress: number;
  windowSeconds: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perAccount: 10, perAddress: 100, windowSeconds: 15 * 60 };

export function accountKey(email: string): string {
  return `account:${createHash('sha256').update(email.trim().toLowerCase(), 'utf8').digest('hex')}`;
}

/** An IPv6 client usually holds a whole /64: counting single addresses there would count nothing. */
export function addressKey(ip: string | undefined): string {
  const bytes = ipBytes(ip);
  if (!bytes) return `address:${ip ?? 'unknown'}`;
  return bytes.length === 4 ? `address:${[...bytes].join('.')}` : `address:${bytes.subarray(0, 8).toString('hex')}/64`;
}

const SCHEMA_SQL = fromProjectRoot('migrations', 'security', '001_login_attempts.sql');
/** Serialises the (idempotent) creation of the table between instances starting at once. */
const SCHEMA_LOCK = 0x6d68_7365;
const T = 'markethub_security.login_attempts';

/** In Postgres (the serverless database, or the migration target next to the legacy server). */
export function postgresLoginAttempts(sequelize: Sequelize): LoginAttemptStore {
  if (sequelize.getDialect() !== 'postgres') throw new Error('postgresLoginAttempts needs a Postgres Sequelize');
  let ready: Promise<void> | undefined;
  const ensure = () => {
    ready ??= (async () => {
      const sql = await readFile(SCHEMA_SQL, 'utf8');
      await sequelize.transaction(async (transaction) => {
        await sequelize.query('SELECT pg_advisory_xact_lock($1)', { bind: [SCHEMA_LOCK], transaction });
        await sequelize.query(sql, { transaction });
      });
    })().catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    return ready;
  };
  return {
    async hit(keys, windowSeconds) {
      await ensure();
      // Sorted: two logins locking the same rows lock them in the same order.
      const sorted = [...new Set(keys)].sort();
      const rows = await sequelize.query<{ key: string; attempts: number; retry_after: number }>(
        `INSERT INTO ${T} AS a (key, attempts, window_ends)
         SELECT k, 1, now() + make_interval(secs => $2) FROM unnest($1::text[]) AS k
         ON CONFLICT (key) DO UPDATE SET
           attempts = CASE WHEN a.window_ends <= now() THEN 1 ELSE a.attempts + 1 END,
           window_ends = CASE WHEN a.window_ends <= now() THEN EXCLUDED.window_ends ELSE a.window_ends END
         RETURNING key, attempts, GREATEST(1, ceil(extract(epoch FROM a.window_ends - now())))::int AS retry_after`,
        { bind: [sorted, windowSeconds], type: sequelizeRuntime().QueryTypes.SELECT },
      );
      // Windows long over are dead weight: a few logins in a hundred sweep them.
      if (Math.random() < 0.01) await sequelize.query(`DELETE FROM ${T} WHERE window_ends < now() - interval '1 day'`).catch(() => {});
      return rows.map((r) => ({ key: r.key, attempts: Number(r.attempts), retryAfterSeconds: Number(r.retry_after) }));
    },
    async forgive(key) {
      await ensure();
      await sequelize.query(`UPDATE ${T} SET attempts = GREATEST(attempts - 1, 0) WHERE key = $1 AND window_ends > now()`, { bind: [key] });
    },
    async clear(key) {
      await ensure();
      await sequelize.query(`DELETE FROM ${T} WHERE key = $1`, { bind: [key] });
    },
  };
}

/** In this process only: right for one legacy server process with no Postgres at hand, nothing more. */
export function memoryLoginAttempts(now: () => number = Date.now): LoginAttemptStore {
  const counts = new Map<string, { attempts: number; windowEnds: number }>();
  return {
    async hit(keys, windowSeconds) {
      const t = now();
      if (counts.size > 100_000) for (const [k, v] of counts) if (v.windowEnds <= t) counts.delete(k);
      return [...new Set(keys)].map((key) => {
        let c = counts.get(key);
        if (!c || c.windowEnds <= t) counts.set(key, (c = { attempts: 0, windowEnds: t + windowSeconds * 1000 }));
        c.attempts++;
        return { key, attempts: c.attempts, retryAfterSeconds: Math.max(1, Math.ceil((c.windowEnds - t) / 1000)) };
      });
    },
    async forgive(key) {
      const c = counts.get(key);
      if (c && c.windowEnds > now()) c.attempts = Math.max(0, c.attempts - 1);
    },
    async clear(key) {
      counts.delete(key);
    },
  };
}
