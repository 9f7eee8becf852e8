// Direct uploads against a real S3 server (s3rver) and the migrated Postgres: presign -> PUT with fetch
// -> confirm -> the product, avatar or ticket shows the CDN URL; every bad request gets a clear 4xx and
// leaves the shop as it was; the legacy server (MySQL, local disk) keeps its multipart routes as they were.
//
// What s3rver 3.7.1 checks of a presigned URL (lib/middleware/authentication.js): the access key and
// the expiry (X-Amz-Date + X-Amz-Expires). It does not compute V4 signatures, so it takes a URL whose
// signature, key, signed headers or expiry were changed, and it ignores the signed Content-Type,
// Content-Length and Content-MD5 that make S3 refuse other bytes. The tests below show S3's refusals
// that s3rver makes (expired URL, unknown access key) and, for the rest, that what such a PUT leaves
// in the bucket is refused when confirmed (size, type, content and MD5 read back; key tags checked).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import request from 'supertest';
import type { Express } from 'express';
import type { Sequelize } from 'sequelize';
import { createApp, localDiskStorage, s3Storage, type AppConfig } from '../../src/app/index.js';
import type { PresignedUpload } from '../../src/app/services/direct-uploads.js';
import { createLegacySequelize, createServerlessSequelize } from '../../src/db/index.js';
import { VERCEL_BODY_LIMIT_BYTES } from '../../shim/app/index.js';
import { confirm, directUpload, jpegOf, md5Of, multipartFile, presign, putTo } from '../app/direct-uploads.js';
import { JWT_SECRET } from '../app/fixture.js';
import { headObject, listKeys, objectBytes, startTestS3, type TestS3 } from '../helpers/s3.js';
import { prepareMigratedTemplate, type MigratedTemplate } from '../shim/fixture.js';

const CDN = 'https://cdn.markethub.test';
const MAX = 5 * 1024 * 1024;
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000a49444154789c6300010000050001' + '0d0a2db40000000049454e44ae426082', 'hex');
const PDF = Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n', 'latin1');
const HTML = Buffer.from('<html><script>alert(document.cookie)</script></html>');

let template: MigratedTemplate;
let s3: TestS3;
let bucket: string;
let sequelize: Sequelize;
let app: Express;
const logs: string[] = [];
const cleanups: (() => Promise<unknown>)[] = [];

interface Person { id: number; token: string }
let vendor: Person;
let otherVendor: Person;
let admin: Person;
let customer: Person;

function serverlessApp(config: Partial<AppConfig> = {}): Express {
  return createApp({
    sequelize,
    config: {
      jwtSecret: JWT_SECRET, bcryptRounds: 4, logSink: (line) => logs.push(line),
      storage: s3Storage({ client: s3.client, bucket, cdnBase: CDN }), functionBodyLimitBytes: VERCEL_BODY_LIMIT_BYTES, ...config,
    },
  });
}

async function register(email: string, role: string): Promise<Person> {
  const res = await request(app).post('/api/auth/register').send({ email, password: 'long enough 1', firstName: 'Up' });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  await sequelize.query('UPDATE users SET role = :role WHERE id = :id', { replacements: { role, id: res.body.user.id } });
  return { id: res.body.user.id as number, token: res.body.accessToken as string };
}

const imageRows = async (productId: number) =>
  ((await sequelize.query('SELECT url FROM product_images WHERE product_id = :productId ORDER BY id', { replacements: { productId } }))[0] as { url: string }[]).map((r) => r.url);

beforeAll(async () => {
  [template, s3] = await Promise.all([prepareMigratedTemplate('direct_up'), startTestS3()]);
  const copy = await template.copy('direct_up');
  bucket = await s3.freshBucket('direct-up');
  sequelize = createServerlessSequelize(copy.url);
  app = serverlessApp();
  vendor = await register('vera.vendor@example.com', 'vendor');
  otherVendor = await register('victor.vendor@example.com', 'vendor');
  admin = await register('ada.admin@example.com', 'admin');
  customer = await register('cora.customer@example.com', 'customer');
  // Vera sells product 1 (vendor 1); Victor sells product 4's vendor's goods.
  await sequelize.query('UPDATE vendors SET owner_id = :vera WHERE id = 1', { replacements: { vera: vendor.id } });
  await sequelize.query('UPDATE vendors SET owner_id = :victor WHERE id = (SELECT vendor_id FROM products WHERE vendor_id <> 1 ORDER BY id LIMIT 1)', { replacements: { victor: otherVendor.id } });
});

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
  await sequelize?.close();
  await template?.close();
  await s3?.stop();
});

