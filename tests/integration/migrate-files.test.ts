// migrate files against a real S3 server (s3rver) and Postgres: every object's bytes equal the local
// file's, re-runs skip what arrived, a kill -9 loses nothing, and foreign objects are never overwritten.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { chmod, mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, test } from 'vitest';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { FilesReport } from '../../src/report/model.js';
import { CLI_PATH, runCli } from '../helpers/cli.js';
import { freshPostgres } from '../helpers/databases.js';
import { headObject, listKeys, objectSha256, S3_ENV, startTestS3, type TestS3 } from '../helpers/s3.js';

let s3: TestS3;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  s3 = await startTestS3();
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  await s3?.stop();
});

async function tempDir(label: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `mh-${label}-`));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function writeTree(root: string, files: Record<string, Buffer | string>): Promise<void> {
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(root, ...relative.split('/'));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

interface Setup {
  uploads: string;
  bucket: string;
  targetUrl: string;
  manifest(): Promise<{ key: string; status: string; sha256: string; md5: string; etag: string | null; local_path: string; parts: number }[]>;
  /** Resolves once no markethub connection is left on the target: a killed run's last statement has ended. */
  runsSettled(): Promise<void>;
}

async function setup(label: string): Promise<Setup> {
  const uploads = await tempDir(label);
  const bucket = await s3.freshBucket(label);
  const target = await freshPostgres(`files_${label}`);
  cleanups.push(() => target.drop());
  return {
    uploads,
    bucket,
    targetUrl: target.url,
    manifest: async () => {
      const exists = await target.client.query(`SELECT to_regclass('markethub_migrate.file_manifest') IS NOT NULL AS ok`);
      if (!exists.rows[0].ok) return [];
      const { rows } = await target.client.query('SELECT key, status, sha256, md5, etag, local_path, parts FROM markethub_migrate.file_manifest WHERE bucket = $1 ORDER BY key', [bucket]);
      return rows;
    },
    runsSettled: async () => {
      for (let waited = 0; waited < 30_000; waited += 25) {
        const { rows } = await target.client.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'markethub'`);
        if (rows[0].n === 0) return;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error('a markethub connection is still open on the target');
    },
  };
}

function filesArgs(s: Setup, extra: string[] = []): string[] {
  return ['migrate', 'files', '--uploads', s.uploads, '--bucket', s.bucket, '--target', s.targetUrl, '--endpoint', s3.endpoint, '--no-rewrite', '--json', ...extra];
}

async function migrateFiles(s: Setup, extra: string[] = [], expectedCode = 0): Promise<FilesReport> {
  const result = await runCli(filesArgs(s, extra), { env: S3_ENV });
  assert.equal(result.code, expectedCode, result.stderr + result.stdout.slice(0, 3000));
  return JSON.parse(result.stdout) as FilesReport;
}

test('a tricky tree arrives byte for byte: nested folders, spaces, Unicode, +&=;#?%, empty and 60 MB files', async () => {
  const s = await setup('tricky');
  const big = randomBytes(60 * 1024 * 1024);
  const files: Record<string, Buffer | string> = {
    'product-images/nested/deeper/a.jpg': 'jpeg bytes',
    'product-images/name with spaces.jpg': 'spaces',
    'product-images/Ünïcödé ✓ 日本.png': 'unicode',
    'vendor-assets/+&=;#?%.png': 'punctuation',
    'support-attachments/2023/08/empty.heic': '',
    'journal-images/big.bin': big,
    ['user-avatars/' + 'café.png'.normalize('NFD')]: 'decomposed name on disk',
    'README.txt': 'not in a mapped folder',
    'tmp/scratch.jpg': 'folder not in the mapping',
  };
  await writeTree(s.uploads, files);
  const outside = await tempDir('outside');
  await writeFile(path.join(outside, 'secret.txt'), 'must not leave the machine');
  await symlink(path.join(outside, 'secret.txt'), path.join(s.uploads, 'product-images', 'link-out.jpg'));
  await symlink(path.join(s.uploads, 'product-images', 'nested', 'deeper', 'a.jpg'), path.join(s.uploads, 'product-images', 'link-in.jpg'));

  // 60 MB with a 16 MiB threshold: four parts.
  const report = await migrateFiles(s, ['--multipart-threshold', '16']);
  const expected: Record<string, string> = {
    'products/nested/deeper/a.jpg': sha256('jpeg bytes'),
    'products/name with spaces.jpg': sha256('spaces'),
    'products/Ünïcödé ✓ 日本.png': sha256('unicode'),
    'products/link-in.jpg': sha256('jpeg bytes'),
    'vendor/+&=;#?%.png': sha256('punctuation'),
    'support/2023/08/empty.heic': sha256(''),
    'journals/big.bin': sha256(big),
    ['avatars/' + 'café.png'.normalize('NFC')]: sha256('decomposed name on disk'),
  };
  assert.equal(report.outcome, 'success');
  assert.equal(report.files.uploaded, Object.keys(expected).length);
  assert.deepEqual(await listKeys(s3.client, s.bucket), Object.keys(expected).sort());
  for (const [key, hash] of Object.entries(expected)) assert.equal(await objectSha256(s3.client, s.bucket, key), hash, key);

  const head = await headObject(s3.client, s.bucket, 'products/Ünïcödé ✓ 日本.png');
  assert.equal(head.ContentType, 'image/png');
  assert.equal(head.CacheControl, 'public, max-age=31536000, immutable');
  assert.equal(head.Metadata?.sha256, sha256('unicode'));

  const skipped = Object.fromEntries(report.fileProblems.map((p) => [p.path, p.why]));
  assert.match(skipped['product-images/link-out.jpg']!, /outside the uploads root/);
  assert.match(skipped['README.txt']!, /outside every mapped folder/);
  assert.match(skipped['tmp/scratch.jpg']!, /not in the mapping/);
  assert.equal(report.fileProblems.length, 3);
  assert.equal(report.files.skipped, 3);

  const manifest = await s.manifest();
  assert.deepEqual(manifest.filter((m) => m.parts > 1).map((m) => [m.key, m.parts]), [['journals/big.bin', 4]]);
  // Its MD5, taken of the bytes on their way out, is the file's, and the ETag s3rver gave (a plain MD5, even in parts).
  const bigRow = manifest.find((m) => m.key === 'journals/big.bin')!;
  assert.equal(bigRow.md5, createHash('md5').update(big).digest('hex'));
  assert.equal(bigRow.etag?.replace(/"/g, ''), bigRow.md5);
  assert.deepEqual(manifest.map((m) => [m.key, m.status, m.sha256]), Object.entries(expected).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, h]) => [k, 'uploaded', h]));

  // A file changed between runs goes up again; the others are not touched.
  const changed = path.join(s.uploads, 'product-images', 'name with spaces.jpg');
  await writeFile(changed, 'spaces, edited');
  await utimes(changed, new Date(), new Date(Date.now() + 5000));
  const second = await migrateFiles(s);
  assert.equal(second.files.uploaded, 1);
  assert.equal(second.files.unchanged, Object.keys(expected).length - 1);
  assert.equal(await objectSha256(s3.client, s.bucket, 'products/name with spaces.jpg'), sha256('spaces, edited'));

  const third = await migrateFiles(s);
  assert.equal(third.files.uploaded, 0);
  assert.equal(third.files.unchanged, Object.keys(expected).length);
});

test('an unreadable file is reported and the exit code says so; the rest arrive', async (t) => {
  const s = await setup('unreadable');
  await writeTree(s.uploads, { 'product-images/ok.jpg': 'fine', 'product-images/locked.jpg': 'no access' });
  await chmod(path.join(s.uploads, 'product-images', 'locked.jpg'), 0o000);
  // root reads any file: run the command as an unprivileged user so the permission bits count.
  const asUser = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', process.execPath] : [process.execPath];
  if (process.getuid?.() === 0) await chmod(s.uploads, 0o755);
  const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(asUser[0]!, [...asUser.slice(1), CLI_PATH, ...filesArgs(s)], { env: { ...process.env, ...S3_ENV } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  if (result.code !== 1 && /setpriv/.test(result.stderr)) return t.skip(`cannot drop privileges here: ${result.stderr.trim()}`);
  assert.equal(result.code, 1, result.stderr);
  const report = JSON.parse(result.stdout) as FilesReport;
  assert.equal(report.outcome, 'failed');
  assert.equal(report.files.uploaded, 1);
  assert.deepEqual(report.fileProblems.map((p) => [p.path, p.what, p.why]), [['product-images/locked.jpg', 'unreadable', 'permission denied']]);
  assert.deepEqual(await listKeys(s3.client, s.bucket), ['products/ok.jpg']);
});

test('killed with SIGKILL mid-run, the same command completes: nothing confirmed is sent again, the manifest is exact', async () => {
  const s = await setup('kill');
  const files: Record<string, Buffer> = {};
  for (let i = 0; i < 600; i++) files[`product-images/batch-${String(i).padStart(3, '0')}.jpg`] = randomBytes(20 * 1024);
  await writeTree(s.uploads, files);

  const child = spawn(process.execPath, [CLI_PATH, ...filesArgs(s, ['--concurrency', '2'])], { env: { ...process.env, ...S3_ENV }, stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let confirmedAtKill = 0;
  for (let waited = 0; waited < 60_000; waited += 25) {
    const rows = await s.manifest();
    confirmedAtKill = rows.filter((r) => r.status === 'uploaded').length;
    if (confirmedAtKill >= 100) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  child.kill('SIGKILL');
  await exited;
  // A batch of manifest rows sent just before the kill still commits: read the manifest after it has.
  await s.runsSettled();
  const atKill = await s.manifest();
  const confirmed = atKill.filter((r) => r.status === 'uploaded').length;
  assert.ok(confirmed >= 100 && confirmed < 600, `killed after ${confirmed} files`);

  const report = await migrateFiles(s);
  assert.equal(report.outcome, 'success');
  assert.equal(report.files.unchanged, confirmed, 'every file confirmed before the kill is skipped without a byte sent');
  assert.equal(report.files.uploaded + report.files.alreadyThere, 600 - confirmed);
  // An upload cut between its arrival and its confirmation is recognised by checksum, not sent again.
  assert.ok(report.files.alreadyThere <= atKill.filter((r) => r.status === 'uploading').length);

  const manifest = await s.manifest();
  assert.equal(manifest.length, 600);
  for (const row of manifest) {
    assert.equal(row.status, 'uploaded');
    assert.equal(row.sha256, sha256(files[row.local_path]!), row.key);
  }
  assert.equal((await listKeys(s3.client, s.bucket)).length, 600);
});

test('objects already in the bucket: identical bytes are kept as pre-existing, different bytes are never overwritten', async () => {
  const s = await setup('existing');
  await writeTree(s.uploads, { 'product-images/same.jpg': 'same bytes', 'product-images/other.jpg': 'local bytes', 'product-images/new.jpg': 'new' });
  await s3.client.send(new PutObjectCommand({ Bucket: s.bucket, Key: 'products/same.jpg', Body: 'same bytes' }));
  await s3.client.send(new PutObjectCommand({ Bucket: s.bucket, Key: 'products/other.jpg', Body: 'someone else wrote this' }));

  const report = await migrateFiles(s, [], 1);
  assert.equal(report.outcome, 'failed');
  assert.equal(report.files.preExisting, 1);
  assert.equal(report.files.conflicts, 1);
  assert.equal(report.files.uploaded, 1);
  assert.deepEqual(report.fileProblems.map((p) => [p.path, p.what]), [['product-images/other.jpg', 'not uploaded']]);
  assert.equal(await objectSha256(s3.client, s.bucket, 'products/other.jpg'), sha256('someone else wrote this'));
  const statuses = Object.fromEntries((await s.manifest()).map((m) => [m.key, m.status]));
  assert.deepEqual(statuses, { 'products/new.jpg': 'uploaded', 'products/same.jpg': 'pre-existing' });
});

test('a re-run sends again an object deleted from the bucket, and never overwrites one replaced by someone else', async () => {
  const s = await setup('changed-remote');
  await writeTree(s.uploads, { 'product-images/deleted.jpg': 'mine 1', 'product-images/replaced.jpg': 'mine 2', 'product-images/kept.jpg': 'mine 3' });
  await migrateFiles(s);
  await s3.client.send(new DeleteObjectCommand({ Bucket: s.bucket, Key: 'products/deleted.jpg' }));
  await s3.client.send(new PutObjectCommand({ Bucket: s.bucket, Key: 'products/replaced.jpg', Body: 'someone else' }));
  const report = await migrateFiles(s, [], 1);
  assert.deepEqual([report.files.uploaded, report.files.unchanged, report.files.conflicts], [1, 1, 1]);
  assert.equal(await objectSha256(s3.client, s.bucket, 'products/deleted.jpg'), sha256('mine 1'));
  assert.equal(await objectSha256(s3.client, s.bucket, 'products/replaced.jpg'), sha256('someone else'));
  assert.deepEqual(report.fileProblems.map((p) => p.path), ['product-images/replaced.jpg']);
});

test('--dry-run uploads nothing and writes nothing to the target', async () => {
  const s = await setup('dryrun');
  await writeTree(s.uploads, { 'product-images/a.jpg': 'a', 'user-avatars/b.png': 'b' });
  const report = await migrateFiles(s, ['--dry-run']);
  assert.equal(report.outcome, 'dry-run');
  assert.equal(report.files.wouldUpload, 2);
  assert.deepEqual(await listKeys(s3.client, s.bucket), []);
  assert.deepEqual(await s.manifest(), []);
});

test('wrong input ends in one clear line and a meaningful exit code', async () => {
  const s = await setup('errors');
  await writeTree(s.uploads, { 'product-images/a.jpg': 'a' });
  const badConfig = path.join(s.uploads, 'bad.json');
  await writeFile(badConfig, JSON.stringify({ mapping: { 'product-images': '/absolute/' } }));
  const cases: { args: string[]; code: number; message: RegExp }[] = [
    { args: filesArgs({ ...s, bucket: 'no-such-bucket-here' }), code: 3, message: /bucket "no-such-bucket-here" does not exist/ },
    { args: filesArgs({ ...s, uploads: path.join(s.uploads, 'nope') }), code: 2, message: /--uploads .*nope not found/ },
    { args: filesArgs(s).filter((a) => a !== '--no-rewrite'), code: 2, message: /--cdn-base is required/ },
    { args: filesArgs(s, ['--config', badConfig]), code: 2, message: /--config: .*mapping\.product-images\.prefix must not start with "\/"/ },
    { args: filesArgs(s, ['--concurrency', '0']), code: 2, message: /--concurrency must be at least 1/ },
    { args: filesArgs({ ...s, targetUrl: 'postgres://postgres@127.0.0.1:1/x' }), code: 3, message: /cannot reach target Postgres/ },
    { args: filesArgs(s).filter((a) => a !== '--no-rewrite').concat(['--cdn-base', 'https://cdn.example.com']), code: 1, message: /URL column product_images\.url not found/ },
  ];
  for (const c of cases) {
    const result = await runCli(c.args, { env: S3_ENV });
    assert.equal(result.code, c.code, `${c.args.join(' ')}\n${result.stderr}`);
    assert.match(result.stderr, c.message);
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
  }
});

// Needs script(1) for a pseudo-terminal.
test.skipIf(spawnSync('script', ['--version']).status !== 0)('at a terminal, progress shows files/s, MB/s and ETA', async () => {
  const s = await setup('progress');
  const files: Record<string, Buffer> = {};
  for (let i = 0; i < 50; i++) files[`product-images/p-${i}.jpg`] = randomBytes(4096);
  await writeTree(s.uploads, files);
  const args = filesArgs(s).filter((a) => a !== '--json').map((a) => `'${a}'`).join(' ');
  // script(1) gives the command a pseudo-terminal for stdout and stderr, as a person's shell would.
  const result = spawnSync('script', ['-qec', `stty cols 120 rows 40; '${process.execPath}' '${CLI_PATH}' ${args}`, '/dev/null'], {
    encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...S3_ENV, CI: '' },
  });
  assert.equal(result.status, 0, result.stdout);
  assert.match(result.stdout, /50\/50 files \| \d+ files\/s \| [\d.]+ MB\/s \| ETA/);
  assert.match(result.stdout, /Every file arrived and matches its checksum\./);
});

/**
 * A real HTTP proxy in front of s3rver that answers 503 SlowDown to uploads of keys holding `always`,
 * and to the first two uploads of keys holding `twice`: throttling as S3 does it, on demand.
 */
async function throttlingProxy(target: string): Promise<{ endpoint: string; close(): Promise<void> }> {
  const upstream = new URL(target);
  const seen = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const url = req.url ?? '';
    const tries = (seen.get(url) ?? 0) + 1;
    seen.set(url, tries);
    if (req.method === 'PUT' && (url.includes('always') || (url.includes('twice') && tries <= 2))) {
      // Answer once the body is in: answering earlier can reset the connection while the client still sends.
      req.resume().on('end', () => {
        res.writeHead(503, { 'content-type': 'application/xml' });
        res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>');
      });
      return;
    }
    const forward = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { endpoint: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

test('throttled uploads are retried with backoff; a file refused every time is reported and the rest carry on', async () => {
  const s = await setup('throttled');
  // A file over 1 MiB is streamed from disk: each attempt reads it again.
  const large = randomBytes(3 * 1024 * 1024 + 7);
  await writeTree(s.uploads, { 'product-images/ok.jpg': 'one', 'product-images/twice.jpg': 'two', 'product-images/twice-large.bin': large, 'product-images/always.jpg': 'never' });
  const proxy = await throttlingProxy(s3.endpoint);
  try {
    const result = await runCli(filesArgs(s).map((a) => (a === s3.endpoint ? proxy.endpoint : a)), { env: S3_ENV });
    assert.equal(result.code, 1, result.stderr);
    const report = JSON.parse(result.stdout) as FilesReport;
    assert.equal(report.outcome, 'failed');
    assert.equal(report.files.uploaded, 3);
    assert.equal(report.files.failed, 1);
    assert.deepEqual(report.fileProblems.map((p) => [p.path, p.what]), [['product-images/always.jpg', 'upload failed']]);
    assert.match(report.fileProblems[0]!.why, /SlowDown \(HTTP 503\)/);
  } finally {
    await proxy.close();
  }
  assert.deepEqual(await listKeys(s3.client, s.bucket), ['products/ok.jpg', 'products/twice-large.bin', 'products/twice.jpg']);
  assert.equal(await objectSha256(s3.client, s.bucket, 'products/twice.jpg'), sha256('two'));
  assert.equal(await objectSha256(s3.client, s.bucket, 'products/twice-large.bin'), sha256(large));
  const statuses = Object.fromEntries((await s.manifest()).map((m) => [m.key, m.status]));
  assert.deepEqual(statuses, { 'products/always.jpg': 'failed', 'products/ok.jpg': 'uploaded', 'products/twice-large.bin': 'uploaded', 'products/twice.jpg': 'uploaded' });
});
