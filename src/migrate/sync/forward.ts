// One forward batch: the oldest captured MySQL changes -> the rows' states in one MySQL snapshot ->
// one Postgres transaction (rows, value notes, the batch's ledger record) -> the changes removed from MySQL.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { converterFor, KEEP_TIMESTAMPS_SETTING, quoteIdent as qi, quoteMysqlIdentifier as qm, rowEncoder, selectExpression, type MysqlConnection, type SourceValue, type TargetColumn, type TargetTable, type ValueChange } from '../db/index.js';
import { LEDGER_SCHEMA, recordValueChanges, type ValueChangeRecord } from '../ledger/index.js';
import { applySegments, keyString, lagsOf, segmentsOf, touchedRows, type BatchResult, type CapturedChange, type Segment } from './batch.js';

import { deleteMysqlChanges, nextAutoIncrements, readMysqlChanges, sourceKeyColumns } from './mysql-capture.js';
import { keysMatch } from './target-keys.js';

export interface ForwardContext {
  mysql: MysqlConnection;
  /** Session time zone = the source's, as in `migrate db`. */
  pg: pg.Client;
  database: string;
  schema: string;
  migrationKey: string;
  runId: number;
  /** Migrated tables by source name. */
  tables: Map<string, TargetTable>;
  batchSize: number;
}

const FETCH_KEYS = 1000;
const UNESCAPE = /\\([\\nrt])/g;
const UNESCAPED: Record<string, string> = { '\\': '\\', n: '\n', r: '\r', t: '\t' };

function copiedColumns(table: TargetTable): TargetColumn[] {
  return table.columns.filter((c) => !c.generatedSql);
}

/** Source rows (COPY lines) by key string, read in the caller's snapshot. */
async function fetchRows(ctx: ForwardContext, table: TargetTable, keys: string[][] | null, changes: ValueChangeRecord[]): Promise<Map<string, string>> {
  const columns = copiedColumns(table);
  const encoder = rowEncoder(columns);
  const keyColumns = sourceKeyColumns(table);
  const select = `SELECT ${[...keyColumns.map((k) => `CAST(${qm(k)} AS CHAR)`), ...columns.map(selectExpression)].join(', ')} FROM ${qm(table.sourceName)}`;
  const lines = new Map<string, string>();
  const read = async (where: string, params: string[]) => {
    const [rows] = await ctx.mysql.query({ sql: select + where, rowsAsArray: true }, params);
    for (const row of rows as unknown as (SourceValue | null)[][]) {
      const key = row.slice(0, keyColumns.length) as string[];
      const found: ValueChange[] = [];
      lines.set(keyColumns.length ? keyString(key) : String(lines.size), encoder.encode(row.slice(keyColumns.length), found));
      for (const change of found) changes.push({ table: table.name, key: Object.fromEntries(table.primaryKey.map((k, i) => [k, key[i]])), ...change });
    }
  };
  if (keys === null) {
    await read('', []);
    return lines;
  }
  const tuple = `(${keyColumns.map(() => '?').join(', ')})`;
  for (let i = 0; i < keys.length; i += FETCH_KEYS) {
    const slice = keys.slice(i, i + FETCH_KEYS);
    await read(` WHERE (${keyColumns.map(qm).join(', ')}) IN (${slice.map(() => tuple).join(', ')})`, slice.flat());
  }
  return lines;
}

/** A key's values as Postgres input text, converted exactly as its column's values are copied. */
function targetKey(table: TargetTable, key: string[]): (string | null)[] {
  return table.primaryKey.map((name, i) => {
    const column = table.columns.find((c) => c.name === name)!;
    const text = converterFor(column.kind, column)(key[i], [], name);
    return text === null ? null : text.replace(UNESCAPE, (_, c: string) => UNESCAPED[c]);
  });
}

function tempName(table: TargetTable): string {
  return `markethub_sync_${createHash('sha1').update(table.name).digest('hex').slice(0, 16)}`;
}

