import assert from 'node:assert/strict';
import { test } from 'vitest';
import { escapeCopyText, invalidDateReason, NullNeeded, rowEncoder, type SourceValue, type ValueChange } from '../../src/migrate/db/convert.js';
import type { TargetColumn } from '../../src/migrate/db/plan/plan.js';
import type { ValueKind } from '../../src/migrate/db/plan/types.js';
import { column } from '../helpers/catalog.js';

function encode(kind: ValueKind, value: SourceValue | null, columnType = 'varchar(10)', nullable = true) {
  const target: TargetColumn = { name: 'c', source: column('c', columnType), pgType: 'x', kind, nullable, defaultSql: null, identity: false, generatedSql: null };
  const changes: ValueChange[] = [];
  const line = rowEncoder([target]).encode([value], changes);
  return { value: line.slice(0, -1), changes };
}

const b = (s: string) => Buffer.from(s, 'utf8');

test('COPY text escaping covers backslash, tab, newline and carriage return', () => {
  assert.equal(escapeCopyText('a\\b\tc\nd\re'), 'a\\\\b\\tc\\nd\\re');
  assert.equal(encode('text', null).value, '\\N');
  assert.equal(encode('text', b('\\N')).value, '\\\\N');
});

test('NUL characters are removed from text and reported', () => {
  const { value, changes } = encode('text', b('a\0b\0'));
  assert.equal(value, 'ab');
  assert.equal(changes.length, 1);
  assert.match(changes[0].what, /2 NUL/);
});

test('zero and partial dates become NULL and are reported; good dates pass through', () => {
  for (const d of ['0000-00-00', '2024-00-10', '2024-05-00', '0000-00-00 00:00:00', '0000-01-01']) assert.match(invalidDateReason(d) ?? '', /zero or partial/, d);
  for (const d of ['2023-02-29', '2023-02-31 10:00:00', '2024-04-31', '2024-06-31']) assert.match(invalidDateReason(d) ?? '', /does not exist/, d);
  for (const d of ['2024-05-10 10:00:00', '2024-02-29', '2023-12-31 23:59:59.999999', '1000-01-01']) assert.equal(invalidDateReason(d), null, d);
  const zero = encode('datetime', b('0000-00-00 00:00:00'));
  assert.equal(zero.value, '\\N');
  assert.equal(zero.changes.length, 1);
  assert.throws(() => encode('date', b('0000-00-00'), 'date', false), (e: Error) => e instanceof NullNeeded && e.column === 'c');
  assert.equal(encode('date', b('2024-01-02'), 'date', false).value, '2024-01-02');
  assert.equal(encode('timestamp-utc', b('2024-01-02 03:04:05.123')).value, '2024-01-02 03:04:05.123+00');
  assert.equal(encode('datetime', b('2024-01-02 03:04:05')).value, '2024-01-02 03:04:05');
});

test('booleans, bits, bytes, sets and JSON', () => {
  assert.equal(encode('int-to-boolean', 0).value, 'f');
  assert.equal(encode('int-to-boolean', 1).value, 't');
  assert.equal(encode('bit-to-boolean', Buffer.from([1])).value, 't');
  assert.equal(encode('bit-to-boolean', Buffer.from([0])).value, 'f');
  assert.equal(encode('bit-varying', Buffer.from([0b10101]), 'bit(5)').value, '10101');
  assert.equal(encode('bit-varying', Buffer.from([0x01, 0xff]), 'bit(10)').value, '0111111111');
  assert.equal(encode('bytea', Buffer.from([0, 255, 10])).value, '\\\\x00ff0a');
  assert.equal(encode('set', b('')).value, '{}');
  assert.equal(encode('set', b('a,b"c')).value, '{"a","b\\\\"c"}');
  const json = encode('json', b('{"a":"x\\u0000y","b":"\\\\u0000"}'));
  assert.equal(json.value, '{"a":"xy","b":"\\\\\\\\u0000"}');
  assert.equal(json.changes.length, 1);
  assert.equal(encode('json', b('["\\u0000\\u0000", "\\\\u0000"]')).value, '["", "\\\\\\\\u0000"]', 'every escape goes, literal text stays');
});
