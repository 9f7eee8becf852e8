// serverless-http's documented behaviours, each checked on plain serverless-http and on toLambda side by
// side: the shim must answer as serverless-http does wherever it has no documented reason not to (its
// own differences: default binary types, no req.body on body-less requests, req.ip from Express).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { describe, test } from 'vitest';
import express from 'express';
import serverless from 'serverless-http';
import { toLambda, type LambdaOptions, type LambdaResult } from '../../shim/index.js';
import { PROJECT_ROOT } from '../../src/project-paths.js';

type Listener = (req: IncomingMessage & Record<string, unknown>, res: ServerResponse & Record<string, unknown>) => void;
type Handler = (event: unknown, context?: Record<string, unknown>) => Promise<LambdaResult>;
type Options = LambdaOptions & Record<string, unknown>;

const WRAPPERS: [string, (app: unknown, options?: Options) => Handler][] = [
  ['serverless-http', (app, options) => serverless(app as never, options as never) as unknown as Handler],
  ['toLambda', (app, options) => toLambda(app as never, options) as unknown as Handler],
];

async function readAll(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text;
}

for (const [name, wrap] of WRAPPERS) {
  describe(`${name}: events`, () => {
    test('a null or missing event is answered as GET /', async () => {
      for (const event of [null, undefined, {}]) {
        let seen: { method?: string; url?: string } = {};
        const handler = wrap(((req, res) => { seen = { method: req.method, url: req.url }; res.end('ok'); }) as Listener);
        const result = await handler(event, {});
        assert.equal(result.statusCode, 200);
        assert.equal(result.body, 'ok');
        assert.deepEqual(seen, { method: 'GET', url: '/' });
      }
    });

    test('the response finishes and the request ends, for listeners waiting on either', async () => {
      const seen: string[] = [];
      const handler = wrap(((req, res) => {
        req.on('end', () => { seen.push('req end'); res.end(''); });
        res.on('finish', () => { seen.push('res finish'); });
        req.resume();
      }) as Listener);
      await handler(null, {});
      assert.deepEqual(seen, ['req end', 'res finish']);
    });

    test('a body arrives through the request stream, its length inferred in bytes', async () => {
      let length: unknown;
      const handler = wrap(((req, res) => { length = req.headers['content-length']; void readAll(req).then((text) => res.end(text)); }) as Listener);
      const result = await handler({ httpMethod: 'POST', body: '{"foo":"অ"}' }, {});
      assert.equal(result.body, '{"foo":"অ"}');
      assert.equal(length, 13);
    });

    test('a Buffer body, an object body sent as JSON, a base64 body; a number body is refused', async () => {
      const handler = wrap(((req, res) => { void readAll(req).then((text) => res.end(text)); }) as Listener);
      assert.equal((await handler({ body: Buffer.from('hello world') }, {})).body, 'hello world');
      assert.equal((await handler({ body: { foo: 'bar' }, headers: { 'content-type': 'application/json' } }, {})).body, '{"foo":"bar"}');
      assert.equal((await handler({ body: Buffer.from('zoë').toString('base64'), isBase64Encoded: true }, {})).body, 'zoë');
      await assert.rejects(handler({ body: 42 }, {}), /Unexpected event\.body type: number/);
    });

    test('query parameters: single, multi-value, and v2 raw query strings', async () => {
      const handler = wrap(((req, res) => { res.end(req.url); }) as Listener);
      assert.equal((await handler({ httpMethod: 'GET', path: '/', queryStringParameters: { foo: 'bar' } }, {})).body, '/?foo=bar');
      assert.equal((await handler({ httpMethod: 'GET', path: '/', queryStringParameters: { foo: 'bar' }, multiValueQueryStringParameters: { foo: ['qux', 'bar'] } }, {})).body, '/?foo=qux&foo=bar');
      assert.equal((await handler({ version: '2.0', rawPath: '/a', rawQueryString: 'x=1&x=2', requestContext: { http: { method: 'GET' } } }, {})).body, '/a?x=1&x=2');
    });

    test('ALB query parameters are URL-decoded, others are not', async () => {
      const handler = wrap(((req, res) => { res.end(req.url); }) as Listener);
      const alb = await handler({ httpMethod: 'GET', path: '/', requestContext: { elb: { targetGroupArn: 'arn' } }, queryStringParameters: { 'a%231': 'hello+world' } }, {});
      assert.equal(decodeURIComponent(alb.body), '/?a#1=hello world');
      const gateway = await handler({ httpMethod: 'GET', path: '/', queryStringParameters: { 'a%231': 'x' } }, {});
      assert.equal(decodeURIComponent(gateway.body), '/?a%231=x');
    });

    test('status, writeHead headers, verbs, and close emitted once', async () => {
      let closes = 0;
      const handler = wrap(((req, res) => {
        res.on('close', () => { closes++; });
        if (req.method === 'PUT') { res.statusCode = 418; res.end('teapot'); return; }
        res.writeHead(302, { Location: '/redirect', Accept: '*/*' });
        res.emit('finish');
        res.end();
      }) as Listener);
      const put = await handler({ httpMethod: 'PUT', path: '/' }, {});
      assert.deepEqual([put.statusCode, put.body], [418, 'teapot']);
      const redirect = await handler({ httpMethod: 'GET', path: '/' }, {});
      assert.equal(redirect.statusCode, 302);
      assert.deepEqual(redirect.headers, { location: '/redirect', accept: '*/*' });
      assert.equal(closes, 2);
    });
  });

  describe(`${name}: options`, () => {
    const headersOf = async (options: Options | undefined, event: Record<string, unknown>) => {
      let headers: IncomingMessage['headers'] = {};
      await wrap(((req, res) => { headers = req.headers; res.end(''); }) as Listener, options)(event, {});
      return headers;
    };

    test('requestId: x-request-id from requestContext.requestId by default; a custom header; an existing one kept; false for none', async () => {
      assert.equal((await headersOf(undefined, { requestContext: { requestId: 'foo' } }))['x-request-id'], 'foo');
      assert.equal((await headersOf({ requestId: 'Custom-Request-ID' }, { requestContext: { requestId: 'bar' } }))['custom-request-id'], 'bar');
      assert.equal((await headersOf({ requestId: 'Custom-Request-ID' }, { headers: { 'custom-request-id': 'abc' }, requestContext: { requestId: 'bar' } }))['custom-request-id'], 'abc');
      const none = await headersOf({ requestId: false }, { requestContext: { requestId: 'bar' } });
      assert.equal(none['x-request-id'], undefined);
    });

    test('a request transform sees the event and the context the handler was given', async () => {
      const event = {};
      const context = {};
      let seen: Record<string, unknown> = {};
      const handler = wrap(((req, res) => { seen = req; res.end(''); }) as Listener, {
        request: (req: Record<string, unknown>, evt: unknown, ctx: unknown) => { req.event = evt; req.context = ctx; },
      });
      await handler(event, context);
      assert.equal(seen.event, event);
      assert.equal(seen.context, context);
    });

    test('a request transform given as an object is assigned to the request', async () => {
      let seen: Record<string, unknown> = {};
      await wrap(((req, res) => { seen = req; res.end(''); }) as Listener, { request: { tenant: 'acme' } })({}, {});
      assert.equal(seen.tenant, 'acme');
    });

    test('a response transform changes the status and headers of the result', async () => {
      const handler = wrap(((_req, res) => { res.end(''); }) as Listener, {
        response: (res: ServerResponse & { headers: Record<string, string> }) => {
          res.statusCode = 201;
          res.headers.foo = 'bar';
          res.setHeader('bar', 'baz');
        },
      });
      const result = await handler({}, {});
      assert.equal(result.statusCode, 201);
      assert.equal(result.headers?.foo, 'bar');
      assert.equal(result.headers?.bar, 'baz');
    });

    test('binary: true encodes every answer, false none, a function decides from the headers', async () => {
      const app = ((_req, res) => { res.setHeader('content-type', 'image/png'); res.end('png!'); }) as Listener;
      assert.deepEqual(await wrap(app, { binary: true })({}, {}).then((r) => [r.isBase64Encoded, r.body]), [true, Buffer.from('png!').toString('base64')]);
      assert.deepEqual(await wrap(app, { binary: false })({}, {}).then((r) => [r.isBase64Encoded, r.body]), [false, 'png!']);
      assert.equal((await wrap(app, { binary: (h: Record<string, string>) => h['content-type'] === 'image/png' })({}, {})).isBase64Encoded, true);
    });
  });

  describe(`${name}: basePath`, () => {
    const fooApp = () => {
      const app = express();
      app.get('/test', (_req, res) => { res.send('foo!'); });
      return app;
    };

    test('removed from the path (v1) and rawPath (v2), named stage in front included', async () => {
      const handler = wrap(fooApp(), { basePath: '/foo' });
      for (const path of ['/foo/test', '/dev/foo/test']) {
        const v1 = await handler({ httpMethod: 'GET', path }, {});
        assert.deepEqual([v1.statusCode, v1.body], [200, 'foo!'], `v1 ${path}`);
        const v2 = await handler({ version: '2.0', rawPath: path, rawQueryString: '', requestContext: { http: { method: 'GET' } } }, {});
        assert.deepEqual([v2.statusCode, v2.body], [200, 'foo!'], `v2 ${path}`);
      }
    });

    test('event.requestPath is the path routed, when given', async () => {
      const handler = wrap(fooApp(), { basePath: '/foo' });
      const v1 = await handler({ httpMethod: 'GET', path: '/ignored', requestPath: '/foo/test' }, {});
      assert.deepEqual([v1.statusCode, v1.body], [200, 'foo!']);
      const v2 = await handler({ version: '2.0', rawPath: '/ignored', requestPath: '/dev/foo/test', rawQueryString: '', requestContext: { http: { method: 'GET' } } }, {});
      assert.deepEqual([v2.statusCode, v2.body], [200, 'foo!']);
      const unprefixed = await wrap(fooApp())({ httpMethod: 'GET', path: '/ignored', requestPath: '/test' }, {});
      assert.equal(unprefixed.statusCode, 200);
    });
  });

  describe(`${name}: req.ip`, () => {
    const v1 = { httpMethod: 'GET', path: '/', requestContext: { identity: { sourceIp: '203.0.113.9' } } };
    const v2 = { version: '2.0', rawPath: '/', rawQueryString: '', requestContext: { http: { method: 'GET', sourceIp: '198.51.100.4' } } };

    test('a plain listener has the event\'s source IP as req.ip (REST identity, HTTP API http.sourceIp)', async () => {
      const handler = wrap(((req, res) => { res.end(String(req.ip)); }) as Listener);
      assert.equal((await handler(v1, {})).body, '203.0.113.9');
      assert.equal((await handler(v2, {})).body, '198.51.100.4');
    });

    test('an Express app has it too, and a listener that assigns req.ip reads what it assigned', async () => {
      const app = express();
      app.get('/', (req, res) => { res.send(req.ip); });
      assert.equal((await wrap(app)(v1, {})).body, '203.0.113.9');
      const assigning = wrap(((req, res) => { req.ip = '192.0.2.1'; res.end(String(req.ip)); }) as Listener);
      assert.equal((await assigning(v2, {})).body, '192.0.2.1');
    });
  });

  describe(`${name}: req.body`, () => {
    test('a request with a body carries it as a Buffer, as serverless-http gives it', async () => {
      let body: unknown;
      await wrap(((req, res) => { body = req.body; res.end(''); }) as Listener)({ httpMethod: 'POST', body: 'hello' }, {});
      assert.ok(Buffer.isBuffer(body));
      assert.equal(String(body), 'hello');
    });
  });
}

