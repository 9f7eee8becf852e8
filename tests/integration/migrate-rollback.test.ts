// migrate status and migrate rollback on the sample shop: seed -> migrate db -> migrate files -> rollback
// restores the URL columns byte for byte, leaves the bucket and the database as they were before, and
// refuses to drop what the app has written to since.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { writeSampleUploads } from '../../scripts/sample-uploads.js';
import { SAMPLE_SQL_PATH, seedLegacyDatabase } from '../../scripts/seed-mysql.js';
import { MARKETHUB_URL_COLUMNS } from '../../src/migrate/files/config.js';
import { runCli } from '../helpers/cli.js';
import { freshMysql, freshPostgres, MYSQL_ADMIN_URL, type MysqlDatabase, type PostgresDatabase } from '../helpers/databases.js';
import { listKeys, S3_ENV, startTestS3, type TestS3 } from '../helpers/s3.js';

let s3: TestS3;
let source: MysqlDatabase;
let uploads: string;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  s3 = await startTestS3();
  source = await freshMysql('rollback');
  await seedLegacyDatabase(MYSQL_ADMIN_URL, source.name);
  uploads = await mkdtemp(path.join(os.tmpdir(), 'mh-rollback-uploads-'));
  await writeSampleUploads(await readFile(SAMPLE_SQL_PATH, 'utf8'), uploads);
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  await source?.drop();
  await s3?.stop();
  await rm(uploads, { recursive: true, force: true });
});

/** Every URL column, by table, key and column, exactly as stored. */
async function urlColumns(target: PostgresDatabase): Promise<string[]> {
  const values: string[] = [];
  for (const c of MARKETHUB_URL_COLUMNS) {
    const { rows } = await target.client.query(`SELECT id, "${c.column}" AS v FROM "${c.table}" ORDER BY id`);
    for (const r of rows) values.push(`${c.table}.${c.column}[${r.id}]=${JSON.stringify(r.v)}`);
  }
  return values;
}

async function publicObjects(target: PostgresDatabase): Promise<string[]> {
  const { rows } = await target.client.query<{ o: string }>(
    `SELECT c.relkind::text || ':' || c.relname AS o FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'm', 'S')
     UNION ALL SELECT 'f:' || p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
     ORDER BY 1`,
  );
  return rows.map((r) => r.o);
}

async function migrated(label: string): Promise<{ target: PostgresDatabase; bucket: string; cli: (args: string[]) => ReturnType<typeof runCli> }> {
  const target = await freshPostgres(label);
  cleanups.push(() => target.drop());
  const bucket = await s3.freshBucket(label);
  const cli = (args: string[]) => runCli([...args, '--target', target.url], { env: S3_ENV });
  return { target, bucket, cli };
}

async function migrate(m: { bucket: string; cli: (args: string[]) => ReturnType<typeof runCli> }) {
  const db = await m.cli(['migrate', 'db', '--source', source.url, '--json']);
  assert.equal(db.code, 0, db.stderr);
}

async function migrateFiles(m: { bucket: string; cli: (args: string[]) => ReturnType<typeof runCli> }) {
  const files = await m.cli(['migrate', 'files', '--uploads', uploads, '--bucket', m.bucket, '--cdn-base', 'https://cdn.example.com', '--endpoint', s3.endpoint, '--json']);
  assert.equal(files.code, 0, files.stderr + files.stdout.slice(0, 2000));
}

