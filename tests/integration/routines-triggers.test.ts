// Translated triggers behave as MySQL's: the same tables and triggers on MariaDB, `migrate db`, then the
// same INSERT / UPDATE / DELETE sequence on both sides, and every table's rows compared. A SIGNAL must be
// an error with the same SQLSTATE and message on both.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from 'vitest';
import type { MigrationReport } from '../../src/report/model.js';
import { runCli } from '../helpers/cli.js';
import { sampleStatements } from '../helpers/sql-file.js';
import type { MysqlDatabase, PostgresDatabase } from '../helpers/databases.js';
import { migratedFixture, probeValue } from '../helpers/logic-fixture.js';

let source: MysqlDatabase;
let target: PostgresDatabase;
let report: MigrationReport;

const TABLES = ['products', 'orders', 'order_items', 'audit_log', 'accounts', 'invoices', 'counters'];

const SCHEMA = [
  `CREATE TABLE products (id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, sku VARCHAR(40) NOT NULL, name VARCHAR(100) NULL,
     price DECIMAL(10,2) NOT NULL DEFAULT 0, stock INT NOT NULL DEFAULT 0, is_published TINYINT(1) NOT NULL DEFAULT 0, note VARCHAR(100) NULL) ENGINE=InnoDB`,
  `CREATE TABLE orders (id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
     status ENUM('pending','paid','shipped','delivered','cancelled') NOT NULL DEFAULT 'pending', total DECIMAL(12,2) NOT NULL DEFAULT 0,
     paid_at DATETIME(3) NULL, shipped_at DATETIME NULL, updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP) ENGINE=InnoDB`,
  `CREATE TABLE order_items (id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, order_id INT UNSIGNED NOT NULL, product_id INT UNSIGNED NOT NULL,
     quantity INT NOT NULL, unit_price DECIMAL(10,2) NULL, line_total DECIMAL(12,2) NULL) ENGINE=InnoDB`,
  `CREATE TABLE audit_log (id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, table_name VARCHAR(40) NOT NULL, row_id INT NULL, action VARCHAR(10) NOT NULL, detail VARCHAR(255) NULL) ENGINE=InnoDB`,
  `CREATE TABLE accounts (id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, email VARCHAR(120) NOT NULL, balance DECIMAL(10,2) NOT NULL DEFAULT 0,
     is_active TINYINT(1) NOT NULL DEFAULT 0, updates INT NOT NULL DEFAULT 0, tier VARCHAR(10) NULL) ENGINE=InnoDB`,
  `CREATE TABLE invoices (id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, customer VARCHAR(40) NOT NULL, amount DECIMAL(10,2) NOT NULL, items INT NOT NULL DEFAULT 1,
     tax DECIMAL(10,2) NULL, total DECIMAL(10,2) NULL, per_item DECIMAL(10,4) NULL, label VARCHAR(80) NULL) ENGINE=InnoDB`,
  'CREATE TABLE counters (id INT UNSIGNED NOT NULL PRIMARY KEY, v INT NOT NULL, trail VARCHAR(20) NULL) ENGINE=InnoDB',
  // Rows that exist before the triggers, as in a dump: the copy must not fire them.
  `INSERT INTO products (id, sku, name, price, stock, is_published, note) VALUES
     (1, 'TEE-1', 'Tee', 12.50, 10, 1, NULL), (2, 'MUG-1', NULL, 7.00, 5, 1, 'fragile'), (3, 'CAP-1', 'Cap', 15.00, 20, 0, NULL)`,
  "INSERT INTO orders (id, status, total) VALUES (1, 'pending', 25.00)",
  'INSERT INTO order_items (id, order_id, product_id, quantity, unit_price, line_total) VALUES (1, 1, 1, 2, 12.50, 25.00)',
  "INSERT INTO accounts (id, email, balance, is_active) VALUES (1, 'old@example.com', 10.00, 1)",
];

