// `migrate check`: connect to both sides (a wrong password ends here, in one line), then read what each
// command needs, on sessions that cannot write: the preflight leaves source, target and bucket as found.
import type pg from 'pg';
import { maskDsn } from '../../config/dsn.js';
import type { Ui } from '../../ui/index.js';
import { connectMysql, connectPostgres, readSourcePlan, type MysqlConnection } from '../db/index.js';
import { checkBucket } from './bucket.js';
import type { CheckConfig } from './config.js';
import { checkTargetDisk } from './disk.js';
import { checkExtensions } from './extensions.js';
import { blockedCommands, type CheckItem, type CheckReport } from './model.js';
import { checkSourcePrivileges } from './source-privileges.js';
import { reportedObjectItems, sizeItem, tableSizes } from './source-objects.js';
import { checkTargetPrivileges, readTargetRole } from './target-privileges.js';
import { checkTargetState } from './target-state.js';
import { checkTargetTables } from './target-tables.js';
import { trySchemaOnTarget } from './trial.js';
import { checkUploads } from './uploads.js';
import { countZeroDates } from './zero-dates.js';

/** The oldest Postgres the generated DDL runs on (GENERATED ... STORED, EXECUTE FUNCTION). */
const OLDEST_POSTGRES = 12;

async function openBoth(config: CheckConfig): Promise<{ mysql: MysqlConnection; pg: pg.Client }> {
  const mysql = await connectMysql(config.source);
  try {
    await mysql.query('SET SESSION TRANSACTION READ ONLY');
    const target = await connectPostgres(config.target, 'target', ['SET default_transaction_read_only = on']);
    return { mysql, pg: target };
  } catch (error) {
    await mysql.end().catch(() => {});
    throw error;
  }
}

export async function migrateCheck(config: CheckConfig, ui: Ui): Promise<CheckReport> {
  const started = new Date();
  const { mysql, pg: target } = await openBoth(config);
  const checks: CheckItem[] = [];
  try {
    const source = await readSourcePlan(config, ui);
    const { catalog, plan } = source;
    const tableNames = catalog.tables.map((t) => t.name);
    checks.push({ area: 'source', check: 'server version', status: 'info', detail: `${catalog.isMariaDb ? '' : 'MySQL '}${catalog.serverVersion}`, commands: [] });
    checks.push(...(await checkSourcePrivileges(mysql, { database: config.source.database, tables: tableNames, hasViews: catalog.views.length > 0 })));
    const sizes = await tableSizes(mysql, config.source.database, tableNames);
    checks.push(sizeItem(sizes));
    const scan = ui.phase('zero dates: scanning the date columns');
    const zeroDates = await countZeroDates(mysql, catalog.tables).finally(() => scan.done());
    checks.push(...reportedObjectItems(source, zeroDates));

    const { rows } = await target.query<{ version: string; num: string; standby: boolean }>(
      "SELECT current_setting('server_version') AS version, current_setting('server_version_num') AS num, pg_is_in_recovery() AS standby",
    );
    const major = Math.floor(Number(rows[0].num) / 10000);
    checks.push({
      area: 'target', check: 'server version', status: major >= OLDEST_POSTGRES ? 'info' : 'blocked', commands: major >= OLDEST_POSTGRES ? [] : ['migrate db'],
      detail: `PostgreSQL ${rows[0].version}${major >= OLDEST_POSTGRES ? '' : `: migrate db needs ${OLDEST_POSTGRES} or later`}`,
    });
    if (rows[0].standby) {
      checks.push({ area: 'target', check: 'standby', status: 'blocked', commands: ['migrate db', 'migrate verify', 'migrate files', 'migrate sync'], detail: 'the target is a read-only standby: point --target at the primary' });
    }
    const role = await readTargetRole(target);
    checks.push(...(await checkTargetPrivileges(target, config.schema)));
    checks.push(await checkTargetState(target, config, plan));
    checks.push(...(await checkTargetTables(target, plan, role.user)));
    checks.push(...(await trySchemaOnTarget(target, catalog, { sourceTimezone: config.sourceTimezone, typeMap: config.typeMap, collations: source.collations, temp: role.temp && !rows[0].standby })));
    checks.push(...(await checkExtensions(target, plan, role)));
    checks.push(await checkTargetDisk(target, config.target, sizes.reduce((n, t) => n + t.bytes, 0)));

    if (config.uploads !== undefined) checks.push(await checkUploads(config.uploads));
    if (config.bucket !== undefined) checks.push(...(await checkBucket(config.bucket, config.s3)));

    const blocked = blockedCommands(checks);
    return {
      schemaVersion: 1, command: 'migrate check', ok: blocked.length === 0,
      source: maskDsn(config.source.url), target: maskDsn(config.target.url), schema: config.schema,
      bucket: config.bucket ?? null, uploads: config.uploads ?? null,
      startedAt: started.toISOString(), seconds: Math.round(Date.now() - started.getTime()) / 1000,
      checks, blocked, sourceTables: sizes, notes: plan.notes,
    };
  } finally {
    await mysql.end().catch(() => {});
    await target.end().catch(() => {});
  }
}
