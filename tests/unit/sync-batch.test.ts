import assert from 'node:assert/strict';
import { test } from 'vitest';
import { groupedSegments, needsExactOrder, percentile, segmentsOf, touchedRows, type CapturedChange } from '../../src/migrate/sync/batch.js';
import { triggerName } from '../../src/migrate/sync/mysql-capture.js';
import { mysqlTimeOf } from '../../src/migrate/sync/reverse.js';

const change = (id: number, table: string, key: string[] | null): CapturedChange => ({ id: String(id), table, key, changedAt: id });

test('touched rows: one per key, in the order of each key\'s last change; a keyless table once', () => {
  const rows = touchedRows([
    change(1, 'orders', ['7']), change(2, 'order_items', ['70']), change(3, 'orders', ['7']), change(4, 'log', null), change(5, 'log', null), change(10, 'orders', ['8']),
  ]);
  assert.deepEqual(rows.map((r) => [r.table, r.key?.join(','), r.lastChange]), [['order_items', '70', 2], ['orders', '7', 3], ['log', undefined, 5], ['orders', '8', 10]]);
});

test('segments keep the order of last changes and merge neighbours of one table and operation', () => {
  const rows = touchedRows([change(1, 'users', ['1']), change(2, 'users', ['2']), change(3, 'orders', ['5']), change(4, 'users', ['3']), change(5, 'users', ['4'])]);
  const exists = (r: { key: string[] | null }) => r.key![0] !== '4';
  assert.deepEqual(segmentsOf(rows, exists).map((s) => [s.table, s.operation, s.keys.flat().join(',')]), [
    ['users', 'upsert', '1,2'], ['orders', 'upsert', '5'], ['users', 'upsert', '3'], ['users', 'delete', '4'],
  ]);
});

test('grouped segments: whole tables first, then every delete, then every upsert, one statement per table', () => {
  const rows = touchedRows([change(1, 'users', ['1']), change(2, 'orders', ['5']), change(3, 'users', ['2']), change(4, 'log', null), change(5, 'orders', ['6'])]);
  const gone = new Set(['orders 6', 'users 2']);
  const grouped = groupedSegments(segmentsOf(rows, (r) => !gone.has(`${r.table} ${r.key?.[0]}`)));
  assert.deepEqual(grouped.map((s) => [s.table, s.operation, s.keys.flat().join(',')]), [
    ['log', 'copy-table', ''], ['users', 'delete', '2'], ['orders', 'delete', '6'], ['users', 'upsert', '1'], ['orders', 'upsert', '5'],
  ]);
});

test('only key and uniqueness errors send a batch back to exact order', () => {
  assert.ok(needsExactOrder({ code: '23505' }));
  assert.ok(needsExactOrder({ code: '23001' }));
  assert.ok(!needsExactOrder({ code: '57P01' }));
  assert.ok(!needsExactOrder(new Error('boom')));
});

test('percentile by nearest rank', () => {
  assert.equal(percentile([], 95), 0);
  assert.equal(percentile([5], 95), 5);
  const values = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(values, 95), 95);
  assert.equal(percentile(values, 50), 50);
  assert.equal(percentile(values.reverse(), 100), 100);
});

test('MySQL TIME from seconds, beyond a day and negative', () => {
  assert.equal(mysqlTimeOf('3723.5'), '1:02:03.500000');
  assert.equal(mysqlTimeOf('-3017999'), '-838:19:59.000000');
  assert.equal(mysqlTimeOf('0'), '0:00:00.000000');
});

test('trigger names fit MySQL\'s 64 characters and stay unique', () => {
  const long = 'a'.repeat(60);
  assert.ok(triggerName(long, 'i').length <= 64);
  assert.notEqual(triggerName(long + 'x', 'u'), triggerName(long + 'y', 'u'));
  assert.equal(triggerName('orders', 'd'), 'markethub_sync_d_orders');
});
