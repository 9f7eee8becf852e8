// Drop what migrate db created, after making sure the app has not written to it since.
import type pg from 'pg';
import { dropCreatedObjects, quoteIdent as qi } from '../db/index.js';
import { createdObjects, LEDGER_SCHEMA, WRITES_BASELINE_STEP } from '../ledger/index.js';
import { journalKeyMatch, primaryKeyOf } from '../files/rewrite.js';

export interface DbMigration {
  migrationKey: string;
  objects: { kind: string; schema: string; name: string }[];
}

export interface AppWrites {
  table: string;
  what: string;
}

/** Every migrate db migration in the ledger that still has objects to drop. */
export async function dbMigrations(client: pg.Client): Promise<DbMigration[]> {
  const { rows } = await client.query<{ migration_key: string }>(`SELECT DISTINCT migration_key FROM ${LEDGER_SCHEMA}.created_objects ORDER BY 1`);
  return Promise.all(rows.map(async (r) => ({ migrationKey: r.migration_key, objects: await createdObjects(client, r.migration_key) })));
}

/**
 * Tables the app wrote to after the migration: a row count that differs from what the migration copied
 * (inserts or deletes), or row versions newer than the migration's last write (inserts and updates),
 * leaving out rows whose URLs markethub itself rewrote or restored.
 */
export async function appWritesSince(client: pg.Client, migration: DbMigration): Promise<AppWrites[]> {
  const found: AppWrites[] = [];
  const { rows: baseline } = await client.query<{ xid: string }>(
    `SELECT detail->>'xid' AS xid FROM ${LEDGER_SCHEMA}.steps WHERE migration_key = $1 AND step_key = $2`, [migration.migrationKey, WRITES_BASELINE_STEP],
  );
  for (const table of migration.objects.filter((o) => o.kind === 'table')) {
    const relation = `${qi(table.schema)}.${qi(table.name)}`;
    const { rows: exists } = await client.query<{ ok: boolean }>('SELECT to_regclass($1) IS NOT NULL AS ok', [relation]);
    if (!exists[0]!.ok) continue;
    const { rows: copied } = await client.query<{ n: string | null }>(
      `SELECT sum((detail->>'rowsWritten')::bigint)::text AS n FROM ${LEDGER_SCHEMA}.steps
        WHERE migration_key = $1 AND (step_key = $2 OR step_key LIKE $3)`,
      [migration.migrationKey, `copy:${table.name}`, `copy:${table.name.replace(/[\\%_]/g, '\\$&')}#%`],
    );
    const { rows: count } = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${relation}`);
    const difference = Number(count[0]!.n) - Number(copied[0]!.n ?? 0);
    if (difference !== 0) found.push({ table: table.name, what: `${Math.abs(difference)} rows ${difference > 0 ? 'more' : 'fewer'} than the migration copied` });
    if (!baseline[0]?.xid) continue;
    const keys = await primaryKeyOf(client, table.schema, table.name);
    // A row last written by one of markethub's own URL rewrites or undos is not the app's.
    const ourRewrite = keys.length
      ? `AND NOT EXISTS (SELECT 1 FROM ${LEDGER_SCHEMA}.url_rewrites j WHERE j.table_schema = $2 AND j.table_name = $3
           AND t.xmin::text::bigint IN (j.rewrite_xid, j.undo_xid) AND ${journalKeyMatch(keys)})`
      : '';
    // age() counts back from now: a row version younger than the baseline was written after it.
    const { rows: newer } = await client.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM ${relation} t WHERE age(t.xmin) <= age($1::text::xid) ${ourRewrite}`,
      keys.length ? [baseline[0].xid, table.schema, table.name] : [baseline[0].xid],
    );
    if (Number(newer[0]!.n) > 0) found.push({ table: table.name, what: `${newer[0]!.n} rows inserted or updated since the migration` });
  }
  return found;
}

export async function dropMigration(client: pg.Client, migration: DbMigration): Promise<void> {
  await dropCreatedObjects(client, migration.migrationKey);
}
