// Key tuple ranges: they cover every key exactly once, compare text in UTF-8 byte order (not MySQL's
// collation, not JavaScript's UTF-16 order), and the MySQL conditions hold the exact comparison behind
// a looser one the index can serve.
import assert from 'node:assert/strict';
import { test } from 'vitest';
import { copyKeyColumns, integerSplitPoints, keysetCondition, rangesBetween } from '../../src/migrate/db/keyset.js';
import type { TargetTable } from '../../src/migrate/db/plan/plan.js';
import { compareTuples, inRange, keysetOf } from '../../src/migrate/verify/keyset.js';
import { mysqlKeysetWhere, postgresKeysetWhere } from '../../src/migrate/verify/sql.js';
import type { TargetColumnType } from '../../src/migrate/verify/model.js';

function table(columns: [string, string][], primaryKey: string[]): TargetTable {
  return {
    sourceName: 't', name: 't', primaryKey, rowEstimate: 0, keyRange: null,
    columns: columns.map(([name, dataType]) => ({ name, kind: 'x', source: { name, dataType, nullable: false, datetimePrecision: 0 } })),
  } as unknown as TargetTable;
}

const types = (entries: [string, TargetColumnType][]) => new Map(entries);

const empTitle = keysetOf(
  table([['emp_no', 'int'], ['title', 'varchar'], ['from_date', 'date']], ['emp_no', 'title', 'from_date']),
  types([['emp_no', { udt: 'int4', scale: 0 }], ['title', { udt: 'varchar', scale: null, byteOrder: true }], ['from_date', { udt: 'date', scale: null }]]),
  'UTC',
  new Set(['title']),
)!;

test('keys of these types range; float, enum or retyped key columns do not', () => {
  assert.deepEqual(empTitle.columns.map((c) => c.kind), ['integer', 'text', 'date']);
  assert.equal(empTitle.mysqlIndexOrdered, false, 'MySQL collations do not order text by bytes');
  assert.equal(empTitle.postgresIndexOrdered, true, 'a byte-order collation does');
  assert.equal(keysetOf(table([['x', 'double']], ['x']), types([['x', { udt: 'float8', scale: null }]]), 'UTC', new Set()), null);
  assert.equal(keysetOf(table([['x', 'enum']], ['x']), types([['x', { udt: 'text', scale: null }]]), 'UTC', new Set()), null);
  assert.equal(keysetOf(table([['x', 'int']], ['x']), types([['x', { udt: 'text', scale: null }]]), 'UTC', new Set()), null);
  assert.equal(keysetOf(table([['x', 'int']], []), types([['x', { udt: 'int4', scale: 0 }]]), 'UTC', new Set()), null);
});

test('text compares in UTF-8 byte order: case, trailing spaces and characters past U+FFFF', () => {
  const cmp = (a: string, b: string) => Math.sign(compareTuples(empTitle, ['1', a], ['1', b]));
  assert.equal(cmp('B', 'a'), -1);
  assert.equal(cmp('a', 'a '), -1);
  assert.equal(cmp('a ', 'a!'), -1);
  // U+FF5A sorts before U+1F600 in bytes, after it in UTF-16 code units.
  assert.equal(cmp('\uff5a', '\u{1f600}'), -1);
  assert.equal(Math.sign(compareTuples(empTitle, ['9'], ['10'])), -1, 'integers by value');
});

test('ranges between split points, some on the leading column alone, hold each key exactly once', () => {
  // A prefix point sorts after every key it begins: (5, 'b') < (5) < (7, 'a', ...).
  const ranges = rangesBetween([['5', 'b'], ['5'], ['7', 'a', '2020-01-01']]);
  const keys = [['1', 'x', '2000-01-01'], ['5', 'a', '2000-01-01'], ['5', 'b', '2000-01-01'], ['5', 'c', '2000-01-01'], ['7', 'a', '2020-01-01'], ['7', 'a', '2020-01-02'], ['9', 'z', '2000-01-01']];
  for (const key of keys) assert.equal(ranges.filter((r) => inRange(empTitle, r, key)).length, 1, key.join(','));
  assert.deepEqual(keys.map((k) => ranges.findIndex((r) => inRange(empTitle, r, k))), [0, 0, 0, 1, 2, 3, 3]);
});

test('integer leading columns split evenly, or not at all when too few values', () => {
  assert.deepEqual(integerSplitPoints('1', '100', 40_000, 10_000), [['25'], ['50'], ['75']]);
  assert.deepEqual(integerSplitPoints('1', '100', 5_000, 10_000), []);
  assert.equal(integerSplitPoints('1', '3', 40_000, 10_000), null);
});

test('MySQL: equal leading values by equality, then the first differing column, then the exact byte comparison', () => {
  const where = mysqlKeysetWhere(empTitle, { after: ['5', 'Ab', '2000-01-01'], upTo: ['5', 'Ad%', '2001-01-01'] });
  assert.equal(
    where,
    " WHERE `emp_no` = 5 AND (`title` LIKE _utf8mb4 X'416225' ESCAPE '!' OR `title` LIKE _utf8mb4 X'416325' ESCAPE '!' OR `title` LIKE _utf8mb4 X'416425' ESCAPE '!')" +
      " AND (`emp_no`, CAST(`title` AS BINARY), `from_date`) > (5, X'4162', '2000-01-01') AND (`emp_no`, CAST(`title` AS BINARY), `from_date`) <= (5, X'416425', '2001-01-01')",
  );
  // LIKE's wildcards in a prefix are escaped.
  assert.match(mysqlKeysetWhere(empTitle, { after: ['5', 'a_%!b'], upTo: ['5', 'a_%!c'] }), /LIKE _utf8mb4 X'61215f212521216225' ESCAPE '!'/);
  assert.equal(mysqlKeysetWhere(empTitle, { after: null, upTo: null }), '');
  assert.equal(postgresKeysetWhere(empTitle, { after: ['5'], upTo: ['9', 'x'] }), ' WHERE "emp_no" > 5 AND ("emp_no", "title") <= (9, \'x\')');
  assert.throws(() => mysqlKeysetWhere(empTitle, { after: ['5 OR 1=1'], upTo: null }), /not an integer key value/);
});

test('copying cuts in MySQL order: text bounds are hex bytes in the column collation', () => {
  const columns = copyKeyColumns(table([['dept_no', 'char'], ['emp_no', 'int']], ['dept_no', 'emp_no']))!;
  assert.deepEqual(columns, [{ name: 'dept_no', kind: 'text' }, { name: 'emp_no', kind: 'integer' }]);
  assert.equal(
    keysetCondition(columns, { after: ['64303031', '10'], upTo: ['64303032'] }),
    "`dept_no` >= _utf8mb4 X'64303031' AND `dept_no` <= _utf8mb4 X'64303032' AND (`dept_no`, `emp_no`) > (_utf8mb4 X'64303031', 10)",
  );
  assert.equal(keysetCondition(columns, { after: null, upTo: null }), undefined);
  assert.throws(() => keysetCondition(columns, { after: ["d001'"], upTo: null }), /not a hex key value/);
  assert.equal(copyKeyColumns(table([['x', 'float']], ['x'])), null);
});
