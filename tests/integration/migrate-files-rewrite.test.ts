// URL rewrite on the migrated sample shop: every rewritten URL points at an object holding the right
// bytes, the journal holds the exact old values, dangling references are listed, timestamps are kept.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, test } from 'vitest';
import { MISSING_SAMPLE_FILES, writeSampleUploads } from '../../scripts/sample-uploads.js';
import { SAMPLE_SQL_PATH, seedLegacyDatabase } from '../../scripts/seed-mysql.js';
import type { FilesReport } from '../../src/report/model.js';
import { runCli } from '../helpers/cli.js';
import { freshMysql, freshPostgres, MYSQL_ADMIN_URL, type MysqlDatabase, type PostgresDatabase } from '../helpers/databases.js';
import { objectSha256, S3_ENV, startTestS3, type TestS3 } from '../helpers/s3.js';

const CDN = 'https://cdn.markethub.example';
const SAMPLE_CONFIG = path.resolve(path.dirname(SAMPLE_SQL_PATH), 'markethub-files.json');

let s3: TestS3;
let source: MysqlDatabase;
let target: PostgresDatabase;
let uploads: string;
let bucket: string;
let report: FilesReport;
let updatedAtBefore: Map<string, string>;

interface JournalRow {
  table_name: string;
  column_name: string;
  row_key: Record<string, number>;
  old_value: string;
  new_value: string;
}

async function journal(): Promise<JournalRow[]> {
  const { rows } = await target.client.query<JournalRow>('SELECT table_name, column_name, row_key, old_value, new_value FROM markethub_migrate.url_rewrites ORDER BY id');
  return rows;
}

function runFiles() {
  return runCli(['migrate', 'files', '--uploads', uploads, '--bucket', bucket, '--target', target.url, '--cdn-base', CDN, '--endpoint', s3.endpoint, '--config', SAMPLE_CONFIG, '--json'], { env: S3_ENV });
}

beforeAll(async () => {
  s3 = await startTestS3();
  source = await freshMysql('files_sample');
  target = await freshPostgres('files_sample');
  await seedLegacyDatabase(MYSQL_ADMIN_URL, source.name);
  const migrated = await runCli(['migrate', 'db', '--source', source.url, '--target', target.url, '--json']);
  assert.equal(migrated.code, 0, migrated.stderr);
  uploads = await mkdtemp(path.join(os.tmpdir(), 'mh-sample-uploads-'));
  await writeSampleUploads(await readFile(SAMPLE_SQL_PATH, 'utf8'), uploads);
  bucket = await s3.freshBucket('sample');
  const { rows } = await target.client.query<{ id: string; updated_at: string }>('SELECT id::text, updated_at::text FROM users');
  updatedAtBefore = new Map(rows.map((r) => [r.id, r.updated_at]));
  const result = await runFiles();
  assert.equal(result.code, 0, result.stderr + result.stdout.slice(0, 3000));
  report = JSON.parse(result.stdout);
});

afterAll(async () => {
  await source?.drop();
  await target?.drop();
  await s3?.stop();
  if (uploads) await rm(uploads, { recursive: true, force: true });
});

/** The CDN URLs in a value: the whole value, or every one inside text. */
function cdnUrls(value: string): string[] {
  return [...value.matchAll(new RegExp(`${CDN.replace(/[.]/g, '\\.')}/[^"'()<>\\s]+`, 'g'))].map((m) => m[0]);
}

