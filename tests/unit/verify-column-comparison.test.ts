// Which columns go into the in-database row hash, and the SQL both sides render them with.
import assert from 'node:assert/strict';
import { test } from 'vitest';
import { planMigration } from '../../src/migrate/db/plan/plan.js';
import type { TargetColumnType } from '../../src/migrate/verify/model.js';
import { renderColumn } from '../../src/migrate/verify/column-comparison.js';
import { multisetQueries, mysqlRowMd5, postgresRowMd5, rowQueries, summaryQueries, tableNames } from '../../src/migrate/verify/sql.js';
import { catalog, column, table } from '../helpers/catalog.js';

const plannedColumns = (columns: ReturnType<typeof column>[]) =>
  planMigration(catalog([table('t', columns, { primaryKey: ['id'] })]), { schema: 'public' }).tables[0].columns;

function renders(columns: ReturnType<typeof column>[], udts: Record<string, TargetColumnType>, zone = 'UTC') {
  return Object.fromEntries(plannedColumns(columns).map((c) => [c.name, renderColumn(c, udts[c.name], zone)]));
}

const t = (udt: string, scale: number | null = null): TargetColumnType => ({ udt, scale });

test('values both databases print alike are hashed in SQL; JSON is pre-checked there; floats and times are compared here', () => {
  const r = renders(
    [
      column('id', 'int(11)'), column('price', 'decimal(10,2)'), column('f', 'float'), column('d', 'double'), column('doc', 'json'),
      column('dur', 'time'), column('name', 'varchar(20)'), column('code', 'char(5)'), column('flag', 'tinyint(1)', { profile: { onlyBooleanValues: true } }),
      column('bits', 'bit(5)'), column('raw', 'blob'), column('tags', 'set', { members: ['a', 'b'] }), column('y', 'year'), column('ip', 'inet6'),
    ],
    {
      id: t('int4'), price: t('numeric', 2), f: t('float4'), d: t('float8'), doc: t('jsonb'), dur: t('time'), name: t('varchar'), code: t('bpchar'),
      flag: t('bool'), bits: t('varbit'), raw: t('bytea'), tags: t('_text'), y: t('int2'), ip: t('inet'),
    },
  );
  const hashed = Object.values(r).filter((x) => x.hash).map((x) => x.name);
  assert.deepEqual(hashed, ['id', 'price', 'name', 'code', 'flag', 'bits', 'raw', 'tags', 'y']);
  assert.deepEqual(Object.values(r).filter((x) => x.loose).map((x) => x.name), ['doc']);
  assert.equal(r.doc.loose!.quick, 'CAST(`doc` AS BINARY)');
  assert.match(r.doc.loose!.mysql, /JSON_LOOSE\(`doc`\)/);
  assert.equal(r.doc.loose!.postgres, '"doc"::text');
  assert.deepEqual(Object.fromEntries(Object.values(r).filter((x) => x.client).map((x) => [x.name, x.client])), { f: 'float32', d: 'float64', doc: 'json', dur: 'time', ip: 'text' });
  assert.equal(r.f.mysql, '`f` + 0e0');
  assert.equal(r.dur.postgres, 'extract(epoch from "dur")::text');
  assert.equal(r.flag.mysql, "CASE WHEN `flag` <> 0 THEN 't' WHEN `flag` = 0 THEN 'f' END");
  assert.equal(r.flag.postgres, `CASE WHEN "flag" THEN 't' WHEN NOT "flag" THEN 'f' END`);
  assert.equal(r.bits.mysql, "LPAD(BIN(`bits`), 5, '0')");
  assert.equal(r.y.mysql, '(`y` + 0)');
  assert.deepEqual(r.raw.hash, { mysql: 'MD5(`raw`)', postgres: 'md5("raw")' });
  assert.equal(r.raw.postgres, `upper(encode("raw", 'hex'))`);
  assert.equal(r.tags.postgres, `array_to_string("tags", ',')`);
  // char(n): Postgres pads, so both sides drop trailing spaces; text is framed by its byte length.
  assert.equal(r.code.postgres, '"code"::text');
  assert.match(r.code.mysql, /^RTRIM\(REPLACE\(CAST\(CONVERT\(`code` USING utf8mb4\) AS BINARY\), X'00', ''\)\)$/);
  // The quick text keeps NUL characters: a text holding one never matches, and is summarised again carefully.
  assert.equal(r.code.hash!.quick, 'RTRIM(CAST(CONVERT(`code` USING utf8mb4) AS BINARY))');
  assert.deepEqual([r.name.hash!.postgres, r.name.hash!.framed], ['"name"::text', true]);
  assert.match(r.name.mysqlExpected!, /INSTR/);
});

test('a decimal is hashed only when both sides print the same scale', () => {
  const same = renders([column('id', 'int(11)'), column('p', 'decimal(10,2)')], { id: t('int4'), p: t('numeric', 2) });
  const other = renders([column('id', 'int(11)'), column('p', 'decimal(10,2)')], { id: t('int4'), p: t('numeric', 4) });
  assert.ok(same.p.hash);
  assert.equal(other.p.hash, null);
  assert.equal(other.p.client, 'decimal');
});

