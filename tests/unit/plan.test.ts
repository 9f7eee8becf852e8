import assert from 'node:assert/strict';
import { test } from 'vitest';
import { planMigration, translateViewSql } from '../../src/migrate/db/plan/plan.js';
import { catalog, column, table } from '../helpers/catalog.js';

const sqlOf = (plan: ReturnType<typeof planMigration>, key: string) => plan.steps.find((s) => s.key === key)?.sql.join(';\n') ?? '';

test('a foreign key column gets exactly its referenced column type, with a note', () => {
  const users = table('users', [column('id', 'bigint(20) unsigned', { autoIncrement: true, nullable: false, profile: { maxValue: '1' } })], { primaryKey: ['id'] });
  const orders = table('orders', [column('id', 'int(11)'), column('user_id', 'int(10) unsigned')], {
    foreignKeys: [{ name: 'fk_orders_user', columns: ['user_id'], referencedTable: 'users', referencedColumns: ['id'], onDelete: 'CASCADE', onUpdate: 'RESTRICT' }],
  });
  const plan = planMigration(catalog([users, orders]), { schema: 'public' });
  const userId = plan.tables[1].columns[1];
  assert.equal(userId.pgType, 'bigint');
  assert.ok(plan.notes.some((n) => n.table === 'orders' && n.column === 'user_id' && /fk_orders_user/.test(n.why)) === false, 'int unsigned is already bigint: no note');
  assert.equal(
    sqlOf(plan, 'foreign-key:orders:fk_orders_user'),
    'ALTER TABLE "public"."orders" ADD CONSTRAINT "fk_orders_user" FOREIGN KEY ("user_id") REFERENCES "public"."users" ("id") ON DELETE CASCADE ON UPDATE RESTRICT NOT VALID',
  );
  const wide = planMigration(catalog([
    table('users', [column('id', 'bigint(20) unsigned', { profile: { maxValue: '18446744073709551615' } })]),
    table('orders', [column('user_id', 'int(10) unsigned')], { foreignKeys: [{ name: 'fk', columns: ['user_id'], referencedTable: 'users', referencedColumns: ['id'], onDelete: 'RESTRICT', onUpdate: 'RESTRICT' }] }),
  ]), { schema: 'public' });
  assert.equal(wide.tables[1].columns[0].pgType, 'numeric(20,0)');
  assert.ok(wide.notes.some((n) => n.table === 'orders' && n.column === 'user_id' && n.what === 'bigint -> numeric(20,0)'));
});

test('names are kept and quoted; colliding index names are qualified with a note', () => {
  const a = table('order', [column('select', 'int(11)'), column('User', 'varchar(10)')], {
    indexes: [{ name: 'slug', unique: true, primary: false, method: 'BTREE', columns: [{ name: 'User', subPart: null, descending: false }] }],
  });
  const b = table('categories', [column('slug', 'varchar(10)')], {
    indexes: [{ name: 'slug', unique: true, primary: false, method: 'BTREE', columns: [{ name: 'slug', subPart: null, descending: true }] }],
  });
  const plan = planMigration(catalog([a, b]), { schema: 'Shop' });
  assert.match(sqlOf(plan, 'create-table:order'), /CREATE TABLE "Shop"\."order" \(\n {2}"select" integer,\n {2}"User" varchar\(10\)\n\)/);
  // Names are given out in table order, whichever tables a run includes.
  assert.equal(sqlOf(plan, 'index:categories:slug'), 'CREATE UNIQUE INDEX "slug" ON "Shop"."categories" ("slug" DESC)');
  assert.equal(sqlOf(plan, 'index:order:order_slug'), 'CREATE UNIQUE INDEX "order_slug" ON "Shop"."order" ("User")');
  assert.ok(plan.notes.some((n) => n.kind === 'name' && n.what === 'index slug renamed to order_slug'));
  const onlyOrder = planMigration(catalog([a], { relations: [{ table: 'categories', indexes: ['slug'] }, { table: 'order', indexes: ['slug'] }] }), { schema: 'Shop' });
  assert.equal(sqlOf(onlyOrder, 'index:order:order_slug'), 'CREATE UNIQUE INDEX "order_slug" ON "Shop"."order" ("User")', 'same name in a run over one table');
});

