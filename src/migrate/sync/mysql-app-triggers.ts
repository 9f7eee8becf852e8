// The app's own MySQL triggers during the way back. Rows written back from Postgres already hold what
// Postgres's translated triggers did; MySQL's triggers firing on them again would do it twice (an audit
// row twice, a stock taken off twice). MySQL cannot skip a trigger for one session, so each is wrapped
// in `IF <the applying session's variable> IS NULL`: unchanged for every other session, silent for the
// writer-back. The originals are kept in markethub_sync and put back exactly by --remove-capture.
import { quoteMysqlIdentifier as qm, type MysqlConnection } from '../db/index.js';
import { MYSQL_APPLYING_VARIABLE, MYSQL_SYNC_DATABASE } from './mysql-capture.js';

const ORIGINALS = `${MYSQL_SYNC_DATABASE}.app_triggers`;
const GUARD = `BEGIN IF ${MYSQL_APPLYING_VARIABLE} IS NULL THEN`;

interface TriggerRow {
  name: string;
  tbl: string;
  timing: string;
  event: string;
  body: string;
  definer: string;
  sqlMode: string;
  charset: string;
  collation: string;
}

async function appTriggers(conn: MysqlConnection, database: string, tables: string[] | null): Promise<TriggerRow[]> {
  const [rows] = await conn.query(
    `SELECT TRIGGER_NAME AS name, EVENT_OBJECT_TABLE AS tbl, ACTION_TIMING AS timing, EVENT_MANIPULATION AS event, ACTION_STATEMENT AS body,
            DEFINER AS definer, SQL_MODE AS sqlMode, CHARACTER_SET_CLIENT AS charset, COLLATION_CONNECTION AS collation
       FROM information_schema.TRIGGERS
      WHERE TRIGGER_SCHEMA = ? AND TRIGGER_NAME NOT LIKE 'markethub\\_sync\\_%' ${tables ? 'AND EVENT_OBJECT_TABLE IN (?)' : ''}
      ORDER BY EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER`,
    tables ? [database, tables] : [database],
  );
  return rows as TriggerRow[];
}

function definerClause(definer: string): string {
  const at = definer.lastIndexOf('@');
  return at < 0 ? '' : `DEFINER=${qm(definer.slice(0, at))}@${qm(definer.slice(at + 1))} `;
}

/**
 * Recreates a table's triggers with new bodies, under a write lock so no other session writes the table
 * between the drop and the create; creating them in their firing order keeps that order.
 */
async function recreate(conn: MysqlConnection, database: string, table: string, triggers: { row: TriggerRow; body: string }[]): Promise<void> {
  const [[saved]] = (await conn.query('SELECT @@SESSION.sql_mode AS sqlMode, @@SESSION.character_set_client AS charset, @@SESSION.collation_connection AS collation')) as unknown as [{ sqlMode: string; charset: string; collation: string }[]];
  await conn.query(`LOCK TABLES ${qm(database)}.${qm(table)} WRITE`);
  try {
    for (const { row } of triggers) await conn.query(`DROP TRIGGER ${qm(database)}.${qm(row.name)}`);
    for (const { row, body } of triggers) {
      // A trigger runs under the sql_mode and character set it was created with.
      await conn.query('SET SESSION sql_mode = ?, character_set_client = ?, collation_connection = ?', [row.sqlMode, row.charset, row.collation]);
      await conn.query(`CREATE ${definerClause(row.definer)}TRIGGER ${qm(database)}.${qm(row.name)} ${row.timing} ${row.event} ON ${qm(database)}.${qm(table)} FOR EACH ROW ${body}`);
    }
  } finally {
    await conn.query('UNLOCK TABLES');
    await conn.query('SET SESSION sql_mode = ?, character_set_client = ?, collation_connection = ?', [saved.sqlMode, saved.charset, saved.collation]);
  }
}

function byTable(rows: TriggerRow[]): Map<string, TriggerRow[]> {
  const groups = new Map<string, TriggerRow[]>();
  for (const row of rows) groups.set(row.tbl, [...(groups.get(row.tbl) ?? []), row]);
  return groups;
}

/** Wraps the app's triggers on these tables (those not wrapped yet); returns table.trigger of each now skipping the writer-back. */
export async function guardAppTriggers(conn: MysqlConnection, database: string, tables: string[]): Promise<string[]> {
  if (!tables.length) return [];
  const rows = await appTriggers(conn, database, tables);
  if (!rows.length) return [];
  await conn.query(`CREATE TABLE IF NOT EXISTS ${ORIGINALS} (db VARCHAR(64) NOT NULL, name VARCHAR(64) NOT NULL, body LONGTEXT NOT NULL, PRIMARY KEY (db, name)) ENGINE=InnoDB`);
  for (const [table, triggers] of byTable(rows)) {
    if (triggers.every((t) => t.body.startsWith(GUARD))) continue;
    for (const t of triggers.filter((t) => !t.body.startsWith(GUARD))) {
      await conn.query(`INSERT IGNORE INTO ${ORIGINALS} (db, name, body) VALUES (?, ?, ?)`, [database, t.name, t.body]);
    }
    await recreate(conn, database, table, triggers.map((row) => ({ row, body: row.body.startsWith(GUARD) ? row.body : `${GUARD}\n${row.body};\nEND IF; END` })));
  }
  return rows.map((r) => `${r.tbl}.${r.name}`);
}

/** Puts every wrapped trigger of the database back as it was. */
export async function restoreAppTriggers(conn: MysqlConnection, database: string): Promise<string[]> {
  const [exists] = await conn.query('SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?', [MYSQL_SYNC_DATABASE, 'app_triggers']);
  if (!(exists as unknown[]).length) return [];
  const [saved] = await conn.query(`SELECT name, body FROM ${ORIGINALS} WHERE db = ?`, [database]);
  const originals = new Map((saved as { name: string; body: string }[]).map((r) => [r.name, r.body]));
  const restored: string[] = [];
  for (const [table, triggers] of byTable(await appTriggers(conn, database, null))) {
    if (!triggers.some((t) => t.body.startsWith(GUARD) && originals.has(t.name))) continue;
    await recreate(conn, database, table, triggers.map((row) => ({ row, body: row.body.startsWith(GUARD) ? (originals.get(row.name) ?? row.body) : row.body })));
    restored.push(...triggers.filter((t) => originals.has(t.name)).map((t) => `${table}.${t.name}`));
  }
  await conn.query(`DELETE FROM ${ORIGINALS} WHERE db = ?`, [database]);
  return restored;
}
