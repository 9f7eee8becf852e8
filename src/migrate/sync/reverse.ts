// One reverse batch, after writes moved to Postgres: the oldest captured Postgres changes -> the rows'
// states in one Postgres snapshot -> one MySQL transaction (rows and the batch's record) -> the changes
// removed from Postgres. Values go back into the types `migrate db` read them from.
import type pg from 'pg';
import { quoteIdent as qi, quoteLiteral, quoteMysqlIdentifier as qm, SPATIAL_TYPES, type MysqlConnection, type TargetColumn, type TargetTable } from '../db/index.js';
import { applySegments, keyString, lagsOf, segmentsOf, touchedRows, type BatchResult, type CapturedChange, type Segment } from './batch.js';
import { MYSQL_SYNC_DATABASE } from './mysql-capture.js';
import { deletePostgresChanges, readPostgresChanges } from './postgres-capture.js';
import { keysMatch } from './target-keys.js';

export interface ReverseContext {
  /** Session with foreign key checks off and the applying marker set. */
  mysql: MysqlConnection;
  pg: pg.Client;
  database: string;
  schema: string;
  sourceTimezone: string;
  /** Migrated tables by target name. */
  tables: Map<string, TargetTable>;
  batchSize: number;
}

type MysqlValue = string | Buffer | null;

interface ColumnBack {
  /** What to select in Postgres: the value in a form MySQL reads back exactly. */
  select: string;
  /** Where the value goes in the MySQL statement. */
  placeholder: string;
  convert?: (value: string) => string;
}

/** [-]H:MM:SS.ffffff from seconds: MySQL's TIME reaches 838 hours, beyond Postgres time. */
export function mysqlTimeOf(seconds: string): string {
  const negative = seconds.startsWith('-');
  const micros = BigInt(Math.round(Math.abs(Number(seconds)) * 1e6));
  const s = micros / 1_000_000n;
  const pad = (n: bigint) => n.toString().padStart(2, '0');
  return `${negative ? '-' : ''}${s / 3600n}:${pad((s / 60n) % 60n)}:${pad(s % 60n)}.${(micros % 1_000_000n).toString().padStart(6, '0')}`;
}

function columnBack(column: TargetColumn, sourceTimezone: string): ColumnBack {
  const c = qi(column.name);
  const stamp = (zone: string) => `to_char(${c} AT TIME ZONE ${quoteLiteral(zone)}, 'YYYY-MM-DD HH24:MI:SS.US')`;
  switch (column.kind) {
    case 'int-to-boolean':
      return { select: `${c}::int::text`, placeholder: '?' };
    case 'bit-to-boolean':
      return { select: `${c}::int::text`, placeholder: 'CAST(? AS UNSIGNED)' };
    case 'bit-varying':
      return { select: `${c}::text`, placeholder: 'CAST(? AS UNSIGNED)', convert: (bits) => BigInt(`0b${bits || '0'}`).toString() };
    case 'bytea':
      return { select: c, placeholder: SPATIAL_TYPES.has(column.source.dataType) ? 'ST_GeomFromWKB(?)' : '?' };
    case 'datetime':
      return { select: stamp(sourceTimezone), placeholder: '?' };
    case 'timestamp-utc':
      return { select: stamp('UTC'), placeholder: '?' };
    case 'time':
      return column.pgType.startsWith('interval') ? { select: `extract(epoch FROM ${c})::text`, placeholder: '?', convert: mysqlTimeOf } : { select: `${c}::text`, placeholder: '?' };
    case 'set':
      return { select: `array_to_string(${c}, ',')`, placeholder: '?' };
    default:
      return { select: column.pgType === 'inet' ? `host(${c})` : `${c}::text`, placeholder: '?' };
  }
}

/** MySQL computes its generated columns itself, including those Postgres holds as plain columns (their expression did not translate). */
function writtenColumns(table: TargetTable): TargetColumn[] {
  return table.columns.filter((c) => !c.generatedSql && !c.source.generated);
}

/** Target rows (MySQL parameter lists) by key string, read in the caller's snapshot. */
async function fetchRows(ctx: ReverseContext, table: TargetTable, keys: string[][] | null): Promise<Map<string, MysqlValue[]>> {
  const columns = writtenColumns(table);
  const backs = columns.map((c) => columnBack(c, ctx.sourceTimezone));
  const keySelect = table.primaryKey.map((k) => `to_jsonb(t) ->> ${quoteLiteral(k)}`);
  let sql = `SELECT ${[...keySelect, ...backs.map((b) => b.select)].join(', ')} FROM ${qi(ctx.schema)}.${qi(table.name)} AS t`;
  let params: (string | null)[][] = [];
  if (keys !== null) {
    const match = keysMatch(table, keys);
    sql += ` WHERE ${match.sql}`;
    params = match.params;
  }
  const { rows } = await ctx.pg.query({ text: sql, values: params, rowMode: 'array' });
  const found = new Map<string, MysqlValue[]>();
  for (const row of rows as (string | Buffer | null)[][]) {
    const values = row.slice(table.primaryKey.length).map((v, i) => (v === null || Buffer.isBuffer(v) || !backs[i].convert ? v : backs[i].convert!(v)));
    found.set(table.primaryKey.length ? keyString(row.slice(0, table.primaryKey.length) as string[]) : String(found.size), values);
  }
  return found;
}

