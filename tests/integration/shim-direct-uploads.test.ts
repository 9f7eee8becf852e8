// Direct uploads through the serverless adapters: toLambda behind API Gateway v1, HTTP API v2 and ALB
// events, and toVercel as api/index builds it from the environment (runtime helpers on: the body read
// and replayed). Each presigns, PUTs the file to s3rver with fetch, confirms, and finds the CDN URL on
// the product; a multipart upload past Vercel's body limit is answered 413 naming the presign route.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import request from 'supertest';
import { createApp, s3Storage } from '../../src/app/index.js';
import { toLambda, type ServerlessDatabase } from '../../shim/index.js';
import { instanceDatabase, markethubDatabase, markethubVercelHandler, VERCEL_BODY_LIMIT_BYTES } from '../../shim/app/index.js';
import { directUpload, jpegOf, multipartFile } from '../app/direct-uploads.js';
import { JWT_SECRET } from '../app/fixture.js';
import { objectBytes, startTestS3, type TestS3 } from '../helpers/s3.js';
import { prepareMigratedTemplate, type MigratedTemplate } from '../shim/fixture.js';
import { lambdaGateway, vercelServer, type RunningServer } from '../shim/transports.js';

const CDN = 'https://cdn.markethub.test';
let template: MigratedTemplate;
let s3: TestS3;
let bucket: string;
let databaseUrl: string;
let lambdaDb: ServerlessDatabase;
const servers: RunningServer[] = [];

beforeAll(async () => {
  [template, s3] = await Promise.all([prepareMigratedTemplate('shim_direct'), startTestS3()]);
  databaseUrl = (await template.copy('shim_direct')).url;
  bucket = await s3.freshBucket('shim-direct');
  lambdaDb = markethubDatabase({ url: databaseUrl, applicationName: 'mh-direct-lambda' });
});

afterAll(async () => {
  for (const server of servers) await server.close();
  await lambdaDb?.close();
  await instanceDatabase().close().catch(() => {});
  await template?.close();
  await s3?.stop();
});

async function lambdaServer(kind: 'v1' | 'v2' | 'alb'): Promise<RunningServer> {
  const app = createApp({
    sequelize: lambdaDb.sequelize,
    config: {
      jwtSecret: JWT_SECRET, bcryptRounds: 4, logSink: () => {}, functionBodyLimitBytes: VERCEL_BODY_LIMIT_BYTES,
      storage: s3Storage({ client: s3.client, bucket, cdnBase: CDN }),
    },
  });
  return lambdaGateway(toLambda(app, { onInvoke: lambdaDb.hooks.onInvoke, onSettled: lambdaDb.hooks.onSettled }), kind);
}

async function vercelApiServer(): Promise<RunningServer> {
  const env = {
    DATABASE_URL: databaseUrl, JWT_SECRET, BCRYPT_ROUNDS: '4', S3_BUCKET: bucket, CDN_BASE_URL: CDN, S3_ENDPOINT: s3.endpoint,
    DB_APPLICATION_NAME: 'mh-direct-vercel', UPLOAD_URL_EXPIRY_SECONDS: '120',
  };
  return vercelServer(markethubVercelHandler(env, { logSink: () => {} }), 'parsed');
}

const TRANSPORTS: [string, () => Promise<RunningServer>][] = [
  ['toLambda, API Gateway v1', () => lambdaServer('v1')],
  ['toLambda, HTTP API v2', () => lambdaServer('v2')],
  ['toLambda, ALB', () => lambdaServer('alb')],
  ['toVercel (api/index from the environment, body replayed by the runtime)', vercelApiServer],
];

for (const [name, start] of TRANSPORTS) {
  describe(name, () => {
    let server: RunningServer;
    let token: string;
    beforeAll(async () => {
      server = await start();
      servers.push(server);
      const email = `vendor.${name.replace(/[^a-z0-9]/gi, '').toLowerCase()}@example.com`;
      const reg = await request(server.url).post('/api/auth/register').send({ email, password: 'long enough 1', firstName: 'Vi' });
      assert.equal(reg.status, 201, JSON.stringify(reg.body));
      token = reg.body.accessToken as string;
      await lambdaDb.sequelize.query('UPDATE users SET role = \'vendor\' WHERE id = :id', { replacements: { id: reg.body.user.id } });
      await lambdaDb.sequelize.query('UPDATE vendors SET owner_id = :id WHERE id = 1', { replacements: { id: reg.body.user.id } });
    });

    test('presign -> PUT -> confirm: a 4.8 MB image on the product, at its CDN URL', async () => {
      const image = jpegOf(4_800_000);
      const { upload, confirmed } = await directUpload(server.url, token, { kind: 'product-image', productId: 1, contentType: 'image/jpeg' }, image);
      if (name.startsWith('toVercel')) assert.equal(new URL(upload.url).searchParams.get('X-Amz-Expires'), '120');
      assert.equal(confirmed.body.image.url, `${CDN}/${upload.key}`);
      const product = await request(server.url).get('/api/products/1');
      assert.equal(product.status, 200);
      assert.ok(product.body.product.images.some((i: { url: string }) => i.url === `${CDN}/${upload.key}`));
      assert.ok((await objectBytes(s3.client, bucket, upload.key)).equals(image));
    });

    test('a multipart upload past the body limit: 413 naming the presign route, nothing stored', async () => {
      const form = multipartFile('image', jpegOf(4_600_000), 'big.jpg', 'image/jpeg');
      const before = await request(server.url).get('/api/products/1');
      const res = await request(server.url).post('/api/products/1/images').set('Authorization', `Bearer ${token}`).set('Content-Type', form.contentType).send(form.body);
      assert.equal(res.status, 413, res.text.slice(0, 300));
      assert.match(res.headers['content-type'] ?? '', /^application\/json/);
      assert.equal(res.body.error.code, 'use_direct_upload');
      assert.match(res.body.error.message, /POST \/api\/uploads\/presign/);
      const after = await request(server.url).get('/api/products/1');
      assert.deepEqual(after.body.product.images, before.body.product.images);
    });
  });
}
