// `npm run bench:files`: 5,000 files of 20 KB and two of 100 MB, uploaded to one s3rver by
// `markethub migrate files` and by `rclone copy --checksum --transfers 16`, in the same invocation:
// files/s on the small ones, MB/s on the large ones, and the time of a no-op re-run for each.
// Then the cost of finding the URL columns from the data: the scan over a --scan-rows table (sampled,
// plus the full pass over its columns the sample does not settle), as a share of the small files' upload.
// `--rounds N` repeats it on fresh buckets and prints the median and range of each ratio: on a shared
// machine one round says little.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, statfsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import { discoverUrlColumns } from '../src/migrate/files/index.js';
import { ensureLedger } from '../src/migrate/ledger/index.js';
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
const ROUNDS = Number(option('rounds', '1'));
const SCAN_ROWS = Number(option('scan-rows', '1000000'));
// The server keeps objects in memory where there is room for every round's (both tools, both sizes): on
// disk, the writeback of earlier rounds' gigabytes fell on whichever tool ran next and swung the ratios
// from 0.9x to 2.3x between rounds.
const STORE_BYTES = ROUNDS * 2 * (SMALL_FILES * SMALL_BYTES + LARGE_FILES * LARGE_BYTES) * 1.2;
function memoryFree(dir: string): number {
  if (!existsSync(dir)) return 0;
  const { bavail, bsize } = statfsSync(dir);
  return Number(bavail) * Number(bsize);
}
const STORE = option('store', memoryFree('/dev/shm') > STORE_BYTES ? '/dev/shm/markethub-bench-s3' : path.join(WORK, 's3'));

/**
 * A target as `migrate files` finds it in use: after `migrate db`, which creates the ledger. Creating it
 * (a few DDL statements, once per database) is not part of moving files, and rclone has nothing like it.
 */
async function migratedTarget(name: string): Promise<string> {
  const url = await freshPostgres(name);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await ensureLedger(client);
  await client.end();
  return url;
}

/**
 * The discovery scan on a table shaped like product_images with SCAN_ROWS rows: one URL column (settled
 * by the sample), a caption with one reference in the last row and a jsonb column without any (both
 * read in full). Returns its seconds and the columns it found.
 */
async function scanCost(): Promise<{ seconds: number; found: string[] }> {
  const url = await freshPostgres('mh_bench_files_scan');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE TABLE product_images (id bigint PRIMARY KEY, image_url varchar(255), caption text, meta jsonb)`);
    await client.query(
      `INSERT INTO product_images SELECT g, '/uploads/product-images/p' || g || '.jpg',
              CASE WHEN g = $1 THEN '<img src="/uploads/product-images/p1.jpg">' ELSE 'caption of image ' || g END,
              jsonb_build_object('w', 640, 'h', 480, 'alt', 'image ' || g)
         FROM generate_series(1, $1::bigint) g`,
      [SCAN_ROWS],
    );
    await client.query('ANALYZE product_images');
    const result = await discoverUrlColumns(client, 'public', ['product-images', 'user-avatars', 'journal-images', 'support-attachments', 'vendor-assets']);
    return { seconds: result.seconds, found: result.found.map((c) => `${c.column} (${c.estimated ? '~' : ''}${c.values})`) };
  } finally {
    await client.end();
  }
}

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

interface Pair {
  ours: Run;
  rclone: Run;
  files: number;
  bytes: number;
}

function check(run: Measurement, label: string): Measurement {
  if (run.code !== 0) die(`${label} failed: ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return run;
}

/**
 * Both tools' first runs, then both re-runs, back to back: a burst of load elsewhere falls on both.
 * Which tool goes first alternates between rounds: the first run of a pair follows the previous pair's
 * work on the same server (thousands of small objects just stored and listed), the second does not.
 */
