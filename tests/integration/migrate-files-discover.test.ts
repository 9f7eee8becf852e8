// migrate files with no --config on a schema shaped like the legacy seed's own (product_images.image_url,
// users.profile_image, journals.cover_image, vendors.logo, a jsonb and a json document, a text array, HTML):
// the URL columns are found from the data, every reference is rewritten exactly, rollback restores
// every column byte for byte, and a value the app changed since is a conflict.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, test } from 'vitest';
import type { FilesReport } from '../../src/report/model.js';
import { runCli } from '../helpers/cli.js';
import { freshPostgres, type PostgresDatabase } from '../helpers/databases.js';
import { listKeys, S3_ENV, startTestS3, type TestS3 } from '../helpers/s3.js';

const CDN = 'https://cdn.example.test';
const BIG_ROWS = 210_000;
const SPARSE_ROW = 1_000;

const FILES = [
  'product-images/p1-1.jpg', 'product-images/p2 copy.JPG', 'product-images/p21-1 (1).jpg',
  'user-avatars/u1.png', 'user-avatars/u9.gif',
  'journal-images/j1.webp', 'journal-images/j1-inline.png',
  'vendor-assets/v1/logo.png', 'vendor-assets/v1/a.jpg', 'vendor-assets/v1/b.jpg', 'vendor-assets/v1/banner.jpg',
];

const SCHEMA = `
  CREATE TABLE product_images (id int PRIMARY KEY, product_id int NOT NULL, image_url varchar(255));
  INSERT INTO product_images VALUES
    (1, 1, '/uploads/product-images/p1-1.jpg'),
    (2, 1, 'uploads/product-images/p2 copy.JPG'),
    (3, 2, '/uploads/product-images/p21-1%20(1).jpg'),
    (4, 2, NULL);
  CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL, profile_image varchar(255));
  INSERT INTO users VALUES
    (1, 'a@example.test', '/uploads/user-avatars/u1.png'),
    (2, 'b@example.test', '/uploads/user-avatars/u9.gif?v=3'),
    (3, 'c@example.test', 'https://www.gravatar.com/avatar/205e460b?d=identicon'),
    (4, 'd@example.test', NULL);
  CREATE TABLE journals (id int PRIMARY KEY, title text, cover_image varchar(255), body text);
  INSERT INTO journals VALUES
    (1, 'Spring', '/uploads/journal-images/j1.webp', E'<p>New in.</p>\\n<p><img src="/uploads/journal-images/j1-inline.png" alt="inline"></p>'),
    (2, 'Plain', NULL, 'no pictures here, just the word uploads/ in passing');
  CREATE TABLE vendors (id int PRIMARY KEY, name text, logo varchar(255), media jsonb, settings json);
  INSERT INTO vendors VALUES
    (1, 'Atelier', '/uploads/vendor-assets/v1/logo.png',
     '{"gallery": ["/uploads/vendor-assets/v1/a.jpg", "/uploads/vendor-assets/v1/b.jpg"], "big": 123456789012345678901234567890, "title": "Ünïcode \\"quoted\\"", "banner": {"src": "uploads/vendor-assets/v1/banner.jpg"}, "/uploads/vendor-assets/v1/a.jpg": "a key stays a key"}',
     '{ "img" :  "/uploads/vendor-assets/v1/logo.png",
        "price": 1.50, "html": "<img src=\\"/uploads/vendor-assets/v1/a.jpg\\">" }'),
    (2, 'Bottega', NULL, '{"gallery": ["/uploads/vendor-assets/v1/b.jpg"]}', NULL);
  CREATE TABLE products (id int PRIMARY KEY, name text, description text, gallery text[]);
  INSERT INTO products VALUES
    (1, 'Lamp', '<p>Hand made.</p><img src="/uploads/product-images/p1-1.jpg"> <img src=''/uploads/product-images/p21-1%20(1).jpg''>',
     ARRAY['/uploads/product-images/p1-1.jpg', 'uploads/product-images/p2 copy.JPG', NULL, 'not a path']);
  -- No primary key: found, reported, left alone.
  CREATE TABLE audit_log (at timestamptz DEFAULT now(), note text);
  INSERT INTO audit_log (note) VALUES ('replaced /uploads/user-avatars/u1.png');
  -- A big table: one dense URL column (settled by the sample) and one sparse one (found by the full pass).
  CREATE TABLE events (id bigint PRIMARY KEY, thumb text, note text);
  INSERT INTO events SELECT g, CASE WHEN g % 100 = 0 THEN '/uploads/product-images/p1-1.jpg' END,
    CASE WHEN g = ${SPARSE_ROW} THEN '<img src="/uploads/user-avatars/u9.gif?v=3">' ELSE 'event ' || g END FROM generate_series(1, ${BIG_ROWS}) g;
  ANALYZE;
`;

