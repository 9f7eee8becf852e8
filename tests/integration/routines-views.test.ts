// Translated views show what MySQL's show: the same tables and views on MariaDB (the sample shop's two views
// among them, read back from information_schema as MariaDB normalises them), `migrate db`, then every view
// read on both sides and the rows compared. Views the translation cannot keep exact are refused by name.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from 'vitest';
import type { MigrationReport } from '../../src/report/model.js';
import { sampleStatements } from '../helpers/sql-file.js';
import type { MysqlDatabase, PostgresDatabase } from '../helpers/databases.js';
import { migratedFixture } from '../helpers/logic-fixture.js';

// DATETIME values come back from mysql2 as local times, timestamptz from pg as instants: both read in UTC.
process.env.TZ = 'UTC';

let source: MysqlDatabase;
let target: PostgresDatabase;
let report: MigrationReport;

/** The sample's columns the sample views read, with the sample's types. */
const SCHEMA = [
  `CREATE TABLE vendors (id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, name VARCHAR(150) NOT NULL, slug VARCHAR(160) NOT NULL,
     commission_rate DECIMAL(5,4) NOT NULL DEFAULT 0.1500, created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, UNIQUE KEY vendors_slug_unique (slug)) ENGINE=InnoDB`,
  `CREATE TABLE products (id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, vendor_id INT UNSIGNED NOT NULL, category_id INT UNSIGNED DEFAULT NULL,
     sku VARCHAR(64) NOT NULL, name VARCHAR(255) NOT NULL, slug VARCHAR(255) NOT NULL, price DECIMAL(10,2) NOT NULL DEFAULT 0.00,
     compare_at_price DECIMAL(10,2) DEFAULT NULL, currency CHAR(3) NOT NULL DEFAULT 'EUR', stock MEDIUMINT NOT NULL DEFAULT 0,
     is_featured TINYINT(1) NOT NULL DEFAULT 0, is_published TINYINT(1) NOT NULL DEFAULT 1, average_rating DOUBLE DEFAULT NULL,
     note VARCHAR(40) NULL, code_num VARCHAR(10) NULL, release_code VARCHAR(20) NULL, released_on DATE NULL,
     deleted_at DATETIME DEFAULT NULL, created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
     UNIQUE KEY products_sku_unique (sku), UNIQUE KEY products_slug_unique (slug)) ENGINE=InnoDB`,
  `CREATE TABLE orders (id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
     status ENUM('pending','paid','shipped','delivered','cancelled','refunded') NOT NULL DEFAULT 'pending', total DECIMAL(12,2) NOT NULL DEFAULT 0.00,
     paid_at DATETIME(3) DEFAULT NULL, created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP) ENGINE=InnoDB`,
  `CREATE TABLE order_items (id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, order_id INT UNSIGNED NOT NULL, product_id INT UNSIGNED DEFAULT NULL,
     product_name VARCHAR(255) NOT NULL, quantity SMALLINT UNSIGNED NOT NULL DEFAULT 1, unit_price_cents INT UNSIGNED NOT NULL,
     total_cents BIGINT UNSIGNED GENERATED ALWAYS AS (quantity * unit_price_cents) STORED) ENGINE=InnoDB`,
  `INSERT INTO vendors (id, name, slug, commission_rate, created_at) VALUES
     (1, 'Acme', 'acme', 0.1500, '2023-05-01 08:00:00'), (2, 'globex', 'globex', 0.2000, '2023-06-15 12:30:00'),
     (3, 'Initech', 'initech', 0.1000, '2024-02-29 23:59:59'), (4, 'Umbrella', 'umbrella', 0.0500, '2022-01-01 00:00:00')`,
  `INSERT INTO products (id, vendor_id, category_id, sku, name, slug, price, compare_at_price, currency, stock, is_featured, is_published, average_rating, note, code_num, release_code, released_on, deleted_at, created_at) VALUES
     (1, 1, 1, 'TEE-1', 'Tee', 'tee', 12.50, 15.00, 'EUR', 10, 1, 1, 4.5, 'cotton', '42', '05/03/2024', '2024-01-31', NULL, '2024-01-31 10:15:30'),
     (2, 1, 1, 'MUG-1', 'Mug', 'mug', 7.00, NULL, 'EUR', 0, 0, 1, NULL, NULL, '7', NULL, '2023-12-31', NULL, '2024-02-29 23:59:59'),
     (3, 1, NULL, 'CAP-1', 'Cap', 'cap', 15.00, NULL, 'USD', 5, 0, 0, 3.25, 'wool', NULL, '12/11/2023', NULL, NULL, '2023-12-01 00:00:00'),
     (4, 2, 2, 'BAG-1', 'bag', 'bag', 29.99, 35.00, 'EUR', 2, 1, 1, 4.5, NULL, '0', '01/01/2025', '2025-01-01', NULL, '2023-07-04 16:05:09'),
     (5, 2, 2, 'OLD-1', 'Old', 'old', 1.00, NULL, 'EUR', 0, 0, 1, 2, 'gone', NULL, NULL, NULL, '2024-03-01 09:00:00', '2020-02-29 06:07:08'),
     (6, 3, NULL, 'PEN-1', 'Pen', 'pen', 0.99, NULL, 'EUR', 100, 0, 1, NULL, NULL, '-3', NULL, '2024-06-30', NULL, '2024-06-30 18:45:00')`,
  `INSERT INTO orders (id, status, total, paid_at, created_at) VALUES
     (1, 'paid', 32.00, '2024-03-01 10:00:00.123', '2024-03-01 09:59:00'), (2, 'pending', 15.00, NULL, '2024-03-02 11:00:00'),
     (3, 'delivered', 59.98, '2024-03-03 12:00:00.5', '2024-03-03 11:00:00'), (4, 'cancelled', 7.00, NULL, '2024-03-04 13:00:00')`,
  `INSERT INTO order_items (id, order_id, product_id, product_name, quantity, unit_price_cents) VALUES
     (1, 1, 1, 'Tee', 2, 1250), (2, 1, 2, 'Mug', 1, 700), (3, 2, 3, 'Cap', 1, 1500), (4, 3, 4, 'Bag', 2, 2999),
     (5, 3, 1, 'Tee', 1, 1250), (6, 4, 2, 'Mug', 1, 700), (7, 3, NULL, 'Deleted thing', 3, 100)`,
];