test('toLambda only: a body-less request has no req.body, as on a plain server (serverless-http gives an empty Buffer)', async () => {
  const bodies: unknown[] = [];
  const listener = ((req, res) => { bodies.push(req.body); res.end(''); }) as Listener;
  await toLambda(listener as never)({ httpMethod: 'GET', path: '/' });
  await (serverless(listener as never) as unknown as Handler)({ httpMethod: 'GET', path: '/' }, {});
  assert.equal(bodies[0], undefined);
  assert.ok(Buffer.isBuffer(bodies[1]) && bodies[1].length === 0);
});

test('toLambda only: basePathMatch front removes the prefix only from the front, at a segment boundary', async () => {
  const app = express();
  app.get('/test', (_req, res) => { res.send('foo!'); });
  app.use((req, res) => { res.status(404).send(req.url); });
  const handler = toLambda(app, { basePath: '/foo', basePathMatch: 'front' });
  assert.equal((await handler({ httpMethod: 'GET', path: '/foo/test' })).statusCode, 200);
  const staged = await handler({ httpMethod: 'GET', path: '/dev/foo/test' });
  assert.deepEqual([staged.statusCode, staged.body], [404, '/dev/foo/test']);
  assert.equal((await handler({ httpMethod: 'GET', path: '/ignored', requestPath: '/foo/test' })).statusCode, 200);
  assert.equal((await handler({ httpMethod: 'GET', path: '/foobar/test' })).statusCode, 404);
});

