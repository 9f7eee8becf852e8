// Pure parts of migrate files: keys, URL references, checksums, backoff, config.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'vitest';
import { DEFAULT_MAPPING } from '../../src/migrate/files/config.js';
import { FileChangedMeanwhile, fileBody } from '../../src/migrate/files/file-body.js';
import { parseFilesMapping } from '../../src/migrate/files/config-file.js';
import { etagMatches, hashFile } from '../../src/migrate/files/hash.js';
import { HashWorkers } from '../../src/migrate/files/hash-workers.js';
import { objectLocationOf, publicUrlOf } from '../../src/migrate/files/keys.js';
import { candidatePaths, rewriteEmbeddedValue, rewriteWholeValue, type Resolution } from '../../src/migrate/files/references.js';
import { backoffMs, withRetry } from '../../src/migrate/files/retry.js';

test('keys: mapped prefix + path, NFC, and a reason when a file cannot be placed', () => {
  assert.deepEqual(objectLocationOf('product-images/a/b.jpg', DEFAULT_MAPPING, 'media'), { bucket: 'media', key: 'products/a/b.jpg' });
  assert.deepEqual(objectLocationOf('user-avatars/' + 'Zoë.png'.normalize('NFD'), DEFAULT_MAPPING, 'media'), { bucket: 'media', key: 'avatars/Zoë.png'.normalize('NFC') });
  assert.match((objectLocationOf('loose.jpg', DEFAULT_MAPPING, 'media') as { skip: string }).skip, /uploads root/);
  assert.match((objectLocationOf('cache/x.jpg', DEFAULT_MAPPING, 'media') as { skip: string }).skip, /not in the mapping/);
  assert.match((objectLocationOf(`product-images/${'é'.repeat(600)}`, DEFAULT_MAPPING, 'media') as { skip: string }).skip, /1024 bytes/);
  const custom = parseFilesMapping({ mapping: { 'vendor-assets': { bucket: 'vendor-bucket', prefix: 'v' } } });
  assert.deepEqual(objectLocationOf('vendor-assets/logo.png', custom, 'media'), { bucket: 'vendor-bucket', key: 'v/logo.png' });
});

test('public URLs encode every character that could break a URL, Markdown or HTML', () => {
  assert.equal(publicUrlOf('https://cdn.example.com/', 'products/a b/(1)+&=;#?%.jpg'), 'https://cdn.example.com/products/a%20b/%281%29%2B%26%3D%3B%23%3F%25.jpg');
  assert.equal(publicUrlOf('https://cdn.example.com', 'avatars/ロゴ.png'), `https://cdn.example.com/avatars/${encodeURIComponent('ロゴ')}.png`);
});

test('reference candidates: the literal name first, then decoded, then without a query', () => {
  assert.deepEqual(candidatePaths('product-images/a%20b.jpg?v=2'), [
    { path: 'product-images/a%20b.jpg?v=2', suffix: '' },
    { path: 'product-images/a b.jpg?v=2', suffix: '' },
    { path: 'product-images/a%20b.jpg', suffix: '?v=2' },
    { path: 'product-images/a b.jpg', suffix: '?v=2' },
  ]);
  assert.deepEqual(candidatePaths('x/100%.jpg'), [{ path: 'x/100%.jpg', suffix: '' }], 'a bad escape is just a name');
});

const files: Record<string, string> = { 'product-images/a.jpg': 'https://cdn/products/a.jpg', 'product-images/what?.jpg': 'https://cdn/products/what%3F.jpg' };
const resolve = (after: string): Resolution => {
  for (const c of candidatePaths(after)) if (files[c.path]) return { url: files[c.path] + c.suffix };
  return { missing: after.startsWith('product-images/local') ? 'not-uploaded' : 'dangling' };
};

