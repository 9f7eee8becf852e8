// What the connected MySQL user may do: information_schema's privilege tables and SHOW GRANTS, merged.
// MariaDB leaves a role's privileges out of information_schema but lists the current role's in SHOW
// GRANTS; MySQL 8 lists privileges there only for the account. Either source is taken as evidence.
import type { RowDataPacket } from 'mysql2/promise';
import type { MysqlConnection } from '../db/index.js';

/** Covers every privilege but GRANT OPTION, wherever it is granted. */
const ALL = 'ALL PRIVILEGES';

export interface Grants {
  /** user@host as CURRENT_USER() gives it. */
  user: string;
  global: Set<string>;
  /** [database pattern as granted, privilege] */
  schemas: [string, string][];
  /** [database, table, privilege]; column grants are not counted. */
  tables: [string, string, string][];
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

/** `name` or `na``me` -> name; * stays *. */
function unquote(part: string): string {
  return part.startsWith('`') ? part.slice(1, -1).replace(/``/g, '`') : part;
}

/** Splits `a`.`b` (or `a`.*, *.*) on the dot between the two names. */
function splitTarget(target: string): [string, string] | null {
  const m = /^(`(?:[^`]|``)*`|\*|[^.`]+)\.(`(?:[^`]|``)*`|\*|[^.`]+)$/.exec(target);
  return m ? [unquote(m[1]), unquote(m[2])] : null;
}

/** The privileges in the lines SHOW GRANTS prints: `GRANT SELECT, TRIGGER ON `shop`.* TO ...`. */
export function parseShowGrants(lines: string[]): Omit<Grants, 'user'> {
  const grants: Omit<Grants, 'user'> = { global: new Set(), schemas: [], tables: [] };
  for (const line of lines) {
    const m = /^GRANT (.+?) ON (?:(TABLE|FUNCTION|PROCEDURE|PACKAGE BODY|PACKAGE) )?(\S+) TO /i.exec(line.trim());
    if (!m || (m[2] && m[2].toUpperCase() !== 'TABLE')) continue; // roles, routines
    const target = splitTarget(m[3]);
    if (!target) continue;
    // Commas inside a column list belong to it: SELECT (`a`, `b`), INSERT.
    const privileges = m[1].split(/,(?![^(]*\))/).map((p) => p.trim()).filter((p) => !p.includes('('));
    for (const raw of privileges) {
      const privilege = /^ALL( PRIVILEGES)?$/i.test(raw) ? ALL : raw.toUpperCase();
      const [db, table] = target;
      if (db === '*' && table === '*') grants.global.add(privilege);
      else if (db !== '*' && table === '*') grants.schemas.push([db, privilege]);
      else if (db !== '*') grants.tables.push([db, table, privilege]);
    }
  }
  return grants;
}

export async function readGrants(conn: MysqlConnection, database: string): Promise<Grants> {
  const [[who]] = await conn.query<RowDataPacket[]>(
    `SELECT CURRENT_USER() AS user, CONCAT("'", SUBSTRING_INDEX(CURRENT_USER(), '@', 1), "'@'", SUBSTRING_INDEX(CURRENT_USER(), '@', -1), "'") AS grantee`,
  );
  const [global] = await conn.query<RowDataPacket[]>('SELECT PRIVILEGE_TYPE AS privilege FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = ?', [who.grantee]);
  const [schemas] = await conn.query<RowDataPacket[]>('SELECT TABLE_SCHEMA AS db, PRIVILEGE_TYPE AS privilege FROM information_schema.SCHEMA_PRIVILEGES WHERE GRANTEE = ?', [who.grantee]);
  const [tables] = await conn.query<RowDataPacket[]>(
    'SELECT TABLE_NAME AS name, PRIVILEGE_TYPE AS privilege FROM information_schema.TABLE_PRIVILEGES WHERE GRANTEE = ? AND TABLE_SCHEMA = ?',
    [who.grantee, database],
  );
  // The password hash SHOW GRANTS may print is read past, never kept.
  const [shown] = await conn.query<RowDataPacket[]>('SHOW GRANTS');
  const parsed = parseShowGrants(shown.map((row) => String(Object.values(row)[0])));
  return {
    user: who.user,
    global: new Set([...global.map((g) => g.privilege as string), ...parsed.global]),
    schemas: [...schemas.map((s): [string, string] => [s.db, s.privilege]), ...parsed.schemas],
    tables: [...tables.map((t): [string, string, string] => [database, t.name, t.privilege]), ...parsed.tables],
  };
}

/** Whether `privilege` is held on `database`: globally, on a matching database pattern, or on each of `tables`. */
export function holds(grants: Grants, privilege: string, database: string, tables: string[] = []): boolean {
  const is = (p: string) => p === privilege || (p === ALL && privilege !== 'GRANT OPTION');
  if ([...grants.global].some(is)) return true;
  if (grants.schemas.some(([pattern, p]) => is(p) && grantCovers(pattern, database))) return true;
  // Granted table by table: enough when every table the migration reads has it.
  return tables.length > 0 && tables.every((t) => grants.tables.some(([db, table, p]) => db === database && table === t && is(p)));
}