describe('presign -> PUT -> confirm', () => {
  test('a 4.8 MB product image, refused as multipart past the function limit, arrives directly; the product shows its CDN URL', async () => {
    const image = jpegOf(4_800_000);
    const form = multipartFile('image', image, 'big.jpg', 'image/jpeg');
    const multipart = await request(app).post('/api/products/1/images').set('Authorization', `Bearer ${vendor.token}`).set('Content-Type', form.contentType).send(form.body);
    assert.equal(multipart.status, 413, JSON.stringify(multipart.body));
    assert.equal(multipart.body.error.code, 'use_direct_upload');
    assert.match(multipart.body.error.message, /POST \/api\/uploads\/presign/);

    const before = await imageRows(1);
    const { upload, confirmed } = await directUpload(app, vendor.token, { kind: 'product-image', productId: 1, contentType: 'image/jpeg' }, image, { alt: 'Grande photo' });
    assert.match(upload.key, /^products\/p1-[0-9a-f]{16}-[0-9a-f]{24}\.jpg$/);
    assert.equal(upload.confirm.path, '/api/products/1/images');
    const expiresIn = (Date.parse(upload.expiresAt) - Date.now()) / 1000;
    assert.ok(expiresIn > 590 && expiresIn <= 600, `expires in ${expiresIn} s`);
    // What S3 would hold the PUT to: the signature covers type, length, caching and disposition,
    // and no checksum computed at signing time rides along.
    const url = new URL(upload.url);
    assert.equal(url.searchParams.get('X-Amz-SignedHeaders'), 'cache-control;content-length;content-type;host');
    assert.equal(url.searchParams.get('X-Amz-Expires'), '600');
    assert.deepEqual([...url.searchParams.keys()].filter((k) => /checksum/i.test(k)), []);

    // Answered as the multipart route answers.
    assert.deepEqual(Object.keys(confirmed.body.image).sort(), ['alt', 'id', 'order', 'url']);
    assert.equal(confirmed.body.image.url, `${CDN}/${upload.key}`);
    assert.equal(confirmed.body.image.alt, 'Grande photo');
    const product = await request(app).get('/api/products/1');
    assert.ok(product.body.product.images.some((i: { url: string }) => i.url === `${CDN}/${upload.key}`), JSON.stringify(product.body.product.images));
    assert.deepEqual(await imageRows(1), [...before, `${CDN}/${upload.key}`]);
    assert.ok((await objectBytes(s3.client, bucket, upload.key)).equals(image));
    const head = await headObject(s3.client, bucket, upload.key);
    assert.equal(head.ContentType, 'image/jpeg');
    assert.equal(head.CacheControl, 'public, max-age=31536000, immutable');
  });

  test('an avatar and a support attachment (PDF, with its MD5 signed and checked) arrive directly', async () => {
    const avatar = await directUpload(app, customer.token, { kind: 'avatar', contentType: 'image/png' }, PNG);
    assert.match(avatar.upload.key, new RegExp(`^avatars/u${customer.id}-`));
    assert.equal(avatar.confirmed.body.user.avatar, `${CDN}/${avatar.upload.key}`);

    const ticket = await request(app).post('/api/support/tickets').set('Authorization', `Bearer ${customer.token}`).send({ subject: 'Invoice', message: 'Attached' });
    assert.equal(ticket.status, 201);
    const id = ticket.body.ticket.id as number;
    const md5 = md5Of(PDF);
    const { upload, confirmed } = await directUpload(app, customer.token, { kind: 'support-attachment', ticketId: id, contentType: 'application/pdf', md5 }, PDF, { md5, name: 'facture.pdf' });
    assert.equal(upload.headers['Content-MD5'], md5);
    assert.equal(upload.headers['Content-Disposition'], 'attachment');
    assert.equal(new URL(upload.url).searchParams.get('X-Amz-SignedHeaders'), 'cache-control;content-disposition;content-length;content-md5;content-type;host');
    const [attachment] = confirmed.body.ticket.attachments;
    assert.equal(attachment.originalName, 'facture.pdf');
    assert.equal(attachment.sizeBytes, PDF.length);
    assert.equal(attachment.filePath, `${CDN}/${upload.key}`);
    const [[row]] = await sequelize.query('SELECT checksum_md5 FROM support_attachments WHERE ticket_id = :id', { replacements: { id } }) as [{ checksum_md5: Buffer }[], unknown];
    assert.equal(row!.checksum_md5.toString('base64'), md5);
    assert.equal((await headObject(s3.client, bucket, upload.key)).ContentDisposition, 'attachment');
  });

  test('nothing secret reaches the logs: no signature, no key material', () => {
    const text = logs.join('\n');
    assert.doesNotMatch(text, /X-Amz-Signature|X-Amz-Credential/);
    assert.ok(!text.includes(JWT_SECRET));
    assert.ok(!text.includes('S3RVER'));
  });
});