test('prefix and FULLTEXT indexes get the closest equivalent, each noted', () => {
  const t = table('products', [column('name', 'varchar(200)'), column('description', 'text'), column('code', 'varbinary(32)')], {
    indexes: [
      { name: 'idx_desc', unique: false, primary: false, method: 'BTREE', columns: [{ name: 'description', subPart: 50, descending: false }] },
      { name: 'uq_code', unique: true, primary: false, method: 'BTREE', columns: [{ name: 'code', subPart: 8, descending: false }] },
      { name: 'uq_name', unique: true, primary: false, method: 'BTREE', columns: [{ name: 'name', subPart: 10, descending: false }] },
      { name: 'ft', unique: false, primary: false, method: 'FULLTEXT', columns: [{ name: 'name', subPart: null, descending: false }, { name: 'description', subPart: null, descending: false }] },
    ],
  });
  const plan = planMigration(catalog([t]), { schema: 'public' });
  assert.equal(sqlOf(plan, 'index:products:idx_desc'), 'CREATE INDEX "idx_desc" ON "public"."products" ("description")');
  assert.equal(sqlOf(plan, 'index:products:uq_code'), 'CREATE UNIQUE INDEX "uq_code" ON "public"."products" ((substring("code" from 1 for 8)))');
  assert.equal(sqlOf(plan, 'index:products:uq_name'), 'CREATE UNIQUE INDEX "uq_name" ON "public"."products" ((left("name", 10)))');
  assert.match(sqlOf(plan, 'index:products:ft'), /USING gin \(to_tsvector\('simple', coalesce\("name", ''\) \|\| ' ' \|\| coalesce\("description", ''\)\)\)/);
  assert.equal(plan.notes.filter((n) => n.kind === 'index').length, 4);
});

test('AUTO_INCREMENT becomes an identity that continues from the source counter', () => {
  const t = table('orders', [column('id', 'int(10) unsigned', { autoIncrement: true, nullable: false })], { primaryKey: ['id'], autoIncrement: 1000,
    indexes: [{ name: 'PRIMARY', unique: true, primary: true, method: 'BTREE', columns: [{ name: 'id', subPart: null, descending: false }] }] });
  const plan = planMigration(catalog([t]), { schema: 'public' });
  assert.match(sqlOf(plan, 'create-table:orders'), /"id" bigint GENERATED BY DEFAULT AS IDENTITY NOT NULL/);
  assert.match(sqlOf(plan, 'identity:orders'), /GREATEST\(1000, \(SELECT COALESCE\(MAX\("id"\), 0\) \+ 1 FROM "public"\."orders"\)\), false\)/);
  assert.equal(sqlOf(plan, 'primary-key:orders'), 'ALTER TABLE "public"."orders" ADD CONSTRAINT "orders_pkey" PRIMARY KEY ("id")');
});

test('defaults: literals, CURRENT_TIMESTAMP, bit literals, booleans, zero dates', () => {
  const t = table('t', [
    column('a', 'varchar(10)', { defaultValue: "'it''s'" }),
    column('b', 'datetime', { defaultValue: 'current_timestamp()' }),
    column('c', 'bit(1)', { defaultValue: "b'1'" }),
    column('d', 'tinyint(1)', { defaultValue: '1', profile: { onlyBooleanValues: true } }),
    column('e', 'date', { defaultValue: "'0000-00-00'" }),
    column('f', 'decimal(5,2)', { defaultValue: '10.00' }),
    column('g', 'bit(4)', { defaultValue: "b'101'" }),
    column('h', 'varchar(36)', { defaultValue: 'uuid()' }),
  ]);
  const plan = planMigration(catalog([t]), { schema: 'public' });
  const defaults = Object.fromEntries(plan.tables[0].columns.map((c) => [c.name, c.defaultSql]));
  assert.deepEqual(defaults, { a: "'it''s'", b: 'CURRENT_TIMESTAMP', c: 'true', d: 'true', e: null, f: '10.00', g: "B'0101'", h: null });
  assert.ok(plan.notes.some((n) => n.kind === 'default' && n.column === 'e'));
  assert.ok(plan.notes.some((n) => n.kind === 'default' && n.column === 'h' && /uuid/.test(n.why)));
});

test('date and time defaults mean the same instant as the rows', () => {
  const t = table('t', [
    column('a', 'datetime', { defaultValue: "'2024-01-01 00:00:00'" }),
    column('b', 'timestamp', { defaultValue: "'2024-01-01 00:00:00'" }),
    column('c', 'date', { defaultValue: "'2024-01-01'" }),
  ]);
  const plan = planMigration(catalog([t]), { schema: 'public', sourceTimezone: 'Africa/Lagos' });
  assert.deepEqual(plan.tables[0].columns.map((c) => c.defaultSql), [
    "('2024-01-01 00:00:00'::timestamp AT TIME ZONE 'Africa/Lagos')",
    "'2024-01-01 00:00:00+00'::timestamptz(0)",
    "'2024-01-01'::date",
  ]);
});

test('long names are cut to 63 bytes on whole characters, with a hash that keeps them apart', async () => {
  const { fitIdentifier } = await import('../../src/migrate/db/plan/names.js');
  const long = 'ü'.repeat(40);
  const fitted = fitIdentifier(long);
  assert.ok(Buffer.byteLength(fitted) <= 63);
  assert.ok(!fitted.includes('\uFFFD') && Buffer.from(fitted).toString() === fitted);
  assert.notEqual(fitIdentifier('😀'.repeat(20) + 'a'), fitIdentifier('😀'.repeat(20) + 'b'));
  assert.equal(fitIdentifier('users'), 'users');
});

