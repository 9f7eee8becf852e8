// Narrowing a key range whose summaries differ down to the few rows that differ: halve the key space,
// summarise both halves on both sides, and go on only where they still differ.
import type { KeyRange } from '../db/index.js';

export interface SideSummary {
  rows: number;
  /** The digest of the range's rows ('' without rows). */
  digest: string;
}

export interface RangeSummary {
  source: SideSummary;
  target: SideSummary;
}

export interface BisectOps {
  /** Summaries of [range.from, at) and [at, range.to). */
  split(range: { from: string; to: string }, at: string): Promise<[RangeSummary, RangeSummary]>;
  /** Smallest and largest key of the range over both sides, or null when both sides are empty there. */
  bounds(range: KeyRange): Promise<{ min: string; max: string } | null>;
  /** Compares the rows of the range one by one. */
  compare(range: KeyRange): Promise<void>;
}

/** Ranges of at most this many rows are compared row by row. */
export const LEAF_ROWS = 64;
/** When both halves differ in a range this small, differences are dense: reading its rows beats halving. */
export const DENSE_ROWS = 1024;

export function sameSummary(s: RangeSummary): boolean {
  return s.source.rows === s.target.rows && s.source.digest === s.target.digest;
}

/** The key halving [from, to), or null when the range holds a single key. */
export function midpoint(from: string, to: string): string | null {
  const low = BigInt(from);
  const high = BigInt(to);
  if (high - low < 2n) return null;
  return (low + (high - low) / 2n).toString();
}

export async function bisect(range: KeyRange, summary: RangeSummary, ops: BisectOps, leafRows = LEAF_ROWS, denseRows = DENSE_ROWS): Promise<void> {
  if (sameSummary(summary)) return;
  const rows = Math.max(summary.source.rows, summary.target.rows);
  if (rows <= leafRows) return ops.compare(range);
  let closed = range as { from: string; to: string };
  if (range.from === null || range.to === null) {
    // The outer ranges are open so that no row escapes; halving needs real bounds.
    const bounds = await ops.bounds(range);
    if (!bounds) return;
    closed = { from: bounds.min, to: (BigInt(bounds.max) + 1n).toString() };
  }
  const at = midpoint(closed.from, closed.to);
  // One key, many rows: duplicates on the target side (it has no unique key).
  if (at === null) return ops.compare(closed);
  const [low, high] = await ops.split(closed, at);
  const lowDiffers = !sameSummary(low);
  const highDiffers = !sameSummary(high);
  if (lowDiffers && highDiffers && rows <= denseRows) return ops.compare(closed);
  if (lowDiffers) await bisect({ from: closed.from, to: at }, low, ops, leafRows, denseRows);
  if (highDiffers) await bisect({ from: at, to: closed.to }, high, ops, leafRows, denseRows);
}
