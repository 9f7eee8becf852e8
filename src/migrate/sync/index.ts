// `markethub migrate sync`: keep Postgres current with MySQL while traffic moves (forward), switch writes
// over with a short freeze, and keep MySQL current with Postgres afterwards (reverse) so a rollback loses nothing.
import type pg from 'pg';
import { maskDsn } from '../../config/dsn.js';
import { UserError } from '../../config/errors.js';
import type { CutoverStore } from '../../cutover/store.js';
import type { Ui } from '../../ui/index.js';
import { connectPostgres, migrationKey, readSourcePlan, type TargetPlan, type TargetTable } from '../db/index.js';
import { ensureLedger, finishRun, LEDGER_SCHEMA, startRun } from '../ledger/index.js';
import { followDirection, withMysql, type SyncContext } from './context.js';
import type { FollowStats } from './follow.js';
import { deferForeignKeys, reconcileCopyGap, startForwardCapture, type Direction } from './forward-setup.js';
import { guardAppTriggers, restoreAppTriggers } from './mysql-app-triggers.js';
import { hasMysqlCapture, pendingMysqlChanges, removeMysqlCapture } from './mysql-capture.js';
import { hasPostgresCapture, pendingPostgresChanges, removePostgresCapture } from './postgres-capture.js';
import { switchWrites, type SwitchStep } from './switch.js';
import type { MigrateSyncConfig } from './model.js';

export type { MigrateSyncConfig } from './model.js';

export interface SyncReport {
  command: 'migrate sync';
  direction: Direction;
  mode: 'follow' | 'switch-writes' | 'remove-capture';
  source: string;
  target: string;
  schema: string;
  startedAt: string;
  seconds: number;
  outcome: 'success' | 'failed' | 'interrupted';
  /** What sync changed or found on its way (reported, never silent). */
  notes: string[];
  follow?: FollowStats;
  steps?: SwitchStep[];
  /** From freezing writes to letting them through again. */
  writesRefusedSeconds?: number;
  errors: string[];
}

/** The plan's tables as they stand in the target: missing ones stop the run; columns relaxed to NULL by the copy are taken as such. */
async function targetTables(client: pg.Client, schema: string, tables: TargetTable[]): Promise<TargetTable[]> {
  const { rows } = await client.query<{ table_name: string; column_name: string; is_nullable: string }>(
    'SELECT table_name, column_name, is_nullable FROM information_schema.columns WHERE table_schema = $1', [schema],
  );
  const nullable = new Map(rows.map((r) => [`${r.table_name}.${r.column_name}`, r.is_nullable === 'YES']));
  const missing = tables.filter((t) => !t.columns.every((c) => nullable.has(`${t.name}.${c.name}`)));
  if (missing.length) throw new UserError(`target schema ${schema} lacks ${missing.map((t) => t.name).join(', ')} (or some of their columns): run \`markethub migrate db\` first`);
  return tables.map((t) => ({ ...t, columns: t.columns.map((c) => ({ ...c, nullable: nullable.get(`${t.name}.${c.name}`)! })) }));
}

/** Capture on MySQL, deferrable foreign keys, and the copy's gap reconciled: what forward needs before its first batch. */
export async function prepareForward(ctx: SyncContext, plan: TargetPlan): Promise<void> {
  const { config } = ctx;
  await withMysql(ctx, async (mysql) => {
    const gap = await startForwardCapture(mysql, ctx.control, config.source.database, ctx.migrationKey, ctx.tables);
    const deferred = await deferForeignKeys(ctx.control, config.schema, ctx.tables);
    if (deferred.length) ctx.notes.push(`foreign keys made DEFERRABLE INITIALLY IMMEDIATE (same behaviour for the app; a batch may write a child before its parent): ${deferred.join(', ')}`);
    if (gap) {
      const spinner = ctx.ui.phase('capture began after the copy: comparing the tables to find rows changed in between');
      const queued = await reconcileCopyGap(mysql, ctx.control, { ...config, plan, migrationKey: ctx.migrationKey });
      spinner.done(`capture began after the copy: ${queued} row(s) changed in between, queued`);
      ctx.notes.push(`capture began after the copy: ${queued} row(s) that changed in between were found by comparison and queued`);
    }
  });
}

/** The app's own MySQL triggers must not fire again on rows written back: Postgres's translations already ran. */
async function guardApplicationTriggers(ctx: SyncContext): Promise<void> {
  const triggers = await withMysql(ctx, (mysql) => guardAppTriggers(mysql, ctx.config.source.database, ctx.tables.map((t) => t.sourceName)));
  if (triggers.length) ctx.notes.push(`MySQL triggers skip the rows written back from Postgres, whose translated triggers already ran, and fire as before for every other session (--remove-capture puts them back as they were): ${triggers.join(', ')}`);
}

