// Every fidelity promise of `migrate db`, against the real MariaDB and Postgres.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from 'vitest';
import type { MigrationReport } from '../../src/report/model.js';
import { runCli } from '../helpers/cli.js';
import { freshMysql, freshPostgres, type MysqlDatabase, type PostgresDatabase } from '../helpers/databases.js';
import { loadSqlFile } from '../helpers/sql-file.js';

let source: MysqlDatabase;
let target: PostgresDatabase;
let report: MigrationReport;

async function one<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T> {
  const { rows } = await target.client.query(sql, params);
  return rows[0] as T;
}

async function columnType(table: string, column: string): Promise<{ type: string; nullable: boolean; default: string | null }> {
  return one(
    `SELECT format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable, pg_get_expr(d.adbin, d.adrelid) AS default
       FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE a.attrelid = $1::regclass AND a.attname = $2`,
    [`public."${table}"`, column],
  );
}

beforeAll(async () => {
  source = await freshMysql('fidelity');
  target = await freshPostgres('fidelity');
  await loadSqlFile(source.conn, 'tests/integration/fixtures/odd-values.sql');
  const result = await runCli(['migrate', 'db', '--source', source.url, '--target', target.url, '--json']);
  assert.equal(result.code, 0, result.stderr);
  report = JSON.parse(result.stdout);
  await target.client.query("SET TIME ZONE 'UTC'");
});

afterAll(async () => {
  await source?.drop();
  await target?.drop();
});

test('every row of every table arrives', async () => {
  const expected: Record<string, number> = { users: 3, order: 3, numbers: 4, texts: 3, latin: 3, categories: 3, addresses: 1, owners: 1, wishlists: 2, wishlist_notes: 1, reviews: 2, items: 2, product_tags: 2, impossible_dates: 2 };
  for (const [table, rows] of Object.entries(expected)) {
    const { count } = await one<{ count: string }>(`SELECT count(*) FROM public."${table}"`);
    assert.equal(Number(count), rows, table);
    const entry = report.tables.find((t) => t.name === table)!;
    assert.equal(entry.rowsRead, rows, `${table} rows read`);
    assert.equal(entry.rowsWritten, rows, `${table} rows written`);
  }
  assert.equal(report.outcome, 'success');
});

test('integer, numeric, float, bit, time and year types and values', async () => {
  const types = Object.fromEntries(await Promise.all(['ti', 'tu', 'su', 'mu', 'iu', 'bs', 'bu', 'd', 'f', 'dbl', 'y', 'flag', 'mask', 'dur', 'tod'].map(async (c) => [c, (await columnType('numbers', c)).type])));
  assert.deepEqual(types, {
    ti: 'smallint', tu: 'smallint', su: 'integer', mu: 'integer', iu: 'bigint', bs: 'bigint', bu: 'numeric(20,0)', d: 'numeric(65,30)',
    f: 'real', dbl: 'double precision', y: 'smallint', flag: 'boolean', mask: 'bit varying(5)', dur: 'interval', tod: 'time(3) without time zone',
  });
  const row = await one(`SELECT ti, tu, su, mu, iu, bs::text, bu::text, d::text, f::text, dbl::text, y, flag, mask::text, dur::text, tod::text FROM numbers WHERE id = 1`);
  assert.deepEqual(row, {
    ti: -128, tu: 255, su: 65535, mu: 16777215, iu: '4294967295', bs: '-9223372036854775808', bu: '18446744073709551615',
    d: '12345678901234567890123456789.123456789012345678901234567891', f: '0.1', dbl: '1e-300', y: 2024, flag: false, mask: '10011', dur: '838:59:59', tod: '23:59:59.999',
  });
  const second = await one(`SELECT dur::text, dbl::text, mask::text FROM numbers WHERE id = 2`);
  assert.deepEqual(second, { dur: '-12:30:00', dbl: '1.7976931348623157e+308', mask: '00000' });
  // FLOAT keeps every bit, not the 6 digits MySQL prints: compare as the same single-precision value.
  const pi = await one('SELECT f = 3.1415927::real AS same, f::float8::text AS exact FROM numbers WHERE id = 4');
  assert.deepEqual(pi, { same: true, exact: '3.1415927410125732' });
  assert.equal((await columnType('numbers', 'flag')).default, 'true');
  assert.equal((await columnType('numbers', 'mask')).default, "'00101'::\"bit\"");
});

