// Express's own behaviours through the shim, for Express 4 and Express 5, through toLambda (API
// Gateway v1, v2, ALB with and without multi-value headers) and toVercel (body untouched, or already
// read, parsed and replayed by the runtime): bodies, uploads, binary answers, cookies, redirects, HEAD,
// req.ip behind a proxy, query arrays, 404 and error handlers, a base path.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, test } from 'vitest';
import express4 from 'express';
import express5 from 'express5';
import multer from 'multer';
import request from 'supertest';
import { stripBasePath } from '../../shim/options.js';
import { toLambda, toVercel } from '../../shim/index.js';
import { lambdaGateway, vercelServer, type RunningServer } from '../shim/transports.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000a49444154789c6300010000050001' + '0d0a2db40000000049454e44ae426082', 'hex');
// Every byte value, so a text round trip anywhere would show.
const BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

type ExpressModule = typeof express4;

function behaviourApp(express: ExpressModule) {
  const app = express();
  app.set('query parser', 'extended');
  app.use(express.json());
  app.use(express.urlencoded({ extended: true }));
  const upload = multer({ storage: multer.memoryStorage() });
  app.post('/echo', (req, res) => { res.json({ body: req.body ?? null, type: req.get('content-type') ?? null }); });
  app.get('/query', (req, res) => { res.json(req.query); });
  app.get('/ip', (req, res) => { res.json({ ip: req.ip, ips: req.ips, protocol: req.protocol }); });
  app.post('/upload', upload.single('file'), (req, res) => {
    const file = req.file!;
    res.status(201).json({ field: file.fieldname, name: file.originalname, type: file.mimetype, size: file.size, sha256: createHash('sha256').update(file.buffer).digest('hex'), note: req.body.note });
  });
  app.get('/image', (_req, res) => { res.type('png').send(PNG); });
  app.get('/bytes', (_req, res) => { res.type('application/octet-stream').send(BYTES); });
  app.get('/cookies', (_req, res) => {
    res.cookie('session', 'abc', { httpOnly: true, sameSite: 'lax' });
    res.cookie('theme', 'dark');
    res.cookie('lang', 'fr', { path: '/shop' });
    res.json({ ok: true });
  });
  app.get('/redirect', (_req, res) => { res.redirect(301, '/query?moved=1'); });
  app.get('/text', (_req, res) => { res.set('X-Custom', 'yes').type('text').send('hello, world'); });
  app.get('/boom', () => { throw new Error('boom'); });
  app.use((_req: express4.Request, res: express4.Response) => { res.status(404).json({ error: 'not found' }); });
  app.use((error: Error, _req: express4.Request, res: express4.Response, _next: express4.NextFunction) => {
    res.status(500).json({ error: error.message });
  });
  return app;
}

const ADAPTERS = [
  { name: 'toLambda v1', start: (app: ExpressModule) => lambdaGateway(toLambda(behaviourApp(app), { trustProxy: true }), 'v1'), lambda: true },
  { name: 'toLambda v2', start: (app: ExpressModule) => lambdaGateway(toLambda(behaviourApp(app), { trustProxy: true }), 'v2'), lambda: true },
  { name: 'toLambda ALB', start: (app: ExpressModule) => lambdaGateway(toLambda(behaviourApp(app), { trustProxy: true }), 'alb'), lambda: true },
  { name: 'toLambda ALB single-value', start: (app: ExpressModule) => lambdaGateway(toLambda(behaviourApp(app), { trustProxy: true }), 'alb-single'), lambda: true },
  { name: 'toVercel', start: (app: ExpressModule) => vercelServer(toVercel(behaviourApp(app), { trustProxy: true }), 'lazy'), lambda: false },
  { name: 'toVercel, body parsed by the runtime', start: (app: ExpressModule) => vercelServer(toVercel(behaviourApp(app), { trustProxy: true }), 'parsed'), lambda: false },
] as const;

const EXPRESSES = [['Express 4', express4], ['Express 5', express5 as unknown as ExpressModule]] as const;

