// `markethub migrate db`: introspect -> plan -> apply, with the run recorded in the ledger.
import { maskDsn, type Dsn } from '../../config/dsn.js';
import type { MigrationReport, Note } from '../../report/model.js';
import type { SourceCatalog } from './catalog.js';
import type { Ui } from '../../ui/index.js';
import {
  createdObjects, doneSteps, ensureLedger, finishRun, lockMigration, markAbandonedRuns, recordWritesBaseline, startRun, valueChangesOf,
} from '../ledger/index.js';
import { applyPlan, preflightTarget } from './apply.js';
import { introspectMysql, profileTables } from './introspect.js';
import { connectMysql } from './mysql.js';
import { planMigration, type RoutineMode, type TargetPlan } from './plan/plan.js';
import { loadRoutineParsers } from './routines/index.js';
import type { TypeMap } from './plan/types.js';
import { connectPostgres } from './postgres.js';
import { dropCreatedObjects } from './fresh.js';
import { readTargetSupport, type CollationMode, type TargetSupport } from './semantics/index.js';

// The door: what the rest of markethub (verify, sync, files, check, rollback, the CLI) uses of migrate db.
// Reading the source and planning the target:
export { planMigration, KEEP_TIMESTAMPS_SETTING, type RoutineMode, type Step, type TargetColumn, type TargetPlan, type TargetTable } from './plan/plan.js';
export { introspectMysql, profileTables } from './introspect.js';
export type { SourceCatalog, SourceColumn, SourceTable } from './catalog.js';
export { MYSQL_INTEGER_TYPES, SPATIAL_TYPES, type TypeMap } from './plan/types.js';
export { orphanNotes } from './orphans.js';
// Connections and the SQL basics every command writes with:
export { connectMysql, quoteMysqlIdentifier, type MysqlConnection } from './mysql.js';
export { connectPostgres } from './postgres.js';
export { quoteIdent, quoteLiteral } from './plan/expression.js';
// Reading rows as the copy does (sync reads them the same way), and cutting tables into key ranges:
export { selectExpression } from './copy.js';
export { converterFor, rowEncoder, type SourceValue, type ValueChange } from './convert.js';
export { splitKeyRange, type KeyRange } from './chunks.js';
export { integerSplitPoints, rangesBetween, WHOLE_KEYSET, type KeysetRange, type KeyTuple } from './keyset.js';
// What exists on the target, and dropping what a migration created:
export { preflightTarget } from './apply.js';
export { dropCreatedObjects } from './fresh.js';

export interface MigrateDbConfig {
  source: Dsn;
  target: Dsn;
  schema: string;
  tables?: string[];
  exclude?: string[];
  schemaOnly: boolean;
  dataOnly: boolean;
  dryRun: boolean;
  truncate: boolean;
  fresh: boolean;
  jobs: number;
  sourceTimezone: string;
  typeMap?: TypeMap;
  /** preserve (default): case-insensitive collations stay case-insensitive; exact: Postgres's exact comparison. */
  collations?: CollationMode;
  /** translate (default): MySQL triggers become PL/pgSQL triggers; skip: they are listed as not migrated. */
  routines?: RoutineMode;
}

/** One migration = one source database into one target schema; its re-runs share this key. */
export function migrationKey(config: Pick<MigrateDbConfig, 'source' | 'schema'>): string {
  return `db:mysql://${config.source.host}:${config.source.port}/${config.source.database}->${config.schema}`;
}

function timer() {
  const start = Date.now();
  return () => (Date.now() - start) / 1000;
}

export interface SourcePlan {
  catalog: SourceCatalog;
  plan: TargetPlan;
  /** What the plan chose collations from: the mode, and what the target offers (null: not read). */
  collations: { mode: CollationMode; targetSupport: TargetSupport | null };
}

/** Introspects and profiles the source (tables spread over `jobs` connections) and plans the target. */
export async function readSourcePlan(
  config: Pick<MigrateDbConfig, 'source' | 'schema' | 'tables' | 'exclude' | 'jobs' | 'sourceTimezone' | 'typeMap'> & Partial<Pick<MigrateDbConfig, 'target' | 'collations' | 'routines'>>,
  ui: Ui,
  steps: { schemaOnly?: boolean; dataOnly?: boolean } = {},
): Promise<SourcePlan> {
  const spinner = ui.phase('introspect: reading the MySQL catalog');
  const mysql = [await connectMysql(config.source)];
  try {
    const catalog = await introspectMysql(mysql[0], config.source.database, { tables: config.tables, exclude: config.exclude });
    const routines = config.routines ?? 'translate';
    // The parsers load (about a second) only for a source that has triggers or views to translate, while the tables are profiled.
    const parsersLoading = routines === 'translate' && (catalog.views.length > 0 || catalog.otherObjects.some((o) => o.kind === 'trigger')) ? loadRoutineParsers() : undefined;
    parsersLoading?.catch(() => {});
    while (mysql.length < Math.min(config.jobs, catalog.tables.length)) mysql.push(await connectMysql(config.source));
    await profileTables(mysql, catalog.tables);
    spinner.done(`introspect: ${catalog.tables.length} tables, ${catalog.views.length} views`);
    const collations = config.collations ?? 'preserve';
    const targetSupport = collations === 'preserve' && config.target ? await targetSupportOf(config.target) : null;
    const routineParsers = await parsersLoading;
    const plan = planMigration(catalog, { schema: config.schema, sourceTimezone: config.sourceTimezone, typeMap: config.typeMap, collations, targetSupport, routines, routineParsers, ...steps });
    return { catalog, plan, collations: { mode: collations, targetSupport } };
  } catch (error) {
    spinner.fail();
    throw error;
  } finally {
    await Promise.all(mysql.map((c) => c.end().catch(() => {})));
  }
}

