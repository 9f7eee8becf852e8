// One cold start in a fresh process, started by bench-shim: from process start to the first answered
// GET /api/health. Prints {"firstAnswerMs": ...} as JSON and exits at once.
//   api <module>  the project's Vercel entry (dist/api/index.js), called with Node's own req/res through a
//                 loopback HTTP server, as the runtime calls it; configuration from the environment
//                 (Postgres and S3 up, so the health check's database and storage answer).
//   plain         serverless-http(express()) with a health route, called with an HTTP API event: the
//                 least a Node function running Express can cost.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => unknown;

async function viaVercelEntry(modulePath: string): Promise<number> {
  const { default: handler } = await import(pathToFileURL(modulePath).href) as { default: Handler };
  const server = http.createServer((req, res) => { void handler(req, res); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return new Promise<number>((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/api/health', headers: { accept: 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', reject);
  });
}

async function viaPlainServerlessHttp(): Promise<number> {
  const [{ default: express }, { default: serverless }] = await Promise.all([import('express'), import('serverless-http')]);
  const app = express();
  app.get('/api/health', (_req, res) => { res.json({ status: 'ok' }); });
  const handler = serverless(app);
  const result = await handler({
    version: '2.0', rawPath: '/api/health', rawQueryString: '', headers: { accept: 'application/json' },
    requestContext: { http: { method: 'GET', path: '/api/health', sourceIp: '198.51.100.1' }, requestId: 'cold' }, isBase64Encoded: false,
  }, {}) as { statusCode: number };
  return result.statusCode;
}

const [mode, modulePath] = process.argv.slice(2);
if (mode !== 'plain' && !(mode === 'api' && modulePath)) {
  process.stderr.write('usage: bench-shim-cold plain | api <module>\n');
  process.exit(2);
}
const status = mode === 'plain' ? await viaPlainServerlessHttp() : await viaVercelEntry(modulePath!);
const firstAnswerMs = process.uptime() * 1000;
if (status !== 200) {
  process.stderr.write(`bench-shim-cold: GET /api/health answered ${status}\n`);
  process.exit(1);
}
process.stdout.write(`${JSON.stringify({ firstAnswerMs })}\n`);
process.exit(0);
