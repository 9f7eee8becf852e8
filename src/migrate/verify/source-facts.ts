// What the comparison needs to know about the source beyond the plan: the server's flavour (MariaDB
// stores JSON as text, MySQL as a binary type), which text columns already hold UTF-8 bytes, and the key
// orders of JSON documents.
import type { MysqlConnection, TargetTable } from '../db/index.js';
import { jsonKeyOrders } from './json.js';
import type { TargetColumnType } from './model.js';

export interface SourceFacts {
  mariaDb: boolean;
  /** Source column names whose character set is utf8mb4 or utf8(mb3): their bytes need no conversion. */
  utf8Columns: Set<string>;
  /** Sampled key orders of JSON columns, by target column name. */
  keyOrders: Map<string, string[][]>;
}

export const NO_SOURCE_FACTS: SourceFacts = { mariaDb: true, utf8Columns: new Set(), keyOrders: new Map() };

/** The facts of every table to compare, by target table name. */
export async function readSourceFacts(conn: MysqlConnection, tables: TargetTable[], types: Map<string, Map<string, TargetColumnType>>): Promise<Map<string, SourceFacts>> {
  const [[[version]]] = (await conn.query({ sql: 'SELECT VERSION()', rowsAsArray: true })) as unknown as [[[string]]];
  const mariaDb = /mariadb/i.test(version);
  const [rows] = (await conn.query({
    sql: "SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND CHARACTER_SET_NAME IN ('utf8mb4', 'utf8mb3', 'utf8')",
    rowsAsArray: true,
  })) as unknown as [[string, string][]];
  const utf8 = new Map<string, Set<string>>();
  for (const [table, column] of rows) (utf8.get(table) ?? utf8.set(table, new Set()).get(table)!).add(column);
  const facts = new Map<string, SourceFacts>();
  for (const table of tables) {
    const keyOrders = mariaDb ? await jsonKeyOrders(conn, table, types.get(table.name)) : new Map<string, string[][]>();
    facts.set(table.name, { mariaDb, utf8Columns: utf8.get(table.sourceName) ?? new Set(), keyOrders });
  }
  return facts;
}
