// The MySQL privileges each command needs, against what the server says this user holds (see
// mysql-grants.ts); nothing is tried out on the source.
import type { RowDataPacket } from 'mysql2/promise';
import type { MysqlConnection } from '../db/index.js';
import { MYSQL_SYNC_DATABASE } from '../sync/mysql-capture.js';
import type { CheckedCommand, CheckItem } from './model.js';
import { holds, readGrants } from './mysql-grants.js';

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
    `SELECT @@log_bin AS logBin, @@log_bin_trust_function_creators AS trusted, @@read_only AS readOnly,
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
  // A read-only server (a replica) takes no triggers and no change rows from an ordinary user.
  if (Number(state.readOnly)) {
    const exempt = grants.global.has('SUPER') || grants.global.has('READ_ONLY ADMIN');
    items.push({
      area: 'source', check: 'read_only', status: exempt ? 'warn' : 'blocked', commands: ['migrate sync'],
      detail: `the source server is read-only (a replica?)${exempt ? `; ${grants.user} may write anyway, but` : ':'} migrate sync installs triggers where the app writes: point --source at the primary`,
    });
  }
  return items;
}
