// View translation without a database: MariaDB's normalised VIEW_DEFINITION text through the real MySQL and
// Postgres parsers, and what the plan makes of it.
import assert from 'node:assert/strict';
import { beforeAll, test } from 'vitest';
import { loadRoutineParsers, planViews, type RoutineParsers, type RoutineTable } from '../../src/migrate/db/routines/index.js';

let parsers: RoutineParsers;
beforeAll(async () => {
  parsers = await loadRoutineParsers();
});

const TABLES: RoutineTable[] = [
  { sourceName: 'vendors', name: 'vendors', identity: 'id', primaryKey: ['id'], columns: [{ name: 'id', pgType: 'bigint' }, { name: 'name', pgType: 'varchar(150)' }] },
  {
    sourceName: 'products', name: 'products', identity: 'id', primaryKey: ['id'], uniqueKeys: [['sku']],
    columns: [
      { name: 'id', pgType: 'bigint' }, { name: 'vendor_id', pgType: 'bigint' }, { name: 'sku', pgType: 'varchar(64)' }, { name: 'name', pgType: 'varchar(255)' },
      { name: 'price', pgType: 'numeric(10,2)' }, { name: 'stock', pgType: 'integer' }, { name: 'is_published', pgType: 'boolean' },
      { name: 'rating', pgType: 'double precision' }, { name: 'released_on', pgType: 'date' }, { name: 'created_at', pgType: 'timestamptz(0)' },
    ],
  },
];

function plan(views: Record<string, string>) {
  return planViews({ schema: 'shop', database: 'legacy', tables: TABLES, views: Object.entries(views).map(([name, sql]) => ({ name, sql })) }, parsers);
}

function sqlOf(view: string, sql: string): string {
  const result = plan({ [view]: sql });
  assert.deepEqual(result.refused.map((r) => r.why), []);
  return result.planned[0].sql;
}

test('GROUP_CONCAT(DISTINCT IF(..., NULL, x) ORDER BY x) orders the DISTINCT values by themselves, which string_agg accepts', () => {
  const sql = sqlOf('s', "select `v`.`id` AS `id`,group_concat(distinct if(`p`.`id` is null,NULL,`p`.`sku`) order by `p`.`sku` ASC separator ', ') AS `skus` from (`legacy`.`vendors` `v` left join `legacy`.`products` `p` on(`p`.`vendor_id` = `v`.`id`)) group by `v`.`id`");
  assert.match(sql, /string_agg\(DISTINCT CASE WHEN \("p"\."id" IS NULL\) THEN NULL ELSE "p"\."sku" END, ', ' ORDER BY CASE WHEN \("p"\."id" IS NULL\) THEN NULL ELSE "p"\."sku" END\)/);
  assert.match(sql, /^CREATE VIEW "shop"\."s" AS SELECT /);
});

test('the default separator is a comma, and DISTINCT numbers sort as numbers', () => {
  const sql = sqlOf('s', 'select group_concat(`legacy`.`products`.`sku` separator \',\') AS `a`,group_concat(distinct `legacy`.`products`.`stock` order by `legacy`.`products`.`stock` ASC separator \',\') AS `b` from `legacy`.`products`');
  assert.match(sql, /string_agg\("products"\."sku", ','\) AS "a"/);
  assert.match(sql, /array_to_string\(array_agg\(DISTINCT "products"\."stock" ORDER BY "products"\."stock"\) FILTER \(WHERE "products"\."stock" IS NOT NULL\), ','\) AS "b"/);
});

test("a UNION's trailing ORDER BY and LIMIT apply to the whole union, NULLs sorted as MySQL does", () => {
  const sql = sqlOf('u', 'select `legacy`.`products`.`sku` AS `label` from `legacy`.`products` union all select `legacy`.`vendors`.`name` AS `name` from `legacy`.`vendors` order by `label` desc limit 2,3');
  assert.equal(sql, 'CREATE VIEW "shop"."u" AS SELECT "products"."sku" AS "label" FROM "shop"."products" UNION ALL SELECT "vendors"."name" FROM "shop"."vendors" ORDER BY "label" DESC NULLS LAST LIMIT 3 OFFSET 2');
});

test('division keeps MySQL scale and gives NULL for zero; AVG likewise', () => {
  const sql = sqlOf('d', 'select `legacy`.`products`.`price` / 3 AS `a`,`legacy`.`products`.`rating` / 2 AS `c` from `legacy`.`products`');
  assert.match(sql, /round\(\("products"\."price"\)::numeric \/ NULLIF\(3, 0\), 6\) AS "a"/);
  assert.match(sql, /\("products"\."rating"\)::double precision \/ NULLIF\(2, 0\)\) AS "c"/);
  assert.match(sqlOf('a', 'select avg(`legacy`.`products`.`stock`) AS `b` from `legacy`.`products`'), /round\(avg\("products"\."stock"\), 4\) AS "b"/);
});

