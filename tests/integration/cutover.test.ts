// Staged cutover with both backends running: legacy (the app on MySQL, app.listen) behind the routing
// middleware, new (the same app through the serverless shim on the migrated Postgres).
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, test } from 'vitest';
import express from 'express';
import { toVercel } from '../../shim/index.js';
import { createHash } from 'node:crypto';
import { signCohort } from '../../src/cutover/bucket.js';
import { cutoverMiddleware, SIDE_HEADER, type CutoverMiddleware } from '../../src/cutover/middleware.js';
import { CutoverStore } from '../../src/cutover/store.js';
import { runCli } from '../helpers/cli.js';
import { prepareBackends, type Backends } from '../app/fixture.js';

let backends: Backends;
let store: CutoverStore;
/** What the routing middleware reads: cached briefly, as in production. */
let routingStore: CutoverStore;
const FLAG_CACHE_MS = 200;

/** Changes the flag and waits until every reader's cache has expired. */
async function setFlag(to: Parameters<CutoverStore['change']>[0], reason: string): Promise<void> {
  await store.change(to, 'test', reason);
  await new Promise((r) => setTimeout(r, FLAG_CACHE_MS + 50));
}
const servers: http.Server[] = [];
/** Switches on the new side: answer 500 to everything, or a different body on one route. */
const newSide = { failing: false, differentVendor: false };
let newUrl: string;

async function listen(server: http.Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  backends = await prepareBackends('cutover');
  const handler = toVercel(backends.postgres.app);
  newUrl = await listen(
    http.createServer((req, res) => {
      if (newSide.failing) return void res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"down"}');
      if (newSide.differentVendor && req.url === '/api/vendors/3') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"vendor":{"id":3,"name":"Not the same"}}');
      void handler(req, res);
    }),
  );
  store = await CutoverStore.open(backends.postgres.url, { cacheMs: 0 });
  routingStore = await CutoverStore.open(backends.postgres.url, { cacheMs: FLAG_CACHE_MS });
});

afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
  await store?.close();
  await routingStore?.close();
  await backends?.close();
});

/** The legacy server as it runs in production: the routing middleware in front of the app. */
async function front(options: Partial<Parameters<typeof cutoverMiddleware>[0]> = {}): Promise<{ url: string; middleware: CutoverMiddleware }> {
  const middleware = cutoverMiddleware({ store: routingStore, newBackend: newUrl, statsFlushMs: 60_000, cohortSecret: COHORT_SECRET, ...options });
  const app = express();
  app.set('trust proxy', true);
  app.use(middleware);
  app.use(backends.mysql.app);
  return { url: await listen(http.createServer(app)), middleware };
}

