// The same read-only requests to the legacy server (Express on MySQL, uploads on disk) and to the
// serverless entry point (api/index through toVercel, on the migrated Postgres), side by side.
// Upload URLs differ on purpose (the migrated rows point at the CDN); they are compared after
// mapping CDN_BASE_URL/<prefix>/ back to /uploads/<folder>/.
//   node dist/scripts/demo-shim.js --legacy mysql://root@127.0.0.1:3306/markethub_legacy \
//     --target postgres://postgres@127.0.0.1:5432/markethub_demo --s3-endpoint http://127.0.0.1:4569 \
//     --bucket markethub-media --cdn-base https://cdn.markethub.com
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import { createApp, S3_UPLOAD_PREFIXES } from '../src/app/index.js';
import { createLegacySequelize } from '../src/db/index.js';
import { instanceDatabase, markethubVercelHandler } from '../shim/app/index.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
const LEGACY = arg('legacy', 'mysql://root@127.0.0.1:3306/markethub_legacy');
const TARGET = arg('target', 'postgres://postgres@127.0.0.1:5432/markethub_demo');
const CDN = arg('cdn-base', 'https://cdn.markethub.com');
const SECRET = 'demo-secret-0123456789abcdef';
const PATHS = ['/api/health', '/api/products?limit=3', '/api/products/1', '/api/products?q=LAMPE', '/api/products?category=1&sort=price_asc&limit=5',
  '/api/vendors/3', '/api/journals?limit=2', '/api/products/48', '/api/nope'];
const VOLATILE = new Set(['latencyMs', 'requestId', 'dialect']);

function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).filter(([k]) => !VOLATILE.has(k)).map(([k, v]) => [k, normalise(v)]));
  if (typeof value === 'string') {
    let s = value;
    for (const [folder, prefix] of Object.entries(S3_UPLOAD_PREFIXES)) s = s.split(`${CDN}/${prefix}`).join(`/uploads/${folder}/`);
    return s;
  }
  return value;
}

async function listen(handler: http.RequestListener): Promise<{ url: string; server: http.Server }> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function main(): Promise<void> {
  const legacySequelize = createLegacySequelize(LEGACY);
  const legacy = await listen(createApp({ sequelize: legacySequelize, config: { jwtSecret: SECRET, logSink: () => {} } }) as unknown as http.RequestListener);
  const env = {
    DATABASE_URL: TARGET, JWT_SECRET: SECRET, S3_BUCKET: arg('bucket', 'markethub-media'), CDN_BASE_URL: CDN,
    S3_ENDPOINT: arg('s3-endpoint', 'http://127.0.0.1:4569'), AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'S3RVER',
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'S3RVER',
  };
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: env.AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: env.AWS_SECRET_ACCESS_KEY });
  const handler = markethubVercelHandler(env, { logSink: () => {} });
  const serverless = await listen((req, res) => void handler(req, res));
  let differences = 0;
  try {
    console.log(`${'request'.padEnd(56)} legacy  serverless  same answer`);
    for (const path of PATHS) {
      const [a, b] = await Promise.all([fetch(legacy.url + path), fetch(serverless.url + path)]);
      const [ja, jb] = await Promise.all([a.json(), b.json()]);
      const same = a.status === b.status && isDeepStrictEqual(normalise(ja), normalise(jb));
      if (!same) differences++;
      console.log(`${`GET ${path}`.padEnd(56)} ${String(a.status).padEnd(7)} ${String(b.status).padEnd(11)} ${same ? 'yes' : 'NO'}`);
    }
  } finally {
    legacy.server.close();
    serverless.server.close();
    await legacySequelize.close();
    await instanceDatabase(env).close();
  }
  console.log(differences ? `\n${differences} answer(s) differ` : '\nthe serverless entry point answers every request as the legacy server does');
  process.exitCode = differences ? 1 : 0;
}

main().catch((error) => {
  console.error(`demo-shim: ${(error as Error).message}`);
  process.exit(1);
});
