// From captured changes to what a batch must do. Pure: no I/O.
//
// A batch applies row *states*, not the statements that made them: for every key touched, the row as
// it is in one consistent snapshot of the source is written to the target, or deleted there when the
// snapshot has no such row. Applying a state twice changes nothing, and the order of commits on the
// source cannot be got wrong: after each batch the touched rows equal one snapshot of the source.

export interface CapturedChange {
  id: string;
  table: string;
  /** Key column values as text; null for a table without a primary key (the whole table is copied). */
  key: string[] | null;
  /** Seconds since the epoch on the capturing database's clock. */
  changedAt: number;
}

export interface TouchedRow {
  table: string;
  key: string[] | null;
  /** The last change to this key: rows are applied in this order (see segmentsOf). */
  lastChange: number;
}

/** A key as one string for lookups; \u0001 cannot occur in MySQL or Postgres key text. */
export function keyString(key: readonly (string | null)[]): string {
  return key.join('\u0001');
}

/** One entry per touched key (or per keyless table), in the order of each one's last change. */
export function touchedRows(changes: readonly CapturedChange[]): TouchedRow[] {
  const byKey = new Map<string, TouchedRow>();
  for (const change of changes) {
    const id = change.key === null ? `${change.table}\u0000*` : `${change.table}\u0000${keyString(change.key)}`;
    const position = Number(change.id);
    const row = byKey.get(id);
    if (row) row.lastChange = Math.max(row.lastChange, position);
    else byKey.set(id, { table: change.table, key: change.key, lastChange: position });
  }
  return [...byKey.values()].sort((a, b) => a.lastChange - b.lastChange);
}

export type Operation = 'upsert' | 'delete' | 'copy-table';

export interface BatchResult {
  changes: number;
  upserts: number;
  deletes: number;
  /** Rows applied per table. */
  tables: Record<string, number>;
  /** Seconds from each change on the capturing side to its commit on the applying side. */
  lags: number[];
  valueChanges: number;
}

/**
 * Runs `transaction` over the segments grouped (few statements); when grouping breaks a key, over
 * the segments in exact order. `apply` applies one segment and returns the rows it touched.
 */
export async function applySegments(
  result: BatchResult,
  segments: Segment[],
  transaction: (run: () => Promise<void>) => Promise<void>,
  apply: (segment: Segment) => Promise<{ table: string; rows: number }>,
): Promise<void> {
  const attempt = (order: Segment[]) => transaction(async () => {
    Object.assign(result, { upserts: 0, deletes: 0, tables: {} });
    for (const segment of order) {
      const { table, rows } = await apply(segment);
      if (segment.operation === 'delete') result.deletes += rows;
      else result.upserts += rows;
      result.tables[table] = (result.tables[table] ?? 0) + rows;
    }
  });
  try {
    await attempt(groupedSegments(segments));
  } catch (error) {
    if (!needsExactOrder(error)) throw error;
    await attempt(segments);
  }
}

export interface Segment {
  table: string;
  operation: Operation;
  keys: string[][];
}

/**
 * Consecutive rows of one table and one operation, in last-change order. Foreign keys are checked at
 * commit, but a RESTRICT key is checked at once: a child re-pointed before its old parent was deleted
 * must be written before that delete, which this order keeps.
 */
export function segmentsOf(rows: readonly TouchedRow[], exists: (row: TouchedRow) => boolean): Segment[] {
  const segments: Segment[] = [];
  for (const row of rows) {
    const operation: Operation = row.key === null ? 'copy-table' : exists(row) ? 'upsert' : 'delete';
    const last = segments[segments.length - 1];
    if (last && last.table === row.table && last.operation === operation && operation !== 'copy-table') last.keys.push(row.key!);
    else segments.push({ table: row.table, operation, keys: row.key ? [row.key] : [] });
  }
  return segments;
}

/** The lag of each change, in seconds, once applied at `appliedAt` (same clock as changedAt). */
export function lagsOf(changes: readonly CapturedChange[], appliedAt: number): number[] {
  return changes.map((c) => Math.max(0, appliedAt - c.changedAt));
}

/** Percentile (0..100) of a list of numbers, nearest rank; 0 for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/**
 * The same work in few statements: tables copied whole, then each table's deletes, then each table's
 * upserts. Right unless a RESTRICT key or a unique value moved between rows within the batch; the
 * caller then applies the segments in their exact order instead.
 */
export function groupedSegments(segments: readonly Segment[]): Segment[] {
  const merged = (operation: Operation) => {
    const byTable = new Map<string, Segment>();
    for (const s of segments) {
      if (s.operation !== operation) continue;
      const into = byTable.get(s.table) ?? byTable.set(s.table, { table: s.table, operation, keys: [] }).get(s.table)!;
      into.keys.push(...s.keys);
    }
    return [...byTable.values()];
  };
  return [...segments.filter((s) => s.operation === 'copy-table'), ...merged('delete'), ...merged('upsert')];
}

/** Errors that the exact order of the segments avoids: a RESTRICT key, a foreign key, a unique value. */
export function needsExactOrder(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === '23001' || code === '23503' || code === '23505' || code === 'ER_DUP_ENTRY' || code === 'ER_ROW_IS_REFERENCED_2' || code === 'ER_NO_REFERENCED_ROW_2';
}