/** Views of our own, each exercising constructs of a real shop's reporting views. */
const CORPUS: Record<string, string> = {
  group_concat_forms: `SELECT vendor_id, GROUP_CONCAT(sku ORDER BY sku DESC SEPARATOR '|') AS skus, GROUP_CONCAT(DISTINCT currency) AS currencies,
      GROUP_CONCAT(DISTINCT stock ORDER BY stock) AS stocks, GROUP_CONCAT(sku, ':', note ORDER BY id) AS notes, GROUP_CONCAT(note ORDER BY note) AS plain,
      GROUP_CONCAT(DISTINCT price) AS prices, GROUP_CONCAT(DISTINCT released_on ORDER BY released_on DESC) AS releases
    FROM products GROUP BY vendor_id`,
  conditional_functions: `SELECT id, IF(stock > 0, 'in stock', 'sold out') AS availability, IFNULL(compare_at_price, price) AS shown_price,
      ISNULL(deleted_at) AS live, COALESCE(note, code_num, 'none') AS first_of, CONCAT(sku, '/', note) AS sku_note, CONCAT('n=', stock, ' p=', price) AS label,
      IF(is_featured, price, 0) AS featured_price
    FROM products`,
  date_functions: `SELECT id, DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s') AS iso, DATE_FORMAT(created_at, '%b %e, %Y %h:%i %p') AS us,
      DATE_FORMAT(created_at, '%M %c/%d/%y %T') AS long_form, DATE_FORMAT(released_on, 'week of %d.%m.%Y') AS released_text,
      DATE_ADD(released_on, INTERVAL 1 MONTH) AS next_month, DATE_SUB(created_at, INTERVAL 2 DAY) AS two_days_before,
      created_at + INTERVAL 90 MINUTE AS later, LAST_DAY(created_at) AS month_end, LAST_DAY(released_on) AS released_month_end,
      STR_TO_DATE(release_code, '%d/%m/%Y') AS release_date, UNIX_TIMESTAMP('2024-01-02 03:04:05') AS fixed_epoch,
      YEAR(created_at) AS y, MONTH(created_at) AS m, DATEDIFF('2024-12-31', created_at) AS days_left
    FROM products`,
  times_as_text: `SELECT o.id, CONCAT('placed ', o.created_at) AS placed, CONCAT(o.paid_at, '') AS paid, GROUP_CONCAT(p.released_on ORDER BY p.released_on SEPARATOR ' ') AS releases
    FROM orders o JOIN order_items oi ON oi.order_id = o.id LEFT JOIN products p ON p.id = oi.product_id GROUP BY o.id`,
  string_functions: `SELECT id, SUBSTRING(sku, 2, 3) AS middle, SUBSTRING(sku FROM 3) AS tail, LEFT(name, 2) AS head, RIGHT(sku, 1) AS last_char,
      LEFT(sku, -1) AS none, SUBSTRING(sku, 1, -2) AS nothing, REPLACE(sku, '-', '_') AS snake, UPPER(name) AS shout, CHAR_LENGTH(name) AS len
    FROM products`,
  casts: `SELECT id, CAST(price AS CHAR) AS price_text, CAST(price AS SIGNED) AS price_whole, CAST(stock AS DECIMAL(10,3)) AS stock_exact,
      CAST(created_at AS DATE) AS created_day, CONVERT(sku, CHAR(3)) AS sku_head, CAST('5' AS UNSIGNED) AS five, CAST(average_rating AS SIGNED) AS rating_whole,
      CAST('2024-05-06 07:08:09' AS DATETIME) AS fixed_time
    FROM products`,
  boolean_columns: `SELECT id, is_published, is_featured, is_published = 1 AS published_flag, NOT is_featured AS plain FROM products WHERE is_published = 1 AND is_featured <> -1`,
  grouped_by_primary_key: `SELECT v.id, v.name, v.created_at, COUNT(p.id) AS products, SUM(p.stock) AS stock FROM vendors v LEFT JOIN products p ON p.vendor_id = v.id GROUP BY v.id`,
  grouped_by_unique_key: `SELECT p.sku, p.name, p.price, SUM(oi.quantity) AS sold FROM products p JOIN order_items oi ON oi.product_id = p.id GROUP BY p.sku HAVING SUM(oi.quantity) > 1`,
  limit_offset_comma: `SELECT id, sku, price FROM products ORDER BY price DESC, id LIMIT 1, 3`,
  limit_offset_keyword: `SELECT id, name FROM vendors ORDER BY id LIMIT 2 OFFSET 1`,
  union_ordered: `SELECT sku AS label, price AS amount FROM products WHERE price > 10 UNION SELECT name, commission_rate FROM vendors ORDER BY amount DESC LIMIT 5`,
  union_all_nulls: `SELECT note AS v FROM products UNION ALL SELECT NULL UNION ALL SELECT name FROM vendors ORDER BY 1 LIMIT 4`,
  derived_table: `SELECT v.name, d.n, d.total, d.vendor_id FROM (SELECT vendor_id, COUNT(*) AS n, SUM(price) AS total FROM products GROUP BY vendor_id HAVING COUNT(*) >= 1) d JOIN vendors v ON v.id = d.vendor_id`,
  comma_and_cross_joins: `SELECT v.name AS vendor, o.id AS order_id, p.sku FROM vendors v, orders o CROSS JOIN products p WHERE p.vendor_id = v.id AND o.id <= 2 AND v.id = 1`,
  parenthesised_join: `SELECT p.id, o.status FROM products p LEFT JOIN (order_items oi JOIN orders o ON o.id = oi.order_id AND o.status <> 'cancelled') ON oi.product_id = p.id`,
  division: `SELECT id, price / 3 AS third, stock / 0 AS by_zero, 10 / 4 AS literal, price DIV 2 AS whole, stock MOD 0 AS mod_zero, average_rating / 2 AS rating_half, stock * 1.5 / 7 AS scaled FROM products`,
  averages: `SELECT vendor_id, AVG(price) AS avg_price, AVG(stock) AS avg_stock, AVG(average_rating) AS avg_rating, SUM(price) / COUNT(*) AS manual FROM products GROUP BY vendor_id`,
  null_ordering: `SELECT id, average_rating FROM products ORDER BY average_rating, id LIMIT 3`,
  null_ordering_desc: `SELECT id, note FROM products ORDER BY note DESC, id LIMIT 5`,
  implicit_casts: `SELECT id, '5' + 1 AS five_plus, code_num + 1 AS code_plus, stock = '5' AS stock_is_five, price > '10' AS pricey, '3 apples' * 2 AS apples FROM products WHERE code_num IS NOT NULL`,
  distinct_pairs: `SELECT DISTINCT vendor_id, currency FROM products`,
  distinct_ordered_by_alias: `SELECT DISTINCT currency AS c, is_published AS pub FROM products ORDER BY c, pub DESC LIMIT 2`,
  grouped_boolean: `SELECT is_published, COUNT(*) AS n, MAX(is_featured) AS any_featured FROM products GROUP BY is_published ORDER BY is_published`,
  aliases_in_clauses: `SELECT vendor_id AS v, COUNT(*) AS n, SUM(stock) AS s FROM products GROUP BY v HAVING n > 1 ORDER BY s DESC`,
  subqueries_and_case: `SELECT p.id, (SELECT COUNT(*) FROM order_items oi WHERE oi.product_id = p.id) AS line_count,
      CASE WHEN p.stock = 0 THEN 'none' WHEN p.stock < 5 THEN 'low' ELSE 'ok' END AS level,
      EXISTS (SELECT 1 FROM order_items oi WHERE oi.product_id = p.id) AS ordered
    FROM products p WHERE p.vendor_id IN (SELECT id FROM vendors WHERE commission_rate >= 0.1)`,
  union_mixed_types: `SELECT id AS k, sku AS v FROM products WHERE id < 3 UNION SELECT name, id FROM vendors WHERE id < 3`,
  today_relative: `SELECT id, created_at < NOW() AS in_past, released_on <= CURDATE() + INTERVAL 100 YEAR AS before_2100 FROM products`,
  view_on_view: `SELECT vendor_name, revenue, order_count FROM vendor_sales_summary WHERE revenue > 0`,
  view_on_views: `SELECT d.name, d.total, s.skus_sold FROM derived_table d JOIN vendor_sales_summary s ON s.vendor_id = d.vendor_id`,
};

