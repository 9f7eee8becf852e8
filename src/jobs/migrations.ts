// Creates or upgrades the queue and job tables from migrations/app/*.sql, once per file, under an
// advisory lock so concurrent cold starts do not race.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { fromProjectRoot } from '../project-paths.js';

const APP_MIGRATIONS_DIR = fromProjectRoot('migrations', 'app');
const UPGRADE_LOCK = 4_815_162_343;

type Queryable = Pick<pg.Pool, 'connect'>;

export async function applyAppMigrations(pool: Queryable, dir = APP_MIGRATIONS_DIR): Promise<string[]> {
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [UPGRADE_LOCK]);
    await client.query('CREATE SCHEMA IF NOT EXISTS markethub_jobs');
    await client.query('CREATE TABLE IF NOT EXISTS markethub_jobs.schema_version (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const { rows } = await client.query<{ version: string }>('SELECT version FROM markethub_jobs.schema_version');
    const done = new Set(rows.map((r) => r.version));
    for (const file of (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort()) {
      if (done.has(file)) continue;
      const sql = await readFile(path.join(dir, file), 'utf8');
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query('INSERT INTO markethub_jobs.schema_version (version) VALUES ($1)', [file]);
        await client.query('COMMIT');
        applied.push(file);
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      }
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [UPGRADE_LOCK]).catch(() => {});
    client.release();
  }
}
