// Bisection against an in-memory pair of tables: it finds every differing key and reads few rows.
import assert from 'node:assert/strict';
import { test } from 'vitest';
import type { KeyRange } from '../../src/migrate/db/chunks.js';
import { bisect, LEAF_ROWS, midpoint, sameSummary, type BisectOps, type RangeSummary } from '../../src/migrate/verify/bisect.js';

type Side = Map<bigint, number>;

const inRange = (key: bigint, r: KeyRange) => (r.from === null || key >= BigInt(r.from)) && (r.to === null || key < BigInt(r.to));

function summary(source: Side, target: Side, r: KeyRange): RangeSummary {
  const side = (rows: Side) => {
    let n = 0;
    let sum = 0n;
    for (const [key, hash] of rows) if (inRange(key, r)) (n++, (sum += BigInt(hash)));
    return { rows: n, digest: sum.toString() };
  };
  return { source: side(source), target: side(target) };
}

function fake(source: Side, target: Side) {
  const compared: KeyRange[] = [];
  let rowsRead = 0;
  const ops: BisectOps = {
    split: async (r, at) => [summary(source, target, { from: r.from, to: at }), summary(source, target, { from: at, to: r.to })],
    bounds: async (r) => {
      const keys = [...source.keys(), ...target.keys()].filter((k) => inRange(k, r));
      if (!keys.length) return null;
      return { min: keys.reduce((a, b) => (a < b ? a : b)).toString(), max: keys.reduce((a, b) => (a > b ? a : b)).toString() };
    },
    compare: async (r) => {
      compared.push(r);
      rowsRead += [...source.keys()].filter((k) => inRange(k, r)).length;
    },
  };
  return { ops, compared, rowsRead: () => rowsRead };
}

function table(rows: number, start = 1n): Side {
  return new Map(Array.from({ length: rows }, (_, i) => [start + BigInt(i) * 3n, (i * 7919) % 1000003]));
}

const whole: KeyRange = { from: null, to: null };

test('midpoint halves the key space and stops at a single key', () => {
  assert.equal(midpoint('0', '10'), '5');
  assert.equal(midpoint('-7', '-1'), '-4');
  assert.equal(midpoint('5', '6'), null);
  assert.equal(midpoint('18446744073709551610', '18446744073709551615'), '18446744073709551612');
});

test('scattered changes, a missing row and an extra row are each narrowed to a small range', async () => {
  const source = table(20_000);
  const target = new Map(source);
  target.set(301n, 1); // changed
  target.delete(30_001n); // missing
  target.set(90_000n, 5); // extra, beyond the source's last key
  target.set(59_998n, 7); // changed (the last source key)
  const { ops, compared, rowsRead } = fake(source, target);
  await bisect(whole, summary(source, target, whole), ops);
  for (const key of [301n, 30_001n, 90_000n, 59_998n]) assert.ok(compared.some((r) => inRange(key, r)), `key ${key} compared`);
  for (const r of compared) assert.ok(summary(source, target, r).source.rows <= LEAF_ROWS, JSON.stringify(r));
  assert.ok(rowsRead() < 4 * LEAF_ROWS, `read ${rowsRead()} rows`);
});

test('equal summaries stop at once; dense differences read the range instead of halving on', async () => {
  const source = table(5_000);
  const same = fake(source, new Map(source));
  await bisect(whole, summary(source, source, whole), same.ops);
  assert.deepEqual(same.compared, []);
  assert.ok(sameSummary(summary(source, source, whole)));

  const target = new Map([...source].map(([k, h]) => [k, h + 1]));
  const dense = fake(source, target);
  await bisect(whole, summary(source, target, whole), dense.ops);
  assert.equal(dense.rowsRead(), 5_000, 'every row read exactly once');
});

test('many rows on one key (a target without a unique key) are compared, not halved forever', async () => {
  const source: Side = new Map([[10n, 1]]);
  const target: Side = new Map([[10n, 1]]);
  const { ops, compared } = fake(source, target);
  const skewed: RangeSummary = { source: { rows: 1, digest: '1' }, target: { rows: 500, digest: '500' } };
  await bisect(whole, skewed, ops);
  assert.deepEqual(compared, [{ from: '10', to: '11' }]);
});