/** Views the translation refuses, and the construct the reason must name. */
const REFUSED: Record<string, { sql: string; why: RegExp }> = {
  distinct_concat_other_order: { sql: 'SELECT vendor_id, GROUP_CONCAT(DISTINCT sku ORDER BY price) AS s FROM products GROUP BY vendor_id', why: /GROUP_CONCAT\(DISTINCT x ORDER BY y\)/ },
  arbitrary_group_column: { sql: 'SELECT vendor_id, sku FROM products GROUP BY vendor_id', why: /sku, neither grouped nor aggregated/ },
  week_number_format: { sql: "SELECT id, DATE_FORMAT(created_at, '%U') AS w FROM products", why: /date format specifier %U/ },
};

/** Values as comparable text: numbers as written (a decimal keeps its scale), booleans as MySQL's 0/1, times in ISO. */
function normalise(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return value;
}

async function rows(side: 'mysql' | 'postgres', view: string): Promise<{ columns: string[]; rows: string[] }> {
  let raw: Record<string, unknown>[];
  if (side === 'mysql') {
    [raw] = (await source.conn.query(`SELECT * FROM \`${view}\``)) as unknown as [Record<string, unknown>[]];
  } else {
    ({ rows: raw } = await target.client.query(`SELECT * FROM "${view}"`));
  }
  const columns = raw.length ? Object.keys(raw[0]) : [];
  // Sorted here rather than by ORDER BY: MySQL and Postgres order text by different collations.
  return { columns, rows: raw.map((r) => JSON.stringify(Object.values(r).map(normalise))).sort() };
}

