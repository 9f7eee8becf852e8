// The ledger: this tool's own state in the target database (schema markethub_migrate).
// Every step's record is written in the same transaction as the step's work.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { EXIT, UserError } from '../../config/errors.js';
import { fromProjectRoot } from '../../project-paths.js';

export const LEDGER_SCHEMA = 'markethub_migrate';
const MIGRATIONS_DIR = fromProjectRoot('migrations');
// Any fixed number: serialises ledger upgrades between concurrent runs.
const LEDGER_UPGRADE_LOCK = 4_815_162_342;

/** Creates or upgrades the ledger tables from migrations/*.sql, once per version. */
export async function ensureLedger(client: pg.Client): Promise<void> {
  await client.query('SELECT pg_advisory_lock($1)', [LEDGER_UPGRADE_LOCK]);
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${LEDGER_SCHEMA}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${LEDGER_SCHEMA}.schema_version (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ version: string }>(`SELECT version FROM ${LEDGER_SCHEMA}.schema_version`);
    const applied = new Set(rows.map((r) => r.version));
    const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
    for (const file of files) {
      if (applied.has(file)) continue;
      const sql = await readFile(path.join(MIGRATIONS_DIR, file), 'utf8');
      await inTransaction(client, async () => {
        await client.query(sql);
        await client.query(`INSERT INTO ${LEDGER_SCHEMA}.schema_version (version) VALUES ($1)`, [file]);
      });
    }
  } catch (error) {
    const e = error as { code?: string; message: string };
    if (e.code === '42501') throw new UserError(`target: cannot create the ledger schema ${LEDGER_SCHEMA} (${e.message}); grant CREATE on the database`, EXIT.couldNotRun);
    throw error;
  } finally {
    // A broken connection must not hide the error that broke it.
    await client.query('SELECT pg_advisory_unlock($1)', [LEDGER_UPGRADE_LOCK]).catch(() => {});
  }
}

export async function inTransaction<T>(client: pg.Client, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

/** Held for the whole run: two runs of the same migration must not interleave. */
export async function lockMigration(client: pg.Client, migrationKey: string): Promise<void> {
  const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [migrationKey]);
  if (!rows[0].locked) throw new UserError(`another markethub run is working on this migration (${migrationKey}); wait for it to finish`);
}

export interface RunStart {
  command: string;
  migrationKey: string;
  source: string;
  targetSchema: string;
  options: Record<string, unknown>;
}

/** Runs of this migration still marked running died without finishing: the caller holds the lock now. */
export async function markAbandonedRuns(client: pg.Client, migrationKey: string): Promise<void> {
  await client.query(`UPDATE ${LEDGER_SCHEMA}.runs SET outcome = 'interrupted' WHERE migration_key = $1 AND outcome = 'running'`, [migrationKey]);
}

export async function startRun(client: pg.Client, run: RunStart): Promise<number> {
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO ${LEDGER_SCHEMA}.runs (command, migration_key, source, target_schema, options) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [run.command, run.migrationKey, run.source, run.targetSchema, JSON.stringify(run.options)],
  );
  return Number(rows[0].id);
}

export async function finishRun(client: pg.Client, runId: number, outcome: 'success' | 'failed' | 'interrupted', plan: unknown, report: unknown): Promise<void> {
  await client.query(`UPDATE ${LEDGER_SCHEMA}.runs SET finished_at = now(), outcome = $2, plan = $3, report = $4 WHERE id = $1`, [
    runId, outcome, JSON.stringify(plan), JSON.stringify(report),
  ]);
}

/** Marks the run failed, with the error's message; a ledger that cannot take it must not hide the error itself. */
export async function recordFailure(client: pg.Client, runId: number | null, error: unknown): Promise<void> {
  if (runId === null) return;
  await finishRun(client, runId, 'failed', null, { error: error instanceof Error ? error.message : String(error) }).catch(() => {});
}

export type StepDetail = Record<string, unknown>;

export async function doneSteps(client: pg.Client, migrationKey: string): Promise<Map<string, StepDetail>> {
  const { rows } = await client.query<{ step_key: string; detail: StepDetail }>(
    `SELECT step_key, detail FROM ${LEDGER_SCHEMA}.steps WHERE migration_key = $1`, [migrationKey],
  );
  return new Map(rows.map((r) => [r.step_key, r.detail]));
}

export async function recordStep(client: pg.Client, migrationKey: string, runId: number, stepKey: string, phase: string, detail: StepDetail = {}): Promise<void> {
  await client.query(
    `INSERT INTO ${LEDGER_SCHEMA}.steps (migration_key, step_key, phase, run_id, detail) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (migration_key, step_key) DO UPDATE SET run_id = EXCLUDED.run_id, done_at = now(), detail = EXCLUDED.detail`,
    [migrationKey, stepKey, phase, runId, JSON.stringify(detail)],
  );
}

/** Step key of the transaction id after which every row version in the target is someone else's. */
export const WRITES_BASELINE_STEP = 'writes-baseline';

