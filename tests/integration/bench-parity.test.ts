// Generates the MarketHub-shaped benchmark database into a fresh MariaDB database, runs `migrate db` into a fresh
// Postgres database, and checks that every foreign key, NOT NULL, default and row made it across.
// MARKETHUB_BENCH_SCALE sets the size (default 0.02, ~30k rows; 1 is ~1.4M rows).
import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import { SHOP_TABLES, shopDatabaseSql, shopSize } from '../../scripts/bench/shop-generator.js';
import { freshMysql, freshPostgres, type MysqlDatabase, type PostgresDatabase } from '../helpers/databases.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import {
  compareDatabases,
  describeSource,
  describeTarget,
  sameDefault,
  sameForeignKeyAction,
  type ColumnDescription,
  type SchemaDescription,
} from '../helpers/compare.js';

const scale = Number(process.env.MARKETHUB_BENCH_SCALE ?? '0.02');

const BENCH_TABLES = [...SHOP_TABLES].sort();

let mysqlDb: MysqlDatabase | undefined;
let pgDb: PostgresDatabase | undefined;
let migration: CliResult | undefined;
let source: SchemaDescription;
let target: SchemaDescription;

beforeAll(async () => {
  assert.ok(Number.isFinite(scale) && scale > 0, `MARKETHUB_BENCH_SCALE must be a positive number, got ${process.env.MARKETHUB_BENCH_SCALE}`);
  mysqlDb = await freshMysql('bench_parity');
  pgDb = await freshPostgres('bench_parity');
  await mysqlDb.conn.query(shopDatabaseSql(scale));
  migration = await runCli(['migrate', 'db', '--source', mysqlDb.url, '--target', pgDb.url, '--json']);
  source = await describeSource(mysqlDb.url);
  target = await describeTarget(pgDb.url, 'public');
});

afterAll(async () => {
  await mysqlDb?.drop();
  await pgDb?.drop();
});

const columnKey = (c: { table: string; column: string }) => `${c.table}.${c.column}`;

function targetColumns(): Map<string, ColumnDescription> {
  return new Map(target.columns.map((c) => [columnKey(c), c]));
}

test('migrate db exits 0 and prints a JSON report', () => {
  assert.ok(migration, 'migration did not run');
  assert.equal(migration.code, 0, `migrate db failed (exit ${migration.code}):\n${migration.stderr}\n${migration.stdout.slice(0, 4000)}`);
  const report = JSON.parse(migration.stdout) as { outcome?: string };
  assert.equal(report.outcome, 'success');
});

test('every table exists in Postgres', () => {
  assert.deepEqual([...source.tables].sort(), BENCH_TABLES);
  assert.deepEqual(
    BENCH_TABLES.filter((t) => !target.tables.includes(t)),
    [],
  );
});

test('all 10 foreign keys exist with the same columns and actions', () => {
  assert.equal(source.foreignKeys.length, 10);
  const problems: string[] = [];
  for (const fk of source.foreignKeys) {
    const got = target.foreignKeys.find((t) => t.table === fk.table && t.name === fk.name);
    if (!got) {
      problems.push(`${fk.table}.${fk.name}: missing`);
      continue;
    }
    if (got.columns.join() !== fk.columns.join()) problems.push(`${fk.name}: columns ${got.columns} != ${fk.columns}`);
    if (got.referencedTable !== fk.referencedTable) problems.push(`${fk.name}: references ${got.referencedTable}, not ${fk.referencedTable}`);
    if (got.referencedColumns.join() !== fk.referencedColumns.join()) {
      problems.push(`${fk.name}: referenced columns ${got.referencedColumns} != ${fk.referencedColumns}`);
    }
    if (!sameForeignKeyAction(fk.onDelete, got.onDelete)) problems.push(`${fk.name}: ON DELETE ${got.onDelete}, MySQL has ${fk.onDelete}`);
    if (!sameForeignKeyAction(fk.onUpdate, got.onUpdate)) problems.push(`${fk.name}: ON UPDATE ${got.onUpdate}, MySQL has ${fk.onUpdate}`);
  }
  assert.deepEqual(problems, []);
  assert.equal(target.foreignKeys.length, source.foreignKeys.length, 'Postgres has foreign keys MySQL does not');
});

test('every NOT NULL column is NOT NULL in Postgres', () => {
  const columns = targetColumns();
  const problems = source.notNull
    .filter((c) => !columns.get(columnKey(c))?.notNull)
    .map((c) => `${columnKey(c)}: ${columns.has(columnKey(c)) ? 'nullable' : 'missing'}`);
  assert.deepEqual(problems, []);
});

test('every column default and auto-increment survived', () => {
  const columns = targetColumns();
  const problems: string[] = [];
  for (const col of source.columns) {
    const got = columns.get(columnKey(col));
    if (!got) {
      problems.push(`${columnKey(col)}: missing`);
      continue;
    }
    const ok = sameDefault({
      mysql: { dataType: col.dataType, columnType: col.type, defaultValue: col.defaultValue },
      postgres: { dataType: got.dataType, category: got.category, defaultValue: got.defaultValue },
    });
    if (!ok) problems.push(`${columnKey(col)}: default ${got.default ?? '(none)'} (${got.type}), MySQL has ${col.default ?? '(none)'} (${col.type})`);
    if (col.autoIncrement !== got.autoIncrement) {
      problems.push(`${columnKey(col)}: auto-increment ${col.autoIncrement ? 'lost' : 'added'} (default ${got.default ?? '(none)'})`);
    }
  }
  assert.deepEqual(problems, []);
  assert.ok(source.defaults.some((d) => d.value.kind === 'now'), 'the benchmark has CURRENT_TIMESTAMP defaults');
});

test('every row and value is equal on both sides', async () => {
  assert.ok(mysqlDb && pgDb);
  const result = await compareDatabases({ mysqlUrl: mysqlDb.url, postgresUrl: pgDb.url, schema: 'public' });
  assert.deepEqual(result.tables.map((t) => t.table).sort(), BENCH_TABLES);
  const size = shopSize(scale);
  const expectedRows: Record<string, number> = {
    users: size.users,
    vendors: size.vendors,
    categories: size.categories,
    products: size.products,
    product_images: size.products * size.imagesPerProduct,
    reviews: size.reviews,
    orders: size.orders,
    order_items: size.orders * size.itemsPerOrder,
  };
  const problems: string[] = [];
  for (const t of result.tables) {
    if (t.rowsMysql !== expectedRows[t.table]) problems.push(`${t.table}: ${t.rowsMysql} rows generated, the scale says ${expectedRows[t.table]}`);
    if (t.rowsMysql !== t.rowsPostgres) problems.push(`${t.table}: ${t.rowsMysql} rows in MySQL, ${t.rowsPostgres} in Postgres`);
    if (t.mismatchedRows > 0) {
      problems.push(`${t.table}: ${t.mismatchedRows} mismatching rows, e.g. ${JSON.stringify(t.mismatches.slice(0, 3))}`);
    }
    for (const e of t.errors) problems.push(`${t.table}: ${e}`);
  }
  assert.deepEqual(problems, []);
  // The benchmark has no zero dates and no NUL characters.
  assert.equal(result.expectedDifferences, 0);
  assert.ok(result.ok);
});