/** Realistic triggers beside the sample's two: stock keeping, audit rows, computed columns, validation, firing order. */
const CORPUS = [
  `CREATE TRIGGER order_items_before_insert BEFORE INSERT ON order_items FOR EACH ROW
   BEGIN
     DECLARE v_price DECIMAL(10,2) DEFAULT -1;
     DECLARE v_stock INT;
     IF NEW.quantity <= 0 THEN
       SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'quantity must be positive';
     END IF;
     SELECT price, stock INTO v_price, v_stock FROM products WHERE id = NEW.product_id;
     IF v_stock IS NOT NULL AND v_stock < NEW.quantity THEN
       SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'not enough stock';
     END IF;
     SET NEW.unit_price = v_price;
     SET NEW.line_total = NEW.quantity * v_price;
   END`,
  `CREATE TRIGGER order_items_after_update AFTER UPDATE ON order_items FOR EACH ROW
   BEGIN
     IF NEW.product_id = OLD.product_id THEN
       UPDATE products SET stock = stock - (NEW.quantity - OLD.quantity) WHERE id = NEW.product_id;
     ELSE
       UPDATE products SET stock = stock + OLD.quantity WHERE id = OLD.product_id;
       UPDATE products SET stock = stock - NEW.quantity WHERE id = NEW.product_id;
     END IF;
   END`,
  'CREATE TRIGGER order_items_after_delete AFTER DELETE ON order_items FOR EACH ROW UPDATE products SET stock = stock + OLD.quantity WHERE id = OLD.product_id',
  `CREATE TRIGGER products_before_update BEFORE UPDATE ON products FOR EACH ROW
   BEGIN
     IF NEW.stock <= 0 AND OLD.is_published = 1 THEN
       SET NEW.is_published = 0;
     END IF;
   END`,
  `CREATE TRIGGER products_after_update AFTER UPDATE ON products FOR EACH ROW
   BEGIN
     IF NOT (OLD.stock <=> NEW.stock) THEN
       INSERT INTO audit_log (table_name, row_id, action, detail) VALUES ('products', NEW.id, 'stock', CONCAT(OLD.stock, ' -> ', NEW.stock, IF(NEW.is_published, '', ' (unpublished)')));
     END IF;
     IF NEW.note <> OLD.note OR (NEW.note IS NULL) <> (OLD.note IS NULL) THEN
       INSERT INTO audit_log (table_name, row_id, action, detail) VALUES ('products', NEW.id, 'note', CONCAT('note: ', NEW.note));
     END IF;
   END`,
  `CREATE TRIGGER products_after_delete AFTER DELETE ON products FOR EACH ROW
   BEGIN
     INSERT INTO audit_log (table_name, row_id, action, detail) VALUES ('products', OLD.id, 'deleted', CONCAT_WS(',', OLD.sku, OLD.name, OLD.note));
     INSERT INTO audit_log SET table_name = 'products', row_id = OLD.id, action = 'delete';
   END`,
  // A one-statement body the grammar alone would end early (INSERT INTO t | SET ...).
  "CREATE TRIGGER invoices_after_insert AFTER INSERT ON invoices FOR EACH ROW INSERT INTO audit_log SET table_name = 'invoices', row_id = NEW.id, action = 'insert'",
  `CREATE TRIGGER orders_after_update AFTER UPDATE ON orders FOR EACH ROW
   BEGIN
     IF NEW.status = 'cancelled' AND OLD.status <> 'cancelled' THEN
       DELETE FROM order_items WHERE order_id = NEW.id;
       INSERT INTO audit_log (table_name, row_id, action, detail) VALUES ('orders', NEW.id, 'cancel', IF(OLD.total > 100, 'big order', NULL));
     END IF;
   END`,
  // A local variable named like a column: MySQL reads the variable where the name stands alone.
  `CREATE TRIGGER accounts_before_insert BEFORE INSERT ON accounts FOR EACH ROW
   BEGIN
     DECLARE email VARCHAR(120) DEFAULT LOWER(TRIM(NEW.email));
     DECLARE n INT DEFAULT 0;
     IF email NOT LIKE '%_@_%' THEN
       SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'invalid email';
     END IF;
     SELECT COUNT(*) INTO n FROM accounts WHERE accounts.email = email;
     IF n > 0 THEN
       SIGNAL SQLSTATE '23000' SET MESSAGE_TEXT = 'email already registered';
     END IF;
     SET NEW.email = email;
     SET NEW.is_active = NEW.balance > 0;
     SET NEW.tier = CASE WHEN NEW.balance >= 1000 THEN 'gold' WHEN NEW.balance >= 100 THEN 'silver' ELSE NULL END;
   END`,
  `CREATE TRIGGER accounts_before_update BEFORE UPDATE ON accounts FOR EACH ROW
   BEGIN
     DECLARE msg VARCHAR(80) DEFAULT 'active accounts cannot go negative';
     IF NEW.balance < 0 AND OLD.is_active = 1 THEN
       SIGNAL SQLSTATE '45001' SET MESSAGE_TEXT = msg, MYSQL_ERRNO = 1644;
     ELSEIF NEW.balance = 0 THEN
       SET NEW.is_active = 0;
     ELSEIF NEW.balance > 0 AND NOT OLD.is_active THEN
       SET NEW.is_active = TRUE;
     END IF;
     SET NEW.updates = OLD.updates + 1;
     SET NEW.tier = IF(NEW.balance >= 1000, 'gold', IFNULL(OLD.tier, 'basic'));
   END`,
  `CREATE TRIGGER invoices_before_insert BEFORE INSERT ON invoices FOR EACH ROW
   BEGIN
     SET NEW.tax = ROUND(NEW.amount * 0.2, 2);
     SET NEW.total = NEW.amount + NEW.tax;
     SET NEW.per_item = NEW.amount / NEW.items;
     SET NEW.label = CONCAT(UPPER(NEW.customer), '-', NEW.items, 'x');
     IF NEW.items > 10 THEN
       SET NEW.label = CONCAT(NEW.label, ' bulk');
     END IF;
   END`,
  // Four BEFORE INSERT triggers whose names sort in another order than MySQL fires them.
  "CREATE TRIGGER zz_first BEFORE INSERT ON counters FOR EACH ROW SET NEW.v = NEW.v + 1, NEW.trail = CONCAT(IFNULL(NEW.trail, ''), 'a')",
  "CREATE TRIGGER aa_second BEFORE INSERT ON counters FOR EACH ROW FOLLOWS zz_first SET NEW.v = NEW.v * 10, NEW.trail = CONCAT(NEW.trail, 'b')",
  "CREATE TRIGGER mm_third BEFORE INSERT ON counters FOR EACH ROW FOLLOWS aa_second SET NEW.trail = CONCAT(NEW.trail, 'c')",
  "CREATE TRIGGER bb_zero BEFORE INSERT ON counters FOR EACH ROW PRECEDES zz_first SET NEW.trail = IF(NEW.trail IS NULL, NULL, 'z')",
];

