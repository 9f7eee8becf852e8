// `npm run bench:shim`: GET /api/products of the MarketHub app on the migrated sample shop (Postgres,
// pool of one), served three ways in the same run: through toLambda, through plain serverless-http,
// and by app.listen over HTTP. Requests one at a time (a function instance takes one request at a
// time), interleaved in small batches; prints requests/s, p50 and p99 of each, the shim's overhead over
// plain serverless-http. Then the cold start, process start to the first answered GET /api/health, of the
// project's api/index (Postgres and S3 up) and of plain serverless-http(express()), in fresh processes taken
// in turn, with the medians and their ratio.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';
import pg from 'pg';
import serverless from 'serverless-http';
import { createApp } from '../src/app/index.js';
import { parseDsn } from '../src/config/dsn.js';
import { createServerlessSequelize } from '../src/db/index.js';
import { migrateDb } from '../src/migrate/db/index.js';
import { S3RVER_CREDENTIALS, startS3Server } from '../src/s3/server.js';
import { createUi } from '../src/ui/index.js';
import { markethubDatabase } from '../shim/app/index.js';
import { toLambda } from '../shim/index.js';
import { seedLegacyDatabase } from './seed-mysql.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const MYSQL_URL = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
const PG_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const REQUESTS = arg('requests', 3000);
const BATCH = arg('batch', 20);
const COLD_RUNS = arg('cold', 7);
const CONFIG = { jwtSecret: 'bench-secret-0123456789', logSink: () => {} };
const EVENT = () => ({
  version: '2.0', rawPath: '/api/products', rawQueryString: 'limit=20', headers: { accept: 'application/json', host: 'api.example.com' },
  requestContext: { http: { method: 'GET', path: '/api/products', sourceIp: '198.51.100.1' }, requestId: randomBytes(8).toString('hex') },
  isBase64Encoded: false,
});