/** What the target offers for case-insensitive text; null when it cannot be reached (a dry run may still plan). */
async function targetSupportOf(target: Dsn): Promise<TargetSupport | null> {
  try {
    const client = await connectPostgres(target);
    try {
      return await readTargetSupport(client);
    } finally {
      await client.end().catch(() => {});
    }
  } catch {
    return null;
  }
}

export async function migrateDb(config: MigrateDbConfig, ui: Ui, signal: AbortSignal = new AbortController().signal): Promise<MigrationReport> {
  const startedAt = new Date();
  const report: MigrationReport = {
    command: 'migrate db', runId: null, source: maskDsn(config.source.url), target: maskDsn(config.target.url), schema: config.schema,
    startedAt: startedAt.toISOString(), finishedAt: '', outcome: 'success', phases: [], tables: [], notes: [], valueChanges: [],
    totals: { rowsRead: 0, rowsWritten: 0, seconds: 0 }, errors: [],
  };

  const elapsed = timer();
  const { plan } = await readSourcePlan(config, ui, { schemaOnly: config.schemaOnly, dataOnly: config.dataOnly });
  report.phases.push({ name: 'introspect', seconds: elapsed() });
  report.notes = plan.notes;

  if (config.dryRun) {
    report.outcome = 'dry-run';
    report.ddl = plan.steps.filter((s) => s.sql.length).flatMap((s) => [...s.sql, ...(s.validateSql ? [s.validateSql] : [])]);
    report.tables = plan.tables.map((t) => ({ name: t.name, rowsRead: 0, rowsWritten: 0, notes: plan.notes.filter((n) => n.table === t.name).length, seconds: 0, status: 'planned' }));
    return finish(report, startedAt);
  }

  const client = await connectPostgres(config.target);
  const key = migrationKey(config);
  let runId: number | null = null;
  try {
    await ensureLedger(client);
    await lockMigration(client, key);
    await markAbandonedRuns(client, key);
    if (config.fresh) await dropCreatedObjects(client, key);
    const done = await doneSteps(client, key);
    const ours = new Set((await createdObjects(client, key)).filter((o) => o.schema === config.schema).map((o) => o.name));
    await preflightTarget(client, plan, ours, done, { dataOnly: config.dataOnly, truncate: config.truncate });

    runId = await startRun(client, {
      command: 'migrate db', migrationKey: key, source: report.source, targetSchema: config.schema,
      options: { tables: config.tables, exclude: config.exclude, schemaOnly: config.schemaOnly, dataOnly: config.dataOnly, truncate: config.truncate, fresh: config.fresh, jobs: config.jobs, sourceTimezone: config.sourceTimezone, collations: config.collations ?? 'preserve', resumed: done.size > 0 },
    });
    report.runId = runId;
    const result = await applyPlan({
      plan, source: config.source, target: config.target, client, migrationKey: key, runId, done, jobs: config.jobs,
      sourceTimezone: config.sourceTimezone, dataOnly: config.dataOnly, ui, signal,
    });
    await recordWritesBaseline(client, key, runId);
    report.phases.push(...result.phases);
    report.tables = result.tables;
    report.notes = [...plan.notes, ...result.notes];
    report.errors = result.errors;
    report.valueChanges = (await valueChangesOf(client, key)).map((c): Note => ({ kind: 'value', ...c }));
    report.outcome = result.errors.length || result.interrupted ? 'failed' : 'success';
    finish(report, startedAt);
    await finishRun(client, runId, result.interrupted ? 'interrupted' : report.outcome === 'success' ? 'success' : 'failed', plan, report);
    if (result.interrupted) report.errors.push('interrupted: run the same command again to resume; finished tables are kept');
    return report;
  } catch (error) {
    if (runId !== null) {
      report.outcome = 'failed';
      report.errors.push((error as Error).message);
      await finishRun(client, runId, 'failed', plan, finish(report, startedAt)).catch(() => {});
    }
    throw error;
  } finally {
    await client.end().catch(() => {});
  }
}

function finish(report: MigrationReport, startedAt: Date): MigrationReport {
  report.finishedAt = new Date().toISOString();
  report.totals = {
    rowsRead: report.tables.reduce((n, t) => n + t.rowsRead, 0),
    rowsWritten: report.tables.reduce((n, t) => n + t.rowsWritten, 0),
    seconds: (Date.now() - startedAt.getTime()) / 1000,
  };
  return report;
}