test('toLambda only: the user\'s transforms run after the shim\'s own (req.ip from Express), and its cookies still reach ALB', async () => {
  const app = express();
  app.get('/', (req, res) => { res.cookie('a', '1'); res.cookie('b', '2'); res.json({ ip: req.ip, tagged: (req as unknown as { tagged?: boolean }).tagged }); });
  const handler = toLambda(app, {
    request: (req: { tagged?: boolean }) => { req.tagged = true; },
    response: (res: ServerResponse) => { res.statusCode = 299; },
  });
  const result = await handler({ httpMethod: 'GET', path: '/', headers: {}, requestContext: { elb: { targetGroupArn: 'arn' }, identity: { sourceIp: '198.51.100.7' } } });
  assert.deepEqual(JSON.parse(result.body), { ip: '198.51.100.7', tagged: true });
  assert.equal(result.statusCode, 299);
  const cookies = Object.entries(result.headers ?? {}).filter(([k]) => k.toLowerCase() === 'set-cookie').map(([, v]) => v).sort();
  assert.deepEqual(cookies, ['a=1; Path=/', 'b=2; Path=/']);
});

test('toLambda only: req.ip is Express\'s (trust proxy, X-Forwarded-For) also for an http.Server serving the app', async () => {
  const app = express();
  app.set('trust proxy', 1);
  app.get('/', (req, res) => { res.send(req.ip); });
  const event = { httpMethod: 'GET', path: '/', headers: { 'x-forwarded-for': '192.0.2.50' }, requestContext: { identity: { sourceIp: '10.0.0.1' } } };
  assert.equal((await toLambda(app)(event)).body, '192.0.2.50');
  assert.equal((await toLambda(createServer(app) as never)(event)).body, '192.0.2.50');
  // serverless-http's own property hides Express's getter: the proxy's address, not the client's.
  assert.equal((await (serverless(app) as unknown as Handler)(event, {})).body, '10.0.0.1');
});