for (const [expressName, expressModule] of EXPRESSES) {
  for (const adapter of ADAPTERS) {
    describe(`${expressName} through ${adapter.name}`, () => {
      let server: RunningServer;
      beforeAll(async () => { server = await adapter.start(expressModule); });
      afterAll(async () => { await server?.close(); });
      const singleValue = adapter.name.includes('single-value');

      test('JSON and urlencoded bodies (nested keys, arrays, UTF-8)', async () => {
        const json = await request(server.url).post('/echo').send({ name: 'Zoë 🌸', tags: ['a', 'b'], n: 1.5 });
        assert.equal(json.status, 200);
        assert.deepEqual(json.body.body, { name: 'Zoë 🌸', tags: ['a', 'b'], n: 1.5 });
        const form = await request(server.url).post('/echo').type('form').send('a=1&b=2&b=3&n[x]=%C3%A9t%C3%A9');
        assert.deepEqual(form.body.body, { a: '1', b: ['2', '3'], n: { x: 'été' } });
      });

      // The runtime's helpers read every body with a Content-Type and replay its bytes: multipart included.
      test('multipart upload with a binary file and a field', async () => {
        const res = await request(server.url).post('/upload').field('note', 'hi').attach('file', BYTES, { filename: 'all.bin', contentType: 'application/octet-stream' });
        assert.equal(res.status, 201, res.text);
        assert.deepEqual(res.body, { field: 'file', name: 'all.bin', type: 'application/octet-stream', size: 256, sha256: createHash('sha256').update(BYTES).digest('hex'), note: 'hi' });
      });

      test('binary responses arrive byte for byte', async () => {
        const image = await request(server.url).get('/image').buffer(true).parse((res, cb) => { const c: Buffer[] = []; res.on('data', (d: Buffer) => c.push(d)); res.on('end', () => cb(null, Buffer.concat(c))); });
        assert.equal(image.status, 200);
        assert.match(image.headers['content-type']!, /^image\/png/);
        assert.deepEqual(image.body, PNG);
        const bytes = await request(server.url).get('/bytes').buffer(true).parse((res, cb) => { const c: Buffer[] = []; res.on('data', (d: Buffer) => c.push(d)); res.on('end', () => cb(null, Buffer.concat(c))); });
        assert.deepEqual(bytes.body, BYTES);
      });

      test('several Set-Cookie headers all arrive', async () => {
        const res = await request(server.url).get('/cookies');
        const cookies = res.headers['set-cookie'] as unknown as string[];
        assert.equal(cookies.length, 3, JSON.stringify(cookies));
        assert.ok(cookies.some((c) => c.startsWith('session=abc;') && /HttpOnly/.test(c) && /SameSite=Lax/.test(c)));
        assert.ok(cookies.some((c) => c.startsWith('theme=dark;')));
        assert.ok(cookies.some((c) => c.startsWith('lang=fr;') && c.includes('Path=/shop')));
      });

      test('redirects keep status and Location', async () => {
        const res = await request(server.url).get('/redirect').redirects(0);
        assert.equal(res.status, 301);
        assert.equal(res.headers.location, '/query?moved=1');
      });

      test('HEAD answers the headers of GET without a body', async () => {
        const res = await request(server.url).head('/text');
        assert.equal(res.status, 200);
        assert.equal(res.headers['x-custom'], 'yes');
        assert.equal(res.headers['content-length'], '12');
        assert.equal(res.text, undefined);
      });

      test('req.ip comes from X-Forwarded-For with trust proxy', async () => {
        const res = await request(server.url).get('/ip').set('X-Forwarded-For', '203.0.113.7, 10.0.0.1');
        assert.equal(res.body.ip, '203.0.113.7');
        assert.deepEqual(res.body.ips, ['203.0.113.7', '10.0.0.1']);
      });

      test('query arrays and nested keys parse as on a plain server', async () => {
        const res = await request(server.url).get('/query?tag=a&tag=b&f[price][min]=3&q=caf%C3%A9%20cr%C3%A8me');
        if (singleValue) {
          // ALB without multi-value parameters keeps only the last value of a repeated key.
          assert.deepEqual(res.body, { tag: 'b', f: { price: { min: '3' } }, q: 'café crème' });
        } else {
          assert.deepEqual(res.body, { tag: ['a', 'b'], f: { price: { min: '3' } }, q: 'café crème' });
        }
      });

      test('the app\'s 404 and error handlers answer', async () => {
        const missing = await request(server.url).get('/nope');
        assert.equal(missing.status, 404);
        assert.deepEqual(missing.body, { error: 'not found' });
        const boom = await request(server.url).get('/boom');
        assert.equal(boom.status, 500);
        assert.deepEqual(boom.body, { error: 'boom' });
      });
    });
  }
}

test('basePath with basePathMatch front is removed from the front of the path only', async () => {
  const handler = toLambda(behaviourApp(express4), { basePath: '/prod', basePathMatch: 'front' });
  const event = (path: string) => ({ version: '2.0', rawPath: path, rawQueryString: 'x=1', headers: {}, requestContext: { http: { method: 'GET', path, sourceIp: '198.51.100.1' } }, isBase64Encoded: false });
  const res = await handler(event('/prod/query'));
  assert.equal(res.statusCode, 200);
  assert.deepEqual(JSON.parse(res.body), { x: '1' });
  assert.equal((await handler(event('/other/prod/query'))).statusCode, 404);
  assert.equal(stripBasePath('/prod', '/prod'), '/');
  assert.equal(stripBasePath('/production/a', '/prod'), '/production/a');
  assert.equal(stripBasePath('/prod/a?b=1', 'prod/'), '/a?b=1');
});

test('onInvoke runs before the app and onSettled after the response, with its status', async () => {
  const events: string[] = [];
  const app = express4();
  app.get('/x', (_req, res) => { events.push('app'); res.status(202).end(); });
  const lambda = toLambda(app, { onInvoke: () => { events.push('invoke'); }, onSettled: (_i, s) => { events.push(`settled ${s.statusCode}`); } });
  await lambda({ version: '2.0', rawPath: '/x', rawQueryString: '', headers: {}, requestContext: { http: { method: 'GET', path: '/x', sourceIp: '1.2.3.4' } } });
  const vercel = await vercelServer(toVercel(app, { onInvoke: () => { events.push('invoke'); }, onSettled: (_i, s) => { events.push(`settled ${s.statusCode}`); } }));
  try {
    assert.equal((await request(vercel.url).get('/x')).status, 202);
  } finally {
    await vercel.close();
  }
  assert.deepEqual(events, ['invoke', 'app', 'settled 202', 'invoke', 'app', 'settled 202']);
});
