// The cutover front against a hostile client: buckets come only from verified access tokens or a
// cohort cookie the front signed; the guard counts only failures of the new backend and cannot be
// tripped by one client; a malformed cookie is ignored; errors answer JSON without stack traces.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, test } from 'vitest';
import jwt from 'jsonwebtoken';
import { COHORT_COOKIE, CutoverStore, cutoverFront, cutoverMiddleware, jwtUserVerifier, SIDE_HEADER, type CutoverMiddleware } from '../../src/cutover/index.js';
import { JWT_SECRET, prepareBackends, type Backends } from '../app/fixture.js';

const COHORT_SECRET = 'cohort-secret-for-tests-0123456789';
let backends: Backends;
let store: CutoverStore;
let newUrl: string;
const servers: http.Server[] = [];
const middlewares: CutoverMiddleware[] = [];

async function listen(server: http.Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  backends = await prepareBackends('seccut');
  // The new side: /api/broken fails as a bug would, /api/frozen refuses as a frozen write does, the rest answers.
  newUrl = await listen(http.createServer((req, res) => {
    if (req.url?.startsWith('/api/broken')) return void res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"bug"}');
    if (req.url?.startsWith('/api/frozen')) return void res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '2' }).end('{"error":"frozen"}');
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"side":"new"}');
  }));
  store = await CutoverStore.open(backends.postgres.url, { cacheMs: 0 });
});

afterAll(async () => {
  for (const m of middlewares) await m.close().catch(() => {});
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
  await store?.close();
  await backends?.close();
});

/** The legacy server's front as production builds it: routing middleware, the app, a JSON error handler. */
async function front(): Promise<string> {
  const middleware = cutoverMiddleware({
    store, newBackend: newUrl, statsFlushMs: 60_000, guardWindow: 100, guardThreshold: 0.02,
    cohortSecret: COHORT_SECRET, verifyUser: jwtUserVerifier({ secret: JWT_SECRET }),
  });
  middlewares.push(middleware);
  return listen(http.createServer(cutoverFront(backends.mysql.app, { cutover: middleware, trustProxy: true })));
}

async function get(url: string, headers: Record<string, string> = {}): Promise<Response> {
  const res = await fetch(url, { headers });
  await res.arrayBuffer();
  return res;
}

const madeUpToken = (sub: number) => `Bearer eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ sub: String(sub) })).toString('base64url')}.c2lnbmF0dXJl`;
const realToken = (sub: number) => `Bearer ${jwt.sign({ sid: 'x', role: 'customer' }, JWT_SECRET, { algorithm: 'HS256', subject: String(sub), issuer: 'markethub', audience: 'markethub-api', expiresIn: 600 })}`;
const count = (sides: string[], side: string) => sides.filter((s) => s === side).length;