const INSERT_ROWS = 500;

async function insertRows(ctx: ReverseContext, table: TargetTable, rows: MysqlValue[][], upsert: boolean): Promise<void> {
  const columns = writtenColumns(table);
  const placeholders = `(${columns.map((c) => columnBack(c, ctx.sourceTimezone).placeholder).join(', ')})`;
  const update = columns.map((c) => `${qm(c.source.name)} = VALUES(${qm(c.source.name)})`).join(', ');
  for (let i = 0; i < rows.length; i += INSERT_ROWS) {
    const slice = rows.slice(i, i + INSERT_ROWS);
    await ctx.mysql.query(
      `INSERT INTO ${qm(table.sourceName)} (${columns.map((c) => qm(c.source.name)).join(', ')}) VALUES ${slice.map(() => placeholders).join(', ')}${upsert ? ` ON DUPLICATE KEY UPDATE ${update}` : ''}`,
      slice.flat(),
    );
  }
}

async function applySegment(ctx: ReverseContext, table: TargetTable, segment: Segment, rows: Map<string, MysqlValue[]>): Promise<number> {
  if (segment.operation === 'copy-table') {
    await ctx.mysql.query(`DELETE FROM ${qm(table.sourceName)}`);
    await insertRows(ctx, table, [...rows.values()], false);
    return rows.size;
  }
  if (segment.operation === 'upsert') {
    await insertRows(ctx, table, segment.keys.map((k) => rows.get(keyString(k))!), true);
    return segment.keys.length;
  }
  const keyColumns = table.primaryKey.map((k) => qm(table.columns.find((c) => c.name === k)!.source.name));
  const tuple = `(${keyColumns.map(() => '?').join(', ')})`;
  let deleted = 0;
  for (let i = 0; i < segment.keys.length; i += INSERT_ROWS) {
    const slice = segment.keys.slice(i, i + INSERT_ROWS);
    const [result] = await ctx.mysql.query(`DELETE FROM ${qm(table.sourceName)} WHERE (${keyColumns.join(', ')}) IN (${slice.map(() => tuple).join(', ')})`, slice.flat());
    deleted += (result as { affectedRows: number }).affectedRows;
  }
  return deleted;
}

export async function applyReverseBatch(ctx: ReverseContext): Promise<BatchResult | null> {
  await ctx.pg.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  let changes: CapturedChange[];
  let clockOffset: number;
  const fetched = new Map<string, Map<string, MysqlValue[]>>();
  let rows;
  try {
    const read = await readPostgresChanges(ctx.pg, ctx.batchSize);
    changes = read.changes;
    clockOffset = Date.now() / 1000 - read.now;
    rows = touchedRows(changes).filter((r) => ctx.tables.has(r.table));
    for (const name of new Set(rows.map((r) => r.table))) {
      const whole = rows.some((r) => r.table === name && r.key === null);
      fetched.set(name, await fetchRows(ctx, ctx.tables.get(name)!, whole ? null : rows.filter((r) => r.table === name).map((r) => r.key!)));
    }
  } finally {
    await ctx.pg.query('COMMIT');
  }
  if (changes.length === 0) return null;

  const segments = segmentsOf(rows, (row) => fetched.get(row.table)!.has(keyString(row.key!)));
  const result: BatchResult = { changes: changes.length, upserts: 0, deletes: 0, tables: {}, lags: [], valueChanges: 0 };
  const ids = changes.map((c) => c.id);
  const transaction = async (run: () => Promise<void>) => {
    await ctx.mysql.query('START TRANSACTION');
    try {
      await run();
      await ctx.mysql.query(`INSERT INTO ${MYSQL_SYNC_DATABASE}.applied_batches (db, change_ids) VALUES (?, ?)`, [ctx.database, JSON.stringify(ids)]);
      await ctx.mysql.query('COMMIT');
    } catch (error) {
      await ctx.mysql.query('ROLLBACK').catch(() => {});
      throw error;
    }
  };
  await applySegments(result, segments, transaction, async (segment) => {
    const table = ctx.tables.get(segment.table)!;
    return { table: table.sourceName, rows: await applySegment(ctx, table, segment, fetched.get(segment.table)!) };
  });
  result.lags = lagsOf(changes, Date.now() / 1000 - clockOffset);
  await deletePostgresChanges(ctx.pg, ids);
  return result;
}

/** After a crash between the MySQL commit and the Postgres delete: the last batch's changes are applied already. */
export async function forgetAppliedReverse(ctx: Pick<ReverseContext, 'mysql' | 'pg' | 'database'>): Promise<void> {
  const [rows] = await ctx.mysql.query(`SELECT change_ids FROM ${MYSQL_SYNC_DATABASE}.applied_batches WHERE db = ? ORDER BY id DESC LIMIT 1`, [ctx.database]);
  const last = (rows as { change_ids: string }[])[0];
  if (last) await deletePostgresChanges(ctx.pg, JSON.parse(last.change_ids) as string[]);
}