/** The same statements for both sides; ERR marks those a trigger must refuse. */
const SEQUENCE: string[] = [
  'INSERT INTO orders (id, total) VALUES (10, 50.00)',
  'INSERT INTO order_items (id, order_id, product_id, quantity) VALUES (100, 10, 1, 2)',
  'INSERT INTO order_items (id, order_id, product_id, quantity) VALUES (101, 10, 2, 1)',
  // No such product: SELECT ... INTO finds no row and the variables keep their values.
  'INSERT INTO order_items (id, order_id, product_id, quantity) VALUES (102, 10, 99, 1)',
  'ERR INSERT INTO order_items (id, order_id, product_id, quantity) VALUES (103, 10, 1, 0)',
  'ERR INSERT INTO order_items (id, order_id, product_id, quantity) VALUES (104, 10, 3, 500)',
  'UPDATE order_items SET quantity = 5 WHERE id = 100',
  'UPDATE order_items SET product_id = 3 WHERE id = 101',
  'DELETE FROM order_items WHERE id = 102',
  "UPDATE orders SET status = 'paid' WHERE id = 10",
  "UPDATE orders SET status = 'shipped' WHERE id = 10",
  "UPDATE orders SET status = 'delivered' WHERE id = 1",
  "UPDATE products SET note = 'restocked' WHERE id = 2",
  'UPDATE products SET note = NULL WHERE id = 2',
  'UPDATE products SET stock = 0 WHERE id = 1',
  'INSERT INTO orders (id, total) VALUES (11, 150.00)',
  'INSERT INTO order_items (id, order_id, product_id, quantity) VALUES (105, 11, 2, 3)',
  'INSERT INTO order_items (id, order_id, product_id, quantity) VALUES (106, 11, 3, 4)',
  "UPDATE orders SET status = 'cancelled' WHERE id = 11",
  "INSERT INTO accounts (id, email, balance) VALUES (10, '  Ann@Example.COM ', 150.00)",
  "ERR INSERT INTO accounts (id, email, balance) VALUES (11, 'not-an-email', 0)",
  "ERR INSERT INTO accounts (id, email, balance) VALUES (12, 'ann@example.com', 5)",
  "INSERT INTO accounts (id, email, balance) VALUES (13, 'bob@example.com', 0)",
  'ERR UPDATE accounts SET balance = -5 WHERE id = 10',
  'UPDATE accounts SET balance = 0 WHERE id = 10',
  'UPDATE accounts SET balance = 2000 WHERE id = 13',
  'UPDATE accounts SET balance = -1 WHERE id = 10',
  'UPDATE accounts SET balance = 20 WHERE id = 1',
  'INSERT INTO counters (id, v) VALUES (1, 4)',
  "INSERT INTO counters (id, v, trail) VALUES (2, 0, 'x')",
  "INSERT INTO invoices (id, customer, amount, items) VALUES (1, 'acme', 100.00, 3)",
  "INSERT INTO invoices (id, customer, amount, items) VALUES (2, 'globex', 19.99, 12)",
  'DELETE FROM products WHERE id = 3',
  // Rows the triggers did not write keep auto-increment ids in step on both sides.
  "INSERT INTO products (sku, price, stock) VALUES ('NEW-1', 3.00, 1)",
];