const COHORT_SECRET = 'cutover-cohort-secret-0123456789';
/** A user as a browser the front has seen: its own address and the signed cohort cookie the front gave it. */
function browserOf(user: string): Record<string, string> {
  const id = createHash('sha256').update(user).digest('hex').slice(0, 24);
  const n = parseInt(id.slice(0, 6), 16);
  return { cookie: `mh_cohort=${signCohort(id, COHORT_SECRET)}`, 'x-forwarded-for': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}` };
}

/** Which side answered. The default route is cheap (a 404 from the app): routing is what is measured. */
async function sideOf(url: string, user: string, path = '/api/no-such-route'): Promise<string> {
  const res = await fetch(url + path, { headers: browserOf(user) });
  await res.arrayBuffer();
  return res.headers.get(SIDE_HEADER)!;
}

const USERS = Array.from({ length: 1000 }, (_, i) => `user-${i}`);

async function sidesOf(url: string, users = USERS): Promise<Map<string, string>> {
  const sides = new Map<string, string>();
  for (let i = 0; i < users.length; i += 50) {
    const batch = users.slice(i, i + 50);
    const found = await Promise.all(batch.map((u) => sideOf(url, u)));
    batch.forEach((u, j) => sides.set(u, found[j]!));
  }
  return sides;
}

test('0% keeps everyone on legacy; 30% moves about 30% of users, each always to the same side; 50% keeps them; rollback brings all back', async () => {
  const { url, middleware } = await front();
  await setFlag({ percentage: 0, shadow: false, writes: false }, 'start');
  const atZero = await sidesOf(url);
  assert.equal([...atZero.values()].filter((s) => s === 'new').length, 0);

  await setFlag({ percentage: 30 }, 'first stage');
  const at30 = await sidesOf(url);
  const moved = [...at30.values()].filter((s) => s === 'new').length;
  assert.ok(moved >= 260 && moved <= 340, `${moved} of 1000 users on the new side at 30%`);
  const again = await sidesOf(url);
  assert.deepEqual([...again.entries()], [...at30.entries()], 'every user lands on the same side every time');

  await setFlag({ percentage: 50 }, 'second stage');
  const at50 = await sidesOf(url);
  for (const [user, side] of at30) if (side === 'new') assert.equal(at50.get(user), 'new', `${user} moved back`);
  assert.ok([...at50.values()].filter((s) => s === 'new').length > moved);

  const rolledBack = await runCli(['cutover', 'rollback', '--target', backends.postgres.url]);
  assert.equal(rolledBack.code, 0, rolledBack.stderr);
  await new Promise((r) => setTimeout(r, FLAG_CACHE_MS + 50));
  const afterRollback = await sidesOf(url);
  assert.equal([...afterRollback.values()].filter((s) => s === 'new').length, 0);
  await middleware.close();
});

test('shadow reads: a difference on one route is reported with that route and an example; identical routes are not', async () => {
  const { url, middleware } = await front({ shadowSampleRate: 1 });
  await setFlag({ percentage: 0, shadow: true }, 'shadow on');
  newSide.differentVendor = true;
  try {
    for (const path of ['/api/vendors/3', '/api/products/1', '/api/products/2']) await sideOf(url, 'shadow-user', path);
    await new Promise((r) => setTimeout(r, 500));
    await middleware.flush();
  } finally {
    newSide.differentVendor = false;
  }
  const status = await runCli(['cutover', 'status', '--target', backends.postgres.url, '--json']);
  assert.equal(status.code, 0, status.stderr);
  const s = JSON.parse(status.stdout);
  const route = (name: string) => s.routes.find((r: { side: string; route: string }) => r.side === 'legacy' && r.route === name);
  assert.deepEqual([route('GET /api/vendors/:id').shadowCompared, route('GET /api/vendors/:id').shadowDiffered], [1, 1]);
  assert.deepEqual([route('GET /api/products/:id').shadowCompared, route('GET /api/products/:id').shadowDiffered], [2, 0]);
  const example = s.examples.find((e: { route: string }) => e.route === 'GET /api/vendors/:id');
  assert.equal(example.path, '/api/vendors/3');
  assert.equal(example.new.body.vendor.name, 'Not the same');
  assert.ok(example.fields.includes('body.vendor.name'));
  const text = await runCli(['cutover', 'status', '--target', backends.postgres.url]);
  assert.match(text.stdout, /GET \/api\/vendors\/:id .*1 of 1 differ/);
  await setFlag({ shadow: false }, 'shadow off');
  await middleware.close();
});

test('guard: when the new backend starts failing, routing drops to 0% by itself and says why', async () => {
  const { url, middleware } = await front({ guardWindow: 100, guardThreshold: 0.02 });
  await setFlag({ percentage: 50 }, 'before the failure');
  newSide.failing = true;
  try {
    await sidesOf(url, USERS.slice(0, 400));
  } finally {
    newSide.failing = false;
  }
  const state = await store.state();
  assert.equal(state.percentage, 0);
  const status = await store.status();
  assert.equal(status.changes[0]!.changedBy, 'guard');
  assert.match(status.changes[0]!.reason, /guard: .*% of the last 100 requests to the new backend failed/);
  assert.equal(await sideOf(url, 'user-1'), 'legacy');
  await middleware.close();
});

test('the proxy keeps method, path, query, body, headers, status and every Set-Cookie', async () => {
  const echoUrl = await listen(
    http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        res.setHeader('Set-Cookie', ['a=1; Path=/', 'b=2; HttpOnly', 'c=3; SameSite=Strict']);
        res.writeHead(201, { 'content-type': 'application/json', 'x-echo': 'yes' });
        res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }));
      });
    }),
  );
  const { url, middleware } = await front({ newBackend: echoUrl });
  await setFlag({ percentage: 100, writes: true }, 'all in');
  try {
    const res = await fetch(`${url}/api/things/7?a=1&a=2&q=caf%C3%A9`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', 'x-custom': 'kept', cookie: 'mh_cohort=proxy-user', 'x-forwarded-for': '203.0.113.9' },
      body: JSON.stringify({ name: 'Zoë' }),
    });
    assert.equal(res.status, 201);
    assert.equal(res.headers.get(SIDE_HEADER), 'new');
    assert.equal(res.headers.get('x-echo'), 'yes');
    assert.deepEqual(res.headers.getSetCookie(), ['a=1; Path=/', 'b=2; HttpOnly', 'c=3; SameSite=Strict']);
    const echo = await res.json();
    assert.equal(echo.method, 'PATCH');
    assert.equal(echo.url, '/api/things/7?a=1&a=2&q=caf%C3%A9');
    assert.equal(echo.body, '{"name":"Zoë"}');
    assert.equal(echo.headers['x-custom'], 'kept');
    assert.equal(echo.headers['content-type'], 'application/json');
    assert.match(echo.headers['x-forwarded-for'], /^203\.0\.113\.9, /);
    assert.equal(echo.headers['x-forwarded-proto'], 'http');
    assert.ok(echo.headers['x-forwarded-host']);
  } finally {
    await setFlag({ percentage: 0, writes: false }, 'done');
    await middleware.close();
  }
});