test('DATETIME is rendered in the source zone, TIMESTAMP in UTC, and impossible dates as NULL (counted as expected)', () => {
  const r = renders([column('id', 'int(11)'), column('at', 'datetime(3)'), column('ts', 'timestamp(6)'), column('day', 'date'), column('seen', 'datetime')], {
    id: t('int4'), at: t('timestamptz'), ts: t('timestamptz'), day: t('date'), seen: t('timestamptz'),
  }, 'Europe/Berlin');
  // Whole seconds: Postgres's own ISO output, cheaper than to_char.
  assert.equal(r.seen.postgres, `("seen" AT TIME ZONE 'Europe/Berlin')::text`);
  // Fractions in six digits on both sides: a target column more precise than the source shows its extra digits.
  assert.equal(r.at.postgres, `to_char(("at" AT TIME ZONE 'Europe/Berlin'), 'YYYY-MM-DD HH24:MI:SS.US')`);
  assert.equal(r.ts.postgres, `to_char("ts"::timestamp, 'YYYY-MM-DD HH24:MI:SS.US')`);
  assert.equal(r.day.postgres, `"day"::text`);
  assert.match(r.at.mysql, /^CASE WHEN \(NOT IFNULL\(YEAR\(`at`\) > 0 AND DAYOFMONTH\(`at`\) BETWEEN 1 AND DAYOFMONTH\(LAST_DAY\(`at`\)\), FALSE\)\) THEN NULL ELSE DATE_FORMAT\(`at`, '%Y-%m-%d %H:%i:%s.%f'\) END$/);
  assert.match(r.seen.mysql, /THEN NULL ELSE CAST\(`seen` AS CHAR\) END$/);
  // Quickly: as stored, impossible dates included.
  assert.equal(r.seen.hash!.quick, '`seen`');
  assert.match(r.day.mysqlExpected!, /^\(`day` IS NOT NULL AND /);
});

test('range summaries: a count and the MD5 of the rows\' framed, NULL-marked texts; careful or quick on MySQL', () => {
  const r = Object.values(
    renders([column('id', 'int(11)'), column('name', 'varchar(20)'), column('f', 'float')], { id: { ...t('int4'), nullable: false }, name: { ...t('text'), nullable: true }, f: t('float4') }),
  );
  assert.equal(
    mysqlRowMd5(r),
    "MD5(CONCAT_WS(X'1F', COALESCE(`id`, X'5C4E'), COALESCE(LENGTH(REPLACE(CAST(CONVERT(`name` USING utf8mb4) AS BINARY), X'00', '')), X'5C4E'), REPLACE(CAST(CONVERT(`name` USING utf8mb4) AS BINARY), X'00', '')))",
  );
  // A NOT NULL target column is printed by concat_ws itself; one that may hold NULL goes through coalesce.
  // Text goes in as its length, then its bytes (skipped when NULL: the length's marker stands for both).
  assert.equal(postgresRowMd5(r), `md5(concat_ws(chr(31), "id", coalesce(octet_length("name"::text)::text, E'\\\\N'), "name"::text))`);
  const names = tableNames('order', 'shop', 'order');
  const key = { source: 'id', target: 'id' };
  const careful = summaryQueries(names, key, r, { from: null, to: '100' });
  assert.match(careful.mysql, /^SELECT COUNT\(\*\), MD5\(GROUP_CONCAT\(CONCAT_WS\(X'1F', COALESCE\(`id`, X'5C4E'\).*REPLACE.* SEPARATOR X'1E'\)\), NULL, COALESCE\(SUM\(.*\), 0\) FROM `order` FORCE INDEX \(PRIMARY\) WHERE `id` < 100$/);
  assert.match(careful.postgres, /^SELECT count\(\*\), md5\(string_agg\(concat_ws\(chr\(31\), "id", coalesce\(.*, chr\(30\)\)\), NULL FROM "shop"."order" WHERE "id" < 100$/);
  const quick = summaryQueries(names, key, r, { from: '1', to: '100' }, true);
  assert.doesNotMatch(quick.mysql, /REPLACE/);
  assert.match(quick.mysql, /, NULL, 0 FROM `order` FORCE INDEX \(PRIMARY\) WHERE `id` >= 1 AND `id` < 100$/);
  assert.equal(quick.postgres, summaryQueries(names, key, r, { from: '1', to: '100' }).postgres);
  // Ordered by the table's own key column, never by the text-cast output column of the same name.
  const rows = rowQueries(names, key, r, { from: '1', to: null });
  assert.match(rows.postgres, /^SELECT "id"::text, "id"::text, .* FROM "shop"."order" AS t WHERE "id" >= 1 ORDER BY t."id"$/);
  assert.match(rows.mysql, /ORDER BY t.`id`$/);
  const multiset = multisetQueries(names, r);
  assert.match(multiset.mysql, /^SELECT CAST\(MD5\(.*\) AS BINARY\) AS row_md5, .* ORDER BY 1$/);
  assert.match(multiset.postgres, /^SELECT md5\(.*\) COLLATE "C" AS row_md5, .* ORDER BY 1$/);
});

test('JSON: jsonb orders keys by length, then bytes; Postgres prints sampled key orders, else its own', async () => {
  const { jsonbKeyOrder, postgresJsonText } = await import('../../src/migrate/verify/json.js');
  assert.deepEqual(['line1', 'city', 'country', 'é', 'z'].sort(jsonbKeyOrder), ['z', 'é', 'city', 'line1', 'country']);
  assert.equal(postgresJsonText('"doc"', []), '"doc"::text');
  assert.equal(
    postgresJsonText('"doc"', [['b', 'a']]),
    `CASE WHEN jsonb_typeof("doc") = 'object' THEN COALESCE(CASE WHEN "doc" - ARRAY['b', 'a']::text[] = '{}'::jsonb THEN '{"b": ' || ("doc" -> 'b')::text || ', "a": ' || ("doc" -> 'a')::text || '}' END, "doc"::text) ELSE "doc"::text END`,
  );
});
