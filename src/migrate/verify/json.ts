// JSON documents in the in-database hash. jsonb keeps no key order (it prints keys by length, then
// bytes) and MariaDB cannot sort keys without a costly per-row subquery. But the documents of one column
// are mostly written by the same code, in a few key orders: sampled from the source, those orders tell
// Postgres how to print its documents so that both sides usually produce the very same text. Where
// they do not, the texts differ and the range is compared value by value here: the rendering is a
// pre-check that can only be too careful, because each side's text is a faithful JSON text of its value.
import { quoteLiteral, quoteMysqlIdentifier, type MysqlConnection, type TargetTable } from '../db/index.js';
import type { TargetColumnType } from './model.js';

/** Documents read to learn a column's key orders: a handful of writers show up in a thousand rows. */
const SAMPLED_DOCUMENTS = 1000;
/** Key orders printed for at most this many shapes; rarer ones are left to the value comparison. */
const KEY_ORDERS = 4;

/** How jsonb orders object keys: shorter first, then by bytes. */
export function jsonbKeyOrder(a: string, b: string): number {
  return Buffer.byteLength(a) - Buffer.byteLength(b) || Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/**
 * The most common top-level key orders of a MariaDB JSON column that jsonb would print differently.
 * Keys jsonb cannot hold (NUL) are left out.
 */
async function sampleKeyOrders(conn: MysqlConnection, table: string, column: string): Promise<string[][]> {
  const c = quoteMysqlIdentifier(column);
  const [rows] = await conn.query({
    sql: `SELECT k FROM (SELECT JSON_KEYS(${c}) AS k FROM ${quoteMysqlIdentifier(table)} LIMIT ${SAMPLED_DOCUMENTS}) AS s
           WHERE k IS NOT NULL GROUP BY k ORDER BY COUNT(*) DESC LIMIT ${KEY_ORDERS}`,
    rowsAsArray: true,
  });
  const orders: string[][] = [];
  for (const [text] of rows as unknown as [string][]) {
    let keys: unknown;
    try {
      keys = JSON.parse(text);
    } catch {
      continue;
    }
    if (!Array.isArray(keys) || keys.length === 0 || !keys.every((k) => typeof k === 'string' && !k.includes('\u0000'))) continue;
    const sorted = [...keys].sort(jsonbKeyOrder);
    if (sorted.some((k, i) => k !== keys[i])) orders.push(keys as string[]);
  }
  return orders;
}

/** The sampled key orders of the table's MariaDB JSON columns that land in jsonb, by target column. */
export async function jsonKeyOrders(conn: MysqlConnection, table: TargetTable, types: Map<string, TargetColumnType> | undefined): Promise<Map<string, string[][]>> {
  const keyOrders = new Map<string, string[][]>();
  for (const column of table.columns) {
    if (column.source.isJson && types?.get(column.name)?.udt === 'jsonb') keyOrders.set(column.name, await sampleKeyOrders(conn, table.sourceName, column.source.name));
  }
  return keyOrders;
}

/**
 * The document as MariaDB would print it with jsonb's spacing, in the source's key order; MySQL's own
 * JSON type already prints like jsonb. Text that is not JSON becomes a NUL byte, which no jsonb text holds.
 */
export function mysqlJsonText(m: string, mariaDb: boolean): string {
  const text = mariaDb ? `IFNULL(JSON_LOOSE(${m}), X'00')` : `CAST(${m} AS CHAR)`;
  return `CAST(CONVERT(IF(${m} IS NULL, NULL, ${text}) USING utf8mb4) AS BINARY)`;
}

/** The document as stored: what MariaDB's own JSON functions write already has jsonb's spacing. */
export function mysqlRawJsonText(m: string, mariaDb: boolean): string {
  return mariaDb ? `CAST(${m} AS BINARY)` : `CAST(${m} AS CHAR)`;
}

/**
 * The jsonb object printed in the first sampled key order it has exactly the keys of, else as jsonb
 * prints it. No other keys: removing the sampled ones leaves an empty object; none missing: a missing
 * one makes the whole text NULL, and the next order is tried.
 */
export function postgresJsonText(p: string, keyOrders: string[][]): string {
  if (!keyOrders.length) return `${p}::text`;
  const printed = keyOrders.map((keys) => {
    const array = `ARRAY[${keys.map(quoteLiteral).join(', ')}]::text[]`;
    const members = keys.map((k, i) => `${quoteLiteral(`${i ? ', ' : '{'}${JSON.stringify(k)}: `)} || (${p} -> ${quoteLiteral(k)})::text`);
    return `CASE WHEN ${p} - ${array} = '{}'::jsonb THEN ${members.join(' || ')} || '}' END`;
  });
  // Removing keys from an array or a scalar is an error: only objects get there.
  return `CASE WHEN jsonb_typeof(${p}) = 'object' THEN COALESCE(${printed.join(', ')}, ${p}::text) ELSE ${p}::text END`;
}

/** A NUL in any string of the document, which jsonb cannot hold and the migration removes: `\u0000` after an even run of backslashes, or a raw NUL. */
export function mysqlJsonHasNul(m: string, mariaDb: boolean): string {
  const text = mariaDb ? m : `CAST(${m} AS CHAR)`;
  // Character strings on both sides (MySQL refuses a binary pattern for a text), spelled in hex whatever the SQL mode.
  const literal = (s: string) => `CONVERT(X'${Buffer.from(s).toString('hex')}' USING utf8mb4)`;
  const escaped = `(INSTR(${text}, ${literal('\\u0000')}) > 0 AND ${text} REGEXP ${literal('(^|[^\\\\])(\\\\\\\\)*\\\\u0000')})`;
  return `(INSTR(${text}, ${literal('\u0000')}) > 0 OR ${escaped})`;
}
