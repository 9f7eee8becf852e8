// `migrate rollback`: undo in reverse order — URL rewrites, uploaded objects, database objects —
// touching only what the ledger says markethub itself wrote. Each part is idempotent and resumable.
import type pg from 'pg';
import { maskDsn, type Dsn } from '../../config/dsn.js';
import { USAGE_ERROR, UserError } from '../../config/errors.js';
import { connectPostgres } from '../db/index.js';
import { createS3Client, type S3Options } from '../files/s3.js';
import { finishRun, LEDGER_SCHEMA, ledgerExists, lockMigration, recordFailure, startRun } from '../ledger/index.js';
import { resetCutover } from '../../cutover/store.js';
import { appWritesSince, dbMigrations, dropMigration, type AppWrites, type DbMigration } from './database.js';
import { deleteUploadedObjects, objectsToDelete, type FilesUndoResult } from './files.js';
import { undoUrlRewrites, type UrlUndoResult } from './urls.js';

export interface RollbackConfig {
  target: Dsn;
  urls: boolean;
  files: boolean;
  db: boolean;
  dryRun: boolean;
  /** Restore URLs the app changed since, and drop tables it wrote to. */
  force: boolean;
  /** Confirmation given on the command line. */
  yes: boolean;
  /** S3 settings; the endpoint defaults to the one the last migrate files run used. */
  s3: Partial<S3Options>;
}

export interface RollbackReport {
  command: 'migrate rollback';
  target: string;
  dryRun: boolean;
  outcome: 'success' | 'nothing-to-do' | 'dry-run';
  /** The cutover flag was above 0% and was set back to 0% (legacy). */
  cutoverReset?: boolean;
  urls?: UrlUndoResult;
  files?: FilesUndoResult;
  db?: { dropped: { migrationKey: string; tables: number; views: number; functions: number; schemas: number }[]; appWrites: AppWrites[] };
}

/** What would be undone, counted: shown before asking for confirmation and by --dry-run. */
export interface RollbackPlan {
  urlRewrites: number;
  objects: number;
  tables: number;
  appWrites: AppWrites[];
  /** The migrate db migrations whose objects would be dropped. */
  migrations: DbMigration[];
}

async function planRollback(client: pg.Client, config: RollbackConfig): Promise<RollbackPlan> {
  const count = async (sql: string) => Number((await client.query<{ n: string }>(sql)).rows[0]!.n);
  const migrations = config.db ? await dbMigrations(client) : [];
  const appWrites: AppWrites[] = [];
  for (const m of migrations) appWrites.push(...(await appWritesSince(client, m)));
  return {
    urlRewrites: config.urls ? await count(`SELECT count(*)::text AS n FROM ${LEDGER_SCHEMA}.url_rewrites WHERE undone_at IS NULL`) : 0,
    objects: config.files ? (await objectsToDelete(client)).length : 0,
    tables: migrations.reduce((n, m) => n + m.objects.filter((o) => o.kind === 'table').length, 0),
    appWrites,
    migrations,
  };
}

export function describePlan(plan: RollbackPlan): string {
  return `restore ${plan.urlRewrites} URL values, delete ${plan.objects} uploaded objects, drop ${plan.tables} tables created by migrate db`;
}

async function lastFilesEndpoint(client: pg.Client): Promise<string | undefined> {
  const { rows } = await client.query<{ endpoint: string | null }>(
    `SELECT options->>'endpoint' AS endpoint FROM ${LEDGER_SCHEMA}.runs WHERE command = 'migrate files' ORDER BY id DESC LIMIT 1`,
  );
  return rows[0]?.endpoint ?? undefined;
}

export async function migrateRollback(config: RollbackConfig, confirm: (question: string) => Promise<boolean>): Promise<RollbackReport> {
  const client = await connectPostgres(config.target);
  const report: RollbackReport = { command: 'migrate rollback', target: maskDsn(config.target.url), dryRun: config.dryRun, outcome: 'success' };
  let runId: number | null = null;
  try {
    if (!(await ledgerExists(client))) return { ...report, outcome: 'nothing-to-do' };
    // One rollback at a time, and none while a migration of any kind runs on this target.
    await lockMigration(client, 'rollback');
    const plan = await planRollback(client, config);
    if (config.db && plan.appWrites.length && !config.force) {
      const tables = plan.appWrites.map((w) => `${w.table} (${w.what})`).join('; ');
      throw new UserError(`the app has written to migrated tables since the migration: ${tables}; dropping them would lose those rows. Pass --force to drop anyway`);
    }
    if (plan.urlRewrites + plan.objects + plan.tables === 0) return { ...report, outcome: 'nothing-to-do' };
    if (!config.dryRun && !config.yes && !(await confirm(`markethub will ${describePlan(plan)}.`))) {
      throw new UserError(`rollback would ${describePlan(plan)}; pass --yes to confirm`, USAGE_ERROR);
    }
    if (!config.dryRun) {
      runId = await startRun(client, { command: 'migrate rollback', migrationKey: 'rollback', source: '', targetSchema: '', options: { urls: config.urls, files: config.files, db: config.db, force: config.force } });
    }
    // Traffic first: nobody may be served by what is about to be taken apart.
    if (!config.dryRun) report.cutoverReset = await resetCutover(client, 'migrate rollback', 'migrate rollback: everyone back to the legacy backend');
    if (config.urls) report.urls = await undoUrlRewrites(client, { force: config.force, dryRun: config.dryRun, runId });
    if (config.files && plan.objects > 0) {
      const endpoint = config.s3.endpoint ?? (await lastFilesEndpoint(client));
      const s3 = createS3Client({ region: config.s3.region, endpoint, checksums: config.s3.checksums ?? (endpoint ? 'when-required' : 'when-supported') });
      try {
        report.files = await deleteUploadedObjects(client, s3, { dryRun: config.dryRun, concurrency: 16 });
      } finally {
        s3.destroy();
      }
    }
    if (config.db) {
      report.db = { dropped: [], appWrites: plan.appWrites };
      for (const migration of plan.migrations) {
        if (!config.dryRun) {
          await lockMigration(client, migration.migrationKey);
          await dropMigration(client, migration);
        }
        const n = (kind: string) => migration.objects.filter((o) => o.kind === kind).length;
        report.db.dropped.push({ migrationKey: migration.migrationKey, tables: n('table'), views: n('view'), functions: n('function'), schemas: n('schema') });
      }
    }
    if (config.dryRun) report.outcome = 'dry-run';
    if (runId !== null) await finishRun(client, runId, 'success', null, report);
    return report;
  } catch (error) {
    await recordFailure(client, runId, error);
    throw error;
  } finally {
    await client.end().catch(() => {});
  }
}