async function copyLines(client: pg.Client, into: string, columns: TargetColumn[], lines: string[]): Promise<void> {
  const stream = client.query(copyFrom(`COPY ${into} (${columns.map((c) => qi(c.name)).join(', ')}) FROM STDIN`));
  await new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve).on('error', reject);
    stream.end(lines.join(''));
  });
}

async function applySegment(ctx: ForwardContext, table: TargetTable, segment: Segment, lines: Map<string, string>, temps: Set<string>): Promise<number> {
  const target = `${qi(ctx.schema)}.${qi(table.name)}`;
  const columns = copiedColumns(table);
  if (segment.operation === 'copy-table') {
    await ctx.pg.query(`DELETE FROM ${target}`);
    await copyLines(ctx.pg, target, columns, [...lines.values()]);
    return lines.size;
  }
  if (segment.operation === 'delete') {
    const match = keysMatch(table, segment.keys.map((k) => targetKey(table, k)));
    const { rowCount } = await ctx.pg.query(`DELETE FROM ${target} WHERE ${match.sql}`, match.params);
    return rowCount ?? 0;
  }
  const pk = table.primaryKey.map(qi).join(', ');
  const temp = qi(tempName(table));
  if (!temps.has(temp)) {
    await ctx.pg.query(`CREATE TEMP TABLE IF NOT EXISTS ${temp} ON COMMIT DELETE ROWS AS SELECT ${columns.map((c) => qi(c.name)).join(', ')} FROM ${target} WITH NO DATA`);
    temps.add(temp);
  }
  // Empty at the start of every transaction; only a second segment of the table in one batch finds rows.
  await ctx.pg.query(`DELETE FROM ${temp}`);
  await copyLines(ctx.pg, temp, columns, segment.keys.map((k) => lines.get(keyString(k))!));
  const names = columns.map((c) => qi(c.name)).join(', ');
  const others = columns.filter((c) => !table.primaryKey.includes(c.name));
  const update = others.length ? `DO UPDATE SET ${others.map((c) => `${qi(c.name)} = EXCLUDED.${qi(c.name)}`).join(', ')}` : 'DO NOTHING';
  const overriding = table.columns.some((c) => c.identity) ? ' OVERRIDING SYSTEM VALUE' : '';
  await ctx.pg.query(`INSERT INTO ${target} (${names})${overriding} SELECT ${names} FROM ${temp} ON CONFLICT (${pk}) ${update}`);
  return segment.keys.length;
}

/** MySQL's next AUTO_INCREMENT value of each touched table with an identity (above every id it handed out). */
async function autoIncrementCounters(ctx: ForwardContext, tables: TargetTable[]): Promise<Map<TargetTable, string>> {
  const withIdentity = tables.filter((t) => t.columns.some((c) => c.identity));
  const next = await nextAutoIncrements(ctx.mysql, ctx.database, withIdentity.map((t) => t.sourceName));
  return new Map(withIdentity.filter((t) => next.has(t.sourceName)).map((t) => [t, next.get(t.sourceName)!]));
}

/** Identities continue after every id MySQL handed out, so they are ahead whenever writes move over. */
async function keepIdentitiesAhead(ctx: ForwardContext, counters: Map<TargetTable, string>): Promise<void> {
  for (const [table, next] of counters) {
    const identity = table.columns.find((c) => c.identity)!;
    await ctx.pg.query(
      `SELECT setval(s, $1::bigint - 1) FROM (SELECT pg_get_serial_sequence($2, $3) AS s) q WHERE $1::bigint > 1 AND COALESCE(pg_sequence_last_value(s::regclass), 0) < $1::bigint - 1`,
      [next, `${qi(ctx.schema)}.${qi(table.name)}`, identity.name],
    );
  }
}