const TABLES = ['product_images', 'users', 'journals', 'vendors', 'products', 'audit_log', 'events'];

const url = (key: string) => `${CDN}/${key}`;
const P1 = url('products/p1-1.jpg');
const P2 = url('products/p2%20copy.JPG');
const P21 = url('products/p21-1%20%281%29.jpg');

let s3: TestS3;
let target: PostgresDatabase;
let uploads: string;
let bucket: string;
let before: Map<string, string[]>;
let dryRun: FilesReport;
let report: FilesReport;

/** Every row of every table as Postgres renders it: json text verbatim, jsonb canonical, arrays as literals. */
async function snapshot(): Promise<Map<string, string[]>> {
  const tables = new Map<string, string[]>();
  for (const table of TABLES) {
    const order = table === 'audit_log' ? 'note' : 'id';
    const { rows } = await target.client.query<{ row: string }>(`SELECT t::text AS row FROM ${table} t ORDER BY ${order}`);
    tables.set(table, rows.map((r) => r.row));
  }
  return tables;
}

function files(extra: string[] = []) {
  return runCli(['migrate', 'files', '--uploads', uploads, '--bucket', bucket, '--target', target.url, '--cdn-base', CDN, '--endpoint', s3.endpoint, '--json', ...extra], { env: S3_ENV });
}

async function value(sql: string): Promise<unknown> {
  const { rows } = await target.client.query(sql);
  return Object.values(rows[0] as object)[0];
}

beforeAll(async () => {
  s3 = await startTestS3();
  target = await freshPostgres('files_discover');
  await target.client.query(SCHEMA);
  uploads = await mkdtemp(path.join(os.tmpdir(), 'mh-discover-'));
  for (const file of FILES) {
    await mkdir(path.dirname(path.join(uploads, file)), { recursive: true });
    await writeFile(path.join(uploads, file), `bytes of ${file}`);
  }
  bucket = await s3.freshBucket('discover');
  before = await snapshot();
  const dry = await files(['--dry-run']);
  assert.equal(dry.code, 0, dry.stderr);
  dryRun = JSON.parse(dry.stdout);
  const run = await files();
  assert.equal(run.code, 0, run.stderr + run.stdout.slice(0, 3000));
  report = JSON.parse(run.stdout);
}, 120_000);

afterAll(async () => {
  await target?.drop();
  await s3?.stop();
  if (uploads) await rm(uploads, { recursive: true, force: true });
});

test('the URL columns are found from the data, with their counts and shapes, before anything changes', () => {
  const found = (r: FilesReport) => (r.discovered ?? []).map((d) => `${d.table}.${d.column} ${d.shape} ${d.estimated ? '~' : ''}${d.values}${d.skipped ? ' skipped' : ''}`).sort();
  const expected = [
    'audit_log.note embedded 1 skipped',
    // Outside the (repeatable) sample: found by the full pass over the columns the sample did not settle.
    'events.note embedded 1',
    // The sample's estimate of 2,100 values.
    ...found(report).filter((f) => f.startsWith('events.thumb whole ~')),
    'journals.body embedded 1',
    'journals.cover_image whole 1',
    'product_images.image_url whole 3',
    'products.description embedded 1',
    'products.gallery array 1',
    'users.profile_image whole 2',
    'vendors.logo whole 1',
    'vendors.media json 2',
    'vendors.settings json 1',
  ].sort();
  assert.deepEqual(found(report), expected);
  const thumb = report.discovered!.find((d) => d.column === 'thumb')!;
  assert.ok(thumb.values > 1000 && thumb.values < 4000, `estimated ${thumb.values} of ${BIG_ROWS / 100}`);
  assert.deepEqual(found(dryRun), found(report), 'the dry run reports the same columns');
  assert.equal(typeof report.discoverySeconds, 'number');
  assert.ok(!report.discovered!.some((d) => d.column === 'email' || d.column === 'title' || d.column === 'name'));
});

test('the dry run changed nothing', async () => {
  assert.equal(dryRun.outcome, 'dry-run');
  assert.ok(dryRun.rewrites.some((r) => r.rowsRewritten > 0));
  // The real run came after; the journal holds only its run's entries.
  const runs = await value(`SELECT count(DISTINCT run_id)::int FROM markethub_migrate.url_rewrites`);
  assert.equal(runs, 1);
});