describe('presign refuses', () => {
  const ask = { kind: 'product-image', productId: 1, contentType: 'image/jpeg', size: 1000 };
  const cases: [string, () => Promise<request.Response>, number, string?][] = [
    ['no token', () => presign(app, undefined, ask), 401],
    ['a customer, for a product image', () => presign(app, customer.token, ask), 403],
    ['another vendor\'s product', () => presign(app, otherVendor.token, ask), 403],
    ['a product that does not exist', () => presign(app, vendor.token, { ...ask, productId: 999999 }), 404],
    ['a type the kind does not take', () => presign(app, vendor.token, { ...ask, contentType: 'application/pdf' }), 400, 'contentType'],
    ['SVG (scriptable) as an image', () => presign(app, vendor.token, { ...ask, contentType: 'image/svg+xml' }), 400, 'contentType'],
    ['a file past the limit', () => presign(app, vendor.token, { ...ask, size: MAX + 1 }), 413, 'size'],
    ['an empty file', () => presign(app, vendor.token, { ...ask, size: 0 }), 400, 'size'],
    ['a size that is not a whole number', () => presign(app, vendor.token, { ...ask, size: 10.5 }), 400, 'size'],
    ['an unknown kind', () => presign(app, vendor.token, { ...ask, kind: 'journal-image' }), 400, 'kind'],
    ['a field it does not know', () => presign(app, vendor.token, { ...ask, key: 'products/mine.jpg' }), 400],
    ['an MD5 that is not one', () => presign(app, vendor.token, { ...ask, md5: 'abc' }), 400, 'md5'],
    ['another user\'s ticket', async () => {
      const ticket = await request(app).post('/api/support/tickets').set('Authorization', `Bearer ${customer.token}`).send({ subject: 'Mine', message: 'Private' });
      return presign(app, vendor.token, { kind: 'support-attachment', ticketId: ticket.body.ticket.id, contentType: 'application/pdf', size: 10 });
    }, 404],
  ];
  for (const [name, send, status, field] of cases) {
    test(`${name}: ${status}`, async () => {
      const res = await send();
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.equal(typeof res.body.error.message, 'string');
      if (field) assert.ok(res.body.error.fields?.[field], JSON.stringify(res.body.error));
      assert.equal(res.body.upload, undefined);
    });
  }
});

