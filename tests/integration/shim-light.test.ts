// Importing the adapters (markethub/shim) loads no app, no SDK, no database driver and leaves no globals
// behind (Express's --check-leaks suite runs clean through it); the MarketHub functions (markethub/shim/app
// and api/) load only what their first request needs. Checked in fresh processes on the built package.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'vitest';
import { fromProjectRoot, PROJECT_ROOT } from '../../src/project-paths.js';

interface Loaded { packages: string[]; globals: string[]; ms: number }

// Packages loaded through Node's CommonJS loader (every heavy dependency here is CommonJS) and the
// globals added, after importing `entry` and nothing else.
const PROBE = `
const { createRequire } = await import('node:module');
const require = createRequire(process.cwd() + '/');
const before = new Set(Object.getOwnPropertyNames(globalThis));
const started = performance.now();
await import(process.argv[1]);
const ms = performance.now() - started;
const packages = [...new Set(Object.keys(require.cache).filter((p) => p.includes('/node_modules/')).map((p) => p.split('/node_modules/').pop().split('/').slice(0, p.split('/node_modules/').pop().startsWith('@') ? 2 : 1).join('/')))].sort();
const globals = Object.getOwnPropertyNames(globalThis).filter((n) => !before.has(n));
process.stdout.write(JSON.stringify({ packages, globals, ms }));
`;

function load(entry: string): Loaded {
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', PROBE, fromProjectRoot(entry)], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout) as Loaded;
}

const HEAVY = ['sequelize', 'pg', 'express', '@aws-sdk/client-s3', 'ioredis', 'mysql2', 'multer', 'serverless-http'];

test('markethub/shim loads none of the app\'s dependencies and defines no globals', () => {
  const shim = load('dist/shim/index.js');
  assert.deepEqual(shim.packages.filter((p) => HEAVY.includes(p)), []);
  assert.deepEqual(shim.globals, []);
  process.stdout.write(`import of markethub/shim: ${shim.ms.toFixed(0)} ms\n`);
});

test('api/index loads Express and the database driver, not the ORM, the validators, the AWS SDK, ioredis or the mailer', () => {
  const api = load('dist/api/index.js');
  for (const needed of ['express', 'pg']) assert.ok(api.packages.includes(needed), `${needed} loaded: ${api.packages.join(' ')}`);
  const later = ['sequelize', 'bcryptjs', 'jsonwebtoken', 'multer', '@aws-sdk/client-s3', 'ioredis', 'nodemailer', 'serverless-http'];
  assert.deepEqual(api.packages.filter((p) => later.includes(p)), []);
  // zod is not loaded yet; the names of its registries are reserved (non-enumerable, below), nothing else.
  assert.deepEqual(api.globals.filter((g) => g !== '__zod_globalConfig' && g !== '__zod_globalRegistry'), []);
});

// The first request of a cold instance: GET /api/health answers from Postgres without the ORM; the
// first route that needs the models loads it.
const FIRST_REQUESTS = `
const http = await import('node:http');
const { createRequire } = await import('node:module');
const require = createRequire(process.cwd() + '/');
const loaded = (name) => Object.keys(require.cache).some((p) => p.includes('/node_modules/' + name + '/'));
const { default: handler } = await import(process.argv[1]);
const server = http.createServer((req, res) => { void handler(req, res); });
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const get = (path) => new Promise((resolve, reject) => http.get({ host: '127.0.0.1', port: server.address().port, path }, (res) => {
  let body = '';
  res.on('data', (c) => { body += c; });
  res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(body) }));
}).on('error', reject));
const health = await get('/api/health');
const ormAfterHealth = loaded('sequelize');
const products = await get('/api/products/999999999');
process.stdout.write('\\nRESULT ' + JSON.stringify({ health, ormAfterHealth, products, ormAfterProducts: loaded('sequelize') }) + '\\n');
process.exit(0);
`;