test('every file is uploaded and every reference rewritten exactly', async () => {
  assert.equal(report.files.uploaded, FILES.length);
  assert.equal((await listKeys(s3.client, bucket)).length, FILES.length);
  assert.deepEqual(report.referenceProblems, []);
  const q = async (sql: string) => (await target.client.query(sql)).rows;
  assert.deepEqual((await q('SELECT image_url FROM product_images ORDER BY id')).map((r) => r.image_url), [P1, P2, P21, null]);
  assert.deepEqual((await q('SELECT profile_image FROM users ORDER BY id')).map((r) => r.profile_image),
    [url('avatars/u1.png'), `${url('avatars/u9.gif')}?v=3`, 'https://www.gravatar.com/avatar/205e460b?d=identicon', null]);
  const journal = (await q('SELECT cover_image, body FROM journals WHERE id = 1'))[0]!;
  assert.equal(journal.cover_image, url('journals/j1.webp'));
  assert.equal(journal.body, `<p>New in.</p>\n<p><img src="${url('journals/j1-inline.png')}" alt="inline"></p>`);
  assert.equal(await value('SELECT body FROM journals WHERE id = 2'), 'no pictures here, just the word uploads/ in passing');
  assert.equal(await value('SELECT logo FROM vendors WHERE id = 1'), url('vendor/v1/logo.png'));
  // jsonb: the same document but for the rewritten strings (numbers, keys and escapes kept).
  const expectedMedia = JSON.stringify({
    gallery: [url('vendor/v1/a.jpg'), url('vendor/v1/b.jpg')], big: 0, title: 'Ünïcode "quoted"', banner: { src: url('vendor/v1/banner.jpg') }, '/uploads/vendor-assets/v1/a.jpg': 'a key stays a key',
  }).replace('"big":0', '"big":123456789012345678901234567890');
  assert.equal(await value(`SELECT media = '${expectedMedia.replace(/'/g, "''")}'::jsonb FROM vendors WHERE id = 1`), true);
  assert.equal(await value(`SELECT media->>'big' FROM vendors WHERE id = 1`), '123456789012345678901234567890');
  // json: its text byte for byte but for the rewritten strings.
  assert.equal(await value('SELECT settings::text FROM vendors WHERE id = 1'),
    `{ "img" :  "${url('vendor/v1/logo.png')}",\n        "price": 1.50, "html": "<img src=\\"${url('vendor/v1/a.jpg')}\\">" }`);
  assert.equal(await value('SELECT description FROM products WHERE id = 1'), `<p>Hand made.</p><img src="${P1}"> <img src='${P21}'>`);
  assert.deepEqual(await value('SELECT gallery FROM products WHERE id = 1'), [P1, P2, null, 'not a path']);
  assert.equal(await value('SELECT note FROM audit_log'), 'replaced /uploads/user-avatars/u1.png', 'a table without a primary key is left alone');
  assert.equal(await value(`SELECT count(*)::int FROM events WHERE thumb = '${P1}'`), BIG_ROWS / 100);
  assert.equal(await value(`SELECT note FROM events WHERE id = ${SPARSE_ROW}`), `<img src="${url('avatars/u9.gif')}?v=3">`);
  assert.equal(await value(`SELECT count(*)::int FROM events WHERE thumb LIKE '%/uploads/%' OR note LIKE '%/uploads/%'`), 0);
});

test('--no-discover without urlColumns uses the MarketHub columns, and says which one is missing', async () => {
  const result = await files(['--no-discover', '--dry-run']);
  assert.notEqual(result.code, 0);
  assert.match(result.stderr, /URL column product_images\.url not found/);
});

test('rollback restores every column byte for byte; a value the app changed since is a conflict', async () => {
  const changedByApp = '{"gallery": ["https://elsewhere.example/new.jpg"]}';
  await target.client.query(`UPDATE vendors SET media = $1::jsonb WHERE id = 2`, [changedByApp]);
  const result = await runCli(['migrate', 'rollback', '--target', target.url, '--urls', '--yes', '--json'], { env: S3_ENV });
  assert.equal(result.code, 0, result.stderr);
  const rollback = JSON.parse(result.stdout) as { urls: { conflicts: { table: string; column: string; key: Record<string, number> }[] } };
  assert.deepEqual(rollback.urls.conflicts.map((c) => `${c.table}.${c.column} ${c.key.id}`), ['vendors.media 2']);
  const after = await snapshot();
  for (const table of TABLES) {
    if (table === 'vendors') continue;
    assert.deepEqual(after.get(table), before.get(table), `${table} byte for byte`);
  }
  assert.equal(after.get('vendors')![0], before.get('vendors')![0], 'vendor 1 (jsonb and json) byte for byte');
  assert.equal(await value('SELECT media::text FROM vendors WHERE id = 2'), (await value(`SELECT '${changedByApp}'::jsonb::text`)) as string, 'the app\'s value is kept');
});
