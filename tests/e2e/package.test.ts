// The published package as a user installs it: only what users run, and complete without the
// development dependencies (s3rver among them: `s3 serve` then says how to get it).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, test } from 'vitest';
import { fromProjectRoot, PROJECT_ROOT } from '../../src/project-paths.js';
import { S3RVER_CREDENTIALS } from '../../src/s3/server.js';
import { CLI_PATH, runCli } from '../helpers/cli.js';

let work: string;
let installed: string;
let packed: string[];

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'mh-package-'));
  // dist/ is built by the tests' global setup; --ignore-scripts keeps npm from building it again.
  const pack = spawnSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  assert.equal(pack.status, 0, pack.stderr);
  const [{ filename, files }] = JSON.parse(pack.stdout) as [{ filename: string; files: { path: string }[] }];
  packed = files.map((f) => f.path);
  const untar = spawnSync('tar', ['xzf', path.join(work, filename), '-C', work], { encoding: 'utf8' });
  assert.equal(untar.status, 0, untar.stderr);
  installed = path.join(work, 'package');
  // The runtime dependencies a user's npm would install, by link; s3rver, a development dependency, is left out.
  const { devDependencies } = JSON.parse(await readFile(fromProjectRoot('package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  await mkdir(path.join(installed, 'node_modules'));
  for (const entry of await readdir(fromProjectRoot('node_modules'))) {
    if (entry === '.bin' || entry === 's3rver' || entry in devDependencies) continue;
    await symlink(fromProjectRoot('node_modules', entry), path.join(installed, 'node_modules', entry));
  }
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

const runInstalled = (args: string[]) => spawnSync(process.execPath, [path.join(installed, 'dist', 'cli', 'index.js'), ...args], { encoding: 'utf8', cwd: work, env: { ...process.env, DATABASE_URL: '', MARKETHUB_SOURCE_URL: '' } });

test('the package holds what users run: the command, the library code, the shim, the SQL; no tests, scripts, sources or maps', () => {
  for (const needed of ['package.json', 'README.md', 'dist/cli/index.js', 'dist/src/s3/server-process.js', 'dist/src/migrate/files/hash-worker.js', 'dist/shim/index.js', 'dist/shim/index.d.ts', 'dist/src/cutover/index.d.ts', 'migrations/001_ledger.sql', 'migrations/cutover/001_cutover.sql']) {
    assert.ok(packed.includes(needed), `${needed} is in the package`);
  }
  const unwanted = packed.filter((f) => /^dist\/(tests|scripts|api)\/|\.map$|\.tsbuildinfo$|(?<!\.d)\.ts$/.test(f));
  assert.deepEqual(unwanted, []);
});

test('s3rver is a development dependency', async () => {
  const { dependencies, devDependencies } = JSON.parse(await readFile(fromProjectRoot('package.json'), 'utf8'));
  assert.equal(dependencies.s3rver, undefined);
  assert.ok(devDependencies.s3rver);
});

test('installed without the development dependencies, the command runs, and s3 serve says how to get s3rver', () => {
  const { version } = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8'));
  assert.equal(runInstalled(['--version']).stdout, `${version}\n`);
  // These load the config, the drivers, the migration and the ledger code before finding no server.
  for (const args of [['migrate', 'db', '--source', 'mysql://root@127.0.0.1:1/x', '--target', 'postgres://x@127.0.0.1:1/x'], ['migrate', 'status', '--target', 'postgres://x@127.0.0.1:1/x'], ['migrate', 'files', '--uploads', installed, '--bucket', 'b-1', '--target', 'postgres://x@127.0.0.1:1/x', '--endpoint', 'http://127.0.0.1:1', '--no-rewrite']]) {
    const result = runInstalled(args);
    assert.equal(result.status, 3, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, /^markethub: cannot reach /);
  }
  const serve = runInstalled(['s3', 'serve', '--port', '0', '--dir', path.join(work, 's3')]);
  assert.equal(serve.status, 3, serve.stderr);
  assert.equal(serve.stderr.split('\n').length, 2, `one line: ${serve.stderr}`);
  assert.match(serve.stderr, /^markethub: s3 serve needs s3rver, a development dependency: run `npm install` in a clone of markethub, or `npm install --no-save s3rver` where markethub is installed\n$/);
});

test('in a clone, s3 serve runs s3rver on loopback until Ctrl-C', async () => {
  const dir = path.join(work, 'served');
  const child = spawn(process.execPath, [CLI_PATH, 's3', 'serve', '--port', '0', '--dir', dir, '--bucket', 'served-bucket']);
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  try {
    const deadline = Date.now() + 30_000;
    while (!/S3 endpoint/.test(stdout) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const endpoint = /S3 endpoint (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
    assert.ok(endpoint, `listening; said: ${stdout}`);
    const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: S3RVER_CREDENTIALS });
    const { Buckets } = await client.send(new ListBucketsCommand({}));
    client.destroy();
    assert.deepEqual(Buckets?.map((b) => b.Name), ['served-bucket']);
  } finally {
    child.kill('SIGINT');
  }
  assert.equal(await exited, 0);
  assert.equal((await runCli(['s3', 'serve', '--port', '70000'])).stderr, 'markethub: --port must be at most 65535\n');
});