test('tinyint(1) is boolean only where every value is 0/1, and enum/set keep their domain', async () => {
  assert.equal((await columnType('users', 'is_active')).type, 'boolean');
  assert.equal((await columnType('users', 'level')).type, 'smallint');
  assert.deepEqual((await target.client.query('SELECT is_active, level, role, perms FROM users ORDER BY id')).rows, [
    { is_active: true, level: 2, role: 'admin', perms: ['read', 'write'] },
    { is_active: false, level: null, role: '', perms: [] },
    { is_active: true, level: -1, role: 'customer', perms: ['admin'] },
  ]);
  await assert.rejects(target.client.query("UPDATE users SET role = 'root' WHERE id = 3"), /check constraint/);
  await assert.rejects(target.client.query("UPDATE users SET perms = '{delete}' WHERE id = 3"), /check constraint/);
  assert.ok(report.notes.some((n) => n.table === 'users' && n.column === 'level' && /not boolean/.test(n.what)));
  assert.ok(report.notes.some((n) => n.table === 'users' && n.column === 'role' && /''/.test(n.what)));
});

test('zero and partial dates become NULL, each listed by table, key and column; NOT NULL relaxed with a note', async () => {
  const rows = (await target.client.query('SELECT id, born::text, left_at FROM users ORDER BY id')).rows;
  assert.deepEqual(rows.map((r) => r.born), [null, null, '1990-05-17']);
  assert.equal(rows[0].left_at, null);
  assert.equal((await columnType('users', 'born')).nullable, true);
  assert.equal((await columnType('users', 'email')).nullable, false);
  assert.ok(report.notes.some((n) => n.kind === 'nullability' && n.table === 'users' && n.column === 'born'));
  const changes = report.valueChanges.filter((v) => v.table === 'users').map((v) => `${v.column}@${v.key?.id}`).sort();
  assert.deepEqual(changes, ['born@1', 'born@2', 'left_at@1']);
  const ledger = await one<{ count: string }>("SELECT count(*) FROM markethub_migrate.value_changes WHERE table_name = 'users'");
  assert.equal(Number(ledger.count), 3);
});

test('impossible dates stored under ALLOW_INVALID_DATES become NULL and are listed', async () => {
  assert.deepEqual((await target.client.query('SELECT id, d::text, at::text FROM impossible_dates ORDER BY id')).rows, [
    { id: 1, d: null, at: null },
    { id: 2, d: '2024-02-29', at: '2023-02-28 23:59:59+00' },
  ]);
  assert.equal((await columnType('impossible_dates', 'd')).nullable, true);
  const listed = report.valueChanges.filter((v) => v.table === 'impossible_dates').map((v) => `${v.column}@${v.key?.id}: ${v.what}`).sort();
  assert.deepEqual(listed, ["at@1: '2024-06-31 10:00:00' -> NULL", "d@1: '2023-02-31' -> NULL"]);
});

test('datetime and timestamp keep their instant and fractional seconds', async () => {
  assert.equal((await columnType('users', 'created_at')).type, 'timestamp(3) with time zone');
  const row = await one("SELECT created_at::text FROM users WHERE id = 1");
  assert.equal(row.created_at, '2024-01-02 03:04:05.678+00');
  const wish = (await target.client.query('SELECT added_at::text FROM wishlists ORDER BY user_id')).rows.map((r) => r.added_at);
  assert.deepEqual(wish, ['2024-02-29 12:00:00.123456+00', '2024-03-01 00:00:00+00']);
});