test('whole values: relative paths are rewritten, absolute URLs left alone unless a legacy origin', () => {
  assert.equal(rewriteWholeValue('/uploads/product-images/a.jpg', resolve, []).value, 'https://cdn/products/a.jpg');
  assert.equal(rewriteWholeValue('uploads/product-images/a.jpg?v=3', resolve, []).value, 'https://cdn/products/a.jpg?v=3');
  assert.equal(rewriteWholeValue('/uploads/product-images/what?.jpg', resolve, []).value, 'https://cdn/products/what%3F.jpg', 'a ? in the name itself');
  const absolute = rewriteWholeValue('http://old.example/uploads/product-images/a.jpg', resolve, []);
  assert.equal(absolute.value, 'http://old.example/uploads/product-images/a.jpg');
  assert.deepEqual(absolute.absoluteLeft, ['http://old.example/uploads/product-images/a.jpg']);
  assert.equal(rewriteWholeValue('http://old.example/uploads/product-images/a.jpg', resolve, ['http://old.example']).value, 'https://cdn/products/a.jpg');
  const missing = rewriteWholeValue('/uploads/product-images/gone.jpg', resolve, []);
  assert.deepEqual([missing.value, missing.references], ['/uploads/product-images/gone.jpg', [{ reference: '/uploads/product-images/gone.jpg', outcome: 'dangling' }]]);
  assert.deepEqual(rewriteWholeValue('https://elsewhere.example/x.jpg', resolve, []), { value: 'https://elsewhere.example/x.jpg', references: [], absoluteLeft: [] });
  assert.deepEqual(rewriteWholeValue(' /uploads/product-images/a.jpg', resolve, []).references, [], 'padded values are not guessed at');
});

test('embedded values: HTML and Markdown references are rewritten in place, the rest of the text kept', () => {
  const html = '<p><img src="/uploads/product-images/a.jpg" alt="x"> <a href="/products/a">a</a> <img src=\'/uploads/product-images/gone.jpg\'></p>';
  const result = rewriteEmbeddedValue(html, resolve, []);
  assert.equal(result.value, '<p><img src="https://cdn/products/a.jpg" alt="x"> <a href="/products/a">a</a> <img src=\'/uploads/product-images/gone.jpg\'></p>');
  assert.deepEqual(result.references.map((r) => r.outcome), ['rewritten', 'dangling']);
  const md = '![one](/uploads/product-images/a.jpg)\n![two](http://legacy:3000/uploads/product-images/a.jpg) see /uploads/product-images/local.png';
  const mdResult = rewriteEmbeddedValue(md, resolve, ['http://legacy:3000']);
  assert.equal(mdResult.value, '![one](https://cdn/products/a.jpg)\n![two](https://cdn/products/a.jpg) see /uploads/product-images/local.png');
  assert.deepEqual(mdResult.references.map((r) => r.outcome), ['rewritten', 'rewritten', 'not-uploaded']);
  const foreign = rewriteEmbeddedValue('<img src="https://other.example/uploads/product-images/a.jpg">', resolve, []);
  assert.deepEqual([foreign.references, foreign.absoluteLeft], [[], ['https://other.example/uploads/product-images/a.jpg']]);
});

test('checksums: SHA-256 and MD5 in one pass or apart, and the ETag a multipart upload gets', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mh-hash-'));
  try {
    const data = Buffer.alloc(10 * 1024 + 7, 'x');
    const file = path.join(dir, 'f');
    await writeFile(file, data);
    const digest = hashFile(file, { sha256: true, etag: { partSize: 4096 } });
    assert.deepEqual(hashFile(file, { sha256: true }), { size: data.length, sha256: digest.sha256 }, 'the SHA-256 alone');
    assert.deepEqual(hashFile(file, { etag: {} }), { size: data.length, md5: digest.md5 }, 'the MD5 alone');
    assert.equal(digest.sha256, createHash('sha256').update(data).digest('hex'));
    assert.equal(digest.md5, createHash('md5').update(data).digest('hex'));
    const parts = [data.subarray(0, 4096), data.subarray(4096, 8192), data.subarray(8192)].map((p) => createHash('md5').update(p).digest());
    assert.equal(digest.multipartEtag, `${createHash('md5').update(Buffer.concat(parts)).digest('hex')}-3`);
    assert.ok(etagMatches(`"${digest.md5}"`, digest));
    assert.ok(etagMatches(`"${digest.multipartEtag}"`, digest));
    assert.ok(!etagMatches('"0123456789abcdef0123456789abcdef"', digest));
    assert.ok(!etagMatches(undefined, digest));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a SHA-256 hashed ahead is used only while the file is as it was when the hash started', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mh-ahead-'));
  const hashing = new HashWorkers(1);
  try {
    const file = path.join(dir, 'f');
    const localFile = async () => {
      const info = await stat(file, { bigint: true });
      return { absolute: file, relative: 'product-images/f', size: Number(info.size), mtimeNs: info.mtimeNs.toString() };
    };
    const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');
    await writeFile(file, 'first version');
    hashing.hashAhead(await localFile());
    assert.equal((await hashing.sha256(await localFile())).sha256, sha256('first version'));
    hashing.hashAhead(await localFile());
    await writeFile(file, 'second, longer version');
    assert.equal((await hashing.sha256(await localFile())).sha256, sha256('second, longer version'), 'changed since: hashed again');
    // Several ahead at once: the first on this thread, the others on workers; each gets its own file's digest.
    const other = path.join(dir, 'g');
    await writeFile(other, 'another file');
    const otherFile = { absolute: other, relative: 'product-images/g', size: 12, mtimeNs: (await stat(other, { bigint: true })).mtimeNs.toString() };
    hashing.hashAhead(otherFile);
    hashing.hashAhead(await localFile());
    assert.equal((await hashing.sha256(await localFile())).sha256, sha256('second, longer version'));
    assert.equal((await hashing.sha256(otherFile)).sha256, sha256('another file'));
  } finally {
    await hashing.close();
    await rm(dir, { recursive: true, force: true });
  }
});