/** Both sides' triggers and change tables go; the ledger keeps the history of what was applied. */
async function removeCapture(ctx: SyncContext): Promise<void> {
  await withMysql(ctx, async (mysql) => {
    const restored = await restoreAppTriggers(mysql, ctx.config.source.database);
    if (restored.length) ctx.notes.push(`MySQL triggers put back as they were: ${restored.join(', ')}`);
    if (!(await hasMysqlCapture(mysql, ctx.config.source.database))) return;
    const pending = await pendingMysqlChanges(mysql, ctx.config.source.database);
    await removeMysqlCapture(mysql, ctx.config.source.database);
    ctx.notes.push(`capture removed from MySQL ${ctx.config.source.database}${pending ? ` (${pending} change(s) not applied were dropped)` : ''}`);
  });
  if (await hasPostgresCapture(ctx.control)) {
    const pending = await pendingPostgresChanges(ctx.control);
    await removePostgresCapture(ctx.control, ctx.config.schema, ctx.tables);
    ctx.notes.push(`capture removed from Postgres${pending ? ` (${pending} change(s) not applied were dropped)` : ''}`);
  }
  await ctx.control.query(`DELETE FROM ${LEDGER_SCHEMA}.sync_state WHERE migration_key = $1`, [ctx.migrationKey]);
}

export async function migrateSync(config: MigrateSyncConfig, ui: Ui, signal: AbortSignal, log: (line: string) => void): Promise<SyncReport> {
  const started = Date.now();
  const direction: Direction = config.reverse ? 'reverse' : 'forward';
  const report: SyncReport = {
    command: 'migrate sync', direction, mode: config.removeCapture ? 'remove-capture' : config.switchWrites ? 'switch-writes' : 'follow', source: maskDsn(config.source.url), target: maskDsn(config.target.url),
    schema: config.schema, startedAt: new Date(started).toISOString(), seconds: 0, outcome: 'success', notes: [], errors: [],
  };
  const { plan } = await readSourcePlan(config, ui);
  const control = await connectPostgres(config.target);
  let runId: number | null = null;
  try {
    await ensureLedger(control);
    const tables = await targetTables(control, config.schema, plan.tables);
    const key = migrationKey(config);
    runId = await startRun(control, {
      command: 'migrate sync', migrationKey: key, source: report.source, targetSchema: config.schema,
      options: { direction, switchWrites: config.switchWrites, untilCaughtUp: config.untilCaughtUp, batchSize: config.batchSize },
    });
    const ctx: SyncContext = { config, migrationKey: key, runId, tables, control, ui, signal, log, notes: report.notes };
    if (config.removeCapture) {
      await removeCapture(ctx);
      return report;
    }
    if (direction === 'forward') await prepareForward(ctx, plan);
    else {
      if (!(await hasPostgresCapture(control))) {
        throw new UserError('writes have not moved to Postgres (no capture there): nothing to sync back; `migrate sync --switch-writes` moves them and starts capture');
      }
      await guardApplicationTriggers(ctx);
    }
    if (config.switchWrites) {
      const result = await switchWrites(ctx, direction, plan);
      report.steps = result.steps;
      report.writesRefusedSeconds = result.writesRefusedSeconds;
    } else {
      // Following ends when stopped (Ctrl-C, or --switch-writes taking over): that is success; a re-run continues.
      report.follow = await followDirection(ctx, direction, config.untilCaughtUp);
    }
  } catch (error) {
    report.outcome = 'failed';
    report.errors.push((error as Error).message);
    throw error;
  } finally {
    report.seconds = (Date.now() - started) / 1000;
    if (runId !== null) await finishRun(control, runId, report.outcome, null, report).catch(() => {});
    await control.end().catch(() => {});
  }
  return report;
}

export interface CutoverRollback {
  /** Set when writes were on Postgres: the reverse switch that brought their changes to MySQL. */
  syncedBack?: SyncReport;
}

/**
 * Everyone back to the legacy backend. Once `--switch-writes` moved the writes to Postgres, moving the
 * flag alone would strand the rows written there: the changes captured on Postgres are synced back
 * first (with `syncBack`, a reverse --switch-writes config), and that switch is what moves the flag.
 */
export async function rollbackCutover(
  store: CutoverStore,
  options: { changedBy: string; syncBack?: MigrateSyncConfig; ui: Ui; signal: AbortSignal; log: (line: string) => void },
): Promise<CutoverRollback> {
  const client = await store.pool.connect();
  let captured: boolean;
  try {
    captured = await hasPostgresCapture(client);
  } finally {
    client.release();
  }
  const state = await store.state();
  if (captured && state.writes && state.percentage >= 100) {
    if (!options.syncBack) throw new UserError('writes are on Postgres since `migrate sync --switch-writes`: give --source so the changes made there reach MySQL before traffic goes back');
    return { syncedBack: await migrateSync({ ...options.syncBack, switchWrites: true, reverse: true }, options.ui, options.signal, options.log) };
  }
  await store.change({ percentage: 0, writes: false, frozen: false }, options.changedBy, 'rollback');
  return {};
}
