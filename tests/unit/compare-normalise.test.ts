import { test } from 'vitest';
import assert from 'node:assert/strict';
import {
  bitsFromBitString,
  bitsFromBuffer,
  canonicalDecimal,
  canonicalFloat32,
  canonicalFloat64,
  canonicalJson,
  canonicalMysqlDatetime,
  canonicalMysqlSet,
  canonicalMysqlValue,
  canonicalPostgresArrayJson,
  canonicalPostgresTimestamp,
  canonicalPostgresValue,
  classifyMysqlColumn,
  compareDecimal,
  compareKeyValues,
  comparisonKind,
  isZeroDate,
  mysqlTimeToSeconds,
  parseMysqlDefault,
  parsePostgresArrayLiteral,
  parsePostgresDefault,
  sameDefault,
  sameForeignKeyAction,
  type ColumnKind,
  type PostgresType,
} from '../helpers/compare.js';

const pgType = (typname: string, category = 'X'): PostgresType => ({ typname, category });

/** True when the MySQL raw value and the Postgres text compare equal (not merely as an expected difference). */
function same(kind: ColumnKind, type: PostgresType, mysqlRaw: string | Buffer | null, pgRaw: string | null): boolean {
  return canonicalMysqlValue(kind, mysqlRaw).value === canonicalPostgresValue(kind, type, pgRaw);
}

test('canonicalDecimal strips zeros without touching the value', () => {
  assert.equal(canonicalDecimal('10.00'), '10');
  assert.equal(canonicalDecimal('10.50'), '10.5');
  assert.equal(canonicalDecimal('0010.0500'), '10.05');
  assert.equal(canonicalDecimal('100'), '100');
  assert.equal(canonicalDecimal('-0.00'), '0');
  assert.equal(canonicalDecimal('+0'), '0');
  assert.equal(canonicalDecimal('-.5'), '-0.5');
  assert.equal(canonicalDecimal('5.'), '5');
  assert.equal(canonicalDecimal('0.000001'), '0.000001');
  assert.equal(canonicalDecimal('1e2'), '100');
  assert.equal(canonicalDecimal('1.25E-3'), '0.00125');
  assert.equal(canonicalDecimal('-120e-1'), '-12');
  // beyond double precision: no float parsing
  assert.equal(canonicalDecimal('18446744073709551615'), '18446744073709551615');
  assert.equal(canonicalDecimal('12345678901234567890.123456789012345678'), '12345678901234567890.123456789012345678');
  assert.notEqual(canonicalDecimal('9007199254740993'), canonicalDecimal('9007199254740992'));
  assert.notEqual(canonicalDecimal('0.1'), canonicalDecimal('0.10000000000000001'));
  assert.equal(canonicalDecimal('NaN'), 'NaN');
  assert.equal(canonicalDecimal(''), undefined);
  assert.equal(canonicalDecimal('.'), undefined);
  assert.equal(canonicalDecimal('1,5'), undefined);
  assert.equal(canonicalDecimal('abc'), undefined);
});

test('compareDecimal orders by value', () => {
  const sorted = ['-10', '-2.5', '-2', '0', '0.05', '0.5', '1', '9', '10', '10.01'];
  for (let i = 0; i < sorted.length; i++) {
    for (let j = 0; j < sorted.length; j++) {
      assert.equal(compareDecimal(sorted[i]!, sorted[j]!), Math.sign(i - j), `${sorted[i]} vs ${sorted[j]}`);
    }
  }
  assert.equal(compareDecimal('18446744073709551615', '18446744073709551614'), 1);
});

test('floats compare as the same single-precision value, doubles as the same double', () => {
  // MariaDB CAST(float AS DOUBLE) text vs Postgres real text
  assert.equal(canonicalFloat32('3.1415927410125732'), canonicalFloat32('3.1415927'));
  assert.equal(canonicalFloat32('0.10000000149011612'), canonicalFloat32('0.1'));
  assert.equal(canonicalFloat32('16777216'), canonicalFloat32('1.6777216e+07'));
  assert.notEqual(canonicalFloat32('3.14159'), canonicalFloat32('3.1415927'));
  assert.notEqual(canonicalFloat32('16777216'), canonicalFloat32('16777218'));
  assert.equal(canonicalFloat32('-0'), canonicalFloat32('0'));
  assert.equal(canonicalFloat32('Infinity'), 'Infinity');
  assert.equal(canonicalFloat64('0.30000000000000004'), canonicalFloat64('3.0000000000000004e-1'));
  assert.notEqual(canonicalFloat64('0.3'), canonicalFloat64('0.30000000000000004'));
  assert.equal(canonicalFloat64('1e300'), canonicalFloat64('1e+300'));
  assert.notEqual(canonicalFloat64('1'), canonicalFloat64('abc'));
});

