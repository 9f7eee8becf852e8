// Big tables are copied in primary-key ranges ("chunks"), each in its own transaction with its ledger
// record, so chunks run in parallel and a killed run re-copies only the chunks that never committed.
import { quoteMysqlIdentifier } from './mysql.js';

/** A half-open key range [from, to); null means unbounded on that side. Bounds are decimal strings. */
export interface KeyRange {
  from: string | null;
  to: string | null;
}

export const ROWS_PER_CHUNK = 100_000;

/**
 * Splits [min, max] into ranges of about `rowsPerChunk` rows, assuming keys spread evenly. The first and
 * last ranges are open so that no row is missed, whatever the key values.
 */
export function splitKeyRange(min: string, max: string, rows: number, rowsPerChunk = ROWS_PER_CHUNK): KeyRange[] {
  const count = Math.max(1, Math.ceil(rows / rowsPerChunk));
  const low = BigInt(min);
  const span = BigInt(max) - low + 1n;
  if (count === 1 || span < BigInt(count)) return [{ from: null, to: null }];
  const width = (span + BigInt(count) - 1n) / BigInt(count);
  const bounds = Array.from({ length: count - 1 }, (_, i) => (low + width * BigInt(i + 1)).toString());
  return [null, ...bounds].map((from, i) => ({ from, to: bounds[i] ?? null }));
}

/** The MySQL condition selecting a range of `column`, or undefined for the whole table. */
export function rangeCondition(column: string, range: KeyRange): string | undefined {
  const c = quoteMysqlIdentifier(column);
  const parts = [range.from !== null ? `${c} >= ${range.from}` : null, range.to !== null ? `${c} < ${range.to}` : null].filter(Boolean);
  return parts.length ? parts.join(' AND ') : undefined;
}

export const chunkPlanKey = (table: string) => `chunks:${table}`;
export const chunkKey = (table: string, index: number) => `copy:${table}#${index + 1}`;

/** True when the ledger holds at least one finished chunk of the table. */
export function anyChunkDone(done: Map<string, Record<string, unknown>>, table: string): boolean {
  const ranges = done.get(chunkPlanKey(table))?.ranges as KeyRange[] | undefined;
  return !!ranges && ranges.some((_, i) => done.has(chunkKey(table, i)));
}