function keyOf(url: string): string {
  return url.slice(CDN.length + 1).replace(/[?#].*$/, '').split('/').map(decodeURIComponent).join('/');
}

test('every rewritten URL names an object that holds the local file\'s exact bytes', async () => {
  const rows = await journal();
  assert.ok(rows.length >= 150, `${rows.length} rewrites`);
  const { rows: manifest } = await target.client.query<{ key: string; local_path: string }>('SELECT key, local_path FROM markethub_migrate.file_manifest WHERE bucket = $1', [bucket]);
  const localPathOf = new Map(manifest.map((m) => [m.key, m.local_path]));
  let checked = 0;
  for (const row of rows) {
    for (const url of cdnUrls(row.new_value)) {
      const key = keyOf(url);
      const local = localPathOf.get(key);
      assert.ok(local, `${url}: no manifest entry for ${key}`);
      const bytes = await readFile(path.join(uploads, ...local.split('/')));
      assert.equal(await objectSha256(s3.client, bucket, key), createHash('sha256').update(bytes).digest('hex'), url);
      checked++;
    }
  }
  assert.ok(checked >= rows.length);
  // The odd spellings of the sample all resolved: percent-encoded, a space, a cache buster, no leading slash, NFD on disk, a legacy origin.
  const rewritten = new Map(rows.map((r) => [r.old_value, r.new_value]));
  assert.equal(rewritten.get('/uploads/product-images/p21-1%20(1).jpg'), `${CDN}/products/p21-1%20%281%29.jpg`);
  assert.equal(rewritten.get('/uploads/product-images/p12-1 copy.JPG'), `${CDN}/products/p12-1%20copy.JPG`);
  assert.equal(rewritten.get('/uploads/user-avatars/u9.gif?v=3'), `${CDN}/avatars/u9.gif?v=3`);
  assert.equal(rewritten.get('uploads/product-images/p4-0.jpg'), `${CDN}/products/p4-0.jpg`);
  assert.equal(rewritten.get('/uploads/vendor-assets/tokyo-bunguten-ロゴ.png'), `${CDN}/vendor/${encodeURIComponent('tokyo-bunguten-ロゴ.png')}`);
  assert.equal(rewritten.get('http://localhost:3000/uploads/user-avatars/u5.jpg'), `${CDN}/avatars/u5.jpg`);
});

test('the journal holds the exact old values, and the columns hold the new ones', async () => {
  for (const row of await journal()) {
    const keyColumn = Object.keys(row.row_key)[0]!;
    const [mysqlRows] = await source.conn.query<any[]>(`SELECT \`${row.column_name}\` AS v FROM \`${row.table_name}\` WHERE \`${keyColumn}\` = ?`, [row.row_key[keyColumn]]);
    assert.equal(row.old_value, mysqlRows[0].v, `${row.table_name}.${row.column_name} ${JSON.stringify(row.row_key)}`);
    const { rows } = await target.client.query(`SELECT "${row.column_name}" AS v FROM "${row.table_name}" WHERE "${keyColumn}" = $1`, [row.row_key[keyColumn]]);
    assert.equal(rows[0].v, row.new_value);
  }
  const body = (await journal()).find((r) => r.table_name === 'journals' && r.column_name === 'body' && r.row_key.id === 2)!;
  assert.equal(cdnUrls(body.new_value).length, 2, 'both images inside the HTML body');
  assert.ok(body.new_value.includes('<a href="/products/lampe-de-chevet-lune">'), 'links that are not uploads stay as they were');
});

test('references to files that do not exist are listed as dangling and left alone', async () => {
  const dangling = report.referenceProblems.filter((p) => p.what === 'dangling').map((p) => p.reference.replace(/^\/?uploads\//, ''));
  assert.deepEqual(dangling.sort(), [...MISSING_SAMPLE_FILES].sort());
  const { rows } = await target.client.query(`SELECT url FROM product_images WHERE id = 103`);
  assert.equal(rows[0].url, '/uploads/product-images/p50-2.jpg');
  // A vendor-hosted image is not an upload: untouched, not even listed.
  const { rows: hosted } = await target.client.query(`SELECT url FROM product_images WHERE id = 101`);
  assert.equal(hosted[0].url, 'https://cdn.weiss-soehne.example/img/gastro-100l.jpg');
  assert.equal(report.referenceProblems.filter((p) => p.what !== 'dangling').length, 0);
});

test('rewriting URLs does not count as the app changing the row: ON UPDATE timestamps are kept', async () => {
  const { rows } = await target.client.query<{ id: string; updated_at: string; avatar: string }>('SELECT id::text, updated_at::text, avatar FROM users');
  assert.ok(rows.some((r) => r.avatar?.startsWith(CDN)));
  for (const r of rows) assert.equal(r.updated_at, updatedAtBefore.get(r.id), `users ${r.id}`);
});

test('a second run uploads and rewrites nothing more', async () => {
  const before = (await journal()).length;
  const result = await runFiles();
  assert.equal(result.code, 0, result.stderr);
  const again = JSON.parse(result.stdout) as FilesReport;
  assert.equal(again.files.uploaded, 0);
  assert.equal(again.files.unchanged, report.files.uploaded);
  assert.equal(again.rewrites.reduce((n, r) => n + r.rowsRewritten, 0), 0);
  assert.equal((await journal()).length, before);
});