async function runPair(ours: () => Promise<Measurement>, rclone: () => Promise<Measurement>, name: string, oursFirst: boolean): Promise<Pick<Pair, 'ours' | 'rclone'>> {
  const both = async (again: string) => {
    const tools = [['markethub', ours], ['rclone', rclone]] as const;
    const runs: Record<string, Measurement> = {};
    for (const [label, run] of oursFirst ? tools : [...tools].reverse()) runs[label] = check(await run(), `${label}${again} (${name})`);
    return runs as Record<'markethub' | 'rclone', Measurement>;
  };
  const first = await both('');
  const again = await both(' re-run');
  return { ours: { first: first.markethub, again: again.markethub }, rclone: { first: first.rclone, again: again.rclone } };
}

/**
 * A server just started answers its first requests slower (its code is not optimised yet): in round 1,
 * whichever tool ran first paid for that. Small and large PUTs and listings warm it, untimed, by
 * neither tool.
 */
async function warmUp(s3: S3Client): Promise<void> {
  const Bucket = 'bench-warm-up';
  await s3.send(new CreateBucketCommand({ Bucket }));
  const small = randomBytes(SMALL_BYTES);
  for (let i = 0; i < 1000; i += 16) {
    await Promise.all(Array.from({ length: 16 }, (_, j) => s3.send(new PutObjectCommand({ Bucket, Key: `small/${i + j}`, Body: small }))));
  }
  await Promise.all([0, 1].map((i) => s3.send(new PutObjectCommand({ Bucket, Key: `large/${i}`, Body: randomBytes(32 * 2 ** 20) }))));
  for (let token: string | undefined, page = 0; page === 0 || token; page++) {
    token = (await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'small/', ContinuationToken: token }))).NextContinuationToken;
  }
}

const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
const ratios = (small: Pair, large: Pair) => ({
  smallFilesPerSecond: small.rclone.first.seconds / small.ours.first.seconds,
  largeMegabytesPerSecond: large.rclone.first.seconds / large.ours.first.seconds,
  smallNoOpTime: small.ours.again.seconds / small.rclone.again.seconds,
  largeNoOpTime: large.ours.again.seconds / large.rclone.again.seconds,
});