test('datetimes compare by UTC instant', () => {
  assert.equal(canonicalMysqlDatetime('2023-01-01 00:01:00'), canonicalPostgresTimestamp('2023-01-01 00:01:00+00'));
  assert.equal(canonicalMysqlDatetime('2023-01-01 00:01:00.500000'), canonicalPostgresTimestamp('2023-01-01 00:01:00.5+00'));
  assert.equal(canonicalMysqlDatetime('2023-01-01 00:01:00.000'), canonicalPostgresTimestamp('2023-01-01 00:01:00+00'));
  assert.equal(canonicalMysqlDatetime('2023-01-01 00:00:00'), canonicalPostgresTimestamp('2023-01-01 01:00:00+01'));
  assert.equal(canonicalMysqlDatetime('2022-12-31 22:30:00'), canonicalPostgresTimestamp('2023-01-01 04:00:00+05:30'));
  assert.equal(canonicalMysqlDatetime('2023-01-01 00:00:00.123456'), canonicalPostgresTimestamp('2023-01-01 00:00:00.123456'));
  assert.notEqual(canonicalMysqlDatetime('2023-01-01 00:00:00'), canonicalPostgresTimestamp('2023-01-01 00:00:00+01'));
  assert.notEqual(canonicalMysqlDatetime('2023-01-01 00:00:00.000001'), canonicalPostgresTimestamp('2023-01-01 00:00:00+00'));
  assert.notEqual(canonicalMysqlDatetime('1000-01-01 00:00:00'), canonicalPostgresTimestamp('1000-01-01 00:00:00+00 BC'));
  assert.ok(same('datetime', pgType('timestamptz'), '2024-02-29 23:59:59', '2024-02-29 23:59:59+00'));
});

test('zero dates are expected to become NULL, nothing else is', () => {
  assert.ok(isZeroDate('0000-00-00'));
  assert.ok(isZeroDate('0000-00-00 00:00:00'));
  assert.ok(isZeroDate('2024-00-10'));
  assert.ok(isZeroDate('2024-05-00 10:00:00'));
  assert.ok(!isZeroDate('2024-05-01'));
  const zero = canonicalMysqlValue('datetime', '0000-00-00 00:00:00');
  assert.deepEqual(zero.expected, { value: null, reason: 'zero-date' });
  assert.notEqual(zero.value, null);
  assert.notEqual(zero.value, canonicalPostgresValue('datetime', pgType('timestamptz'), '0001-01-01 00:00:00+00'));
  assert.deepEqual(canonicalMysqlValue('date', '2024-00-10').expected, { value: null, reason: 'zero-date' });
  assert.equal(canonicalMysqlValue('date', '2024-01-10').expected, undefined);
  assert.ok(same('date', pgType('date'), '2024-01-10', '2024-01-10'));
  // a real NULL is equal, not an expected difference
  assert.ok(same('datetime', pgType('timestamptz'), null, null));
});

test('booleans, integers and bits', () => {
  const bool = pgType('bool', 'B');
  assert.ok(same('int', bool, '1', 'true'));
  assert.ok(same('int', bool, '0', 'false'));
  assert.ok(!same('int', bool, '2', 'true'));
  assert.ok(!same('int', bool, '1', 'false'));
  assert.ok(same('int', pgType('int8', 'N'), '18446744073709551615', '18446744073709551615'));
  assert.ok(same('int', pgType('numeric', 'N'), '18446744073709551615', '18446744073709551615'));
  assert.ok(!same('int', pgType('int8', 'N'), '9007199254740993', '9007199254740992'));
  assert.ok(same('year', pgType('int2', 'N'), '2024', '2024'));
  assert.ok(same('year', pgType('int2', 'N'), '0000', '0'));
  assert.equal(bitsFromBuffer(Buffer.from([0x01])), '1');
  assert.equal(bitsFromBuffer(Buffer.from([0x01, 0x00])), '256');
  assert.equal(bitsFromBitString('00101'), '5');
  assert.equal(bitsFromBitString(''), '0');
  assert.ok(same('bit', bool, Buffer.from([1]), 'true'));
  assert.ok(same('bit', bool, Buffer.from([0]), 'false'));
  assert.ok(same('bit', pgType('varbit', 'V'), Buffer.from([0x05]), '00101'));
  assert.ok(same('bit', pgType('varbit', 'V'), Buffer.from([0x00, 0x05]), '101'));
  assert.ok(!same('bit', pgType('varbit', 'V'), Buffer.from([0x05]), '00100'));
});

