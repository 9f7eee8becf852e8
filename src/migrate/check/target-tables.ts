// Privileges on tables that are already there: the ledger's (every command records its runs in them)
// and, once migrate db has run, the migrated tables that files rewrites and sync writes and captures.
import type pg from 'pg';
import { LEDGER_SCHEMA } from '../ledger/index.js';
import type { TargetPlan } from '../db/index.js';
import type { CheckedCommand, CheckItem } from './model.js';

interface Missing {
  table: string;
  privilege: string;
}

async function missingPrivileges(client: pg.Client, schema: string, tables: string[] | null, privileges: string[]): Promise<{ found: number; missing: Missing[] }> {
  const { rows } = await client.query<{ table: string; privilege: string; held: boolean }>(
    `SELECT c.relname AS table, p.privilege, has_table_privilege(c.oid, p.privilege) AS held
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace CROSS JOIN unnest($3::text[]) AS p(privilege)
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND ($2::text[] IS NULL OR c.relname = ANY($2))
      ORDER BY c.relname, p.privilege`,
    [schema, tables, privileges],
  );
  return { found: new Set(rows.map((r) => r.table)).size, missing: rows.filter((r) => !r.held) };
}

function describe(missing: Missing[]): string {
  const byPrivilege = new Map<string, string[]>();
  for (const m of missing) byPrivilege.set(m.privilege, [...(byPrivilege.get(m.privilege) ?? []), m.table]);
  return [...byPrivilege.entries()].map(([p, t]) => `${p} on ${t.slice(0, 4).join(', ')}${t.length > 4 ? ` and ${t.length - 4} more` : ''}`).join('; ');
}

export async function checkTargetTables(client: pg.Client, plan: TargetPlan, user: string): Promise<CheckItem[]> {
  const items: CheckItem[] = [];
  const add = (check: string, commands: CheckedCommand[], result: { found: number; missing: Missing[] }, why: string, grant: string) => {
    if (result.found === 0) return;
    items.push({
      area: 'target', check, status: result.missing.length ? 'blocked' : 'ok', commands,
      detail: result.missing.length ? `${user} lacks ${describe(result.missing)} (${why}): ${grant}` : `${result.found} table(s): ${why}`,
    });
  };
  const ledger = await missingPrivileges(client, LEDGER_SCHEMA, null, ['SELECT', 'INSERT', 'UPDATE', 'DELETE']);
  add(`tables of ${LEDGER_SCHEMA}`, ['migrate db', 'migrate verify', 'migrate files', 'migrate sync', 'migrate rollback'], ledger,
    'every command records its runs and steps there', `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${LEDGER_SCHEMA} TO "${user}"`);
  const names = plan.tables.map((t) => t.name);
  const sync = await missingPrivileges(client, plan.schema, names, ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRIGGER']);
  add(`migrated tables in ${plan.schema}`, ['migrate sync', 'migrate files'], sync,
    'sync writes the changes and installs the capture triggers of the way back; files rewrites URL columns', `GRANT SELECT, INSERT, UPDATE, DELETE, TRIGGER ON ALL TABLES IN SCHEMA "${plan.schema}" TO "${user}"`);
  return items;
}
