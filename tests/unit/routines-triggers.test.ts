// Trigger translation without a database: the real MySQL and Postgres parsers, the plan's steps and notes.
import assert from 'node:assert/strict';
import { beforeAll, test } from 'vitest';
import { planMigration } from '../../src/migrate/db/plan/plan.js';
import { loadRoutineParsers, type RoutineParsers } from '../../src/migrate/db/routines/index.js';
import type { SourceObject } from '../../src/migrate/db/catalog.js';
import { catalog, column, table } from '../helpers/catalog.js';

let parsers: RoutineParsers;
beforeAll(async () => {
  parsers = await loadRoutineParsers();
});

const orders = table('orders', [
  column('id', 'int(10) unsigned', { autoIncrement: true, nullable: false }),
  column('status', 'varchar(20)'),
  column('is_paid', 'tinyint(1)'),
  column('total', 'decimal(10,2)'),
  column('shipped_at', 'datetime'),
  column('paid_at', 'datetime(3)'),
], { primaryKey: ['id'] });
const products = table('products', [column('id', 'int(10) unsigned', { nullable: false }), column('stock', 'int(11)'), column('sku', 'varchar(40)')], { primaryKey: ['id'] });
const items = table('order_items', [column('id', 'int(10) unsigned', { autoIncrement: true }), column('product_id', 'int(10) unsigned'), column('quantity', 'int(11)')], { primaryKey: ['id'] });

function trigger(name: string, tableName: string, sql: string, actionOrder = 1): SourceObject {
  return { kind: 'trigger', name, table: tableName, sql, actionOrder };
}

function planOf(...triggers: SourceObject[]) {
  return planMigration(catalog([orders, products, items], { otherObjects: triggers }), { schema: 'shop', routineParsers: parsers });
}

test("the sample shop's two triggers become PL/pgSQL functions and triggers, after the data", () => {
  const plan = planOf(
    trigger('order_items_after_insert', 'order_items', 'CREATE DEFINER=`root`@`localhost` TRIGGER `order_items_after_insert` AFTER INSERT ON `order_items` FOR EACH ROW\n  UPDATE `products` SET `stock` = `stock` - NEW.`quantity` WHERE `id` = NEW.`product_id`'),
    trigger('orders_before_update', 'orders', "CREATE TRIGGER `orders_before_update` BEFORE UPDATE ON `orders` FOR EACH ROW\nBEGIN\n  IF NEW.`status` = 'shipped' AND OLD.`status` <> 'shipped' AND NEW.`shipped_at` IS NULL THEN\n    SET NEW.`shipped_at` = NOW();\n  END IF;\n  IF NEW.`status` = 'paid' AND NEW.`paid_at` IS NULL THEN\n    SET NEW.`paid_at` = NOW(3);\n  END IF;\nEND"),
  );
  const after = plan.steps.find((s) => s.key === 'trigger:order_items:order_items_after_insert')!;
  assert.equal(after.phase, 'triggers');
  assert.match(after.sql[0], /UPDATE "shop"\."products" SET "stock" = \("stock" - NEW\."quantity"\) WHERE \("id" = NEW\."product_id"\);/);
  assert.match(after.sql[0], /RETURN NULL;/);
  assert.equal(after.sql[1], 'CREATE TRIGGER "order_items_after_insert" AFTER INSERT ON "shop"."order_items" FOR EACH ROW EXECUTE FUNCTION "shop"."order_items_after_insert"()');
  const before = plan.steps.find((s) => s.key === 'trigger:orders:orders_before_update')!;
  assert.match(before.sql[0], /NEW\."shipped_at" := date_trunc\('second', statement_timestamp\(\)\);/);
  assert.match(before.sql[0], /NEW\."paid_at" := date_trunc\('milliseconds', statement_timestamp\(\)\);/);
  assert.match(before.sql[0], /RETURN NEW;/);
  assert.deepEqual(before.creates, [{ kind: 'function', name: 'orders_before_update' }]);
  assert.ok(plan.steps.findIndex((s) => s.phase === 'triggers') > plan.steps.findIndex((s) => s.phase === 'constraints'));
  assert.ok(plan.notes.some((n) => n.kind === 'routine' && n.what === 'trigger orders_before_update -> PL/pgSQL function orders_before_update() and trigger orders_before_update'));
  assert.ok(!plan.notes.some((n) => n.kind === 'not-migrated'));
});