async function main(): Promise<void> {
  if (spawnSync('rclone', ['version']).status !== 0) die('rclone not found: apt-get install rclone');
  const small = path.join(WORK, `small-${SMALL_FILES}`);
  const large = path.join(WORK, `large-${LARGE_BYTES >> 20}`);
  await makeTree(small, 'product-images', SMALL_FILES, SMALL_BYTES);
  await makeTree(large, 'journal-images', LARGE_FILES, LARGE_BYTES);

  await rm(STORE, { recursive: true, force: true });
  const server = await startS3Server({ dir: STORE });
  console.log(`S3 server storing objects in ${STORE} (--store DIR to change)`);
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
  // Both tools talk plain HTTP to loopback here, so neither needs the extra CA bundles a machine may set:
  // rclone fails on AWS_CA_BUNDLE with a plain-HTTP endpoint, and Node parses NODE_EXTRA_CA_CERTS at every
  // start (about 40 ms for the 220 KB system bundle), which would time the machine's setup, not the tool.
  delete process.env.AWS_CA_BUNDLE;
  delete process.env.NODE_EXTRA_CA_CERTS;
  try {
    await warmUp(s3);
    const all: ReturnType<typeof ratios>[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const results: Record<string, Pair> = {};
      for (const [name, dir, files, bytes] of [['small', small, SMALL_FILES, SMALL_FILES * SMALL_BYTES], ['large', large, LARGE_FILES, LARGE_FILES * LARGE_BYTES]] as const) {
        const oursBucket = `bench-ours-${name}-${round}`;
        const rcloneBucket = `bench-rclone-${name}-${round}`;
        for (const bucket of [oursBucket, rcloneBucket]) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
        const target = await migratedTarget(`mh_bench_files_${name}`);
        const pair = await runPair(
          () => measure(process.execPath, [CLI, 'migrate', 'files', '--uploads', dir, '--bucket', oursBucket, '--target', target, '--endpoint', server.endpoint, '--no-rewrite', '--concurrency', '16', '--json']),
          () => measure('rclone', ['copy', '--checksum', '--transfers', '16', dir, `bench:${rcloneBucket}`, '--exclude', '.complete']),
          name,
          round % 2 === 1,
        );
        results[name] = { ...pair, files, bytes };
      }
      const line = (label: string, run: Measurement, files: number, bytes: number) =>
        `  ${label.padEnd(10)} ${run.seconds.toFixed(2).padStart(7)} s  ${(files / run.seconds).toFixed(0).padStart(6)} files/s  ${(bytes / 1e6 / run.seconds).toFixed(1).padStart(7)} MB/s  peak RSS ${mb(run.peakRssBytes).padStart(4)} MB`;
      if (ROUNDS > 1) console.log(`round ${round} of ${ROUNDS}, ${round % 2 === 1 ? 'markethub' : 'rclone'} first in each pair`);
      for (const [name, r] of Object.entries(results)) {
        console.log(`${name}: ${r.files} files, ${(r.bytes / 1e6).toFixed(0)} MB`);
        console.log(line('markethub', r.ours.first, r.files, r.bytes));
        console.log(line('rclone', r.rclone.first, r.files, r.bytes));
        console.log(`  no-op re-run: markethub ${r.ours.again.seconds.toFixed(2)} s (peak RSS ${mb(r.ours.again.peakRssBytes)} MB), rclone ${r.rclone.again.seconds.toFixed(2)} s (peak RSS ${mb(r.rclone.again.peakRssBytes)} MB)`);
      }
      const r = ratios(results.small!, results.large!);
      all.push(r);
      console.log(`files/s on small files, markethub / rclone: ${r.smallFilesPerSecond.toFixed(2)}x (target >= 1.5x)`);
      console.log(`MB/s on large files, markethub / rclone:    ${r.largeMegabytesPerSecond.toFixed(2)}x (target >= 1x)`);
      console.log(`no-op re-run time, markethub / rclone:      small ${r.smallNoOpTime.toFixed(2)}x, large ${r.largeNoOpTime.toFixed(2)}x (target <= 1x)`);
      if (round === 1) {
        const scan = await scanCost();
        const share = (100 * scan.seconds) / results.small!.ours.first.seconds;
        console.log(`URL column discovery over ${SCAN_ROWS.toLocaleString('en')} rows x 3 text columns: ${scan.seconds.toFixed(2)} s, ${share.toFixed(0)}% of the ${SMALL_FILES} small files' upload; found ${scan.found.join(', ')}`);
      }
    }
    if (ROUNDS > 1) {
      const summary = (label: string, pick: (r: ReturnType<typeof ratios>) => number) => {
        const values = all.map(pick).sort((a, b) => a - b);
        const middle = values.length / 2;
        const median = values.length % 2 ? values[Math.floor(middle)]! : (values[middle - 1]! + values[middle]!) / 2;
        console.log(`  ${label.padEnd(42)} median ${median.toFixed(2)}x, range ${values[0]!.toFixed(2)}-${values.at(-1)!.toFixed(2)}x`);
      };
      console.log(`over ${ROUNDS} rounds:`);
      summary('files/s on small files (target >= 1.5x)', (r) => r.smallFilesPerSecond);
      summary('MB/s on large files (target >= 1x)', (r) => r.largeMegabytesPerSecond);
      summary('no-op re-run time, small (target <= 1x)', (r) => r.smallNoOpTime);
      summary('no-op re-run time, large (target <= 1x)', (r) => r.largeNoOpTime);
    }
  } finally {
    s3.destroy();
    await server.stop();
    // Memory, when the store is in /dev/shm.
    await rm(STORE, { recursive: true, force: true });
  }
}

await main();
