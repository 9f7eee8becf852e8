// Change capture on MySQL: row triggers on every migrated table write the key of each inserted, updated
// or deleted row to markethub_sync.changes. Triggers need no binlog privilege or server setting, and a
// change row commits (or rolls back) with the write that made it.
import { createHash } from 'node:crypto';
import { quoteMysqlIdentifier as qm, type MysqlConnection, type TargetTable } from '../db/index.js';
import type { CapturedChange } from './batch.js';

export const MYSQL_SYNC_DATABASE = 'markethub_sync';
/** Set in the session that applies Postgres changes to MySQL, so the triggers do not capture them again. */
export const MYSQL_APPLYING_VARIABLE = '@markethub_sync_applying';

const CHANGES = `${MYSQL_SYNC_DATABASE}.changes`;

const SETUP_SQL = [
  `CREATE DATABASE IF NOT EXISTS ${MYSQL_SYNC_DATABASE}`,
  // changed_at: seconds since the epoch on the MySQL clock, for lag.
  `CREATE TABLE IF NOT EXISTS ${CHANGES} (
     id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
     db VARCHAR(64) NOT NULL,
     tbl VARCHAR(64) NOT NULL,
     pk LONGTEXT NULL,
     changed_at DECIMAL(17,6) NOT NULL,
     KEY by_database (db, id)
   ) ENGINE=InnoDB`,
  // What the reverse direction applied, written in the same MySQL transaction as the rows.
  `CREATE TABLE IF NOT EXISTS ${MYSQL_SYNC_DATABASE}.applied_batches (
     id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
     db VARCHAR(64) NOT NULL,
     change_ids LONGTEXT NOT NULL,
     applied_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
     KEY by_database (db, id)
   ) ENGINE=InnoDB`,
];

/** Trigger names are at most 64 characters: long table names keep a hash to stay unique. */
export function triggerName(table: string, event: 'i' | 'u' | 'd'): string {
  const name = `markethub_sync_${event}_${table}`;
  return name.length <= 64 ? name : `${name.slice(0, 55)}_${createHash('sha1').update(table).digest('hex').slice(0, 8)}`;
}