test('booleans from tinyint(1) compare and store as MySQL does; SIGNAL becomes RAISE with its SQLSTATE', () => {
  const plan = planOf(trigger('orders_check', 'orders', `CREATE TRIGGER orders_check BEFORE INSERT ON orders FOR EACH ROW BEGIN
    DECLARE msg VARCHAR(100) DEFAULT 'total must not be negative';
    IF NEW.is_paid = 1 AND NEW.total < 0 THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = msg; END IF;
    SET NEW.is_paid = IF(NEW.total > 100, 1, 0);
  END`));
  const sql = plan.steps.find((s) => s.key.startsWith('trigger:'))!.sql[0];
  assert.match(sql, /\(\(NEW\."is_paid"\)::int = 1\)/);
  assert.match(sql, /RAISE EXCEPTION USING ERRCODE = '45000', MESSAGE = "msg";/);
  assert.match(sql, /"msg" varchar\(100\) := 'total must not be negative';/);
  assert.match(sql, /NEW\."is_paid" := \(CASE WHEN \(NEW\."total" > 100\) THEN 1 ELSE 0 END <> 0\);/);
});

test('the grammar nests operators without precedence: they are regrouped as MySQL reads them', () => {
  const plan = planOf(trigger('t', 'products', 'CREATE TRIGGER t BEFORE UPDATE ON products FOR EACH ROW SET NEW.stock = 1 + 2 * 3 - NEW.stock, NEW.sku = IF(NEW.stock = 1 OR NEW.stock = 2 AND NEW.sku IS NULL, CONCAT(\'a\', NEW.stock), NEW.sku)'));
  const sql = plan.steps.find((s) => s.key.startsWith('trigger:'))!.sql[0];
  assert.match(sql, /NEW\."stock" := \(\(1 \+ \(2 \* 3\)\) - NEW\."stock"\);/);
  assert.match(sql, /WHEN \(\(NEW\."stock" = 1\) OR \(\(NEW\."stock" = 2\) AND \(NEW\."sku" IS NULL\)\)\)/);
  assert.match(sql, /\(\('a'\)::text \|\| \(NEW\."stock"\)::text\)/);
});

