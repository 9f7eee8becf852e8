// `npm run bench:files`: 5,000 files of 20 KB and two of 100 MB, uploaded to one s3rver by
// `markethub migrate files` and by `rclone copy --checksum --transfers 16`, in the same invocation:
// files/s on the small ones, MB/s on the large ones, and the time of a no-op re-run for each.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { createS3Client } from '../src/migrate/files/s3.js';
import { S3RVER_CREDENTIALS, startS3Server } from '../src/s3/server.js';
import { die, freshPostgres, option, ROOT } from './bench/common.js';
import { measure, type Measurement } from './bench/measure.js';

const CLI = path.join(ROOT, 'dist/cli/index.js');
const WORK = path.join(ROOT, '.markethub/bench-files');
const SMALL_FILES = Number(option('small-files', '5000'));
const SMALL_BYTES = 20 * 1024;
const LARGE_FILES = 2;
const LARGE_BYTES = Number(option('large-mb', '100')) * 1024 * 1024;

async function makeTree(dir: string, folder: string, count: number, bytes: number): Promise<void> {
  if (existsSync(path.join(dir, '.complete'))) return;
  await rm(dir, { recursive: true, force: true });
  await mkdir(path.join(dir, folder), { recursive: true });
  for (let i = 0; i < count; i++) await writeFile(path.join(dir, folder, `f-${String(i).padStart(5, '0')}.bin`), randomBytes(bytes));
  await writeFile(path.join(dir, '.complete'), '');
}

interface Run {
  first: Measurement;
  again: Measurement;
}

async function runTwice(run: () => Promise<Measurement>, label: string): Promise<Run> {
  const first = await run();
  if (first.code !== 0) die(`${label} failed: ${first.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  const again = await run();
  if (again.code !== 0) die(`${label} re-run failed: ${again.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return { first, again };
}

const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

async function main(): Promise<void> {
  if (spawnSync('rclone', ['version']).status !== 0) die('rclone not found: apt-get install rclone');
  const small = path.join(WORK, `small-${SMALL_FILES}`);
  const large = path.join(WORK, `large-${LARGE_BYTES >> 20}`);
  await makeTree(small, 'product-images', SMALL_FILES, SMALL_BYTES);
  await makeTree(large, 'journal-images', LARGE_FILES, LARGE_BYTES);

  await rm(path.join(WORK, 's3'), { recursive: true, force: true });
  const server = await startS3Server({ dir: path.join(WORK, 's3') });
  const s3 = createS3Client({ endpoint: server.endpoint, checksums: 'when-required' });
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    RCLONE_CONFIG_BENCH_TYPE: 's3',
    RCLONE_CONFIG_BENCH_PROVIDER: 'Other',
    RCLONE_CONFIG_BENCH_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    RCLONE_CONFIG_BENCH_ENDPOINT: server.endpoint,
    RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE: 'true',
  });
  delete process.env.AWS_CA_BUNDLE;
  try {
    const results: Record<string, { ours: Run; rclone: Run; files: number; bytes: number }> = {};
    for (const [name, dir, files, bytes] of [['small', small, SMALL_FILES, SMALL_FILES * SMALL_BYTES], ['large', large, LARGE_FILES, LARGE_FILES * LARGE_BYTES]] as const) {
      const oursBucket = `bench-ours-${name}`;
      const rcloneBucket = `bench-rclone-${name}`;
      for (const bucket of [oursBucket, rcloneBucket]) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      const target = await freshPostgres(`mh_bench_files_${name}`);
      const ours = await runTwice(
        () => measure(process.execPath, [CLI, 'migrate', 'files', '--uploads', dir, '--bucket', oursBucket, '--target', target, '--endpoint', server.endpoint, '--no-rewrite', '--concurrency', '16', '--json']),
        `markethub (${name})`,
      );
      const rclone = await runTwice(() => measure('rclone', ['copy', '--checksum', '--transfers', '16', dir, `bench:${rcloneBucket}`, '--exclude', '.complete']), `rclone (${name})`);
      results[name] = { ours, rclone, files, bytes };
    }
    const line = (label: string, run: Measurement, files: number, bytes: number) =>
      `  ${label.padEnd(10)} ${run.seconds.toFixed(2).padStart(7)} s  ${(files / run.seconds).toFixed(0).padStart(6)} files/s  ${(bytes / 1e6 / run.seconds).toFixed(1).padStart(7)} MB/s  peak RSS ${mb(run.peakRssBytes).padStart(4)} MB`;
    for (const [name, r] of Object.entries(results)) {
      console.log(`${name}: ${r.files} files, ${(r.bytes / 1e6).toFixed(0)} MB`);
      console.log(line('markethub', r.ours.first, r.files, r.bytes));
      console.log(line('rclone', r.rclone.first, r.files, r.bytes));
      console.log(`  no-op re-run: markethub ${r.ours.again.seconds.toFixed(2)} s, rclone ${r.rclone.again.seconds.toFixed(2)} s`);
    }
    const s = results.small!;
    const l = results.large!;
    console.log(`files/s on small files, markethub / rclone: ${(s.rclone.first.seconds / s.ours.first.seconds).toFixed(2)}x (target >= 1.5x)`);
    console.log(`MB/s on large files, markethub / rclone:    ${(l.rclone.first.seconds / l.ours.first.seconds).toFixed(2)}x (target >= 1x)`);
    console.log(`no-op re-run time, markethub / rclone:      small ${(s.ours.again.seconds / s.rclone.again.seconds).toFixed(2)}x, large ${(l.ours.again.seconds / l.rclone.again.seconds).toFixed(2)}x (target <= 1x)`);
  } finally {
    s3.destroy();
    await server.stop();
  }
}

await main();