test('a cold api/index answers /api/health without loading Sequelize, and loads it for the first route that needs the models', () => {
  const env = {
    ...process.env, DATABASE_URL: `${process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432'}/postgres`, JWT_SECRET: 'shim-light-secret-0123456789',
    // No S3 server on this port: storage is reported down, the database up.
    S3_BUCKET: 'mh-shim-light', S3_ENDPOINT: 'http://127.0.0.1:9', CDN_BASE_URL: 'https://cdn.example.com', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y', AWS_REGION: 'us-east-1',
  };
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', FIRST_REQUESTS, fromProjectRoot('dist/api/index.js')], { cwd: PROJECT_ROOT, encoding: 'utf8', env });
  assert.equal(child.status, 0, child.stderr);
  // The app logs each request on stdout; the probe's answer is its own line.
  const line = child.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  assert.ok(line, child.stdout);
  const seen = JSON.parse(line.slice('RESULT '.length)) as { health: { status: number; body: { checks: Record<string, { status: string }> } }; ormAfterHealth: boolean; products: { status: number; body: { error: { code: string } } }; ormAfterProducts: boolean };
  assert.equal(seen.health.body.checks.database!.status, 'ok');
  assert.equal(seen.health.body.checks.storage!.status, 'error');
  assert.equal(seen.health.status, 503);
  assert.equal(seen.ormAfterHealth, false);
  // The postgres database has no products table: the route ran its query through the models.
  assert.equal(seen.ormAfterProducts, true);
  assert.equal(seen.products.status, 500);
});

// Enumerable globals (Object.keys(globalThis), what mocha --check-leaks compares) after importing the
// given entries in order, in a fresh process; with what the dependencies' own globals hold afterwards.
const ENUMERABLE_PROBE = `
const preset = process.argv[1] === 'lambda-runtime' ? { streamifyResponse() {} } : undefined;
if (preset) globalThis.awslambda = preset;
const before = new Set(Object.keys(globalThis));
for (const entry of process.argv.slice(2)) await import(entry);
// zod itself, as the app's first validating route loads it.
const { z } = await import(process.cwd() + '/node_modules/zod/index.js');
const kinds = Object.fromEntries(['__zod_globalConfig', '__zod_globalRegistry', 'awslambda'].map((n) => [n, typeof globalThis[n]]));
const schema = z.string().meta({ id: 'probe' });
process.stdout.write(JSON.stringify({
  added: Object.keys(globalThis).filter((n) => !before.has(n)),
  kinds,
  registryShared: globalThis.__zod_globalRegistry?.get(schema)?.id === 'probe',
  presetKept: preset ? globalThis.awslambda === preset && Object.keys(globalThis).includes('awslambda') : null,
}));
`;

function enumerableAfter(mode: string, entries: string[]): { added: string[]; kinds: Record<string, string>; registryShared: boolean; presetKept: boolean | null } {
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', ENUMERABLE_PROBE, mode, ...entries.map((e) => fromProjectRoot(e))], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout) as ReturnType<typeof enumerableAfter>;
}

// The shim, the app entry, and the AWS SDK side the app's first upload loads (s3.js).
const ENTRIES = ['dist/shim/index.js', 'dist/shim/app/index.js', 'dist/src/migrate/files/s3.js'];

test('markethub/shim, the app entry and the SDK the first upload loads add no enumerable globals; zod and the SDK keep theirs, non-enumerable', () => {
  const loaded = enumerableAfter('plain', ENTRIES);
  assert.deepEqual(loaded.added, []);
  // The dependencies still have their globals, and use them: zod's registry is the one global registry.
  assert.deepEqual(loaded.kinds, { __zod_globalConfig: 'object', __zod_globalRegistry: 'object', awslambda: 'object' });
  assert.equal(loaded.registryShared, true);
});

test('the app entry imported before the shim adds no enumerable globals either', () => {
  assert.deepEqual(enumerableAfter('plain', [ENTRIES[1]!, ENTRIES[0]!]).added, []);
});

test('an awslambda the Lambda runtime defined is left as it is', () => {
  const loaded = enumerableAfter('lambda-runtime', ENTRIES);
  assert.equal(loaded.presetKept, true);
  assert.deepEqual(loaded.added, []);
});