async function prepare(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `mh_bench_shim_${randomBytes(3).toString('hex')}`;
  const my = await mysql.createConnection({ uri: MYSQL_URL });
  await my.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  const admin = new pg.Client({ connectionString: `${PG_URL}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await seedLegacyDatabase(MYSQL_URL, name);
  const report = await migrateDb({
    source: parseDsn(`${MYSQL_URL}/${name}`, 'mysql', 'source'), target: parseDsn(`${PG_URL}/${name}`, 'postgres', 'target'),
    schema: 'public', schemaOnly: false, dataOnly: false, dryRun: false, truncate: false, fresh: false, jobs: 2, sourceTimezone: 'UTC',
  }, await createUi({ json: true }));
  if (report.outcome !== 'success') throw new Error('migration of the sample shop failed');
  return {
    url: `${PG_URL}/${name}`,
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
      await my.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await my.end();
    },
  };
}

interface Stats { rps: number; p50: number; p99: number }

async function warmUp(call: () => Promise<number>, n: number): Promise<void> {
  for (let i = 0; i < n; i++) if ((await call()) !== 200) throw new Error('warm-up request failed');
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const db = await prepare();
  const closers: (() => Promise<unknown>)[] = [];
  try {
    // toLambda with the pool-of-one lifecycle.
    const shimDb = markethubDatabase({ url: db.url, applicationName: 'mh-bench-shim' });
    const shim = toLambda(createApp({ sequelize: shimDb.sequelize, config: CONFIG }), shimDb.hooks);
    closers.push(() => shimDb.close());
    // Plain serverless-http over the same kind of Sequelize (pool of one).
    const plainSequelize = createServerlessSequelize(db.url);
    const plain = serverless(createApp({ sequelize: plainSequelize, config: CONFIG }));
    closers.push(() => plainSequelize.close());
    // app.listen, called over HTTP with keep-alive.
    const listenSequelize = createServerlessSequelize(db.url);
    const server = createApp({ sequelize: listenSequelize, config: CONFIG }).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const port = (server.address() as AddressInfo).port;
    closers.push(() => listenSequelize.close(), () => new Promise((r) => server.close(r)), async () => agent.destroy());
    const viaHttp = () => new Promise<number>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port, path: '/api/products?limit=20', agent, headers: { accept: 'application/json' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      }).on('error', reject);
    });

    const variants: Record<string, () => Promise<number>> = {
      'toLambda (markethub shim)': async () => (await shim(EVENT(), {})).statusCode,
      'serverless-http (plain)': async () => ((await plain(EVENT(), {})) as { statusCode: number }).statusCode,
      'app.listen (HTTP)': viaHttp,
    };
    for (const call of Object.values(variants)) await warmUp(call, 200); // warm-up: JIT, connections
    // Batches of the three variants interleave, so a busy moment of the machine hits all of them alike.
    const latencies: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
    const busy: Record<string, number> = Object.fromEntries(Object.keys(variants).map((k) => [k, 0]));
    for (let done = 0; done < REQUESTS; done += BATCH) {
      for (const [name, call] of Object.entries(variants)) {
        for (let i = 0; i < BATCH; i++) {
          const t = performance.now();
          const status = await call();
          const ms = performance.now() - t;
          if (status !== 200) throw new Error(`${name} answered ${status}`);
          latencies[name]!.push(ms);
          busy[name]! += ms;
        }
      }
    }
    const summary: Record<string, Stats> = {};
    for (const [name, ms] of Object.entries(latencies)) {
      ms.sort((a, b) => a - b);
      summary[name] = { rps: ms.length / (busy[name]! / 1000), p50: ms[Math.floor(ms.length * 0.5)]!, p99: ms[Math.floor(ms.length * 0.99)]! };
    }

    // Cold starts: api/index with its configuration in the environment, against plain serverless-http.
    const s3Dir = await mkdtemp(path.join(os.tmpdir(), 'mh-bench-s3-'));
    const bucket = 'mh-bench-cold';
    const s3 = await startS3Server({ dir: s3Dir, buckets: [bucket] });
    closers.push(() => s3.stop(), () => rm(s3Dir, { recursive: true, force: true }));
    const apiEnv = {
      ...process.env, DATABASE_URL: db.url, JWT_SECRET: 'bench-secret-0123456789', S3_BUCKET: bucket, S3_ENDPOINT: s3.endpoint,
      CDN_BASE_URL: 'https://cdn.example.test', AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
      DB_APPLICATION_NAME: 'mh-bench-cold',
    };
    const coldScript = path.join(HERE, 'bench-shim-cold.js');
    const apiEntry = path.join(HERE, '..', 'api', 'index.js');
    const coldRun = (args: string[], env: NodeJS.ProcessEnv) => {
      const child = spawnSync(process.execPath, [coldScript, ...args], { encoding: 'utf8', env });
      if (child.status !== 0) throw new Error(`cold start run failed: ${child.stderr.trim()}`);
      // The app's own request log shares stdout: take the figure's line.
      const line = child.stdout.split('\n').find((l) => l.startsWith('{"firstAnswerMs"'));
      if (!line) throw new Error(`cold start run printed no figure: ${child.stdout.slice(-500)}`);
      return (JSON.parse(line) as { firstAnswerMs: number }).firstAnswerMs;
    };
    const cold = { api: [] as number[], plain: [] as number[] };
    coldRun(['api', apiEntry], apiEnv); // warm-up: the file system cache, not the processes
    coldRun(['plain'], process.env);
    for (let i = 0; i < COLD_RUNS; i++) {
      cold.api.push(coldRun(['api', apiEntry], apiEnv));
      cold.plain.push(coldRun(['plain'], process.env));
    }

    console.log(`GET /api/products?limit=20, ${REQUESTS} sequential requests per variant, interleaved in batches of ${BATCH}; Postgres pool of one\n`);
    console.log(`${'variant'.padEnd(28)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}`);
    for (const [name, s] of Object.entries(summary)) {
      console.log(`${name.padEnd(28)} ${s.rps.toFixed(0).padStart(8)} ${s.p50.toFixed(2).padStart(8)} ${s.p99.toFixed(2).padStart(8)}`);
    }
    const shimStats = summary['toLambda (markethub shim)']!;
    const plainStats = summary['serverless-http (plain)']!;
    const overhead = (plainStats.rps - shimStats.rps) / plainStats.rps * 100;
    console.log(`\nshim overhead over plain serverless-http: ${overhead.toFixed(1)}% in req/s (target < 10%); p99 ratio ${(shimStats.p99 / plainStats.p99).toFixed(2)}`);
    const fmt = (xs: number[]) => `median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`;
    console.log(`\ncold start, process start to the first answered GET /api/health, ${COLD_RUNS} fresh processes each, taken in turn:`);
    console.log(`  api/index (Postgres and S3 up)         ${fmt(cold.api)}`);
    console.log(`  serverless-http(express()), plain      ${fmt(cold.plain)}`);
    console.log(`  ratio of the medians: ${(median(cold.api) / median(cold.plain)).toFixed(2)}x (target at most 1.6x)`);
  } finally {
    for (const c of closers) await c().catch(() => {});
    await db.drop();
  }
}

main().catch((error) => {
  console.error(`bench-shim: ${(error as Error).message}`);
  process.exit(1);
});