beforeAll(async () => {
  ({ source, target, report } = await migratedFixture('views', [
    ...SCHEMA, ...(await sampleStatements('VIEW', ['active_products', 'vendor_sales_summary'])),
    ...[...Object.entries(CORPUS), ...Object.entries(REFUSED).map(([n, r]) => [n, r.sql] as const)].map(([name, sql]) => `CREATE VIEW \`${name}\` AS ${sql}`),
  ]));
}, 120_000);

afterAll(async () => {
  await source?.drop();
  await target?.drop();
});

const translated = ['active_products', 'vendor_sales_summary', ...Object.keys(CORPUS)];

test('every view but the refused ones is translated and named in the report', () => {
  assert.equal(report.outcome, 'success');
  const notMigrated = report.notes.filter((n) => n.kind === 'not-migrated');
  assert.deepEqual(notMigrated.map((n) => n.what).sort(), Object.keys(REFUSED).map((n) => `view ${n} not migrated`).sort());
  const notes = report.notes.filter((n) => n.kind === 'routine' && n.what.startsWith('view '));
  assert.deepEqual(notes.map((n) => n.what.split(' ')[1]).sort(), [...translated].sort());
  const summary = notes.find((n) => n.what.startsWith('view vendor_sales_summary '))!;
  assert.match(summary.why, /group_concat_max_len/);
  assert.match(notes.find((n) => n.what.startsWith('view view_on_views '))!.why, /created after (derived_table, vendor_sales_summary|vendor_sales_summary, derived_table)/);
});

test('a refused view names the construct that stopped it', () => {
  for (const [name, { why }] of Object.entries(REFUSED)) {
    const note = report.notes.find((n) => n.what === `view ${name} not migrated`);
    assert.ok(note, name);
    assert.match(note.why, why, name);
  }
});

test('every translated view shows the same columns and rows as on MySQL', async () => {
  for (const view of translated) {
    const [mysql, postgres] = await Promise.all([rows('mysql', view), rows('postgres', view)]);
    assert.deepEqual(postgres.columns, mysql.columns, view);
    assert.ok(mysql.rows.length > 0, `${view} has rows to compare`);
    assert.deepEqual(postgres.rows, mysql.rows, view);
  }
});

test("the sample's vendor_sales_summary lists the SKUs sold, once each, in order", async () => {
  const { rows: got } = await target.client.query('SELECT vendor_id, skus_sold, revenue FROM vendor_sales_summary ORDER BY vendor_id');
  assert.deepEqual(got.map((r) => [Number(r.vendor_id), r.skus_sold, r.revenue]), [[1, 'MUG-1, TEE-1', '44.5000'], [2, 'BAG-1', '59.9800'], [3, null, '0.0000'], [4, null, '0.0000']]);
});