// serverless-http reads BINARY_CONTENT_TYPES when it loads: checked in a fresh process there.
function plainServerlessHttpEncodes(contentType: string, binaryTypes: string): boolean {
  const script = `require('serverless-http')((req, res) => { res.setHeader('content-type', process.argv[1]); res.end('a,b'); })({})
    .then((r) => process.stdout.write(JSON.stringify(r.isBase64Encoded)));`;
  const child = spawnSync(process.execPath, ['-e', script, contentType], { cwd: PROJECT_ROOT, encoding: 'utf8', env: { ...process.env, BINARY_CONTENT_TYPES: binaryTypes } });
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout) as boolean;
}

test('BINARY_CONTENT_TYPES, with no binary option, lists the types answered base64, as in serverless-http; an option still wins', async () => {
  const listener = ((req, res) => { res.setHeader('content-type', String(req.headers['x-type'])); res.end('a,b'); }) as Listener;
  const saved = process.env.BINARY_CONTENT_TYPES;
  process.env.BINARY_CONTENT_TYPES = 'text/csv,application/vnd.*';
  let fromEnv: ReturnType<typeof toLambda>;
  let withOption: ReturnType<typeof toLambda>;
  try {
    fromEnv = toLambda(listener as never);
    withOption = toLambda(listener as never, { binary: ['image/*'] });
  } finally {
    if (saved === undefined) delete process.env.BINARY_CONTENT_TYPES;
    else process.env.BINARY_CONTENT_TYPES = saved;
  }
  const encodes = async (handler: ReturnType<typeof toLambda>, type: string) => (await handler({ headers: { 'x-type': type } })).isBase64Encoded;
  for (const [type, expected] of [['text/csv', true], ['application/vnd.ms-excel', true], ['image/png', false], ['text/plain', false]] as const) {
    assert.equal(await encodes(fromEnv, type), expected, type);
    assert.equal(plainServerlessHttpEncodes(type, 'text/csv,application/vnd.*'), expected, `serverless-http ${type}`);
  }
  assert.equal(await encodes(withOption, 'text/csv'), false);
  assert.equal(await encodes(withOption, 'image/png'), true);
  // Unset, the shim's own default list applies (images among them).
  assert.equal(await encodes(toLambda(listener as never), 'image/png'), true);
});
