// Walking two row streams side by side. Rows sorted by an integer key pair up by key; rows sorted by
// their hash meet in groups of equal hashes. Only the current rows (and the current group) are held.
import type { ColumnRender } from './column-comparison.js';
import { canonicalSource, canonicalTarget } from './normalise.js';
import type { TextRow } from './rows.js';

export interface KeyedMerge {
  both(source: TextRow, target: TextRow): void;
  onlySource(row: TextRow): void;
  onlyTarget(row: TextRow): void;
}

function compareKeys(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Merges two streams sorted by an integer key in column 0. A key repeated on the target (no unique key there) pairs once. */
export async function mergeByKey(source: AsyncIterable<TextRow>, target: AsyncIterable<TextRow>, on: KeyedMerge): Promise<void> {
  const s = source[Symbol.asyncIterator]();
  const t = target[Symbol.asyncIterator]();
  let a = await s.next();
  let b = await t.next();
  let keyA = a.done ? 0n : BigInt(a.value[0]!);
  let keyB = b.done ? 0n : BigInt(b.value[0]!);
  while (!a.done || !b.done) {
    const order = a.done ? 1 : b.done ? -1 : compareKeys(keyA, keyB);
    if (order <= 0) {
      if (order === 0) on.both(a.value as TextRow, b.value as TextRow);
      else on.onlySource(a.value as TextRow);
      const previous = keyA;
      a = await s.next();
      if (!a.done) {
        keyA = BigInt(a.value[0]!);
        // A merge over rows in another order would report everything as missing: refuse it instead.
        if (keyA <= previous) throw new Error(`source rows are not in key order (${keyA} after ${previous})`);
      }
    } else {
      on.onlyTarget(b.value as TextRow);
    }
    if (order >= 0) {
      const previous = keyB;
      b = await t.next();
      if (!b.done) {
        keyB = BigInt(b.value[0]!);
        if (keyB < previous) throw new Error(`target rows are not in key order (${keyB} after ${previous})`);
      }
    }
  }
}

/** One value of a column compared outside or inside the databases, in the form both sides share. */
export function sourceValue(render: ColumnRender, raw: string | null): { value: string | null; changed: boolean } {
  return render.client ? canonicalSource(render.client, raw) : { value: raw, changed: false };
}

export function targetValue(render: ColumnRender, raw: string | null): string | null {
  return render.client ? canonicalTarget(render.client, raw) : raw;
}

/** Names of the columns whose values differ; row values start at `offset` (after the key). */
export function differingColumns(renders: ColumnRender[], source: TextRow, target: TextRow, offset: number): string[] {
  const columns: string[] = [];
  renders.forEach((render, i) => {
    const s = source[i + offset] ?? null;
    const t = target[i + offset] ?? null;
    // Identical text is equal in every kind: skip the normalisation.
    if (s === t) return;
    if (!render.client || sourceValue(render, s).value !== targetValue(render, t)) columns.push(render.name);
  });
  return columns;
}

/** An async iterator that can look at its next row without taking it. */
export class Peekable {
  private head: IteratorResult<TextRow> | undefined;
  private readonly it: AsyncIterator<TextRow>;
  constructor(rows: AsyncIterable<TextRow>) {
    this.it = rows[Symbol.asyncIterator]();
  }
  async peek(): Promise<TextRow | undefined> {
    this.head ??= await this.it.next();
    return this.head.done ? undefined : this.head.value;
  }
  async take(): Promise<TextRow | undefined> {
    const row = await this.peek();
    this.head = undefined;
    return row;
  }
}

/** Both sides' rows of one hash value; `group` is called once per hash, in hash order. */
export async function mergeByHash(
  source: AsyncIterable<TextRow>,
  target: AsyncIterable<TextRow>,
  group: (sourceRows: AsyncIterable<TextRow>, targetRows: AsyncIterable<TextRow>) => Promise<void>,
): Promise<void> {
  const s = new Peekable(source);
  const t = new Peekable(target);
  let previous: string | null = null;
  for (;;) {
    const a = await s.peek();
    const b = await t.peek();
    if (!a && !b) return;
    const hash = !a ? b![0]! : !b ? a[0]! : a[0]! <= b[0]! ? a[0]! : b[0]!;
    if (previous !== null && hash <= previous) throw new Error('rows are not in hash order on both sides');
    previous = hash;
    const rowsOf = (side: Peekable) => ({
      async *[Symbol.asyncIterator]() {
        while ((await side.peek())?.[0] === hash) yield (await side.take())!;
      },
    });
    const sourceRows = rowsOf(s);
    const targetRows = rowsOf(t);
    await group(sourceRows, targetRows);
    // Whatever the callback did not read of this group is skipped.
    for await (const _ of sourceRows);
    for await (const _ of targetRows);
  }
}

/**
 * Merges two streams sorted by `compare` (the rows' keys, in the order both sides share). A key
 * repeated on the target (no unique key there) pairs once.
 */
export async function mergeSorted(source: AsyncIterable<TextRow>, target: AsyncIterable<TextRow>, compare: (a: TextRow, b: TextRow) => number, on: KeyedMerge): Promise<void> {
  const s = source[Symbol.asyncIterator]();
  const t = target[Symbol.asyncIterator]();
  let a = await s.next();
  let b = await t.next();
  while (!a.done || !b.done) {
    const order = a.done ? 1 : b.done ? -1 : compare(a.value, b.value);
    if (order <= 0) {
      if (order === 0) on.both(a.value as TextRow, b.value as TextRow);
      else on.onlySource(a.value as TextRow);
      const previous = a.value as TextRow;
      a = await s.next();
      if (!a.done && compare(a.value, previous) <= 0) throw new Error('source rows are not in key order');
    } else {
      on.onlyTarget(b.value as TextRow);
    }
    if (order >= 0) {
      const previous = b.value as TextRow;
      b = await t.next();
      if (!b.done && compare(b.value, previous) < 0) throw new Error('target rows are not in key order');
    }
  }
}