test('made-up tokens and client-set cookies do not choose the side; verified tokens and signed cookies do', async () => {
  const url = await front();
  await store.change({ percentage: 50, writes: false, shadow: false, frozen: false }, 'test', 'half');
  const sidesOf = async (headers: (i: number) => Record<string, string>) => {
    const out: string[] = [];
    for (let i = 0; i < 120; i += 30) out.push(...(await Promise.all(Array.from({ length: 30 }, (_, j) => get(`${url}/api/health`, headers(i + j))))).map((r) => r.headers.get(SIDE_HEADER)!));
    return out;
  };
  // One address with 120 invented identities: one cohort, so one side.
  const forged = await sidesOf((i) => ({ authorization: madeUpToken(i), 'x-forwarded-for': '198.51.100.20' }));
  assert.ok(count(forged, 'new') === 0 || count(forged, 'new') === 120, `forged tokens split ${count(forged, 'new')}/120`);
  const cookies = await sidesOf((i) => ({ cookie: `${COHORT_COOKIE}=user-${i}`, 'x-forwarded-for': '198.51.100.20' }));
  assert.deepEqual(new Set(cookies), new Set(forged), 'unsigned cookies are ignored like forged tokens');
  // Real users spread over both sides, each always on the same one.
  const verified = await sidesOf((i) => ({ authorization: realToken(1000 + i), 'x-forwarded-for': '198.51.100.20' }));
  assert.ok(count(verified, 'new') > 30 && count(verified, 'new') < 90, `verified users: ${count(verified, 'new')}/120 on new`);
  assert.deepEqual(await sidesOf((i) => ({ authorization: realToken(1000 + i), 'x-forwarded-for': '198.51.100.20' })), verified);
  // The cookie the front sets is signed and honoured from another address.
  const first = await get(`${url}/api/health`, { 'x-forwarded-for': '203.0.113.77' });
  const setCookie = first.headers.getSetCookie().find((c) => c.startsWith(`${COHORT_COOKIE}=`))!;
  assert.match(setCookie, /HttpOnly/);
  const cookie = setCookie.split(';')[0]!;
  assert.match(cookie, /^mh_cohort=[0-9a-f]+\.[\w-]+$/);
  const side = first.headers.get(SIDE_HEADER);
  for (let i = 0; i < 5; i++) assert.equal((await get(`${url}/api/health`, { cookie, 'x-forwarded-for': `192.0.2.${i + 1}` })).headers.get(SIDE_HEADER), side);
  const tampered = cookie.replace(/\.[\w-]+$/, '.AAAAAAAAAAAAAAAAAAAAAA');
  const again = await get(`${url}/api/health`, { cookie: tampered, 'x-forwarded-for': '203.0.113.78' });
  assert.ok(again.headers.getSetCookie().some((c) => c.startsWith(`${COHORT_COOKIE}=`)), 'a tampered cookie is replaced');
});

test('one client hammering a failing URL with made-up tokens does not trip the guard; many clients do', async () => {
  const url = await front();
  await store.change({ percentage: 100, writes: false, shadow: false, frozen: false }, 'test', 'all in');
  for (let i = 0; i < 300; i += 30) {
    await Promise.all(Array.from({ length: 30 }, (_, j) => get(`${url}/api/broken`, { authorization: madeUpToken(i + j), 'x-forwarded-for': '198.51.100.66' })));
  }
  assert.equal((await store.state()).percentage, 100, 'one client sent everyone back to legacy');
  for (let i = 0; i < 120; i += 30) {
    await Promise.all(Array.from({ length: 30 }, (_, j) => get(`${url}/api/broken`, { 'x-forwarded-for': `10.1.${i + j}.1` })));
  }
  // The guard writes the flag after the answer that tripped it has gone out.
  for (let i = 0; i < 50 && (await store.state()).percentage !== 0; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal((await store.state()).percentage, 0, 'failures from many clients trip the guard');
  assert.equal((await store.status()).changes[0]!.changedBy, 'guard');
});

test('a 503 with Retry-After (writes frozen on the new side) is not a failure of the new backend', async () => {
  const url = await front();
  await store.change({ percentage: 100, writes: false, shadow: false, frozen: false }, 'test', 'all in');
  for (let i = 0; i < 240; i += 30) {
    await Promise.all(Array.from({ length: 30 }, (_, j) => get(`${url}/api/frozen`, { 'x-forwarded-for': `10.2.${i + j}.1` })));
  }
  assert.equal((await store.state()).percentage, 100);
});

test('a malformed mh_cohort cookie is ignored: no 500, no stack trace, no X-Powered-By', async () => {
  const url = await front();
  await store.change({ percentage: 0, writes: false, shadow: false, frozen: false }, 'test', 'legacy');
  for (const cookie of [`${COHORT_COOKIE}=%E0%A4%A`, `${COHORT_COOKIE}=%`, `${COHORT_COOKIE}=a.b.c; other=%zz`]) {
    const res = await fetch(`${url}/api/health`, { headers: { cookie } });
    const text = await res.text();
    assert.equal(res.status, 200, `${cookie}: ${text.slice(0, 200)}`);
    assert.equal(res.headers.get('x-powered-by'), null);
  }
  const bad = await fetch(`${url}/api/journals/%E0%A4%A`);
  const text = await bad.text();
  assert.equal(bad.status, 400, text.slice(0, 300));
  assert.match(bad.headers.get('content-type') ?? '', /application\/json/);
  assert.doesNotMatch(text, /at |\/work\/|node_modules|URIError/);
  assert.equal(bad.headers.get('x-powered-by'), null);
});
