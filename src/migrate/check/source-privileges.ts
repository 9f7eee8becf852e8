// The MySQL privileges each command needs, read from information_schema (what the server says this
// user holds, roles included); nothing is tried out on the source.
import type { RowDataPacket } from 'mysql2/promise';
import type { MysqlConnection } from '../db/mysql.js';
import { MYSQL_SYNC_DATABASE } from '../sync/mysql-capture.js';
import type { CheckedCommand, CheckItem } from './model.js';

interface Grants {
  user: string;
  global: Set<string>;
  /** [database pattern as granted, privilege] */
  schemas: [string, string][];
  /** table -> privileges, in the source database */
  tables: Map<string, Set<string>>;
}

/** A database name matched against a grant's pattern, where _ and % are wildcards unless escaped. */
export function grantCovers(pattern: string, database: string): boolean {
  let regex = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\' && i + 1 < pattern.length) regex += pattern[++i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (ch === '_') regex += '.';
    else if (ch === '%') regex += '.*';
    else regex += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${regex}$`, 's').test(database);
}

async function readGrants(conn: MysqlConnection, database: string): Promise<Grants> {
  const [[who]] = await conn.query<RowDataPacket[]>(
    `SELECT CURRENT_USER() AS user, CONCAT("'", SUBSTRING_INDEX(CURRENT_USER(), '@', 1), "'@'", SUBSTRING_INDEX(CURRENT_USER(), '@', -1), "'") AS grantee, CURRENT_ROLE() AS role`,
  );
  const grantees = [who.grantee as string];
  // MariaDB names a role 'role'; MySQL 8 `role`@`host`, or NONE.
  const role = who.role == null || who.role === 'NONE' ? null : String(who.role).replace(/`/g, "'");
  if (role) grantees.push(role.startsWith("'") ? role : `'${role}'`);
  const [global] = await conn.query<RowDataPacket[]>('SELECT PRIVILEGE_TYPE AS privilege FROM information_schema.USER_PRIVILEGES WHERE GRANTEE IN (?)', [grantees]);
  const [schemas] = await conn.query<RowDataPacket[]>('SELECT TABLE_SCHEMA AS db, PRIVILEGE_TYPE AS privilege FROM information_schema.SCHEMA_PRIVILEGES WHERE GRANTEE IN (?)', [grantees]);
  const [tables] = await conn.query<RowDataPacket[]>(
    'SELECT TABLE_NAME AS name, PRIVILEGE_TYPE AS privilege FROM information_schema.TABLE_PRIVILEGES WHERE GRANTEE IN (?) AND TABLE_SCHEMA = ?',
    [grantees, database],
  );
  const byTable = new Map<string, Set<string>>();
  for (const t of tables) byTable.set(t.name, (byTable.get(t.name) ?? new Set()).add(t.privilege));
  return { user: who.user, global: new Set(global.map((g) => g.privilege as string)), schemas: schemas.map((s) => [s.db as string, s.privilege as string]), tables: byTable };
}

function holds(grants: Grants, privilege: string, database: string, tables: string[] = []): boolean {
  if (grants.global.has(privilege)) return true;
  if (grants.schemas.some(([pattern, p]) => p === privilege && grantCovers(pattern, database))) return true;
  // Granted table by table: enough when every table the migration reads has it.
  return tables.length > 0 && tables.every((t) => grants.tables.get(t)?.has(privilege));
}

interface Requirement {
  privilege: string;
  database: string;
  commands: CheckedCommand[];
  why: string;
  /** Missing it is a warning: the commands run and report what it cost. */
  soft?: boolean;
}

export interface SourceScope {
  database: string;
  tables: string[];
  hasViews: boolean;
}

export async function checkSourcePrivileges(conn: MysqlConnection, scope: SourceScope): Promise<CheckItem[]> {
  const grants = await readGrants(conn, scope.database);
  const db = scope.database;
  const [[state]] = await conn.query<RowDataPacket[]>(
    `SELECT @@log_bin AS logBin, @@log_bin_trust_function_creators AS trusted,
            EXISTS (SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?) AS syncDatabase`,
    [MYSQL_SYNC_DATABASE],
  );
  const requirements: Requirement[] = [
    { privilege: 'SELECT', database: db, commands: ['migrate db', 'migrate verify', 'migrate sync'], why: 'reads the schema and the rows' },
    { privilege: 'TRIGGER', database: db, commands: ['migrate sync'], why: 'installs the capture triggers on each table' },
    { privilege: 'INSERT', database: db, commands: ['migrate sync --reverse'], why: 'writes the changes made on Postgres back' },
    { privilege: 'UPDATE', database: db, commands: ['migrate sync --reverse'], why: 'writes the changes made on Postgres back' },
    { privilege: 'DELETE', database: db, commands: ['migrate sync --reverse'], why: 'writes the changes made on Postgres back' },
  ];
  if (scope.hasViews) {
    requirements.splice(1, 0, { privilege: 'SHOW VIEW', database: db, commands: ['migrate db'], why: 'reads the views\' definitions; without it the views are reported, not created', soft: true });
  }
  if (!Number(state.syncDatabase)) requirements.push({ privilege: 'CREATE', database: MYSQL_SYNC_DATABASE, commands: ['migrate sync'], why: 'creates the database holding the change table' });
  for (const privilege of ['SELECT', 'INSERT', 'DELETE']) {
    requirements.push({ privilege, database: MYSQL_SYNC_DATABASE, commands: ['migrate sync'], why: 'the triggers write changed keys there; sync reads and deletes them' });
  }

  const items: CheckItem[] = requirements.map((r) => {
    const held = holds(grants, r.privilege, r.database, r.database === db ? scope.tables : []);
    return {
      area: 'source',
      check: `${r.privilege} on ${r.database}`,
      status: held ? 'ok' : r.soft ? 'warn' : 'blocked',
      detail: held ? r.why : `${grants.user} lacks it (${r.why}): GRANT ${r.privilege} ON \`${r.database}\`.* TO ${grants.user.replace(/^(.*)@(.*)$/, "'$1'@'$2'")}`,
      commands: r.commands,
    };
  });
  // With the binary log on, MySQL and MariaDB refuse CREATE TRIGGER (error 1419) to users without SUPER
  // unless log_bin_trust_function_creators is set.
  if (Number(state.logBin) && !Number(state.trusted)) {
    const superUser = grants.global.has('SUPER');
    items.push({
      area: 'source', check: 'binary log and triggers', status: superUser ? 'ok' : 'warn', commands: ['migrate sync'],
      detail: superUser ? 'binary logging is on; SUPER lets this user create triggers' : 'binary logging is on: creating triggers needs SUPER, or SET GLOBAL log_bin_trust_function_creators = 1',
    });
  }
  return items;
}
