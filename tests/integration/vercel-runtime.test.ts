// toVercel behind Vercel's own Node runtime (@vercel/node's dev server: the function wrapper with its
// req.query / req.cookies / req.body helpers, on by default, and off as NODEJS_HELPERS=0 leaves it):
// every common body kind reaches the app's own parsers byte for byte, multipart uploads work, HEAD,
// cookies and binary answers pass; and the project's api/index accepts a correctly signed Paystack
// webhook whatever the sender's JSON formatting, takes a file past the 4.5 MB body limit through a
// presigned PUT to S3, and answers a multipart upload past that limit with a 413 naming the way.
import assert from 'node:assert/strict';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, test } from 'vitest';
import express from 'express';
import pg from 'pg';
import { toVercel } from '../../shim/index.js';
import { directUpload, jpegOf, multipartFile } from '../app/direct-uploads.js';
import { fakePaystack, type FakePaystack } from '../app/fake-paystack.js';
import { objectBytes, startTestS3, S3_ENV, type TestS3 } from '../helpers/s3.js';
import { prepareMigratedTemplate, type MigratedTemplate } from '../shim/fixture.js';
import { vercelServer } from '../shim/transports.js';
import { ONE_MB } from '../shim/vercel-body-app.js';
import { startVercelDev, type VercelDev } from '../shim/vercel-dev.js';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

// Pretty-printed, with integers past 2^53: any re-serialisation changes the bytes (and the digits).
const PRETTY_JSON = Buffer.from('{\n    "event": "charge.success",\n    "data": {\n        "id": 302961111111111111111,\n        "amount": 5000\n    }\n}\n');
const BOUNDARY = 'mh-boundary-7d1f';
const MULTIPART = Buffer.concat([
  Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhi\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="x.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`),
  Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
  Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
]);
const JPEG = Buffer.concat([Buffer.from('ffd8ffe000104a46494600', 'hex'), randomBytes(40_000), Buffer.from('ffd9', 'hex')]);

const BODY_KINDS: { name: string; type: string; body: Buffer }[] = [
  { name: 'pretty-printed JSON with big integers', type: 'application/json', body: PRETTY_JSON },
  { name: 'JSON:API', type: 'application/vnd.api+json', body: Buffer.from('{"data":{"type":"products","id":"1","attributes":{"name":"Zoë"}}}') },
  { name: 'XML', type: 'application/xml', body: Buffer.from('<?xml version="1.0"?><order id="7"><note>été</note></order>') },
  { name: 'CSV', type: 'text/csv', body: Buffer.from('sku,stock\nA-1,5\n"B,2",0\n') },
  { name: 'JPEG image', type: 'image/jpeg', body: JPEG },
  { name: 'Latin-1 text', type: 'text/plain; charset=iso-8859-1', body: Buffer.from('caf\xe9 cr\xe8me \xa9', 'latin1') },
  { name: 'Latin-1 form', type: 'application/x-www-form-urlencoded; charset=iso-8859-1', body: Buffer.from('name=Zo\xeb&city=K\xf6ln', 'latin1') },
  { name: '1 MB binary', type: 'application/octet-stream', body: ONE_MB },
  { name: 'multipart form', type: `multipart/form-data; boundary=${BOUNDARY}`, body: MULTIPART },
  { name: 'invalid JSON', type: 'application/json', body: Buffer.from('{"unterminated": ') },
];

async function post(url: string, type: string, body: Buffer, headers: Record<string, string> = {}): Promise<Response> {
  // A Blob without a type: the Content-Type sent is the header's, exactly.
  return fetch(url, { method: 'POST', headers: { 'content-type': type, ...headers }, body: new Blob([new Uint8Array(body)]) });
}

