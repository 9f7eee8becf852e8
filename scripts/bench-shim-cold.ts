// One cold start, run in a fresh process by bench-shim: from the first import of the app and the
// shim to the first answer of GET /api/products through toLambda. Prints the milliseconds as JSON.
const started = performance.now();
const [{ createApp }, { toLambda }, { markethubDatabase }] = await Promise.all([import('../src/app/index.js'), import('../shim/index.js'), import('../shim/app/index.js')]);
const db = markethubDatabase({ url: process.argv[2]!, applicationName: 'mh-bench-cold' });
const app = createApp({ sequelize: db.sequelize, config: { jwtSecret: 'bench-secret-0123456789', logSink: () => {} } });
const handler = toLambda(app, db.hooks);
const result = await handler({
  version: '2.0', rawPath: '/api/products', rawQueryString: 'limit=20', headers: { accept: 'application/json' },
  requestContext: { http: { method: 'GET', path: '/api/products', sourceIp: '198.51.100.1' }, requestId: 'cold' }, isBase64Encoded: false,
});
const firstResponseMs = performance.now() - started;
if (result.statusCode !== 200) throw new Error(`cold start answered ${result.statusCode}`);
process.stdout.write(`${JSON.stringify({ firstResponseMs, processUptimeMs: process.uptime() * 1000 })}\n`);
await db.close();
