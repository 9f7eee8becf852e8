// Getting the forward direction ready: capture on MySQL, foreign keys that can wait until commit, and
// the rows changed between the copy and the start of capture found by comparison and queued.
import type pg from 'pg';
import { UserError } from '../../config/errors.js';
import type { Dsn } from '../../config/dsn.js';
import { quoteIdent as qi, type MysqlConnection, type TargetPlan, type TargetTable } from '../db/index.js';
import { LEDGER_SCHEMA } from '../ledger/index.js';
import { verifyData } from '../verify/index.js';
import { installMysqlCapture, queueMysqlChanges } from './mysql-capture.js';

export type Direction = 'forward' | 'reverse';

/** Starts capture where it is missing and records when; true when capture began after a copy of the data started. */
export async function startForwardCapture(mysql: MysqlConnection, client: pg.Client, database: string, migrationKey: string, tables: TargetTable[]): Promise<boolean> {
  const added = await installMysqlCapture(mysql, database, tables);
  if (added.length) {
    await client.query(
      `INSERT INTO ${LEDGER_SCHEMA}.sync_state (migration_key, direction) VALUES ($1, 'forward')
       ON CONFLICT (migration_key, direction) DO UPDATE SET capture_started_at = now(), reconciled_at = NULL`,
      [migrationKey],
    );
  } else {
    await client.query(`INSERT INTO ${LEDGER_SCHEMA}.sync_state (migration_key, direction) VALUES ($1, 'forward') ON CONFLICT DO NOTHING`, [migrationKey]);
  }
  // A copy that started before capture may have read rows that changed again before capture began.
  const { rows } = await client.query<{ gap: boolean }>(
    `SELECT s.reconciled_at IS NULL AND EXISTS (
       SELECT 1 FROM ${LEDGER_SCHEMA}.runs r JOIN ${LEDGER_SCHEMA}.steps st ON st.run_id = r.id AND st.phase = 'data'
        WHERE r.migration_key = s.migration_key AND r.started_at < s.capture_started_at) AS gap
     FROM ${LEDGER_SCHEMA}.sync_state s WHERE s.migration_key = $1 AND s.direction = 'forward'`,
    [migrationKey],
  );
  return rows[0].gap;
}

/**
 * Foreign keys become DEFERRABLE INITIALLY IMMEDIATE: the app sees no difference, and a batch can write a
 * child before its parent within one transaction. Returns the keys changed (reported).
 */
export async function deferForeignKeys(client: pg.Client, schema: string, tables: TargetTable[]): Promise<string[]> {
  const { rows } = await client.query<{ table: string; name: string }>(
    `SELECT c.relname AS table, k.conname AS name FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE k.contype = 'f' AND NOT k.condeferrable AND n.nspname = $1 AND c.relname = ANY($2)`,
    [schema, tables.map((t) => t.name)],
  );
  for (const r of rows) await client.query(`ALTER TABLE ${qi(schema)}.${qi(r.table)} ALTER CONSTRAINT ${qi(r.name)} DEFERRABLE INITIALLY IMMEDIATE`);
  return rows.map((r) => `${r.table}.${r.name}`);
}

/**
 * Rows that changed after the copy read them but before capture began differ now: compare the tables
 * and queue every differing key as a captured change, so the first batches bring them over.
 */
export async function reconcileCopyGap(
  mysql: MysqlConnection, client: pg.Client,
  options: { source: Dsn; target: Dsn; schema: string; sourceTimezone: string; plan: TargetPlan; migrationKey: string },
): Promise<number> {
  const report = await verifyData({ source: options.source, target: options.target, schema: options.schema, sourceTimezone: options.sourceTimezone, plan: options.plan, maxDifferences: Number.MAX_SAFE_INTEGER });
  const failed = report.tables.find((t) => t.status === 'error');
  if (failed) throw new UserError(`cannot compare ${failed.table} to find rows changed before capture began: ${failed.error}`);
  const byName = new Map(options.plan.tables.map((t) => [t.name, t]));
  const queued: { table: string; key: string[] | null }[] = [];
  const wholeTables = new Set<string>();
  for (const d of report.differences) {
    const table = byName.get(d.table)!;
    const keyed = table.primaryKey.length > 0 && table.primaryKey.every((k) => k in d.key) && Object.keys(d.key).length === table.primaryKey.length;
    if (keyed) queued.push({ table: table.sourceName, key: table.primaryKey.map((k) => d.key[k]!) });
    else if (table.primaryKey.length === 0) wholeTables.add(table.sourceName);
    else throw new UserError(`${table.name} differs from the source in rows that cannot be named by key; run \`migrate db --fresh\` again now that capture is on`);
  }
  for (const table of wholeTables) queued.push({ table, key: null });
  await queueMysqlChanges(mysql, options.source.database, queued);
  await client.query(`UPDATE ${LEDGER_SCHEMA}.sync_state SET reconciled_at = now() WHERE migration_key = $1 AND direction = 'forward'`, [options.migrationKey]);
  return queued.length;
}
