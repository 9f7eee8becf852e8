// "Unchanged routers": the app's contract run through the serverless shim, on pool-of-one Postgres
// migrated from the seed, with uploads in S3, answers every step as the legacy server on MySQL does
// (upload URLs aside: CDN base + key instead of /uploads/<folder>/, compared after mapping back).
import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from 'vitest';
import type { Entry } from '../app/client.js';
import { runContract, type ContractTarget } from '../app/contract.js';
import { fakePaystack } from '../app/fake-paystack.js';
import { JWT_SECRET, PAYSTACK_SECRET } from '../app/fixture.js';
import { createApp, localDiskStorage, s3ObjectKey, s3Storage, S3_UPLOAD_PREFIXES } from '../../src/app/index.js';
import { createLegacySequelize } from '../../src/db/index.js';
import { toLambda, type ServerlessDatabase } from '../../shim/index.js';
import { instanceDatabase, markethubDatabase, markethubVercelHandler } from '../../shim/app/index.js';
import { headObject, listKeys, objectBytes, startTestS3, type TestS3 } from '../helpers/s3.js';
import { lambdaGateway, vercelServer, type EventKind, type RunningServer } from '../shim/transports.js';
import { prepareMigratedTemplate, type MigratedTemplate } from '../shim/fixture.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const CDN = 'https://cdn.markethub.test';
let template: MigratedTemplate;
let s3: TestS3;
let legacy: Entry[] | undefined;
const cleanups: (() => Promise<unknown>)[] = [];

// Every shim run is compared with the legacy server's answers, so they are taken before any test runs.
beforeAll(async () => {
  [template, s3] = await Promise.all([prepareMigratedTemplate('shim_contract'), startTestS3()]);
  legacy = await runLegacyReference();
});

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
  await template?.close();
  await s3?.stop();
});

/** Shim answers name the CDN URL; the legacy answers name /uploads/<folder>/. Map the former back. */
function asLegacyUrls(transcript: Entry[]): Entry[] {
  let text = JSON.stringify(transcript);
  for (const [folder, prefix] of Object.entries(S3_UPLOAD_PREFIXES)) text = text.split(`${CDN}/${prefix}`).join(`/uploads/${folder}/`);
  return JSON.parse(text) as Entry[];
}

function s3Uploads(bucket: string): NonNullable<ContractTarget['uploads']> {
  return {
    prefix: (folder) => `${CDN}/${s3ObjectKey(`${folder}/x`).slice(0, -1)}`,
    read: (url) => objectBytes(s3.client, bucket, decodeURIComponent(url.slice(CDN.length + 1))),
  };
}

async function runLegacyReference(): Promise<Entry[]> {
  const uploadsRoot = await mkdtemp(path.join(tmpdir(), 'mh-shim-legacy-'));
  const sequelize = createLegacySequelize(template.mysql.url);
  cleanups.push(() => sequelize.close(), () => rm(uploadsRoot, { recursive: true, force: true }));
  const app = createApp({ sequelize, config: { jwtSecret: JWT_SECRET, paystackSecret: PAYSTACK_SECRET, paystackApiBase: (await fakePaystack(PAYSTACK_SECRET)).url, bcryptRounds: 4, storage: localDiskStorage(uploadsRoot), logSink: () => {} } });
  return runContract({ app, sequelize, uploadsRoot });
}

test('legacy server on MySQL: the reference answers', () => {
  assert.ok(legacy && legacy.length > 0, 'the legacy run answered');
});

async function lambdaTarget(kind: EventKind): Promise<{ target: ContractTarget; db: ServerlessDatabase; server: RunningServer; bucket: string }> {
  const copy = await template.copy(`shim_${kind}`);
  const bucket = await s3.freshBucket(`contract-${kind}`);
  const db = markethubDatabase({ url: copy.url, applicationName: `mh-contract-${kind}` });
  const app = createApp({
    sequelize: db.sequelize,
    config: { jwtSecret: JWT_SECRET, paystackSecret: PAYSTACK_SECRET, paystackApiBase: (await fakePaystack(PAYSTACK_SECRET)).url, bcryptRounds: 4, logSink: () => {}, storage: s3Storage({ client: s3.client, bucket, cdnBase: CDN }) },
  });
  const server = await lambdaGateway(toLambda(app, { onInvoke: db.hooks.onInvoke, onSettled: db.hooks.onSettled }), kind);
  cleanups.push(() => server.close(), () => db.close());
  return { target: { app, sequelize: db.sequelize, uploadsRoot: '', http: server.url, uploads: s3Uploads(bucket) }, db, server, bucket };
}

function assertSameAsLegacy(shim: Entry[]): void {
  assert.ok(legacy, 'the legacy run finished');
  const mapped = asLegacyUrls(shim);
  assert.equal(mapped.length, legacy.length);
  for (let i = 0; i < legacy.length; i++) assert.deepEqual(mapped[i], legacy[i], `step ${legacy[i]!.step}`);
}

for (const kind of ['v1', 'v2'] as const) {
  test(`contract through toLambda (API Gateway ${kind} events) on pool-of-one Postgres answers as the legacy server`, async () => {
    const { target, bucket } = await lambdaTarget(kind);
    assertSameAsLegacy(await runContract(target));
    // Uploads went to S3 under the layout `migrate files` gives migrated files, with their type.
    const keys = await listKeys(s3.client, bucket);
    assert.equal(keys.filter((k) => /^avatars\/u40-[0-9a-f]{16}\.png$/.test(k)).length, 1, keys.join());
    assert.equal(keys.filter((k) => /^products\/p51-[0-9a-f]{16}\.png$/.test(k)).length, 1, keys.join());
    assert.equal(keys.filter((k) => k.startsWith('support/')).length, 1, keys.join());
    const head = await headObject(s3.client, bucket, keys.find((k) => k.startsWith('products/'))!);
    assert.equal(head.ContentType, 'image/png');
  });
}

test('contract through toVercel (api/index handler, config from the environment) answers as the legacy server', async () => {
  const copy = await template.copy('shim_vercel');
  const bucket = await s3.freshBucket('contract-vercel');
  const env = {
    DATABASE_URL: copy.url, JWT_SECRET, PAYSTACK_SECRET_KEY: PAYSTACK_SECRET, BCRYPT_ROUNDS: '4',
    S3_BUCKET: bucket, CDN_BASE_URL: CDN, S3_ENDPOINT: s3.endpoint, DB_APPLICATION_NAME: 'mh-contract-vercel',
  };
  const handler = markethubVercelHandler(env, { logSink: () => {}, paystackApiBase: (await fakePaystack(PAYSTACK_SECRET)).url });
  const server = await vercelServer(handler, 'lazy');
  const db = instanceDatabase(env);
  cleanups.push(() => server.close(), () => db.close());
  // The instance creates its database on the first request, not at import.
  assert.equal(db.created, false);
  const transcript = await runContract({ app: undefined as never, sequelize: db.sequelize, uploadsRoot: '', http: server.url, uploads: s3Uploads(bucket) });
  assertSameAsLegacy(transcript);
});