test('what cannot be translated stays a note naming the construct', () => {
  const plan = planOf(
    trigger('handler', 'products', 'CREATE TRIGGER handler BEFORE UPDATE ON products FOR EACH ROW BEGIN DECLARE CONTINUE HANDLER FOR SQLEXCEPTION SET NEW.stock = 0; SET NEW.stock = 1; END'),
    trigger('uservar', 'products', 'CREATE TRIGGER uservar AFTER UPDATE ON products FOR EACH ROW SET @changed = 1'),
    trigger('func', 'products', 'CREATE TRIGGER func BEFORE INSERT ON products FOR EACH ROW SET NEW.sku = MD5(NEW.sku)'),
    trigger('stale', 'orders', "CREATE TRIGGER stale AFTER INSERT ON orders FOR EACH ROW UPDATE products SET stock = stock - 1, sku = CONCAT(sku, stock) WHERE id = NEW.id"),
    trigger('ident', 'orders', "CREATE TRIGGER ident BEFORE INSERT ON orders FOR EACH ROW SET NEW.status = CONCAT('order ', NEW.id)"),
  );
  const why = (name: string) => plan.notes.find((n) => n.kind === 'not-migrated' && n.what === `trigger ${name} not migrated`)?.why ?? '';
  assert.match(why('handler'), /^DECLARE CONTINUE HANDLER FOR SQLEXCEPTION \(DECLARE CONTINUE HANDLER/);
  assert.match(why('uservar'), /user variable @changed/);
  assert.match(why('func'), /function MD5/);
  assert.match(why('stale'), /reads stock after assigning it/);
  assert.match(why('ident'), /AUTO_INCREMENT column in a BEFORE INSERT trigger/);
  assert.ok(!plan.steps.some((s) => s.phase === 'triggers'));
});

test('loops and labels translate in trigger bodies too: they share the routines\' statement translator', () => {
  const plan = planOf(trigger('loops', 'products', 'CREATE TRIGGER loops BEFORE UPDATE ON products FOR EACH ROW body: BEGIN DECLARE i INT DEFAULT 0; w: WHILE i < 3 DO SET i = i + 1; IF i = 2 THEN LEAVE body; END IF; END WHILE w; SET NEW.stock = i; END body'));
  const sql = plan.steps.find((s) => s.key.startsWith('trigger:'))!.sql[0];
  assert.match(sql, /<<"w">>\n\s*WHILE \("i" < 3\) LOOP/);
  assert.match(sql, /EXIT "body";/);
  assert.match(sql, /END "body";\n  RETURN NEW;/);
});

test("several triggers on one event are named so that Postgres's order is MySQL's, and the note says so", () => {
  const plan = planOf(
    trigger('zeta_first', 'products', 'CREATE TRIGGER zeta_first BEFORE UPDATE ON products FOR EACH ROW SET NEW.stock = NEW.stock + 1', 1),
    trigger('alpha_second', 'products', 'CREATE TRIGGER alpha_second BEFORE UPDATE ON products FOR EACH ROW FOLLOWS zeta_first SET NEW.stock = NEW.stock * 2', 2),
  );
  const names = plan.steps.filter((s) => s.phase === 'triggers').map((s) => /CREATE TRIGGER "([^"]+)"/.exec(s.sql[1])![1]);
  assert.deepEqual(names.sort(), ['01_zeta_first', '02_alpha_second']);
  assert.ok(plan.notes.some((n) => n.kind === 'routine' && /fire in MySQL's order: zeta_first, alpha_second/.test(n.what) && /01_zeta_first, 02_alpha_second/.test(n.why)));
});

test('--routines skip and a plan without the parsers list triggers as not migrated', () => {
  const t = trigger('t', 'products', 'CREATE TRIGGER t BEFORE UPDATE ON products FOR EACH ROW SET NEW.stock = 1');
  const skipped = planMigration(catalog([products], { otherObjects: [t] }), { schema: 'shop', routines: 'skip', routineParsers: parsers });
  assert.match(skipped.notes.find((n) => n.kind === 'not-migrated')!.why, /--routines skip/);
  assert.ok(!skipped.steps.some((s) => s.phase === 'triggers'));
  const schemaOnly = planMigration(catalog([products], { otherObjects: [t] }), { schema: 'shop', schemaOnly: true, routineParsers: parsers });
  assert.ok(!schemaOnly.steps.some((s) => s.phase === 'triggers'));
  assert.ok(schemaOnly.notes.some((n) => /not created by --schema-only/.test(n.what)));
  const dataOnly = planMigration(catalog([products], { otherObjects: [t] }), { schema: 'shop', dataOnly: true, routineParsers: parsers });
  assert.ok(dataOnly.steps.some((s) => s.phase === 'triggers'));
});

test('subqueries, joins, INSERT ... SELECT and NULL-strict functions keep their MySQL meaning', () => {
  const plan = planOf(trigger('copy', 'orders', `CREATE TRIGGER copy AFTER UPDATE ON orders FOR EACH ROW BEGIN
    INSERT INTO order_items (product_id, quantity) SELECT p.id, GREATEST(p.stock, NEW.id) FROM products AS p LEFT JOIN order_items i ON i.product_id = p.id WHERE p.sku IN ('a', 'b') AND EXISTS (SELECT 1 FROM products WHERE products.id = i.product_id);
    UPDATE products SET stock = (SELECT COUNT(*) FROM order_items WHERE order_items.product_id = products.id) WHERE sku LIKE 'x%';
  END`));
  const sql = plan.steps.find((s) => s.key.startsWith('trigger:'))!.sql[0];
  assert.match(sql, /INSERT INTO "shop"\."order_items" \("product_id", "quantity"\) SELECT "p"\."id", CASE WHEN "p"\."stock" IS NULL OR NEW\."id" IS NULL THEN NULL ELSE greatest\("p"\."stock", NEW\."id"\) END FROM "shop"\."products" AS "p" LEFT JOIN "shop"\."order_items" AS "i" ON/);
  assert.match(sql, /\(EXISTS \(SELECT 1 FROM "shop"\."products" WHERE \("products"\."id" = "i"\."product_id"\)\)\)/);
  assert.match(sql, /SET "stock" = \(SELECT count\(\*\) FROM "shop"\."order_items" WHERE \("order_items"\."product_id" = "products"\."id"\)\)/);
});

test("the MySQL grammar's blind spots are named: INSERT ... SET col = f(x) after another statement", () => {
  const plan = planOf(trigger('audit', 'products', "CREATE TRIGGER audit AFTER DELETE ON products FOR EACH ROW BEGIN INSERT INTO order_items SET quantity = 1; INSERT INTO order_items (quantity) VALUES (ABS(OLD.stock)); END"));
  assert.match(plan.notes.find((n) => n.kind === 'not-migrated')!.why, /^the MySQL parser does not read it \(line 1:\d+: /);
});

test('a BEFORE INSERT trigger that can refuse the row says ids may drift from MySQL\'s; one that cannot says nothing of it', () => {
  const refusing = planOf(trigger('items_check', 'order_items', "CREATE TRIGGER `items_check` BEFORE INSERT ON `order_items` FOR EACH ROW\nBEGIN\n  IF NEW.`quantity` <= 0 THEN\n    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'quantity must be positive';\n  END IF;\nEND"));
  const note = refusing.notes.find((n) => n.kind === 'routine' && n.what.startsWith('trigger items_check'));
  assert.match(note!.why, /an insert this trigger refuses still takes the next id on Postgres/);
  const setting = planOf(trigger('items_default', 'order_items', 'CREATE TRIGGER `items_default` BEFORE INSERT ON `order_items` FOR EACH ROW SET NEW.`quantity` = IFNULL(NEW.`quantity`, 1)'));
  assert.ok(!setting.notes.some((n) => /still takes the next/.test(n.why)));
});