test('decimals by exact value', () => {
  const numeric = pgType('numeric', 'N');
  assert.ok(same('decimal', numeric, '10.00', '10.00'));
  assert.ok(same('decimal', numeric, '10.00', '10'));
  assert.ok(same('decimal', numeric, '-0.50', '-0.5'));
  assert.ok(!same('decimal', numeric, '10.01', '10.1'));
  assert.ok(!same('decimal', numeric, '1428.57', '1428.5700001'));
  assert.ok(!same('decimal', pgType('float8', 'N'), '0.10', '0.1000000000000000055511151231257827'));
});

test('time as seconds, set as array, binary as bytes', () => {
  assert.equal(mysqlTimeToSeconds('-838:59:59.500000'), '-3020399.5');
  assert.equal(mysqlTimeToSeconds('25:00:00'), '90000');
  assert.equal(mysqlTimeToSeconds('00:00:00.000'), '0');
  assert.ok(same('time', pgType('interval', 'T'), '838:59:59', '3020399.000000'));
  assert.ok(same('time', pgType('time', 'D'), '12:00:01.500', '43201.500000'));
  assert.ok(!same('time', pgType('time', 'D'), '12:00:01', '43201.500000'));
  assert.equal(canonicalMysqlSet('a,c'), '["a","c"]');
  assert.equal(canonicalMysqlSet(''), '[]');
  assert.equal(canonicalPostgresArrayJson('["c","a"]'), '["a","c"]');
  const textArray = pgType('_text', 'A');
  assert.ok(same('set', textArray, 'a,c', '["a","c"]'));
  assert.ok(same('set', textArray, '', '[]'));
  assert.ok(!same('set', textArray, 'a', '["a","c"]'));
  assert.ok(!same('set', textArray, '', null));
  const bytea = pgType('bytea', 'U');
  assert.ok(same('binary', bytea, Buffer.from([0, 1, 255]), '0001ff'));
  assert.ok(!same('binary', bytea, Buffer.from([0, 1, 255]), '0001fe'));
  assert.ok(!same('binary', bytea, Buffer.from([0, 1]), '000100'));
  assert.ok(same('binary', bytea, Buffer.alloc(0), ''));
});

test('text is exact; removed NUL characters are an expected difference only when MySQL had them', () => {
  const text = pgType('text', 'S');
  assert.ok(same('text', text, 'Zoë 李 👍', 'Zoë 李 👍'));
  assert.ok(!same('text', text, 'abc ', 'abc'));
  assert.ok(!same('text', text, 'Abc', 'abc'));
  assert.ok(!same('text', text, '', null));
  const nul = canonicalMysqlValue('text', 'a\u0000b');
  assert.deepEqual(nul.expected, { value: 'ab', reason: 'nul-removed' });
  assert.equal(canonicalMysqlValue('text', 'ab').expected, undefined);
  assert.ok(same('enum', text, 'customer', 'customer'));
});

test('JSON by deep equality, keys in any order, numbers by value', () => {
  assert.equal(canonicalJson('{"b": 1, "a": [1, 2.50, {"y": null, "x": true}]}'), '{"a":[1,2.5,{"x":true,"y":null}],"b":1}');
  assert.equal(canonicalJson('{"a":1}'), canonicalJson('{ "a" : 1.0 }'));
  assert.equal(canonicalJson('{"a":1,"a":2}'), canonicalJson('{"a": 2}'));
  assert.notEqual(canonicalJson('[1,2]'), canonicalJson('[2,1]'));
  assert.notEqual(canonicalJson('{"a":"1"}'), canonicalJson('{"a":1}'));
  assert.equal(canonicalJson('{"n": 12345678901234567890.5}'), '{"n":12345678901234567890.5}');
  assert.equal(canonicalJson('"\\u00e9"'), canonicalJson('"é"'));
  assert.equal(canonicalJson('{"a":1'), undefined);
  assert.equal(canonicalJson('[1,]'), undefined);
  assert.equal(canonicalJson('{} x'), undefined);
  const jsonb = pgType('jsonb', 'U');
  assert.equal(comparisonKind('text', jsonb), 'json');
  assert.ok(
    same(
      'json',
      jsonb,
      '{"color": "red", "sizes": ["S", "M", "L"], "weight": 3}',
      '{"sizes": ["S", "M", "L"], "color": "red", "weight": 3}',
    ),
  );
  const nul = canonicalMysqlValue('json', '{"a":"x\\u0000y"}');
  assert.equal(nul.expected?.reason, 'nul-removed');
  assert.equal(nul.expected?.value, canonicalPostgresValue('json', jsonb, '{"a": "xy"}'));
});