describe('a full rollback', () => {
  test('puts URLs, bucket and database back exactly as they were; a second rollback is a no-op', async () => {
    const m = await migrated('rollback_full');
    // Objects and tables that were there before markethub: rollback must leave them.
    await m.target.client.query('CREATE TABLE public.keep_me (id int PRIMARY KEY, note text); INSERT INTO public.keep_me VALUES (1, \'mine\')');
    const same = await readFile(path.join(uploads, 'product-images', 'p1-0.jpg'));
    await s3.client.send(new PutObjectCommand({ Bucket: m.bucket, Key: 'products/p1-0.jpg', Body: same }));
    await s3.client.send(new PutObjectCommand({ Bucket: m.bucket, Key: 'vendor/unrelated.txt', Body: 'not ours' }));
    const objectsBefore = await publicObjects(m.target);
    await migrate(m);
    const urlsBefore = await urlColumns(m.target);
    await migrateFiles(m);
    assert.notDeepEqual(await urlColumns(m.target), urlsBefore);

    const status = await m.cli(['migrate', 'status', '--json']);
    assert.equal(status.code, 0, status.stderr);
    const s = JSON.parse(status.stdout);
    assert.deepEqual(s.databases[0].phases.map((p: { state: string }) => p.state), ['done', 'done', 'done', 'done', 'done', 'done', 'done', 'done']);
    assert.deepEqual(s.databases[0].phases.find((p: { phase: string }) => p.phase === 'routines'), { phase: 'routines', done: 2, planned: 2, noted: 0, state: 'done' }, "the sample's function and procedure are created");
    assert.deepEqual(s.databases[0].phases.find((p: { phase: string }) => p.phase === 'triggers'), { phase: 'triggers', done: 2, planned: 2, noted: 0, state: 'done' }, "the sample's two triggers are created");
    assert.deepEqual(s.databases[0].phases.find((p: { phase: string }) => p.phase === 'views'), { phase: 'views', done: 2, planned: 2, noted: 0, state: 'done' }, "the sample's two views are created");
    assert.deepEqual(s.databases[0].phases.find((p: { phase: string }) => p.phase === 'events'), { phase: 'events', done: 2, planned: 2, noted: 0, state: 'done' }, "the sample's two events are created");
    const objects = s.databases[0].objects as { what: string; created: boolean }[];
    assert.deepEqual(objects.map((o) => o.what).sort(), [
      'create event coupons_expire', 'create event purge_expired_sessions', 'create function product_rating', 'create procedure close_stale_tickets',
      'create trigger order_items_after_insert on order_items', 'create trigger orders_before_update on orders',
      'create view active_products', 'create view vendor_sales_summary',
    ], 'status lists the database logic migrate db created');
    assert.ok(objects.every((o) => o.created), JSON.stringify(objects));
    assert.equal(s.files[0].uploaded, 155);
    assert.equal(s.files[0].preExisting, 1);
    assert.ok(s.urls.reduce((n: number, u: { rewritten: number }) => n + u.rewritten, 0) > 150);
    assert.deepEqual(s.runs.map((r: { command: string; outcome: string }) => `${r.command}:${r.outcome}`), ['migrate db:success', 'migrate files:success']);
    const text = await m.cli(['migrate', 'status']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /rows copied/);
    assert.match(text.stdout, /database logic\s+state\n[\s\S]*create trigger orders_before_update on orders\s+created/);
    assert.match(text.stdout, /uploaded\s+pre-existing/);
    assert.match(text.stdout, /Last verify: never run/);

    const unconfirmed = await m.cli(['migrate', 'rollback']);
    assert.equal(unconfirmed.code, 2);
    assert.match(unconfirmed.stderr, /^markethub: rollback would restore \d+ URL values, delete 155 uploaded objects, drop \d+ tables created by migrate db; pass --yes to confirm\n$/);

    const dry = await m.cli(['migrate', 'rollback', '--dry-run', '--json']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.equal(JSON.parse(dry.stdout).files.deleted, 155);
    assert.equal((await listKeys(s3.client, m.bucket)).length, 157, 'a dry run deletes nothing');

    const urlsOnly = await m.cli(['migrate', 'rollback', '--urls', '--yes']);
    assert.equal(urlsOnly.code, 0, urlsOnly.stderr);
    assert.deepEqual(await urlColumns(m.target), urlsBefore, 'every URL byte for byte as before');

    const staged = await m.cli(['cutover', 'set', '30']);
    assert.equal(staged.code, 0, staged.stderr);
    const rest = await m.cli(['migrate', 'rollback', '--yes', '--json']);
    assert.equal(rest.code, 0, rest.stderr);
    assert.equal(JSON.parse(rest.stdout).cutoverReset, true);
    const cutover = JSON.parse((await m.cli(['cutover', 'status', '--json'])).stdout);
    assert.equal(cutover.state.percentage, 0, 'traffic is back on legacy');
    assert.equal(cutover.changes[0].changedBy, 'migrate rollback');
    assert.deepEqual(await listKeys(s3.client, m.bucket), ['products/p1-0.jpg', 'vendor/unrelated.txt']);
    assert.deepEqual(await publicObjects(m.target), objectsBefore);
    const { rows } = await m.target.client.query('SELECT note FROM public.keep_me');
    assert.deepEqual(rows, [{ note: 'mine' }]);

    const again = await m.cli(['migrate', 'rollback', '--yes', '--json']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(JSON.parse(again.stdout).outcome, 'nothing-to-do');
  });
});

describe('after the app wrote to the target', () => {
  test('a URL the app changed is left and reported; tables it wrote to are not dropped without --force', async () => {
    const m = await migrated('rollback_conflict');
    await migrate(m);
    await migrateFiles(m);
    await m.target.client.query(`UPDATE users SET avatar = 'https://avatars.example/new.png' WHERE id = 1`);
    await m.target.client.query(`INSERT INTO search_terms (term, hits) SELECT 'lamp ' || g, 1 FROM generate_series(1, 3) g`);

    const refused = await m.cli(['migrate', 'rollback', '--yes']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /the app has written to migrated tables since the migration: .*users \(1 rows inserted or updated since the migration\)/);
    assert.match(refused.stderr, /search_terms \(3 rows more than the migration copied\)/);
    assert.match(refused.stderr, /Pass --force/);
    assert.equal((await m.target.client.query(`SELECT count(*)::int AS n FROM markethub_migrate.url_rewrites WHERE undone_at IS NOT NULL`)).rows[0].n, 0, 'refused before changing anything');

    const partial = await m.cli(['migrate', 'rollback', '--urls', '--files', '--yes', '--json']);
    assert.equal(partial.code, 0, partial.stderr);
    const report = JSON.parse(partial.stdout);
    assert.deepEqual(report.urls.conflicts.map((c: { table: string; key: object; now: string }) => [c.table, c.key, c.now]), [['users', { id: 1 }, 'https://avatars.example/new.png']]);
    const { rows } = await m.target.client.query(`SELECT id::int, avatar FROM users WHERE id IN (1, 2) ORDER BY id`);
    assert.deepEqual(rows, [{ id: 1, avatar: 'https://avatars.example/new.png' }, { id: 2, avatar: '/uploads/user-avatars/u2.png' }]);
    assert.deepEqual(await listKeys(s3.client, m.bucket), []);

    const db = await m.cli(['migrate', 'rollback', '--db', '--yes']);
    assert.equal(db.code, 1);
    const forced = await m.cli(['migrate', 'rollback', '--db', '--yes', '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.deepEqual(await publicObjects(m.target), []);
  });
});
