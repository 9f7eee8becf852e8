import assert from 'node:assert/strict';
import { test } from 'vitest';
import { NullNeeded, rowEncoder, type ValueChange } from '../../src/migrate/db/convert.js';
import { CopyLineBuffer } from '../../src/migrate/db/copy-lines.js';
import { packetRowWriter } from '../../src/migrate/db/packet-rows.js';
import type { TargetColumn } from '../../src/migrate/db/plan/plan.js';
import type { ValueKind } from '../../src/migrate/db/plan/types.js';
import { column } from '../helpers/catalog.js';

function target(kind: ValueKind, nullable = true, columnType = 'varchar(10)'): TargetColumn {
  return { name: 'c', source: column('c', columnType), pgType: 'x', kind, nullable, defaultSql: null, identity: false, generatedSql: null };
}

/** A text-protocol row packet's values: each length-coded, or 0xfb for NULL. */
function packet(values: (Buffer | null)[]): Buffer {
  return Buffer.concat(
    values.map((v) => {
      if (v === null) return Buffer.from([0xfb]);
      const n = v.length;
      const length = n < 251 ? Buffer.from([n]) : n < 65536 ? Buffer.from([0xfc, n & 0xff, n >> 8]) : Buffer.from([0xfd, n & 0xff, (n >> 8) & 0xff, n >> 16]);
      return Buffer.concat([length, v]);
    }),
  );
}

function viaPackets(columns: TargetColumn[], values: (Buffer | null)[]) {
  const bytes = packet(values);
  // The row sits inside a bigger buffer, as in the driver's.
  const framed = Buffer.concat([Buffer.from('head'), bytes, Buffer.from('tail')]);
  const changes: ValueChange[] = [];
  const out = new CopyLineBuffer(1 << 20);
  packetRowWriter(columns).write(framed, 4, 4 + bytes.length, changes, out);
  return { line: out.take().toString('utf8'), changes };
}

function viaValues(columns: TargetColumn[], values: (Buffer | null)[]) {
  const changes: ValueChange[] = [];
  const text = columns.map((c) => ['bytea', 'bit-to-boolean', 'bit-varying'].includes(c.kind));
  const line = rowEncoder(columns).encode(values.map((v, i) => (v === null || text[i] ? v : v.toString('utf8'))), changes);
  return { line, changes };
}

const b = (s: string) => Buffer.from(s, 'utf8');

const CASES: [ValueKind, string | Buffer][] = [
  ['raw', '-12345678901234567890.123'],
  ['raw', '1.5e-7'],
  ['time', '-838:59:59.000000'],
  ['text', 'plain'],
  ['text', 'tab\there\nline\r\\back \\N'],
  ['text', 'emoji 👍 and é'],
  ['text', 'x'.repeat(300)],
  ['text', 'é'.repeat(40_000)],
  ['text', 'nul\0here\0'],
  ['text', ''],
  ['json', '{"a": "x\\"y", "b": "\\\\", "c": "\\n"}'],
  ['json', '{"nul": "x\\u0000y"}'],
  ['json', '{"not nul": "x\\\\u0000y"}'],
  ['json', '{\n\t"spaced": 1\r\n}'],
  ['date', '2024-02-29'],
  ['date', '2023-02-29'],
  ['datetime', '0000-00-00 00:00:00'],
  ['datetime', '2024-05-00 10:00:00'],
  ['datetime', '2024-12-31 23:59:59.999999'],
  ['timestamp-utc', '2024-01-02 03:04:05.123'],
  ['timestamp-utc', '0000-00-00 00:00:00'],
  ['int-to-boolean', '0'],
  ['int-to-boolean', '1'],
  ['int-to-boolean', '-3'],
  ['bytea', Buffer.from([0, 0xff, 0x0a, 0x5c, 0x09])],
  ['bytea', Buffer.alloc(0)],
  ['set', 'a,b "c"'],
  ['bit-to-boolean', Buffer.from([0])],
  ['bit-varying', Buffer.from([0x01, 0x02])],
];

test('row packets convert exactly as decoded values do, with the same reported changes', () => {
  for (const [kind, value] of CASES) {
    const columns = [target('raw'), target(kind), target('text')];
    const values = [b('7'), typeof value === 'string' ? b(value) : value, null];
    assert.deepEqual(viaPackets(columns, values), viaValues(columns, values), `${kind} ${String(value).slice(0, 40)}`);
  }
});

test('text that is not UTF-8 is reported, not sent for Postgres to refuse', () => {
  const { line, changes } = viaPackets([target('text')], [Buffer.from([0x61, 0xff, 0x62])]);
  assert.equal(line, 'a\uFFFDb\n');
  assert.deepEqual(changes.map((c) => c.what), ['bytes that are not UTF-8 replaced with U+FFFD']);
});

test('a zero date in a NOT NULL column stops the copy so the column can be relaxed', () => {
  assert.throws(() => viaPackets([target('date', false)], [b('0000-00-00')]), (e: Error) => e instanceof NullNeeded);
});

test('a packet with bytes past its values is refused', () => {
  const bytes = Buffer.concat([packet([b('1')]), Buffer.from([1])]);
  assert.throws(() => packetRowWriter([target('raw')]).write(bytes, 0, bytes.length, [], new CopyLineBuffer(64)), /bytes past its 1 values/);
});

test('the key of a row is read back as text, NULL as null', () => {
  const bytes = packet([b('42'), null]);
  const writer = packetRowWriter([target('raw'), target('text')]);
  writer.write(bytes, 0, bytes.length, [], new CopyLineBuffer(64));
  assert.equal(writer.textOf(bytes, 0), '42');
  assert.equal(writer.textOf(bytes, 1), null);
});
