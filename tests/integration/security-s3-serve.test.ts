// `markethub s3 serve` lives through a malformed multipart upload (a folded first header line, which
// dicer 0.3 inside s3rver throws on): that request is a 400, and the server goes on serving uploads.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, test } from 'vitest';
import { CLI_PATH } from '../helpers/cli.js';

let dir: string;
let server: ChildProcess;
let endpoint: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mh-s3-serve-'));
  server = spawn(process.execPath, [CLI_PATH, 's3', 'serve', '--dir', dir, '--port', '0', '--bucket', 'uploads'], { stdio: ['ignore', 'pipe', 'pipe'] });
  endpoint = await new Promise<string>((resolve, reject) => {
    createInterface({ input: server.stdout! }).on('line', (line) => {
      const match = /^S3 endpoint (\S+)/.exec(line);
      if (match) resolve(match[1]!);
    });
    server.once('exit', (code) => reject(new Error(`s3 serve exited with ${code}`)));
  });
});

afterAll(async () => {
  if (server.exitCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGINT');
    await exited;
  }
  await rm(dir, { recursive: true, force: true });
});

const BOUNDARY = 'markethubboundary';
const form = (parts: string[]) => `${parts.map((p) => `--${BOUNDARY}\r\n${p}\r\n`).join('')}--${BOUNDARY}--\r\n`;
const post = (body: string) =>
  fetch(`${endpoint}/uploads`, { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` }, body });

test('a part whose first header line is folded is refused with 400, and the server stays up', async () => {
  const malformed = await post(form([' Content-Disposition: form-data; name="key"\r\n\r\nx']));
  assert.equal(malformed.status, 400);
  assert.match(await malformed.text(), /<Error><Code>InvalidArgument<\/Code>/);
  assert.equal(server.exitCode, null);

  // A well-formed browser upload (POST object) still works afterwards.
  const ok = await post(form([
    'Content-Disposition: form-data; name="key"\r\n\r\nproducts/after.txt',
    'Content-Disposition: form-data; name="file"; filename="after.txt"\r\nContent-Type: text/plain\r\n\r\nstill here',
  ]));
  assert.ok(ok.status >= 200 && ok.status < 300, `${ok.status} ${await ok.text()}`);
  const object = await fetch(`${endpoint}/uploads/products/after.txt`);
  assert.equal(object.status, 200);
  assert.equal(await object.text(), 'still here');
});
