// `migrate verify` checks the database logic migrate db created, as the ledger recorded it: a view, a
// translated trigger and the ON UPDATE CURRENT_TIMESTAMP trigger are found as created, and each later
// change to them (a redefined view, a rewritten function, a disabled or dropped trigger) is a schema problem.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { freshMysql, freshPostgres, type MysqlDatabase, type PostgresDatabase } from '../helpers/databases.js';

let source: MysqlDatabase;
let target: PostgresDatabase;

interface VerifyJson {
  ok: boolean;
  schemaProblems: { table: string; what: string }[];
}

async function verify(): Promise<{ code: number | null; report: VerifyJson }> {
  const run = await runCli(['migrate', 'verify', '--source', source.url, '--target', target.url, '--json']);
  assert.ok(run.stdout, run.stderr);
  return { code: run.code, report: JSON.parse(run.stdout) as VerifyJson };
}

beforeAll(async () => {
  source = await freshMysql('verify_objects');
  target = await freshPostgres('verify_objects');
  await source.conn.query(`
    CREATE TABLE products (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40) NOT NULL, stock INT NOT NULL DEFAULT 0,
      updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP);
    CREATE TABLE sales (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, product_id INT NOT NULL, quantity INT NOT NULL);
    INSERT INTO products (name, stock) VALUES ('tee', 10), ('mug', 0);
    CREATE VIEW in_stock AS SELECT id, name FROM products WHERE stock > 0;
    CREATE TRIGGER sales_after_insert AFTER INSERT ON sales FOR EACH ROW UPDATE products SET stock = stock - NEW.quantity WHERE id = NEW.product_id;
  `);
  const migrated = await runCli(['migrate', 'db', '--source', source.url, '--target', target.url, '--json']);
  assert.equal(migrated.code, 0, migrated.stderr);
}, 120_000);

afterAll(async () => {
  await source?.drop();
  await target?.drop();
});

test('the view and triggers migrate db created are verified as created', async () => {
  const { code, report } = await verify();
  assert.deepEqual(report.schemaProblems, []);
  assert.equal(report.ok, true);
  assert.equal(code, 0);
});

test('a redefined view, a rewritten trigger function, a disabled and a dropped trigger are each named', async () => {
  await target.client.query(`
    CREATE OR REPLACE VIEW public.in_stock AS SELECT id, name FROM public.products WHERE stock >= 0;
    CREATE OR REPLACE FUNCTION public.sales_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
    ALTER TABLE public.sales DISABLE TRIGGER sales_after_insert;
    DROP TRIGGER products_on_update_current_timestamp ON public.products;
  `);
  const { code, report } = await verify();
  const problems = report.schemaProblems.map((p) => p.what).sort();
  assert.deepEqual(problems, [
    'function public.sales_after_insert differs from the definition migrate db created',
    'trigger products_on_update_current_timestamp on public.products missing',
    'trigger sales_after_insert on public.sales is disabled',
    'view public.in_stock differs from the definition migrate db created',
  ]);
  assert.equal(report.ok, false);
  assert.equal(code, 4);
});