test('generated columns: STORED when the expression translates, else a plain column (noted)', () => {
  const t = table('items', [
    column('qty', 'int(11)'), column('price', 'int(11)'),
    column('total', 'int(11)', { generated: { expression: '`qty` * `price`', stored: false } }),
    column('label', 'varchar(20)', { generated: { expression: "date_format(`made`,'%Y')", stored: true } }),
  ]);
  const plan = planMigration(catalog([t]), { schema: 'public' });
  assert.match(sqlOf(plan, 'create-table:items'), /"total" integer GENERATED ALWAYS AS \("qty" \* "price"\) STORED/);
  assert.equal(plan.tables[0].columns[3].generatedSql, null);
  assert.ok(plan.notes.some((n) => n.kind === 'generated' && n.column === 'total' && /STORED/.test(n.what)));
  assert.ok(plan.notes.some((n) => n.kind === 'generated' && n.column === 'label' && /plain column/.test(n.what)));
  assert.ok(plan.steps.find((s) => s.key === 'create-table:items')!.fallback);
});

test('ON UPDATE CURRENT_TIMESTAMP becomes a trigger; triggers and routines are listed, not migrated', () => {
  const t = table('users', [column('updated_at', 'datetime', { onUpdateCurrentTimestamp: true })]);
  const plan = planMigration(catalog([t], { otherObjects: [{ kind: 'procedure', name: 'p', sql: 'CREATE PROCEDURE p() BEGIN END' }] }), { schema: 'public' });
  assert.match(sqlOf(plan, 'on-update:users'), /BEFORE UPDATE ON "public"\."users"/);
  assert.ok(plan.notes.some((n) => n.kind === 'not-migrated' && n.sql === 'CREATE PROCEDURE p() BEGIN END'));
});

test('CHECK constraints translate or are noted with their SQL; --schema-only and --data-only pick steps', () => {
  const t = table('reviews', [column('rating', 'tinyint(4)')], { checks: [{ name: 'rating', clause: '`rating` between 1 and 5' }, { name: 'odd', clause: '`rating` regexp 1' }] });
  const plan = planMigration(catalog([t]), { schema: 'public' });
  assert.equal(sqlOf(plan, 'check:reviews:rating'), 'ALTER TABLE "public"."reviews" ADD CONSTRAINT "rating" CHECK ("rating" BETWEEN 1 AND 5) NOT VALID');
  assert.ok(plan.notes.some((n) => n.kind === 'constraint' && n.sql === '`rating` regexp 1'));
  assert.ok(!planMigration(catalog([t]), { schema: 'public', schemaOnly: true }).steps.some((s) => s.phase === 'data'));
  assert.deepEqual(planMigration(catalog([t]), { schema: 'public', dataOnly: true }).steps.map((s) => s.key), ['copy:reviews']);
});

test('view SQL loses its database qualifier and MySQL quotes', () => {
  assert.equal(translateViewSql('select `shop`.`p`.`id` AS `id` from `shop`.`p` where `shop`.`p`.`x` = 1', 'shop'), 'select "p"."id" AS "id" from "p" where "p"."x" = 1');
  // Literals stay as they are, re-quoted for Postgres; `shop` as a column (not a qualifier) stays too.
  assert.equal(
    translateViewSql("select `shop` AS `shop` from `shop`.`t` where `t`.`note` = 'it\\'s `shop`.`x`' or `t`.`a` = 'b''c'", 'shop'),
    `select "shop" AS "shop" from "t" where "t"."note" = 'it''s \`shop\`.\`x\`' or "t"."a" = 'b''c'`,
  );
});

test('key ranges cover every key once, open at both ends', async () => {
  const { splitKeyRange, rangeCondition } = await import('../../src/migrate/db/chunks.js');
  assert.deepEqual(splitKeyRange('1', '1000', 50, 100), [{ from: null, to: null }]);
  const ranges = splitKeyRange('1', '1000', 1000, 300);
  assert.deepEqual(ranges, [{ from: null, to: '251' }, { from: '251', to: '501' }, { from: '501', to: '751' }, { from: '751', to: null }]);
  assert.equal(rangeCondition('id', ranges[0]), '`id` < 251');
  assert.equal(rangeCondition('id', ranges[1]), '`id` >= 251 AND `id` < 501');
  assert.equal(rangeCondition('id', ranges[3]), '`id` >= 751');
  assert.equal(rangeCondition('id', { from: null, to: null }), undefined);
  const huge = splitKeyRange('0', '18446744073709551615', 4, 1);
  assert.equal(huge.length, 4);
  assert.equal(huge[1].from, '4611686018427387904');
  assert.deepEqual(splitKeyRange('5', '6', 1000, 100), [{ from: null, to: null }], 'fewer keys than chunks: one chunk');
});