test('text arrives exactly, minus NUL characters (reported); bytes, JSON and latin1 survive', async () => {
  const rows = (await target.client.query('SELECT id, body, code, raw, fixed, doc, tiny FROM texts ORDER BY id')).rows;
  assert.equal(rows[0].body, 'nulhere');
  assert.equal(rows[1].body, 'line1\nline2\r\nback\\slash "quoted" \'single\' 👍 \\N');
  assert.equal(rows[1].code, 'abcde');
  assert.deepEqual(rows[0].raw, Buffer.from('00FF0A0D5C09', 'hex'));
  assert.deepEqual(rows[1].raw, Buffer.alloc(0));
  assert.deepEqual(rows[0].fixed, Buffer.from('DEADBEEF', 'hex'));
  assert.deepEqual(rows[0].doc, { b: 1, a: [1, 2, { c: 'é' }] });
  assert.deepEqual(rows[1].doc, { nul: 'xy' });
  assert.equal(rows[0].tiny, 'tab\there');
  assert.deepEqual(rows[2], { id: 3, body: null, code: null, raw: null, fixed: null, doc: null, tiny: null });
  assert.deepEqual(report.valueChanges.filter((v) => v.table === 'texts').map((v) => `${v.column}@${v.key?.id}`).sort(), ['body@1', 'doc@2']);
  const latin = (await target.client.query('SELECT name, note FROM latin ORDER BY name, note')).rows;
  assert.deepEqual(latin, [{ name: 'Café crème', note: '€ 5' }, { name: 'Café crème', note: '€ 5' }, { name: 'Größe', note: null }]);
});

test('names are kept exactly, reserved words and case included, with comments', async () => {
  const row = await one('SELECT "select", total::text FROM public."order" WHERE id = 2');
  assert.deepEqual(row, { select: 'b', total: '99999999.99' });
  // utf8mb4_general_ci columns compare case-insensitively: citext, so the default is cast to it.
  assert.equal((await columnType('order', 'select')).default, "'it''s'::citext");
  assert.equal((await one<{ d: string }>(`SELECT obj_description('public.users'::regclass) AS d`)).d, 'shop users');
  assert.equal((await one<{ d: string }>(`SELECT col_description('public.users'::regclass, 7) AS d`)).d, 'mixed case name');
  assert.equal((await columnType('users', 'User')).type, 'citext');
});

test('all foreign keys exist with their actions: composite, self-referencing and circular', async () => {
  const fks = (await target.client.query(
    `SELECT conname, confdeltype, confupdtype, convalidated FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace ORDER BY conname`,
  )).rows;
  assert.deepEqual(fks, [
    { conname: 'fk_address_owner', confdeltype: 'r', confupdtype: 'r', convalidated: true },
    { conname: 'fk_cat_parent', confdeltype: 'n', confupdtype: 'r', convalidated: true },
    { conname: 'fk_note_wish', confdeltype: 'c', confupdtype: 'r', convalidated: true },
    { conname: 'fk_order_user', confdeltype: 'c', confupdtype: 'c', convalidated: true },
    { conname: 'fk_owner_address', confdeltype: 'r', confupdtype: 'r', convalidated: true },
    { conname: 'fk_tag_category', confdeltype: 'r', confupdtype: 'r', convalidated: false },
  ]);
  // A row that breaks its foreign key (loaded with checks off) is kept, and so is the key, for new rows.
  assert.ok(report.notes.some((n) => n.kind === 'constraint' && n.table === 'product_tags' && /foreign-key fk_tag_category on product_tags kept NOT VALID/.test(n.what)));
  await assert.rejects(target.client.query("INSERT INTO product_tags VALUES (3, 998, 'x')"), /violates foreign key constraint "fk_tag_category"/);
  await target.client.query('DELETE FROM users WHERE id = 1');
  assert.equal(Number((await one<{ count: string }>('SELECT count(*) FROM public."order" WHERE user_id = 1')).count), 0, 'ON DELETE CASCADE works');
});