/** Applies the next batch; null when nothing is pending. */
export async function applyForwardBatch(ctx: ForwardContext, temps: Set<string>): Promise<BatchResult | null> {
  await ctx.mysql.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
  let changes: CapturedChange[];
  let clockOffset: number;
  const lines = new Map<string, Map<string, string>>();
  const valueChanges: ValueChangeRecord[] = [];
  let rows;
  let counters = new Map<TargetTable, string>();
  try {
    const read = await readMysqlChanges(ctx.mysql, ctx.database, ctx.batchSize);
    changes = read.changes;
    clockOffset = Date.now() / 1000 - read.now;
    rows = touchedRows(changes).filter((r) => ctx.tables.has(r.table));
    for (const name of new Set(rows.map((r) => r.table))) {
      const table = ctx.tables.get(name)!;
      const wholeTable = rows.some((r) => r.table === name && r.key === null);
      const keys = wholeTable ? null : rows.filter((r) => r.table === name).map((r) => r.key!);
      lines.set(name, await fetchRows(ctx, table, keys, valueChanges));
    }
    counters = await autoIncrementCounters(ctx, [...new Set(rows.map((r) => ctx.tables.get(r.table)!))]);
  } finally {
    await ctx.mysql.query('COMMIT');
  }
  if (changes.length === 0) return null;

  const segments = segmentsOf(rows, (row) => lines.get(row.table)!.has(keyString(row.key!)));
  const result: BatchResult = { changes: changes.length, upserts: 0, deletes: 0, tables: {}, lags: [], valueChanges: valueChanges.length };
  const ids = changes.map((c) => c.id);
  const transaction = async (run: () => Promise<void>) => {
    await ctx.pg.query('BEGIN');
    try {
      await ctx.pg.query(`SET LOCAL ${KEEP_TIMESTAMPS_SETTING} = 'on'`);
      await ctx.pg.query('SET CONSTRAINTS ALL DEFERRED');
      await run();
      await keepIdentitiesAhead(ctx, counters);
      await recordValueChanges(ctx.pg, ctx.migrationKey, ctx.runId, valueChanges);
      const lags = lagsOf(changes, Date.now() / 1000 - clockOffset);
      await ctx.pg.query(
        `INSERT INTO ${LEDGER_SCHEMA}.sync_batches (migration_key, change_ids, tables, upserts, deletes, max_lag_seconds) VALUES ($1, $2, $3, $4, $5, $6)`,
        [ctx.migrationKey, ids, Object.keys(result.tables), result.upserts, result.deletes, lags.reduce((a, b) => Math.max(a, b), 0)],
      );
      await ctx.pg.query(`UPDATE ${LEDGER_SCHEMA}.sync_state SET applied_changes = applied_changes + $2 WHERE migration_key = $1 AND direction = 'forward'`, [ctx.migrationKey, changes.length]);
      await ctx.pg.query('COMMIT');
    } catch (error) {
      await ctx.pg.query('ROLLBACK').catch(() => {});
      // Temporary tables created in the rolled-back transaction are gone.
      temps.clear();
      throw error;
    }
  };
  await applySegments(result, segments, transaction, async (segment) => ({
    table: segment.table, rows: await applySegment(ctx, ctx.tables.get(segment.table)!, segment, lines.get(segment.table)!, temps),
  }));
  result.lags = lagsOf(changes, Date.now() / 1000 - clockOffset);
  await deleteMysqlChanges(ctx.mysql, ids);
  return result;
}

/** After a crash between the Postgres commit and the MySQL delete: the last batch's changes are applied already. */
export async function forgetAppliedForward(ctx: Pick<ForwardContext, 'mysql' | 'pg' | 'migrationKey'>): Promise<void> {
  const { rows } = await ctx.pg.query<{ ids: string[] }>(
    `SELECT change_ids::text[] AS ids FROM ${LEDGER_SCHEMA}.sync_batches WHERE migration_key = $1 ORDER BY id DESC LIMIT 1`, [ctx.migrationKey],
  );
  if (rows.length) await deleteMysqlChanges(ctx.mysql, rows[0].ids);
}
