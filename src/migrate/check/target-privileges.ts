// The Postgres privileges each command needs: CREATE on the schemas it writes into, or on the database
// for the ones it must create first, and TEMP for sync. Read with has_*_privilege; nothing is tried.
import type pg from 'pg';
import { LEDGER_SCHEMA } from '../ledger/index.js';
import { PG_SYNC_SCHEMA } from '../sync/postgres-capture.js';
import type { CheckedCommand, CheckItem } from './model.js';

/** The commands that run CREATE SCHEMA IF NOT EXISTS for the ledger; rollback only reads and updates it. */
const LEDGER_WRITERS: CheckedCommand[] = ['migrate db', 'migrate verify', 'migrate files', 'migrate sync'];

export interface TargetRole {
  user: string;
  database: string;
  superuser: boolean;
  createOnDatabase: boolean;
}

export async function readTargetRole(client: pg.Client): Promise<TargetRole & { temp: boolean }> {
  const { rows } = await client.query<{ user: string; database: string; superuser: boolean; create: boolean; temp: boolean }>(
    `SELECT current_user AS user, current_database() AS database, COALESCE((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), false) AS superuser,
            has_database_privilege(current_database(), 'CREATE') AS create, has_database_privilege(current_database(), 'TEMPORARY') AS temp`,
  );
  const r = rows[0];
  return { user: r.user, database: r.database, superuser: r.superuser, createOnDatabase: r.create, temp: r.temp };
}

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export async function checkTargetPrivileges(client: pg.Client, schema: string): Promise<CheckItem[]> {
  const role = await readTargetRole(client);
  const { rows } = await client.query<{ name: string; create: boolean; usage: boolean }>(
    "SELECT nspname AS name, has_schema_privilege(oid, 'CREATE') AS create, has_schema_privilege(oid, 'USAGE') AS usage FROM pg_namespace WHERE nspname = ANY($1)",
    [[schema, LEDGER_SCHEMA, PG_SYNC_SCHEMA]],
  );
  const existing = new Map(rows.map((r) => [r.name, r]));
  const fix = (what: string) => `GRANT ${what} TO ${ident(role.user)}`;
  // Postgres checks CREATE on the database before it looks whether the schema of a CREATE SCHEMA IF NOT
  // EXISTS is there: every command that makes sure of its schemas needs it, on every run.
  const items: CheckItem[] = [{
    area: 'target', check: `CREATE on database ${role.database}`, status: role.createOnDatabase ? 'ok' : 'blocked', commands: LEDGER_WRITERS,
    detail: `${role.createOnDatabase ? '' : `${role.user} lacks it: `}CREATE SCHEMA IF NOT EXISTS for ${[...new Set([LEDGER_SCHEMA, schema, PG_SYNC_SCHEMA])].join(', ')}${role.createOnDatabase ? '' : `: ${fix(`CREATE ON DATABASE ${ident(role.database)}`)}`}`,
  }];
  const schemaNeed = (name: string, commands: CheckedCommand[], why: string, readers: CheckedCommand[] = []) => {
    const found = existing.get(name);
    if (!found) return;
    const held = found.create && found.usage;
    items.push({
      area: 'target', check: `USAGE, CREATE on schema ${name}`, status: held ? 'ok' : 'blocked', commands: found.usage ? commands : [...commands, ...readers],
      detail: held ? why : `${role.user} lacks ${found.usage ? 'CREATE' : 'USAGE and CREATE'} (${why}): ${fix(`USAGE, CREATE ON SCHEMA ${ident(name)}`)}`,
    });
  };
  schemaNeed(schema, ['migrate db'], 'creates the tables, views and functions');
  schemaNeed(LEDGER_SCHEMA, LEDGER_WRITERS, 'the ledger: runs, steps, file manifest, URL journal', ['migrate rollback']);
  schemaNeed(PG_SYNC_SCHEMA, ['migrate sync'], 'the change table and capture function of the way back');
  items.push({
    area: 'target', check: `TEMPORARY on database ${role.database}`, status: role.temp ? 'ok' : 'blocked', commands: ['migrate sync'],
    detail: role.temp ? 'stages each batch of changes in a temporary table' : `${role.user} lacks it (stages each batch of changes in a temporary table): ${fix(`TEMPORARY ON DATABASE ${ident(role.database)}`)}`,
  });
  return items;
}