test('primary, unique, prefix and full-text indexes, and CHECK constraints', async () => {
  const indexes = (await target.client.query(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname`)).rows;
  const byName = Object.fromEntries(indexes.map((i) => [i.indexname, i.indexdef]));
  assert.match(byName.wishlists_pkey, /\(user_id, product_id\)/);
  assert.match(byName.uq_email, /UNIQUE INDEX uq_email ON public\.users USING btree \(email\)/);
  assert.match(byName.uq_user_select, /UNIQUE INDEX uq_user_select ON public\."order" USING btree \(user_id, "select"\)/);
  assert.match(byName.idx_title_prefix, /\(title\)/);
  assert.match(byName.ft_review, /USING gin \(to_tsvector/);
  await assert.rejects(target.client.query("INSERT INTO reviews (rating, title) VALUES (9, 'x')"), /check constraint "rating"/);
  await assert.rejects(target.client.query("INSERT INTO reviews (rating, title) VALUES (3, '')"), /check constraint "chk_title"/);
});

test('AUTO_INCREMENT continues from the source counter, not max(id)+1', async () => {
  const { id } = await one<{ id: string }>("INSERT INTO users (email, born) VALUES ('new@example.com', '2000-01-01') RETURNING id");
  assert.equal(Number(id), 500);
  const order = await one<{ id: string }>(`INSERT INTO public."order" (user_id, "select") VALUES (3, 'z') RETURNING id`);
  assert.equal(Number(order.id), 8);
});

test('ON UPDATE CURRENT_TIMESTAMP becomes a trigger that behaves like MySQL', async () => {
  const before = await one<{ updated_at: Date }>('SELECT updated_at FROM users WHERE id = 3');
  await target.client.query("UPDATE users SET email = email WHERE id = 3");
  assert.deepEqual((await one<{ updated_at: Date }>('SELECT updated_at FROM users WHERE id = 3')).updated_at, before.updated_at, 'no change, no touch');
  await target.client.query("UPDATE users SET email = 'li2@example.com' WHERE id = 3");
  const after = await one<{ updated_at: Date }>('SELECT updated_at FROM users WHERE id = 3');
  assert.ok(after.updated_at.getTime() > Date.now() - 60_000);
  await target.client.query("UPDATE users SET email = 'li3@example.com', updated_at = '2001-01-01' WHERE id = 3");
  assert.equal((await one<{ u: string }>("SELECT updated_at::text AS u FROM users WHERE id = 3")).u, '2001-01-01 00:00:00+00', 'an explicit value wins');
});

test('generated columns: translated ones are STORED, others keep their values as plain columns', async () => {
  assert.deepEqual((await target.client.query('SELECT id, total_cents, made_year FROM items ORDER BY id')).rows, [
    { id: 1, total_cents: 750, made_year: 2024 },
    { id: 2, total_cents: 0, made_year: 1999 },
  ]);
  const generated = await one<{ g: string }>("SELECT attgenerated AS g FROM pg_attribute WHERE attrelid = 'public.items'::regclass AND attname = 'total_cents'");
  assert.equal(generated.g, 's');
  assert.ok(report.notes.some((n) => n.kind === 'generated' && n.column === 'made_year'));
});

test('views, triggers and procedures are translated', async () => {
  assert.deepEqual((await target.client.query('SELECT id, email FROM admin_users')).rows.map((r) => r.email), []);
  const notMigrated = report.notes.filter((n) => n.kind === 'not-migrated').map((n) => n.what);
  assert.ok(!notMigrated.some((w) => w.startsWith('trigger')), notMigrated.join());
  assert.ok(report.notes.some((n) => n.kind === 'routine' && n.what.startsWith('trigger reviews_touch -> PL/pgSQL function reviews_touch()')));
  // Created after the rows were copied, and doing what MySQL's does for new rows.
  const { rows } = await target.client.query("INSERT INTO reviews (rating, title) VALUES (3, '  Padded  ') RETURNING title");
  assert.equal(rows[0].title, 'Padded');
  await target.client.query("DELETE FROM reviews WHERE title = 'Padded'");
  // A procedure sending a result set is a function returning its rows, named as MySQL names the column.
  const recount = report.notes.find((n) => n.kind === 'routine' && n.what.startsWith('procedure recount -> PL/pgSQL function recount()'));
  assert.ok(recount, notMigrated.join());
  assert.match(recount.sql!, /SELECT COUNT\(\*\) FROM users/);
  const counted = await target.client.query('SELECT "COUNT(*)" AS n, (SELECT count(*) FROM users) AS users FROM recount()');
  assert.equal(Number(counted.rows[0].n), Number(counted.rows[0].users));
});

test('the report is in the ledger too', async () => {
  const run = await one<{ outcome: string; report: MigrationReport }>('SELECT outcome, report FROM markethub_migrate.runs ORDER BY id DESC LIMIT 1');
  assert.equal(run.outcome, 'success');
  assert.deepEqual(run.report.tables.map((t) => t.name).sort(), report.tables.map((t) => t.name).sort());
  assert.equal(run.report.valueChanges.length, report.valueChanges.length);
});
