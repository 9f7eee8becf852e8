// copyTable: MySQL rows -> COPY text -> Postgres COPY FROM STDIN. Rows are converted as they arrive and
// the MySQL connection pauses whenever Postgres is behind, so memory stays flat whatever the table's size.
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { ValueChangeRecord } from '../ledger/index.js';
import type { ValueChange } from './convert.js';
import { CopyLineBuffer } from './copy-lines.js';
import { quoteMysqlIdentifier, rowPacketReader, type MysqlConnection } from './mysql.js';
import { packetRowWriter } from './packet-rows.js';
import { quoteIdent } from './plan/expression.js';
import type { TargetColumn, TargetTable } from './plan/plan.js';
import { SPATIAL_TYPES } from './plan/types.js';

export interface CopyResult {
  rowsRead: number;
  rowsWritten: number;
  valueChanges: ValueChangeRecord[];
}

export interface CopyOptions {
  /** A connection of its own: a failed or interrupted copy leaves it closed. */
  mysql: MysqlConnection;
  /** Inside an open transaction; COPY is atomic, so a failed or killed copy leaves no rows. */
  pg: pg.Client;
  schema: string;
  table: TargetTable;
  /** SQL condition limiting the rows (a key range), or none for the whole table. */
  where?: string;
  signal?: AbortSignal;
  onRows?: (count: number) => void;
}

const FLUSH_BYTES = 256 * 1024;
/** COPY bytes a copy may hold while Postgres is behind, before the MySQL read pauses. */
const BUFFERED_BYTES = 3 * FLUSH_BYTES;
const PROGRESS_EVERY = 5000;

/** What to select for a column so the driver hands over an exact value. */
export function selectExpression(column: TargetColumn): string {
  const name = quoteMysqlIdentifier(column.name);
  // The server prints FLOAT with 6 significant digits; as a DOUBLE (+ 0e0, any MySQL version) it prints
  // the stored value exactly.
  if (column.source.dataType === 'float') return `${name} + 0e0`;
  if (SPATIAL_TYPES.has(column.source.dataType)) return `ST_AsBinary(${name})`;
  return name;
}

export async function copyTable({ mysql, pg: client, schema, table, where, signal, onRows }: CopyOptions): Promise<CopyResult> {
  const columns = table.columns.filter((c) => !c.generatedSql);
  // Built per copy: a column relaxed to NULL since the last attempt converts differently.
  const writer = packetRowWriter(columns);
  const keyIndexes = table.primaryKey.map((name) => columns.findIndex((c) => c.name === name)).filter((i) => i >= 0);
  const valueChanges: ValueChangeRecord[] = [];
  const changes: ValueChange[] = [];
  const reader = rowPacketReader(mysql);
  // Up to three buffers may wait for the socket before the MySQL read pauses (a buffer is bigger than the
  // default limit, which paused it at every one): a socket that is merely busy does not stop the read, and
  // what a copy holds stays bounded.
  const copy = client.query(copyFrom(`COPY ${quoteIdent(schema)}.${quoteIdent(table.name)} (${columns.map((c) => quoteIdent(c.name)).join(', ')}) FROM STDIN`, { highWaterMark: BUFFERED_BYTES }));
  const copied = new Promise<void>((resolve, reject) => copy.on('finish', resolve).on('error', reject));
  copy.on('drain', () => reader.resume());

  const pending = new CopyLineBuffer(FLUSH_BYTES);
  let rowsRead = 0;
  let stop: (error: Error) => void = () => {};
  const stopped = new Promise<never>((_, reject) => (stop = reject));
  const onRow = (packet: Buffer, start: number, end: number): boolean => {
    let full: boolean;
    try {
      full = writer.write(packet, start, end, changes, pending);
    } catch (error) {
      // Thrown inside the driver's event handler: end the read and let the caller see the error.
      stop(error as Error);
      return false;
    }
    if (changes.length) {
      const key = keyIndexes.length ? Object.fromEntries(keyIndexes.map((i) => [columns[i].name, writer.textOf(packet, i)])) : null;
      for (const change of changes) valueChanges.push({ table: table.name, key, ...change });
      changes.length = 0;
    }
    if (++rowsRead % PROGRESS_EVERY === 0) onRows?.(PROGRESS_EVERY);
    if (!full) return true;
    const bytes = pending.take();
    // pg-copy-streams calls back once the socket has written the bytes out (a write this big always waits
    // for it to drain); after an error they may still be queued, so they are not reused then.
    return copy.write(bytes, (error) => error || pending.recycle(bytes));
  };

  const abort = () => {
    reader.destroy();
    copy.destroy(new Error('interrupted'));
  };
  signal?.addEventListener('abort', abort, { once: true });
  try {
    const select = `SELECT ${columns.map(selectExpression).join(', ')} FROM ${quoteMysqlIdentifier(table.sourceName)}${where ? ` WHERE ${where}` : ''}`;
    const reading = reader.read(select, onRow);
    reading.catch(() => {}); // a failed COPY ends the read too; its error is the one reported
    await Promise.race([reading, copied, stopped]);
    const last = pending.take();
    copy.end(last);
    await copied;
    // Sent and read by Postgres: the COPY has ended.
    pending.recycle(last);
  } catch (error) {
    reader.destroy();
    copy.destroy(error as Error);
    await copied.catch(() => {});
    throw error;
  } finally {
    signal?.removeEventListener('abort', abort);
  }
  onRows?.(rowsRead % PROGRESS_EVERY);
  return { rowsRead, rowsWritten: Number(copy.rowCount ?? 0), valueChanges };
}