function literal(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** The key as text: JSON array of the key columns cast to strings (exact for big integers and dates); NULL without a key. */
function keyExpression(table: TargetTable, row: 'NEW' | 'OLD'): string {
  const keys = sourceKeyColumns(table);
  if (keys.length === 0) return 'NULL';
  return `JSON_ARRAY(${keys.map((k) => `CAST(${row}.${qm(k)} AS CHAR)`).join(', ')})`;
}

export function sourceKeyColumns(table: TargetTable): string[] {
  return table.primaryKey.map((name) => table.columns.find((c) => c.name === name)!.source.name);
}

export function captureTriggersSql(database: string, table: TargetTable): string[] {
  const insert = (row: 'NEW' | 'OLD') =>
    `INSERT INTO ${CHANGES} (db, tbl, pk, changed_at) VALUES (${literal(database)}, ${literal(table.sourceName)}, ${keyExpression(table, row)}, UNIX_TIMESTAMP(NOW(6)))`;
  const on = qm(table.sourceName);
  const skip = `${MYSQL_APPLYING_VARIABLE} IS NULL`;
  const keyChanged = sourceKeyColumns(table).map((k) => `NOT (OLD.${qm(k)} <=> NEW.${qm(k)})`).join(' OR ') || 'FALSE';
  return [
    `CREATE TRIGGER ${qm(triggerName(table.sourceName, 'i'))} AFTER INSERT ON ${on} FOR EACH ROW BEGIN IF ${skip} THEN ${insert('NEW')}; END IF; END`,
    // An update that moves a row to another key removes the old key too.
    `CREATE TRIGGER ${qm(triggerName(table.sourceName, 'u'))} AFTER UPDATE ON ${on} FOR EACH ROW BEGIN IF ${skip} THEN IF ${keyChanged} THEN ${insert('OLD')}; END IF; ${insert('NEW')}; END IF; END`,
    `CREATE TRIGGER ${qm(triggerName(table.sourceName, 'd'))} AFTER DELETE ON ${on} FOR EACH ROW BEGIN IF ${skip} THEN ${insert('OLD')}; END IF; END`,
  ];
}

async function existingTriggers(conn: MysqlConnection, database: string): Promise<Set<string>> {
  const [rows] = await conn.query('SELECT TRIGGER_NAME AS name FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? AND TRIGGER_NAME LIKE ?', [database, 'markethub\\_sync\\_%']);
  return new Set((rows as { name: string }[]).map((r) => r.name));
}

/**
 * Runs `work` holding a server-wide named lock for this database's triggers: a follower and a switch
 * can install capture at the same moment, and MySQL has no CREATE TRIGGER IF NOT EXISTS that is safe
 * between the check and the create.
 */
async function withTriggerLock<T>(conn: MysqlConnection, database: string, work: () => Promise<T>): Promise<T> {
  // Lock names are at most 64 characters.
  const name = `markethub_sync:${createHash('sha1').update(database).digest('hex').slice(0, 40)}`;
  const [rows] = await conn.query('SELECT GET_LOCK(?, 60) AS got', [name]);
  if (Number((rows as { got: number | null }[])[0].got) !== 1) throw new Error(`another markethub process held the capture lock of ${database} for 60 s`);
  try {
    return await work();
  } finally {
    await conn.query('SELECT RELEASE_LOCK(?)', [name]);
  }
}

/** Creates the change table and each table's triggers that are missing; returns the tables newly captured. */
export async function installMysqlCapture(conn: MysqlConnection, database: string, tables: TargetTable[]): Promise<string[]> {
  for (const sql of SETUP_SQL) await conn.query(sql);
  return withTriggerLock(conn, database, () => installMissingTriggers(conn, database, tables));
}

async function installMissingTriggers(conn: MysqlConnection, database: string, tables: TargetTable[]): Promise<string[]> {
  const present = await existingTriggers(conn, database);
  const added: string[] = [];
  for (const table of tables) {
    if (['i', 'u', 'd'].every((e) => present.has(triggerName(table.sourceName, e as 'i')))) continue;
    for (const e of ['i', 'u', 'd'] as const) await conn.query(`DROP TRIGGER IF EXISTS ${qm(database)}.${qm(triggerName(table.sourceName, e))}`);
    for (const sql of captureTriggersSql(database, table)) await conn.query(sql);
    added.push(table.sourceName);
  }
  return added;
}

export async function removeMysqlCapture(conn: MysqlConnection, database: string): Promise<void> {
  await withTriggerLock(conn, database, async () => {
    for (const name of await existingTriggers(conn, database)) await conn.query(`DROP TRIGGER IF EXISTS ${qm(database)}.${qm(name)}`);
  });
  await conn.query(`DELETE FROM ${CHANGES} WHERE db = ?`, [database]).catch(() => {});
}

export async function hasMysqlCapture(conn: MysqlConnection, database: string): Promise<boolean> {
  return (await existingTriggers(conn, database)).size > 0;
}

/** The oldest changes not yet applied, inside the caller's snapshot, with the MySQL clock for lag. */
export async function readMysqlChanges(conn: MysqlConnection, database: string, limit: number): Promise<{ changes: CapturedChange[]; now: number }> {
  const [rows] = await conn.query(`SELECT id, tbl, pk, changed_at, UNIX_TIMESTAMP(NOW(6)) AS now FROM ${CHANGES} WHERE db = ? ORDER BY id LIMIT ${Number(limit)}`, [database]);
  const list = rows as { id: string | number; tbl: string; pk: string | null; changed_at: string; now: string }[];
  const now = list.length ? Number(list[0].now) : Date.now() / 1000;
  return { now, changes: list.map((r) => ({ id: String(r.id), table: r.tbl, key: r.pk === null ? null : (JSON.parse(r.pk) as string[]), changedAt: Number(r.changed_at) })) };
}

export async function pendingMysqlChanges(conn: MysqlConnection, database: string): Promise<number> {
  const [rows] = await conn.query(`SELECT COUNT(*) AS n FROM ${CHANGES} WHERE db = ?`, [database]);
  return Number((rows as { n: number }[])[0].n);
}

export async function deleteMysqlChanges(conn: MysqlConnection, ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 5000) {
    const slice = ids.slice(i, i + 5000);
    await conn.query(`DELETE FROM ${CHANGES} WHERE id IN (${slice.filter((id) => /^\d+$/.test(id)).join(',')})`);
  }
}

/** Queues keys as if their rows had just changed (rows found different when capture began late). */
export async function queueMysqlChanges(conn: MysqlConnection, database: string, rows: { table: string; key: string[] | null }[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    const slice = rows.slice(i, i + 1000);
    await conn.query(
      `INSERT INTO ${CHANGES} (db, tbl, pk, changed_at) VALUES ${slice.map(() => '(?, ?, ?, UNIX_TIMESTAMP(NOW(6)))').join(', ')}`,
      slice.flatMap((r) => [database, r.table, r.key === null ? null : JSON.stringify(r.key)]),
    );
  }
}

/** The way back's record of applied batches, for a Postgres capture that starts anew. */
export async function forgetReverseBatches(conn: MysqlConnection, database: string): Promise<void> {
  await conn.query(`DELETE FROM ${MYSQL_SYNC_DATABASE}.applied_batches WHERE db = ?`, [database]);
}

/** MySQL's next AUTO_INCREMENT value of each named table that has one (above every id it handed out). */
export async function nextAutoIncrements(conn: MysqlConnection, database: string, tables: string[]): Promise<Map<string, string>> {
  if (tables.length === 0) return new Map();
  const [rows] = await conn.query('SELECT TABLE_NAME AS name, AUTO_INCREMENT AS next FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME IN (?) AND AUTO_INCREMENT IS NOT NULL', [database, tables]);
  return new Map((rows as { name: string; next: string | number }[]).map((r) => [r.name, String(r.next)]));
}
