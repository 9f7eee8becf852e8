// Key ranges on any primary key: a range is bounded by key tuples, compared as row values
// (`(a, b) > (x, y) AND (a, b) <= (u, v)`). A bound may name only the leading columns of the key: the
// prefix (x) stands for every key that starts with x, so ranges cut on the leading column alone still
// cover each key exactly once.

/** A key's values, as text, in key column order; possibly only the leading columns. */
export type KeyTuple = string[];

/** Keys after `after` (exclusive) up to `upTo` (inclusive); null means unbounded on that side. */
export interface KeysetRange {
  after: KeyTuple | null;
  upTo: KeyTuple | null;
}

export const WHOLE_KEYSET: KeysetRange = { after: null, upTo: null };

/** Consecutive ranges between the given increasing split points; the first and last are open, so no row is missed. */
export function rangesBetween(points: KeyTuple[]): KeysetRange[] {
  const bounds: (KeyTuple | null)[] = [null, ...points, null];
  return bounds.slice(1).map((upTo, i) => ({ after: bounds[i], upTo }));
}

/**
 * Split points on an integer leading column, assuming its values spread evenly over [min, max]: no read
 * of the key is needed. Fewer points when the column has fewer values than ranges wanted.
 */
export function integerSplitPoints(min: string, max: string, rows: number, rowsPerRange: number): KeyTuple[] | null {
  const count = Math.ceil(rows / rowsPerRange);
  const low = BigInt(min);
  const span = BigInt(max) - low + 1n;
  if (count <= 1) return [];
  if (span < BigInt(count) * 4n) return null;
  const width = span / BigInt(count);
  return Array.from({ length: count - 1 }, (_, i) => [(low + width * BigInt(i + 1) - 1n).toString()]);
}