test('column classification', () => {
  assert.equal(classifyMysqlColumn('tinyint', 'tinyint(1)'), 'int');
  assert.equal(classifyMysqlColumn('int', 'int(10) unsigned'), 'int');
  assert.equal(classifyMysqlColumn('decimal', 'decimal(10,2)'), 'decimal');
  assert.equal(classifyMysqlColumn('float', 'float'), 'float');
  assert.equal(classifyMysqlColumn('double', 'double'), 'double');
  assert.equal(classifyMysqlColumn('datetime', 'datetime'), 'datetime');
  assert.equal(classifyMysqlColumn('timestamp', 'timestamp'), 'datetime');
  assert.equal(classifyMysqlColumn('longtext', 'longtext'), 'text');
  assert.equal(classifyMysqlColumn('enum', "enum('a')"), 'enum');
  assert.equal(classifyMysqlColumn('set', "set('a')"), 'set');
  assert.equal(classifyMysqlColumn('mediumblob', 'mediumblob'), 'binary');
  assert.equal(classifyMysqlColumn('bit', 'bit(1)'), 'bit');
});

test('primary-key ordering matches what both databases are asked for', () => {
  assert.ok(compareKeyValues('int', '9', '10') < 0);
  assert.ok(compareKeyValues('int', '-1', '0') < 0);
  assert.ok(compareKeyValues('text', 'B', 'a') < 0); // code point order (COLLATE "C" / BINARY)
  assert.ok(compareKeyValues('text', '\uffff', '😀') < 0); // by code point, not UTF-16 unit
  assert.ok(compareKeyValues('binary', '00ff', '0100') < 0);
  assert.ok(compareKeyValues('datetime', '2023-01-01 00:00:00', '2023-01-01 00:00:00.5') < 0);
  assert.equal(compareKeyValues('int', '7', '7'), 0);
});

test('Postgres array literals', () => {
  assert.deepEqual(parsePostgresArrayLiteral('{a,b}'), ['a', 'b']);
  assert.deepEqual(parsePostgresArrayLiteral('{}'), []);
  assert.deepEqual(parsePostgresArrayLiteral('{"a,b","c\\"d",NULL,"NULL"}'), ['a,b', 'c"d', null, 'NULL']);
  assert.equal(parsePostgresArrayLiteral('a,b'), undefined);
});

test('defaults parse on both sides', () => {
  const maria = { mariadb: true };
  assert.equal(parseMysqlDefault(null, maria), null);
  assert.equal(parseMysqlDefault('NULL', maria), null);
  assert.deepEqual(parseMysqlDefault('current_timestamp()', maria), { kind: 'now' });
  assert.deepEqual(parseMysqlDefault("'customer'", maria), { kind: 'literal', value: 'customer' });
  assert.deepEqual(parseMysqlDefault("'it''s'", maria), { kind: 'literal', value: "it's" });
  assert.deepEqual(parseMysqlDefault("'back\\\\slash'", maria), { kind: 'literal', value: 'back\\slash' });
  assert.deepEqual(parseMysqlDefault('10.00', maria), { kind: 'literal', value: '10.00' });
  assert.deepEqual(parseMysqlDefault("b'101'", maria), { kind: 'literal', value: '5' });
  assert.deepEqual(parseMysqlDefault("concat('a','b')", maria), { kind: 'expression', sql: "concat('a','b')" });
  assert.deepEqual(parseMysqlDefault('CURRENT_TIMESTAMP', { mariadb: false, extra: 'DEFAULT_GENERATED' }), { kind: 'now' });
  assert.deepEqual(parseMysqlDefault('customer', { mariadb: false, extra: '' }), { kind: 'literal', value: 'customer' });

  assert.equal(parsePostgresDefault(null), null);
  assert.equal(parsePostgresDefault("nextval('users_id_seq'::regclass)"), null);
  assert.equal(parsePostgresDefault('NULL::character varying'), null);
  assert.deepEqual(parsePostgresDefault('now()'), { kind: 'now' });
  assert.deepEqual(parsePostgresDefault('CURRENT_TIMESTAMP'), { kind: 'now' });
  assert.deepEqual(parsePostgresDefault('CURRENT_TIMESTAMP(6)'), { kind: 'now' });
  assert.deepEqual(parsePostgresDefault("'customer'::text"), { kind: 'literal', value: 'customer' });
  assert.deepEqual(parsePostgresDefault("'it''s'::character varying"), { kind: 'literal', value: "it's" });
  assert.deepEqual(parsePostgresDefault("'back\\slash'::character varying"), { kind: 'literal', value: 'back\\slash' });
  assert.deepEqual(parsePostgresDefault("'-1'::integer"), { kind: 'literal', value: '-1' });
  assert.deepEqual(parsePostgresDefault('(-1)'), { kind: 'literal', value: '-1' });
  assert.deepEqual(parsePostgresDefault('true'), { kind: 'literal', value: 'true' });
  assert.deepEqual(parsePostgresDefault("'2020-01-01 00:00:00+00'::timestamp with time zone"), {
    kind: 'literal',
    value: '2020-01-01 00:00:00+00',
  });
  assert.deepEqual(parsePostgresDefault("'{a,b}'::text[]"), { kind: 'literal', value: '{a,b}' });
  assert.deepEqual(parsePostgresDefault(`'101'::"bit"`), { kind: 'literal', value: '101' });
});