for (const helpers of [true, false]) {
  describe(`a small app through toVercel, runtime helpers ${helpers ? 'on (the default)' : 'off (NODEJS_HELPERS=0)'}`, () => {
    let dev: VercelDev;
    beforeAll(async () => { dev = await startVercelDev('dist/tests/shim/vercel-body-app.js', { helpers }); });
    afterAll(async () => { await dev?.close(); });

    test('10 of 10 body kinds reach express.raw byte for byte', async () => {
      const wrong: string[] = [];
      for (const kind of BODY_KINDS) {
        const res = await post(`${dev.url}/raw`, kind.type, kind.body);
        const got = await res.json() as { length: number; sha256: string; contentType: string };
        if (res.status !== 200 || got.length !== kind.body.length || got.sha256 !== sha256(kind.body) || got.contentType !== kind.type) {
          wrong.push(`${kind.name}: ${res.status} ${got.length}/${kind.body.length} bytes`);
        }
      }
      assert.deepEqual(wrong, [], dev.output());
    });

    test('the app\'s own JSON and form parsers read the original bytes', async () => {
      const api = await post(`${dev.url}/json`, 'application/vnd.api+json', Buffer.from('{"data": {"id": "1", "n": 1.5}}'));
      assert.deepEqual(await api.json(), { body: { data: { id: '1', n: 1.5 } } });
      const form = await post(`${dev.url}/form`, 'application/x-www-form-urlencoded', Buffer.from('a=1&b=2&b=3&n[x]=%C3%A9t%C3%A9'));
      assert.deepEqual(await form.json(), { body: { a: '1', b: ['2', '3'], n: { x: 'été' } } });
      const invalid = await post(`${dev.url}/json`, 'application/json', Buffer.from('{"a": '));
      assert.equal(invalid.status, 400, 'the app\'s parser, not the runtime\'s, answers an invalid body');
    });

    test('a 300 KB multipart upload through multer arrives whole', async () => {
      const file = randomBytes(300 * 1024);
      const form = new FormData();
      form.append('note', 'größe');
      form.append('file', new Blob([file], { type: 'image/png' }), 'photo.png');
      const res = await fetch(`${dev.url}/upload`, { method: 'POST', body: form });
      assert.equal(res.status, 201, await res.clone().text());
      assert.deepEqual(await res.json(), { name: 'photo.png', type: 'image/png', size: file.length, sha256: sha256(file), note: 'größe' });
    });

    test('a 1 MB binary answer arrives byte for byte, and HEAD gives its length without a body', async () => {
      const res = await fetch(`${dev.url}/blob`);
      assert.equal(res.status, 200);
      assert.equal(sha256(Buffer.from(await res.arrayBuffer())), sha256(ONE_MB));
      const head = await fetch(`${dev.url}/blob`, { method: 'HEAD' });
      assert.equal(head.status, 200);
      assert.equal(head.headers.get('content-length'), String(ONE_MB.length));
      assert.equal((await head.arrayBuffer()).byteLength, 0);
    });

    test('cookies in, several Set-Cookie out, the query parsed by Express, no runtime helper showing through', async () => {
      const res = await fetch(`${dev.url}/cookies?tag=a&tag=b`, { headers: { cookie: 'x=1; y=2' } });
      assert.deepEqual(res.headers.getSetCookie(), ['session=abc; Path=/; HttpOnly', 'theme=dark; Path=/']);
      assert.deepEqual(await res.json(), { header: 'x=1; y=2', cookies: null, query: { tag: ['a', 'b'] } });
    });
  });
}

test('a body read before the function with no bytes left is refused with a 500 naming the fix, never re-serialised', async () => {
  const app = express();
  app.post('/raw', express.raw({ type: () => true }), (req, res) => { res.json({ length: (req.body as Buffer).length }); });
  const server = await vercelServer(toVercel(app), 'consumed');
  const stderr = process.stderr.write;
  const logged: string[] = [];
  process.stderr.write = ((chunk: string) => { logged.push(String(chunk)); return true; }) as typeof process.stderr.write;
  try {
    const res = await post(`${server.url}/raw`, 'application/json', PRETTY_JSON);
    assert.equal(res.status, 500);
    const body = await res.json() as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'body_unavailable');
    assert.match(body.error.message, /NODEJS_HELPERS=0/);
    assert.match(logged.join(''), /body_unavailable|NODEJS_HELPERS=0/);
  } finally {
    process.stderr.write = stderr;
    await server.close();
  }
});

