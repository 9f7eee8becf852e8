// The Postgres privileges each command needs: CREATE on the schemas it writes into, or on the database
// for the ones it must create first, and TEMP for sync. Read with has_*_privilege; nothing is tried.
import type pg from 'pg';
import { LEDGER_SCHEMA } from '../ledger/index.js';
import { PG_SYNC_SCHEMA } from '../sync/postgres-capture.js';
import type { CheckedCommand, CheckItem } from './model.js';

const LEDGER_COMMANDS: CheckedCommand[] = ['migrate db', 'migrate verify', 'migrate files', 'migrate sync', 'migrate rollback'];

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
  const items: CheckItem[] = [];
  const needDatabase = new Set<CheckedCommand>();
  const schemaNeed = (name: string, commands: CheckedCommand[], why: string) => {
    const found = existing.get(name);
    if (!found) {
      for (const c of commands) needDatabase.add(c);
      return;
    }
    const held = found.create && found.usage;
    items.push({
      area: 'target', check: `CREATE on schema ${name}`, status: held ? 'ok' : 'blocked', commands,
      detail: held ? why : `${role.user} lacks ${found.usage ? 'CREATE' : 'USAGE and CREATE'} (${why}): GRANT USAGE, CREATE ON SCHEMA ${ident(name)} TO ${ident(role.user)}`,
    });
  };
  schemaNeed(schema, ['migrate db'], 'creates the tables, views and functions');
  schemaNeed(LEDGER_SCHEMA, LEDGER_COMMANDS, 'the ledger: runs, steps, file manifest, URL journal');
  schemaNeed(PG_SYNC_SCHEMA, ['migrate sync'], 'the change table and capture function of the way back');
  const missingSchemas = [schema, LEDGER_SCHEMA, PG_SYNC_SCHEMA].filter((s) => !existing.has(s));
  if (needDatabase.size) {
    const commands = LEDGER_COMMANDS.filter((c) => needDatabase.has(c));
    const why = `creates schema${missingSchemas.length > 1 ? 's' : ''} ${missingSchemas.join(', ')}`;
    items.unshift({
      area: 'target', check: `CREATE on database ${role.database}`, status: role.createOnDatabase ? 'ok' : 'blocked', commands,
      detail: role.createOnDatabase ? why : `${role.user} lacks it (${why}): GRANT CREATE ON DATABASE ${ident(role.database)} TO ${ident(role.user)}`,
    });
  }
  items.push({
    area: 'target', check: `TEMPORARY on database ${role.database}`, status: role.temp ? 'ok' : 'blocked', commands: ['migrate sync'],
    detail: role.temp ? 'stages each batch of changes in a temporary table' : `${role.user} lacks it (stages each batch of changes in a temporary table): GRANT TEMPORARY ON DATABASE ${ident(role.database)} TO ${ident(role.user)}`,
  });
  return items;
}