test('sameDefault compares defaults by meaning', () => {
  const check = (mysqlType: [string, string], mysqlDefault: string | null, pgType: [string, string], pgDefault: string | null) =>
    sameDefault({
      mysql: { dataType: mysqlType[0], columnType: mysqlType[1], defaultValue: parseMysqlDefault(mysqlDefault, { mariadb: true }) },
      postgres: { dataType: pgType[0], category: pgType[1], defaultValue: parsePostgresDefault(pgDefault) },
    });
  assert.ok(check(['tinyint', 'tinyint(1)'], '1', ['bool', 'B'], 'true'));
  assert.ok(!check(['tinyint', 'tinyint(1)'], '1', ['bool', 'B'], 'false'));
  assert.ok(check(['tinyint', 'tinyint(1)'], '0', ['bool', 'B'], 'false'));
  assert.ok(check(['decimal', 'decimal(5,2)'], '10.00', ['numeric', 'N'], '10.00'));
  assert.ok(check(['decimal', 'decimal(5,2)'], '10.00', ['numeric', 'N'], '10.0'));
  assert.ok(!check(['decimal', 'decimal(5,2)'], '10.00', ['numeric', 'N'], '10.01'));
  assert.ok(check(['enum', "enum('a','customer')"], "'customer'", ['text', 'S'], "'customer'::text"));
  assert.ok(!check(['enum', "enum('a','customer')"], "'customer'", ['text', 'S'], "'Customer'::text"));
  assert.ok(check(['datetime', 'datetime'], 'current_timestamp()', ['timestamptz', 'D'], 'now()'));
  assert.ok(check(['datetime', 'datetime'], 'current_timestamp()', ['timestamptz', 'D'], 'CURRENT_TIMESTAMP'));
  assert.ok(!check(['datetime', 'datetime'], 'current_timestamp()', ['timestamptz', 'D'], null));
  assert.ok(check(['datetime', 'datetime'], "'2020-01-01 00:00:00'", ['timestamptz', 'D'], "'2020-01-01 00:00:00+00'::timestamp with time zone"));
  assert.ok(check(['datetime', 'datetime'], "'0000-00-00 00:00:00'", ['timestamptz', 'D'], null));
  assert.ok(check(['int', 'int(11)'], '0', ['int4', 'N'], '0'));
  assert.ok(!check(['int', 'int(11)'], '0', ['int4', 'N'], null));
  assert.ok(check(['varchar', 'varchar(5)'], 'NULL', ['varchar', 'S'], null));
  assert.ok(check(['varchar', 'varchar(5)'], null, ['varchar', 'S'], 'NULL::character varying'));
  assert.ok(check(['set', "set('a','b')"], "'a,b'", ['_text', 'A'], "'{a,b}'::text[]"));
  assert.ok(check(['bit', 'bit(3)'], "b'101'", ['varbit', 'V'], `'101'::"bit"`));
  assert.ok(check(['time', 'time'], "'12:00:00'", ['interval', 'T'], "'12:00:00'::interval"));
});

test('foreign-key actions: RESTRICT and NO ACTION are the same in MySQL', () => {
  assert.ok(sameForeignKeyAction('RESTRICT', 'NO ACTION'));
  assert.ok(sameForeignKeyAction('NO ACTION', 'RESTRICT'));
  assert.ok(sameForeignKeyAction('CASCADE', 'CASCADE'));
  assert.ok(sameForeignKeyAction('SET NULL', 'SET NULL'));
  assert.ok(!sameForeignKeyAction('CASCADE', 'NO ACTION'));
  assert.ok(!sameForeignKeyAction('SET NULL', 'RESTRICT'));
});