/** A destination that looks at each chunk only some time after it was written, as a busy socket does. */
function slowDestination(): { destination: Writable; received: () => Buffer } {
  const copies: Buffer[] = [];
  const destination = new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _encoding, done) {
      setTimeout(() => {
        copies.push(Buffer.from(chunk));
        done();
      }, 5);
    },
  });
  return { destination, received: () => Buffer.concat(copies) };
}

test('a file body reuses its buffers only once the destination is done with them, and sends exactly the file', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mh-body-'));
  try {
    const file = path.join(dir, 'f');
    const bytes = randomBytes(3 * 1024 * 1024 + 12_345);
    await writeFile(file, bytes);
    const { destination, received } = slowDestination();
    const seen: Buffer[] = [];
    const finished = new Promise((resolve) => destination.on('finish', resolve));
    await fileBody(file, bytes.length, (chunk) => seen.push(Buffer.from(chunk)))(destination);
    await finished;
    assert.ok(received().equals(bytes), 'the bytes sent are the file');
    assert.ok(Buffer.concat(seen).equals(bytes), 'onChunk saw every byte, in order');

    const shrunk = slowDestination();
    const failed = new Promise<Error>((resolve) => shrunk.destination.on('error', resolve));
    await fileBody(file, bytes.length + 1)(shrunk.destination);
    assert.ok((await failed) instanceof FileChangedMeanwhile, 'a file shorter than announced fails the request');

    const dropped = slowDestination();
    dropped.destination.on('error', () => {});
    dropped.destination.write(Buffer.alloc(1), () => dropped.destination.destroy(new Error('connection reset')));
    await fileBody(file, bytes.length)(dropped.destination);
    assert.ok(dropped.received().length < bytes.length, 'a request given up stops the reading');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('retries back off exponentially with jitter, and stop at once on what no retry fixes', async () => {
  assert.equal(backoffMs(0, 200, 10_000, () => 0.999), 199);
  assert.equal(backoffMs(3, 200, 10_000, () => 0.5), 800);
  assert.equal(backoffMs(20, 200, 10_000, () => 0.999), 9990, 'capped');
  const waits: number[] = [];
  let calls = 0;
  const value = await withRetry(async () => (++calls < 3 ? Promise.reject(new Error('flaky')) : 'ok'), { attempts: 5, baseMs: 100, maxMs: 1000, retryable: () => true, sleep: async (ms) => void waits.push(ms) });
  assert.equal(value, 'ok');
  assert.equal(waits.length, 2);
  calls = 0;
  await assert.rejects(withRetry(async () => { calls++; throw new Error('403'); }, { attempts: 5, baseMs: 1, maxMs: 1, retryable: () => false, sleep: async () => {} }), /403/);
  assert.equal(calls, 1);
});

test('config: defaults fit MarketHub, mistakes name the field', () => {
  assert.equal(DEFAULT_MAPPING.folders['product-images']!.prefix, 'products/');
  assert.deepEqual(parseFilesMapping({ mapping: { 'product-images': 'img' } }).folders, { 'product-images': { prefix: 'img/' } });
  assert.throws(() => parseFilesMapping({ mapping: { 'a/b': 'x/' } }), /mapping\.a\/b/);
  assert.throws(() => parseFilesMapping({ mapping: { x: { bucket: 'Bad_Bucket' } } }), /bucket is not a valid bucket name/);
  assert.throws(() => parseFilesMapping({ urlColumns: [{ table: 'users' }] }), /urlColumns\.0\.column/);
  assert.throws(() => parseFilesMapping({ legacyOrigins: ['ftp://x'] }), /legacyOrigins\.0/);
  assert.throws(() => parseFilesMapping({ extra: 1 }), /top level/);
});
