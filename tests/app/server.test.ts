// `npm run start:legacy`: refuses to start without JWT_SECRET (one line), otherwise serves on MySQL.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'vitest';
import { fromProjectRoot } from '../../src/project-paths.js';
import { freshMysql } from '../helpers/databases.js';

const SERVER = fromProjectRoot('dist', 'src', 'app', 'server.js');

function start(env: Record<string, string | undefined>) {
  const clean = { ...process.env };
  delete clean.JWT_SECRET;
  delete clean.DATABASE_URL;
  const child = spawn(process.execPath, [SERVER], { env: { ...clean, ...env } as NodeJS.ProcessEnv, cwd: tmpdir() });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

test('the legacy server refuses to start without JWT_SECRET, in one line', async () => {
  const run = start({ DATABASE_URL: 'mysql://root@127.0.0.1:3306/none' });
  assert.equal(await run.exited, 2);
  assert.equal(run.err().trim().split('\n').length, 1);
  assert.match(run.err(), /JWT_SECRET is not set/);
  assert.equal(run.out(), '');
});

test('the legacy server listens on PORT and answers health from MySQL', async () => {
  const db = await freshMysql('server');
  const uploads = await mkdtemp(path.join(tmpdir(), 'mh-server-'));
  const run = start({ JWT_SECRET: 'a-long-enough-secret-value', DATABASE_URL: db.url, PORT: '0', UPLOADS_ROOT: uploads });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setInterval(() => {
        const line = run.out().split('\n').find((l) => l.includes('"listening"'));
        if (line) { clearInterval(timer); resolve(JSON.parse(line).port); }
      }, 50);
      void run.exited.then((code) => { clearInterval(timer); reject(new Error(`exited ${code}: ${run.err()}`)); });
    });
    const res = await fetch(`http://127.0.0.1:${port}/api/health`);
    assert.equal(res.status, 200);
    const body = await res.json() as { status: string; dialect: string };
    assert.equal(body.status, 'ok');
    assert.equal(body.dialect, 'mysql');
  } finally {
    run.child.kill('SIGTERM');
    await run.exited;
    await db.drop();
    await rm(uploads, { recursive: true, force: true });
  }
});