test('a column determined by a grouped unique key is added to GROUP BY; one MySQL would pick from any row is refused', () => {
  assert.match(sqlOf('g', 'select `legacy`.`products`.`sku` AS `sku`,`legacy`.`products`.`name` AS `name`,count(0) AS `n` from `legacy`.`products` group by `legacy`.`products`.`sku`'), /GROUP BY "products"\."sku", "products"\."name"$/);
  assert.match(sqlOf('g', 'select `v`.`id` AS `id`,`v`.`name` AS `name`,count(0) AS `n` from `legacy`.`vendors` `v` group by `v`.`id`'), /GROUP BY "v"\."id"$/);
  const refused = plan({ g: 'select `legacy`.`products`.`vendor_id` AS `vendor_id`,`legacy`.`products`.`name` AS `name` from `legacy`.`products` group by `legacy`.`products`.`vendor_id`' }).refused;
  assert.match(refused[0].why, /column products\.name, neither grouped nor aggregated/);
});

test('DATE_FORMAT specifiers become a to_char pattern with the text between them quoted; unknown specifiers are refused', () => {
  const sql = sqlOf('f', "select date_format(`legacy`.`products`.`created_at`,'%Y-%m-%d at %H:%i') AS `f`,last_day(`legacy`.`products`.`released_on`) AS `l`,`legacy`.`products`.`released_on` + interval 1 month AS `n` from `legacy`.`products`");
  assert.match(sql, /to_char\("products"\."created_at", 'YYYY-MM-DD" at "HH24:MI'\) AS "f"/);
  assert.match(sql, /CAST\(date_trunc\('month', "products"\."released_on"\) \+ interval '1 month - 1 day' AS date\) AS "l"/);
  assert.match(sql, /CAST\("products"\."released_on" \+ \(1 \* interval '1 month'\) AS date\) AS "n"/);
  assert.match(plan({ f: "select date_format(`legacy`.`products`.`created_at`,'%X') AS `f` from `legacy`.`products`" }).refused[0].why, /date format specifier %X/);
});

test('a view reading another comes after it, and reads its columns', () => {
  const result = plan({
    top: 'select `legacy`.`base`.`n` + 1 AS `m` from `legacy`.`base`',
    base: 'select count(0) AS `n` from `legacy`.`products`',
    broken: "select `legacy`.`products`.`id` AS `id` from `legacy`.`products` where `legacy`.`products`.`name` sounds like 'x'",
    above_broken: 'select `legacy`.`broken`.`id` AS `id` from `legacy`.`broken`',
  });
  assert.deepEqual(result.planned.map((v) => v.name), ['base', 'top']);
  assert.deepEqual(result.planned[1].dependsOn, ['base']);
  assert.match(result.planned[1].sql, /FROM "shop"\."base"/);
  assert.match(result.refused.find((r) => r.source.name === 'above_broken')!.why, /reads view broken, which is not translated/);
});

test('boolean columns stay boolean, comparisons show as 0/1, and = 1 on a boolean compares as MySQL does', () => {
  const sql = sqlOf('b', 'select `legacy`.`products`.`is_published` AS `p`,`legacy`.`products`.`stock` > 0 AS `s` from `legacy`.`products` where `legacy`.`products`.`is_published` = 1');
  assert.match(sql, /SELECT "products"\."is_published" AS "p", \(\("products"\."stock" > 0\)\)::int AS "s" FROM "shop"\."products" WHERE \(\("products"\."is_published"\)::int = 1\)/);
});

test('WITH, window functions and unknown functions are refused by name', () => {
  const { refused } = plan({
    cte: 'with c as (select `legacy`.`products`.`id` AS `id` from `legacy`.`products`)select `c`.`id` AS `id` from `c`',
    ranked: 'select `legacy`.`products`.`id` AS `id`,row_number() over ( order by `legacy`.`products`.`id`) AS `rn` from `legacy`.`products`',
    hashed: 'select md5(`legacy`.`products`.`sku`) AS `h` from `legacy`.`products`',
  });
  const why = Object.fromEntries(refused.map((r) => [r.source.name, r.why]));
  assert.match(why.cte, /^WithClause/);
  assert.match(why.ranked, /row_number\(\)/);
  assert.match(why.hashed, /function MD5/);
});