interface Outcome {
  statement: string;
  error: { sqlstate: string; message: string } | null;
}

async function mysqlRows(table: string): Promise<unknown[]> {
  const [rows] = await source.conn.query(`SELECT * FROM \`${table}\` ORDER BY id`);
  return (rows as Record<string, unknown>[]).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, probeValue(v)])));
}

async function postgresRows(table: string): Promise<unknown[]> {
  const { rows } = await target.client.query(`SELECT * FROM "${table}" ORDER BY id`);
  return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, probeValue(v)])));
}

beforeAll(async () => {
  ({ source, target, report } = await migratedFixture('routines', [...SCHEMA, ...(await sampleStatements('TRIGGER', ['order_items_after_insert', 'orders_before_update'])), ...CORPUS]));
});

afterAll(async () => {
  await source?.drop();
  await target?.drop();
});

test('every trigger is translated, named in the report, and created after the copy', async () => {
  assert.equal(report.outcome, 'success');
  assert.deepEqual(report.notes.filter((n) => n.kind === 'not-migrated').map((n) => `${n.what}: ${n.why}`), []);
  const translated = report.notes.filter((n) => n.kind === 'routine' && n.what.startsWith('trigger ')).map((n) => n.what.split(' ')[1]);
  assert.equal(translated.length, 17);
  assert.ok(translated.includes('order_items_after_insert') && translated.includes('orders_before_update'));
  assert.ok(report.phases.findIndex((p) => p.name === 'triggers') > report.phases.findIndex((p) => p.name === 'data'));
  // The copy fired nothing: stock and audit are as MySQL had them.
  assert.deepEqual(await postgresRows('products'), await mysqlRows('products'));
  assert.deepEqual(await postgresRows('audit_log'), []);
  // MySQL's firing order, kept by the names.
  const order = report.notes.find((n) => n.kind === 'routine' && n.what.startsWith('BEFORE INSERT triggers on counters'))!;
  assert.match(order.what, /fire in MySQL's order: bb_zero, zz_first, aa_second, mm_third/);
  const { rows } = await target.client.query("SELECT tgname FROM pg_trigger WHERE tgrelid = 'public.counters'::regclass AND NOT tgisinternal ORDER BY tgname");
  assert.deepEqual(rows.map((r) => r.tgname), ['01_bb_zero', '02_zz_first', '03_aa_second', '04_mm_third']);
  const created = await target.client.query("SELECT count(*)::int AS n FROM markethub_migrate.created_objects WHERE kind = 'function'");
  assert.equal(created.rows[0].n, 17 + 1, 'the trigger functions and the ON UPDATE CURRENT_TIMESTAMP one are in the ledger');
});

test('the same statements leave the same rows in every table, and SIGNAL fails the same way on both', async () => {
  const run = async (side: 'mysql' | 'postgres'): Promise<Outcome[]> => {
    const outcomes: Outcome[] = [];
    for (const line of SEQUENCE) {
      const statement = line.replace(/^ERR /, '');
      try {
        if (side === 'mysql') await source.conn.query(statement);
        else await target.client.query(statement);
        outcomes.push({ statement, error: null });
      } catch (error) {
        const e = error as { sqlState?: string; code?: string; message: string };
        outcomes.push({ statement, error: { sqlstate: side === 'mysql' ? e.sqlState! : e.code!, message: e.message } });
      }
    }
    return outcomes;
  };
  const mysqlOutcomes = await run('mysql');
  const postgresOutcomes = await run('postgres');
  assert.deepEqual(postgresOutcomes, mysqlOutcomes);
  // Each ERR statement failed, with the message its SIGNAL set; the others did not.
  SEQUENCE.forEach((line, i) => assert.equal(mysqlOutcomes[i].error !== null, line.startsWith('ERR '), `${line}: ${JSON.stringify(mysqlOutcomes[i].error)}`));
  assert.deepEqual(mysqlOutcomes.filter((o) => o.error).map((o) => `${o.error!.sqlstate} ${o.error!.message}`), [
    '45000 quantity must be positive', '45000 not enough stock', '45000 invalid email', '23000 email already registered', '45001 active accounts cannot go negative',
  ]);
  for (const table of TABLES) assert.deepEqual(await postgresRows(table), await mysqlRows(table), table);

  // A few values checked outright, so equal rows cannot mean equally wrong rows.
  const products = await postgresRows('products');
  assert.deepEqual(products.map((p) => (p as { stock: number; is_published: number }).is_published * 100 + (p as { stock: number }).stock), [0, 105, 1]);
  const counters = await postgresRows('counters');
  assert.deepEqual(counters, [{ id: 1, v: 50, trail: 'abc' }, { id: 2, v: 10, trail: 'zabc' }]);
  const { rows: [shipped] } = await target.client.query('SELECT shipped_at, paid_at FROM orders WHERE id = 10');
  assert.ok(Math.abs(shipped.shipped_at.getTime() - Date.now()) < 10 * 60_000 && shipped.paid_at instanceof Date);
});

test('--dry-run lists the translations and their DDL; --fresh drops the trigger functions with the tables', async () => {
  const dry = await runCli(['migrate', 'db', '--source', source.url, '--target', target.url, '--schema', 'other', '--dry-run', '--json']);
  assert.equal(dry.code, 0, dry.stderr);
  const plan = JSON.parse(dry.stdout) as MigrationReport;
  assert.ok(plan.ddl!.some((sql) => /^CREATE TRIGGER "order_items_after_insert" AFTER INSERT ON "other"\."order_items"/.test(sql)));
  assert.ok(plan.notes.some((n) => n.kind === 'routine' && n.what.startsWith('trigger orders_before_update ->')));
  const text = await runCli(['migrate', 'db', '--source', source.url, '--target', target.url, '--schema', 'other', '--dry-run']);
  assert.match(text.stdout, /\[routine\] orders: trigger orders_before_update -> PL\/pgSQL function orders_before_update\(\)/);

  const again = await runCli(['migrate', 'db', '--source', source.url, '--target', target.url, '--fresh', '--json']);
  assert.equal(again.code, 0, again.stderr);
  const second = JSON.parse(again.stdout) as MigrationReport;
  assert.deepEqual(second.notes.filter((n) => n.kind === 'not-migrated'), []);
  const { rows } = await target.client.query("SELECT count(*)::int AS n FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public' AND p.prorettype = 'trigger'::regtype");
  assert.equal(rows[0].n, 18);
  for (const table of TABLES) assert.deepEqual(await postgresRows(table), await mysqlRows(table), `${table} after --fresh`);
});
