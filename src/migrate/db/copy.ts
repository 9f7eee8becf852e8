// copyTable: one MySQL query stream -> row conversion -> Postgres COPY FROM STDIN, with back-pressure
// end to end, so memory stays flat whatever the table's size.
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { ValueChangeRecord } from '../ledger/index.js';
import { rowEncoder, type ValueChange } from './convert.js';
import { quoteMysqlIdentifier, streamRows, type MysqlConnection } from './mysql.js';
import { quoteIdent } from './plan/expression.js';
import type { TargetColumn, TargetTable } from './plan/plan.js';

export interface CopyResult {
  rowsRead: number;
  rowsWritten: number;
  valueChanges: ValueChangeRecord[];
}

export interface CopyOptions {
  mysql: MysqlConnection;
  /** Inside an open transaction; COPY is atomic, so a failed or killed copy leaves no rows. */
  pg: pg.Client;
  schema: string;
  table: TargetTable;
  signal?: AbortSignal;
  onRows?: (count: number) => void;
}

const FLUSH_BYTES = 256 * 1024;
const PROGRESS_EVERY = 5000;

/** The server prints FLOAT with 6 significant digits; as DOUBLE it prints the stored value exactly. */
function selectExpression(column: TargetColumn): string {
  const name = quoteMysqlIdentifier(column.name);
  return column.source.dataType === 'float' ? `CAST(${name} AS DOUBLE)` : name;
}

export async function copyTable({ mysql, pg: client, schema, table, signal, onRows }: CopyOptions): Promise<CopyResult> {
  const columns = table.columns.filter((c) => !c.generatedSql);
  const encoder = rowEncoder(columns);
  const keyIndexes = table.primaryKey.map((name) => columns.findIndex((c) => c.name === name)).filter((i) => i >= 0);
  const valueChanges: ValueChangeRecord[] = [];
  let rowsRead = 0;

  const select = `SELECT ${columns.map(selectExpression).join(', ')} FROM ${quoteMysqlIdentifier(table.sourceName)}`;
  const rows = streamRows(mysql, select);
  const copy = client.query(copyFrom(`COPY ${quoteIdent(schema)}.${quoteIdent(table.name)} (${columns.map((c) => quoteIdent(c.name)).join(', ')}) FROM STDIN`));

  let pending = '';
  const changes: ValueChange[] = [];
  const encode = new Transform({
    writableObjectMode: true,
    transform(row: (Buffer | null)[], _encoding, done) {
      pending += encoder.encode(row, changes);
      if (changes.length) {
        const key = keyIndexes.length ? Object.fromEntries(keyIndexes.map((i) => [columns[i].name, row[i]?.toString('utf8') ?? null])) : null;
        for (const change of changes) valueChanges.push({ table: table.name, key, ...change });
        changes.length = 0;
      }
      rowsRead++;
      if (rowsRead % PROGRESS_EVERY === 0) onRows?.(PROGRESS_EVERY);
      if (pending.length >= FLUSH_BYTES) {
        const chunk = pending;
        pending = '';
        done(null, chunk);
      } else {
        done();
      }
    },
    flush(done) {
      onRows?.(rowsRead % PROGRESS_EVERY);
      done(null, pending || undefined);
    },
  });

  await pipeline(rows, encode, copy, { signal });
  return { rowsRead, rowsWritten: Number(copy.rowCount ?? 0), valueChanges };
}