describe('confirm refuses, and the shop keeps what it had', () => {
  const presigned = async (token: string, body: Record<string, unknown>) => {
    const res = await presign(app, token, body);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.upload as PresignedUpload;
  };
  const image = jpegOf(50_000);
  const productImage = { kind: 'product-image', productId: 1, contentType: 'image/jpeg', size: image.length };
  let before: string[];
  beforeAll(async () => { before = await imageRows(1); });

  test('a key that was never uploaded: 400, and the URL is not recorded', async () => {
    const upload = await presigned(vendor.token, productImage);
    const res = await confirm(app, vendor.token, '/api/products/1/images', { key: upload.key });
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.match(res.body.error.fields.key[0], /no file under this key/);
  });

  test('someone else\'s key, even by an admin who may change the product: 403; the owner still confirms it', async () => {
    const upload = await presigned(vendor.token, productImage);
    assert.equal((await putTo(upload, image)).status, 200);
    const byAdmin = await confirm(app, admin.token, '/api/products/1/images', { key: upload.key });
    assert.equal(byAdmin.status, 403, JSON.stringify(byAdmin.body));
    assert.equal(byAdmin.body.error.message, 'this upload key was not issued to you');
    const byOther = await confirm(app, otherVendor.token, '/api/products/1/images', { key: upload.key });
    assert.equal(byOther.status, 403);
    // Another user's avatar key cannot become mine.
    const avatar = await presigned(customer.token, { kind: 'avatar', contentType: 'image/png', size: PNG.length });
    assert.equal((await putTo(avatar, PNG)).status, 200);
    const stolen = await confirm(app, vendor.token, '/api/users/me/avatar', { key: avatar.key });
    assert.equal(stolen.status, 400, JSON.stringify(stolen.body));
    const mine = await request(app).get('/api/users/me').set('Authorization', `Bearer ${vendor.token}`);
    assert.equal(mine.body.user.avatar, null);
    assert.deepEqual(await imageRows(1), before);
    // Nothing was deleted: the owner's confirm goes through, once.
    const byOwner = await confirm(app, vendor.token, '/api/products/1/images', { key: upload.key });
    assert.equal(byOwner.status, 201, JSON.stringify(byOwner.body));
    const again = await confirm(app, vendor.token, '/api/products/1/images', { key: upload.key });
    assert.equal(again.status, 409, JSON.stringify(again.body));
    assert.equal(again.body.error.code, 'already_taken');
    before = await imageRows(1);
    assert.equal(before.filter((u) => u === `${CDN}/${upload.key}`).length, 1);
  });

  test('keys that are not this route\'s: another product, another kind, made up, missing', async () => {
    const upload = await presigned(vendor.token, productImage);
    assert.equal((await putTo(upload, image)).status, 200);
    const forged = upload.key.replace(/-([0-9a-f]{24})\./, (_m, tag: string) => `-${tag.slice(0, -1)}${tag.endsWith('0') ? '1' : '0'}.`);
    for (const [path, body, status] of [
      ['/api/products/2/images', { key: upload.key }, 400],
      ['/api/users/me/avatar', { key: upload.key }, 400],
      ['/api/products/1/images', { key: upload.key.replace('products/', 'avatars/') }, 400],
      ['/api/products/1/images', { key: 'products/p1-0123456789abcdef.jpg' }, 400],
      ['/api/products/1/images', { key: '../products/x.jpg' }, 400],
      ['/api/products/1/images', { key: forged }, 403],
      ['/api/products/1/images', { key: upload.key.replace('.jpg', '.png') }, 403],
      ['/api/products/1/images', { key: '' }, 400],
      ['/api/products/1/images', {}, 400],
    ] as const) {
      const res = await confirm(app, vendor.token, path, body);
      assert.equal(res.status, status, `${path} ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`);
    }
    assert.equal((await confirm(app, undefined, '/api/products/1/images', { key: upload.key })).status, 401);
    assert.equal((await confirm(app, customer.token, '/api/products/1/images', { key: upload.key })).status, 403);
    assert.deepEqual(await imageRows(1), before);
  });

  // The URL signs type and length (the storage refuses a PUT that changes them, as S3 does) and the MD5
  // (S3 answers BadDigest; s3rver does not check it). Where the storage took such bytes anyway, put
  // there directly here, the confirm is the second line: it refuses them and deletes the object.
  const bad: [string, Buffer, string, number, boolean, Record<string, unknown>?][] = [
    ['a PUT with another Content-Type (text/html)', image, 'text/html', 400, true],
    ['HTML bytes sent as image/jpeg', HTML, 'image/jpeg', 400, true],
    ['more bytes than the kind allows', jpegOf(MAX + 10), 'image/jpeg', 413, true],
    ['bytes that are not the ones checksummed', jpegOf(image.length), 'image/jpeg', 400, false, { md5: md5Of(image) }],
  ];
  for (const [name, bytes, contentType, status, refusedAtPut, extra] of bad) {
    test(`${name}: ${refusedAtPut ? 'refused by the storage at the PUT; ' : ''}${status} at confirm, and the stored file is deleted`, async () => {
      const upload = await presigned(vendor.token, productImage);
      const put = await putTo(upload, bytes, { 'Content-Type': contentType });
      if (refusedAtPut) {
        assert.equal(put.status, 403);
        assert.match(await put.text(), /SignatureDoesNotMatch/);
        assert.ok(!(await listKeys(s3.client, bucket)).includes(upload.key));
        await s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: upload.key, Body: bytes, ContentType: contentType }));
      } else {
        assert.equal(put.status, 200, 's3rver takes it');
      }
      const res = await confirm(app, vendor.token, '/api/products/1/images', { key: upload.key, ...extra });
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.ok(!(await listKeys(s3.client, bucket)).includes(upload.key), 'the refused file is gone');
      assert.deepEqual(await imageRows(1), before);
    });
  }
});