describe('the project\'s api/index through the runtime, helpers on', () => {
  const PAYSTACK_SECRET = 'sk_test_vercel_runtime_0123456789';
  let template: MigratedTemplate;
  let s3: TestS3;
  let dev: VercelDev;
  let databaseUrl: string;
  let bucket: string;
  let paystack: FakePaystack;

  beforeAll(async () => {
    paystack = await fakePaystack(PAYSTACK_SECRET);
    template = await prepareMigratedTemplate('vercel_rt');
    s3 = await startTestS3();
    const copy = await template.copy('vercel_rt');
    databaseUrl = copy.url;
    bucket = await s3.freshBucket('vercel-rt');
    dev = await startVercelDev('dist/api/index.js', {
      env: {
        ...S3_ENV, DATABASE_URL: copy.url, JWT_SECRET: 'vercel-runtime-secret-0123456789', PAYSTACK_SECRET_KEY: PAYSTACK_SECRET,
        S3_BUCKET: bucket, S3_ENDPOINT: s3.endpoint, CDN_BASE_URL: 'https://cdn.example.test', DB_APPLICATION_NAME: 'mh-vercel-rt',
        PAYSTACK_API_BASE: paystack.url,
      },
    });
  });
  afterAll(async () => {
    await dev?.close();
    await s3?.stop();
    await template?.close();
  });

  test('GET /api/health answers 200', async () => {
    const res = await fetch(`${dev.url}/api/health`);
    assert.equal(res.status, 200, `${await res.clone().text()}\n${dev.output()}`);
  });

  test('the Paystack webhook accepts a correctly signed pretty-printed body and pays the order; a re-serialised one is refused', async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows: [order] } = await client.query<{ id: string; total: string; currency: string }>('SELECT id, total, currency FROM orders ORDER BY id LIMIT 1');
      assert.ok(order, 'the sample shop has an order');
      const reference = `ref-vercel-${randomBytes(4).toString('hex')}`;
      await client.query('UPDATE orders SET status = \'pending\', paid_at = NULL, payment_reference = $1 WHERE id = $2', [reference, order.id]);
      const cents = Math.round(Number(order.total) * 100);
      const currency = order.currency.toUpperCase();
      paystack.record({ reference, status: 'success', amount: cents, currency });
      const body = Buffer.from(`{\n  "event": "charge.success",\n  "data": {\n    "id": 302961111111111111111,\n    "reference": "${reference}",\n    "status": "success",\n    "amount": ${cents},\n    "currency": "${currency}"\n  }\n}\n`);
      const sign = (bytes: Buffer) => createHmac('sha512', PAYSTACK_SECRET).update(bytes).digest('hex');
      // The same event, minified: what a runtime that re-serialised the body would hand the app.
      const minified = Buffer.from(JSON.stringify(JSON.parse(body.toString())));
      const tampered = await post(`${dev.url}/api/webhooks/paystack`, 'application/json', minified, { 'x-paystack-signature': sign(body) });
      assert.equal(tampered.status, 401);
      const res = await post(`${dev.url}/api/webhooks/paystack`, 'application/json', body, { 'x-paystack-signature': sign(body) });
      assert.equal(res.status, 200, `${await res.clone().text()}\n${dev.output()}`);
      assert.deepEqual(await res.json(), { received: true, handled: true });
      const { rows: [after] } = await client.query<{ status: string }>('SELECT status FROM orders WHERE id = $1', [order.id]);
      assert.equal(after!.status, 'paid');
    } finally {
      await client.end();
    }
  });

  test('a 4.8 MB product image: multipart is refused with a 413 naming the presign route; presign, PUT, confirm puts it on the product', async () => {
    const reg = await post(`${dev.url}/api/auth/register`, 'application/json', Buffer.from(JSON.stringify({ email: 'vercel.vendor@example.com', password: 'long enough 1', firstName: 'Vi' })));
    assert.equal(reg.status, 201, `${await reg.clone().text()}\n${dev.output()}`);
    const { accessToken: token, user } = await reg.json() as { accessToken: string; user: { id: number } };
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query('UPDATE users SET role = \'vendor\' WHERE id = $1', [user.id]);
      await client.query('UPDATE vendors SET owner_id = $1 WHERE id = 1', [user.id]);
    } finally {
      await client.end();
    }
    const image = jpegOf(4_800_000);
    const form = multipartFile('image', image, 'big.jpg', 'image/jpeg');
    const multipart = await post(`${dev.url}/api/products/1/images`, form.contentType, form.body, { authorization: `Bearer ${token}` });
    assert.equal(multipart.status, 413, `${await multipart.clone().text()}\n${dev.output()}`);
    const refused = await multipart.json() as { error: { code: string; message: string } };
    assert.equal(refused.error.code, 'use_direct_upload');
    assert.match(refused.error.message, /POST \/api\/uploads\/presign/);

    const { upload, confirmed } = await directUpload(dev.url, token, { kind: 'product-image', productId: 1, contentType: 'image/jpeg' }, image);
    assert.equal(confirmed.body.image.url, `https://cdn.example.test/${upload.key}`);
    const product = await (await fetch(`${dev.url}/api/products/1`)).json() as { product: { images: { url: string }[] } };
    assert.ok(product.product.images.some((i) => i.url === confirmed.body.image.url), JSON.stringify(product.product.images));
    assert.ok((await objectBytes(s3.client, bucket, upload.key)).equals(image));
    assert.doesNotMatch(dev.output(), /X-Amz-Signature/);
  });
});