/**
 * Rows whose xmin is at or after this point were written after the migration's own writes: rollback
 * uses it to refuse dropping tables the app has written to since.
 */
export async function recordWritesBaseline(client: pg.Client, migrationKey: string, runId: number): Promise<void> {
  const { rows } = await client.query<{ xid: string }>(`SELECT (pg_snapshot_xmax(pg_current_snapshot())::text::bigint % 4294967296)::text AS xid`);
  await recordStep(client, migrationKey, runId, WRITES_BASELINE_STEP, 'done', { xid: rows[0]!.xid });
}

/** 'event': a MySQL event's schedule row in markethub_jobs.database_events. */
export type CreatedKind = 'schema' | 'table' | 'view' | 'function' | 'event' | 'extension' | 'collation';

export async function recordCreated(client: pg.Client, migrationKey: string, runId: number, kind: CreatedKind, schema: string, name: string): Promise<void> {
  await client.query(
    `INSERT INTO ${LEDGER_SCHEMA}.created_objects (migration_key, kind, schema_name, name, run_id) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
    [migrationKey, kind, schema, name, runId],
  );
}

export async function createdObjects(client: pg.Client, migrationKey: string): Promise<{ kind: CreatedKind; schema: string; name: string }[]> {
  const { rows } = await client.query(
    `SELECT kind, schema_name AS schema, name FROM ${LEDGER_SCHEMA}.created_objects WHERE migration_key = $1 ORDER BY created_at`, [migrationKey],
  );
  return rows;
}

export interface ValueChangeRecord {
  table: string;
  column: string;
  key: Record<string, string | null> | null;
  what: string;
  why: string;
}

export async function recordValueChanges(client: pg.Client, migrationKey: string, runId: number, changes: ValueChangeRecord[]): Promise<void> {
  const BATCH = 1000;
  for (let i = 0; i < changes.length; i += BATCH) {
    const batch = changes.slice(i, i + BATCH);
    await client.query(
      `INSERT INTO ${LEDGER_SCHEMA}.value_changes (migration_key, run_id, table_name, column_name, row_key, what, why)
       SELECT $1, $2, t, c, k, w, y FROM unnest($3::text[], $4::text[], $5::jsonb[], $6::text[], $7::text[]) AS u(t, c, k, w, y)`,
      [migrationKey, runId, batch.map((c) => c.table), batch.map((c) => c.column), batch.map((c) => (c.key ? JSON.stringify(c.key) : null)), batch.map((c) => c.what), batch.map((c) => c.why)],
    );
  }
}

export async function valueChangesOf(client: pg.Client, migrationKey: string): Promise<ValueChangeRecord[]> {
  const { rows } = await client.query(
    `SELECT table_name AS table, column_name AS column, row_key AS key, what, why FROM ${LEDGER_SCHEMA}.value_changes WHERE migration_key = $1 ORDER BY id`, [migrationKey],
  );
  return rows;
}

/** How many values of each column of a table had to become NULL (zero and impossible dates). */
export async function nulledValueCounts(client: pg.Client, migrationKey: string, table: string): Promise<Map<string, number>> {
  const { rows } = await client.query<{ column: string; n: number }>(
    `SELECT column_name AS column, count(*)::int AS n FROM ${LEDGER_SCHEMA}.value_changes
      WHERE migration_key = $1 AND table_name = $2 AND what LIKE '%-> NULL' GROUP BY column_name`,
    [migrationKey, table],
  );
  return new Map(rows.map((r) => [r.column, r.n]));
}

/** Whether this database holds a ledger at all (read-only commands must not create one to find out). */
export async function ledgerExists(client: pg.Client): Promise<boolean> {
  const { rows } = await client.query<{ ok: boolean }>(`SELECT to_regclass('${LEDGER_SCHEMA}.steps') IS NOT NULL AS ok`);
  return rows[0].ok;
}

/**
 * The plan the target's tables were created from (by the latest `migrate db` that created them), or null.
 * It holds what the migration decided from the data and the options (--type-map), not only the source.
 * The ledger keeps it as JSON and does not look inside: `Plan` is migrate db's TargetPlan.
 */
export async function recordedPlan<Plan>(client: pg.Client, migrationKey: string): Promise<Plan | null> {
  const { rows } = await client.query<{ plan: Plan }>(
    `SELECT plan FROM ${LEDGER_SCHEMA}.runs WHERE migration_key = $1 AND command = 'migrate db' AND plan -> 'steps' @> '[{"key": "schema"}]' ORDER BY id DESC LIMIT 1`,
    [migrationKey],
  );
  return rows[0]?.plan ?? null;
}

/** The outcome of the latest run of `command` for this migration, or null when there was none. */
export async function lastOutcome(client: pg.Client, migrationKey: string, command: string): Promise<string | null> {
  const { rows } = await client.query<{ outcome: string }>(
    `SELECT outcome FROM ${LEDGER_SCHEMA}.runs WHERE migration_key = $1 AND command = $2 ORDER BY id DESC LIMIT 1`, [migrationKey, command],
  );
  return rows[0]?.outcome ?? null;
}
