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

test('api/index loads the app and its database driver, but not the AWS SDK, ioredis or the job queue\'s mailer', () => {
  const api = load('dist/api/index.js');
  for (const needed of ['express', 'sequelize', 'pg']) assert.ok(api.packages.includes(needed), `${needed} loaded: ${api.packages.join(' ')}`);
  assert.deepEqual(api.packages.filter((p) => ['@aws-sdk/client-s3', 'ioredis', 'nodemailer', 'serverless-http'].includes(p)), []);
  // zod's registries are the app's (its routes validate with zod), never the adapters': own globals, non-enumerable (below).
  assert.deepEqual(api.globals.filter((g) => g !== '__zod_globalConfig' && g !== '__zod_globalRegistry'), []);
});

// Enumerable globals (Object.keys(globalThis), what mocha --check-leaks compares) after importing the
// given entries in order, in a fresh process; with what the dependencies' own globals hold afterwards.
const ENUMERABLE_PROBE = `
const preset = process.argv[1] === 'lambda-runtime' ? { streamifyResponse() {} } : undefined;
if (preset) globalThis.awslambda = preset;
const before = new Set(Object.keys(globalThis));
for (const entry of process.argv.slice(2)) await import(entry);
const kinds = Object.fromEntries(['__zod_globalConfig', '__zod_globalRegistry', 'awslambda'].map((n) => [n, typeof globalThis[n]]));
const { z } = await import(process.cwd() + '/node_modules/zod/index.js');
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
