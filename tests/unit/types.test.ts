import assert from 'node:assert/strict';
import { test } from 'vitest';
import { defaultTypeFor, mapColumnType } from '../../src/migrate/db/plan/types.js';
import { column } from '../helpers/catalog.js';

const pg = (columnType: string, extra = {}) => defaultTypeFor(column('c', columnType, extra)).pgType;

test('integers map to the smallest Postgres integer holding the whole range', () => {
  assert.equal(pg('tinyint(4)'), 'smallint');
  assert.equal(pg('tinyint(3) unsigned'), 'smallint');
  assert.equal(pg('smallint(6)'), 'smallint');
  assert.equal(pg('smallint(5) unsigned'), 'integer');
  assert.equal(pg('mediumint(8) unsigned'), 'integer');
  assert.equal(pg('int(11)'), 'integer');
  assert.equal(pg('int(10) unsigned'), 'bigint');
  assert.equal(pg('bigint(20)'), 'bigint');
});

test('bigint unsigned becomes bigint only when every value fits, and says so', () => {
  const fits = defaultTypeFor(column('c', 'bigint(20) unsigned', { profile: { maxValue: '9223372036854775807' } }));
  assert.equal(fits.pgType, 'bigint');
  assert.match(fits.notes[0].why, /9223372036854775807/);
  const tooBig = defaultTypeFor(column('c', 'bigint(20) unsigned', { profile: { maxValue: '9223372036854775808' } }));
  assert.equal(tooBig.pgType, 'numeric(20,0)');
  assert.match(tooBig.notes[0].what, /numeric\(20,0\)/);
});

test('tinyint(1) is boolean only when the values are 0, 1 or NULL', () => {
  assert.equal(pg('tinyint(1)', { profile: { onlyBooleanValues: true } }), 'boolean');
  const misused = defaultTypeFor(column('c', 'tinyint(1)', { profile: { onlyBooleanValues: false } }));
  assert.equal(misused.pgType, 'smallint');
  assert.equal(misused.kind, 'raw');
  assert.equal(misused.notes.length, 1);
});

test('numbers, dates and times', () => {
  assert.equal(pg('decimal(10,2)'), 'numeric(10,2)');
  assert.equal(pg('float'), 'real');
  assert.equal(pg('double'), 'double precision');
  assert.equal(pg('date'), 'date');
  assert.equal(pg('datetime(3)'), 'timestamptz(3)');
  assert.equal(pg('datetime'), 'timestamptz(0)');
  assert.equal(pg('timestamp(6)'), 'timestamptz(6)');
  assert.equal(pg('time'), 'time(0)');
  assert.equal(pg('time', { profile: { outsideTimeOfDay: true } }), 'interval');
  assert.equal(pg('year(4)'), 'smallint');
  assert.equal(defaultTypeFor(column('c', 'datetime')).kind, 'datetime');
  assert.equal(defaultTypeFor(column('c', 'timestamp')).kind, 'timestamp-utc');
});

test('strings, binaries, bits and json', () => {
  assert.equal(pg('varchar(191)'), 'varchar(191)');
  assert.equal(pg('char(20)'), 'char(20)');
  assert.equal(pg('mediumtext'), 'text');
  assert.equal(pg('longblob'), 'bytea');
  assert.equal(pg('varbinary(16)'), 'bytea');
  assert.equal(pg('bit(1)'), 'boolean');
  assert.equal(pg('bit(5)'), 'bit varying(5)');
  assert.equal(pg('json'), 'jsonb');
  assert.equal(pg('longtext', { isJson: true }), 'jsonb');
});

test('enum becomes text with a CHECK listing the members, plus the error value when rows hold it', () => {
  const plain = defaultTypeFor(column('c', "enum('a','b''c')", { members: ['a', "b'c"] }));
  assert.equal(plain.pgType, 'text');
  assert.equal(plain.check!('"c"'), `"c" IN ('a', 'b''c')`);
  const withEmpty = defaultTypeFor(column('c', "enum('a')", { members: ['a'], profile: { enumErrorValues: 2 } }));
  assert.equal(withEmpty.check!('"c"'), `"c" IN ('a', '')`);
  assert.equal(withEmpty.notes.length, 2);
});

test('set becomes text[] with a containment CHECK', () => {
  const set = defaultTypeFor(column('c', "set('x','y')", { members: ['x', 'y'] }));
  assert.equal(set.pgType, 'text[]');
  assert.equal(set.kind, 'set');
  assert.equal(set.check!('"c"'), `"c" <@ ARRAY['x', 'y']::text[]`);
});

test('--type-map overrides by column first, then by source type, and records a note', () => {
  const map = { columns: { 'users.flag': 'integer' }, types: { 'tinyint(1)': 'smallint', datetime: 'timestamp' } };
  const flag = mapColumnType('users', column('flag', 'tinyint(1)', { profile: { onlyBooleanValues: true } }), map);
  assert.equal(flag.pgType, 'integer');
  assert.equal(flag.kind, 'raw');
  assert.match(flag.notes[0].why, /type-map/);
  assert.equal(mapColumnType('users', column('other', 'tinyint(1)'), map).pgType, 'smallint');
  const stamp = mapColumnType('users', column('at', 'datetime'), map);
  assert.equal(stamp.pgType, 'timestamp');
  assert.equal(stamp.kind, 'datetime');
});