describe('what the storage refuses of a presigned URL', () => {
  test('an expired URL is refused by the storage and stores nothing', async () => {
    const shortLived = serverlessApp({ directUploadExpirySeconds: 1 });
    const res = await presign(shortLived, vendor.token, { kind: 'product-image', productId: 1, contentType: 'image/png', size: PNG.length });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const upload = res.body.upload as PresignedUpload;
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const put = await putTo(upload, PNG);
    assert.equal(put.status, 403);
    assert.match(await put.text(), /Request has expired/);
    assert.ok(!(await listKeys(s3.client, bucket)).includes(upload.key));
    assert.equal((await confirm(shortLived, vendor.token, '/api/products/1/images', { key: upload.key })).status, 400);
  });

  test('a URL whose credential was changed is refused by the storage', async () => {
    const res = await presign(app, vendor.token, { kind: 'product-image', productId: 1, contentType: 'image/png', size: PNG.length });
    const upload = res.body.upload as PresignedUpload;
    const url = new URL(upload.url);
    url.searchParams.set('X-Amz-Credential', url.searchParams.get('X-Amz-Credential')!.replace(/^[^/]+/, 'SOMEONE'));
    const put = await putTo(upload, PNG, {}, url.href);
    assert.equal(put.status, 403);
    assert.match(await put.text(), /InvalidAccessKeyId/);
    assert.ok(!(await listKeys(s3.client, bucket)).includes(upload.key));
  });

  test('a URL tampered to write another key, or to change its signed content type, is refused by the storage', async () => {
    const res = await presign(app, vendor.token, { kind: 'product-image', productId: 1, contentType: 'image/png', size: PNG.length });
    const upload = res.body.upload as PresignedUpload;
    const other = upload.key.replace('/p1-', '/p2-');
    const url = new URL(upload.url);
    url.pathname = url.pathname.replace(upload.key, other);
    const put = await putTo(upload, PNG, {}, url.href);
    assert.equal(put.status, 403);
    assert.match(await put.text(), /SignatureDoesNotMatch/);
    const retyped = await putTo(upload, PNG, { 'content-type': 'text/html' });
    assert.equal(retyped.status, 403);
    assert.match(await retyped.text(), /SignatureDoesNotMatch/);
    const keys = await listKeys(s3.client, bucket);
    assert.ok(!keys.includes(other) && !keys.includes(upload.key));
    // The untouched URL still works: the refusals above were the signature's.
    assert.equal((await putTo(upload, PNG)).status, 200);
  });
});

describe('the legacy server (MySQL, local disk) keeps its multipart routes', () => {
  let legacy: Express;
  let token: string;
  beforeAll(async () => {
    const uploadsRoot = await mkdtemp(path.join(tmpdir(), 'mh-direct-legacy-'));
    const mysql = createLegacySequelize(template.mysql.url);
    cleanups.push(() => mysql.close(), () => rm(uploadsRoot, { recursive: true, force: true }));
    legacy = createApp({ sequelize: mysql, config: { jwtSecret: JWT_SECRET, bcryptRounds: 4, storage: localDiskStorage(uploadsRoot), logSink: () => {} } });
    const reg = await request(legacy).post('/api/auth/register').send({ email: 'lee.legacy@example.com', password: 'long enough 1', firstName: 'Lee' });
    token = reg.body.accessToken as string;
  });

  test('a 4.8 MB avatar goes through multipart as before; presign is not offered and { key } is no file', async () => {
    const big = jpegOf(4_800_000);
    const ok = await request(legacy).post('/api/users/me/avatar').set('Authorization', `Bearer ${token}`).attach('avatar', big, { filename: 'me.jpg', contentType: 'image/jpeg' });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    assert.match(ok.body.user.avatar, /^\/uploads\/user-avatars\/u\d+-[0-9a-f]{16}\.jpg$/);
    const served = await request(legacy).get(ok.body.user.avatar);
    assert.equal(served.body.length, big.length);

    const res = await presign(legacy, token, { kind: 'avatar', contentType: 'image/jpeg', size: 10 });
    assert.equal(res.status, 404, JSON.stringify(res.body));
    assert.match(res.body.error.message, /S3/);
    const key = await confirm(legacy, token, '/api/users/me/avatar', { key: 'avatars/u1-0123456789abcdef-0123456789abcdef01234567.jpg' });
    assert.equal(key.status, 400);
    assert.deepEqual(key.body.error.fields, { avatar: ['a file is required (multipart field "avatar")'] });
  });
});
