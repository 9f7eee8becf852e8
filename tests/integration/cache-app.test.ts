// The response cache through the MarketHub app over HTTP, on a seeded MySQL with a real Redis:
// hits and misses, per-user keys, invalidation by writes, one recompute under a stampede, and
// Redis stopping mid-test.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, test } from 'vitest';
import type { Express } from 'express';
import type { Sequelize } from 'sequelize';
import request from 'supertest';
import { seedLegacyDatabase } from '../../scripts/seed-mysql.js';
import { RedisCache } from '../../src/cache/index.js';
import { createApp } from '../../src/app/index.js';
import { createLegacySequelize } from '../../src/db/index.js';
import { freshMysql, MYSQL_ADMIN_URL, type MysqlDatabase } from '../helpers/databases.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
let db: MysqlDatabase;
let sequelize: Sequelize;
let uploadsRoot: string;
const caches: RedisCache[] = [];

function appWith(cache: RedisCache | undefined): Express {
  return createApp({ sequelize, cache, config: { jwtSecret: 'test-secret-0123456789abcdef', bcryptRounds: 4, uploadsRoot, logSink: () => {} } });
}

function newCache(url = REDIS_URL, timeoutMs = 75): RedisCache {
  // A prefix per run: tests share the Redis on 6379 with other runs.
  const cache = new RedisCache({ url, timeoutMs, prefix: `mhtest:${randomBytes(4).toString('hex')}:` });
  caches.push(cache);
  return cache;
}

beforeAll(async () => {
  db = await freshMysql('cache');
  await seedLegacyDatabase(MYSQL_ADMIN_URL, db.name);
  sequelize = createLegacySequelize(db.url);
  uploadsRoot = await mkdtemp(path.join(tmpdir(), 'mh-cache-'));
});

afterAll(async () => {
  await Promise.all(caches.map((c) => c.close()));
  await sequelize?.close();
  await db?.drop();
  if (uploadsRoot) await rm(uploadsRoot, { recursive: true, force: true });
});

async function signUp(app: Express, email: string): Promise<{ token: string; id: number }> {
  const res = await request(app).post('/api/auth/register').send({ email, password: 'long enough 1', firstName: 'Test' });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return { token: res.body.accessToken, id: res.body.user.id };
}

test('public GETs: MISS then HIT with the same body; a write invalidates; personal routes are keyed per user', async () => {
  const cache = newCache();
  assert.ok(await cache.ready());
  const app = appWith(cache);

  const first = await request(app).get('/api/products?limit=5');
  assert.equal(first.status, 200);
  assert.equal(first.get('X-Cache'), 'MISS');
  const second = await request(app).get('/api/products?limit=5');
  assert.equal(second.get('X-Cache'), 'HIT');
  assert.deepEqual(second.body, first.body);
  assert.match(second.get('Content-Type') ?? '', /application\/json/);
  assert.equal((await request(app).get('/api/products?limit=6')).get('X-Cache'), 'MISS', 'the query is part of the key');

  const id = first.body.items[0].id as number;
  assert.equal((await request(app).get(`/api/products/${id}`)).get('X-Cache'), 'MISS');
  assert.equal((await request(app).get(`/api/products/${id}`)).get('X-Cache'), 'HIT');
  for (const p of ['/api/journals', '/api/vendors']) {
    assert.equal((await request(app).get(p)).get('X-Cache'), 'MISS', p);
    assert.equal((await request(app).get(p)).get('X-Cache'), 'HIT', p);
  }

  const admin = await signUp(app, 'cache.admin@example.com');
  await sequelize.query(`UPDATE users SET role = 'admin' WHERE id = :id`, { replacements: { id: admin.id } });
  // The admin-only variant of the vendors list is never served from the public cache.
  const pending = await request(app).get('/api/vendors?status=pending');
  assert.equal(pending.status, 401);
  assert.equal(pending.get('X-Cache'), undefined);

  const patched = await request(app).patch(`/api/products/${id}`).set('Authorization', `Bearer ${admin.token}`).send({ price: '123.45' });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  const after = await request(app).get(`/api/products/${id}`);
  assert.equal(after.get('X-Cache'), 'MISS', 'invalidated by the write');
  assert.equal(after.body.product.price, '123.45');
  assert.equal((await request(app).get('/api/products?limit=5')).get('X-Cache'), 'MISS', 'lists invalidated too');
  assert.equal((await request(app).get('/api/journals')).get('X-Cache'), 'HIT', 'other tags untouched');

  const a = await signUp(app, 'cache.a@example.com');
  const b = await signUp(app, 'cache.b@example.com');
  const meA = await request(app).get('/api/users/me').set('Authorization', `Bearer ${a.token}`);
  assert.equal(meA.get('X-Cache'), 'MISS');
  const meA2 = await request(app).get('/api/users/me').set('Authorization', `Bearer ${a.token}`);
  assert.equal(meA2.get('X-Cache'), 'HIT');
  assert.equal(meA2.body.user.id, a.id);
  const meB = await request(app).get('/api/users/me').set('Authorization', `Bearer ${b.token}`);
  assert.equal(meB.get('X-Cache'), 'MISS', 'another user has another key');
  assert.equal(meB.body.user.id, b.id);
  assert.equal((await request(app).get('/api/users/me')).status, 401, 'no token, no cached answer');
  assert.equal((await request(app).get('/api/users/me').set('Authorization', 'Bearer forged')).status, 401);
  await request(app).patch('/api/users/me').set('Authorization', `Bearer ${a.token}`).send({ firstName: 'Renamed' }).expect(200);
  const meA3 = await request(app).get('/api/users/me').set('Authorization', `Bearer ${a.token}`);
  assert.equal(meA3.get('X-Cache'), 'MISS');
  assert.equal(meA3.body.user.firstName, 'Renamed');
  assert.equal((await request(app).get('/api/users/me').set('Authorization', `Bearer ${b.token}`)).get('X-Cache'), 'HIT', "B's entry kept");

  const health = await request(app).get('/api/health');
  assert.equal(health.status, 200);
  assert.equal(health.body.checks.cache.status, 'ok');
  assert.equal((await request(appWith(undefined)).get('/api/health')).body.checks.cache.status, 'not configured');
});

test('a stampede on a cold key: one request computes, the others wait for it', async () => {
  const cache = newCache();
  assert.ok(await cache.ready());
  const app = appWith(cache);
  const answers = await Promise.all(Array.from({ length: 8 }, () => request(app).get('/api/products?limit=3&sort=price_asc')));
  const outcomes = answers.map((r) => r.get('X-Cache')).sort();
  assert.deepEqual(outcomes, ['HIT', 'HIT', 'HIT', 'HIT', 'HIT', 'HIT', 'HIT', 'MISS']);
  assert.ok(answers.every((r) => r.status === 200 && JSON.stringify(r.body) === JSON.stringify(answers[0]!.body)));

  // getOrCompute: one compute for concurrent callers; a stale value is served while one refreshes.
  let computed = 0;
  const compute = async () => { computed++; await new Promise((r) => setTimeout(r, 50)); return { n: computed }; };
  const got = await Promise.all(Array.from({ length: 6 }, () => cache.getOrCompute('hot', compute, { ttlSeconds: 1, staleSeconds: 30 })));
  assert.equal(computed, 1);
  assert.deepEqual(got.map((g) => g.value), Array(6).fill({ n: 1 }));
  await new Promise((r) => setTimeout(r, 1_100));
  const stale = await Promise.all(Array.from({ length: 4 }, () => cache.getOrCompute('hot', compute, { ttlSeconds: 1, staleSeconds: 30 })));
  assert.deepEqual(stale.map((s) => s.cache), ['STALE', 'STALE', 'STALE', 'STALE']);
  await new Promise((r) => setTimeout(r, 150));
  assert.equal(computed, 2, 'one background refresh');
  assert.deepEqual(await cache.getOrCompute('hot', compute, { ttlSeconds: 1 }), { value: { n: 2 }, cache: 'HIT' });
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    }).on('error', reject);
  });
}

test('Redis stopped mid-test: routes still answer 200 uncached, health says degraded', async () => {
  const port = await freePort();
  const redis: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  try {
    const cache = newCache(`redis://127.0.0.1:${port}`);
    assert.ok(await cache.ready(5_000), 'own redis-server up');
    const app = appWith(cache);
    assert.equal((await request(app).get('/api/products')).get('X-Cache'), 'MISS');
    assert.equal((await request(app).get('/api/products')).get('X-Cache'), 'HIT');

    const exited = new Promise((resolve) => redis.once('exit', resolve));
    redis.kill('SIGKILL');
    await exited;

    for (const p of ['/api/products', '/api/products?limit=2', '/api/journals', '/api/vendors']) {
      const res = await request(app).get(p);
      assert.equal(res.status, 200, p);
      assert.equal(res.get('X-Cache'), 'MISS', p);
    }
    const health = await request(app).get('/api/health');
    assert.equal(health.status, 200);
    assert.equal(health.body.status, 'ok');
    assert.equal(health.body.checks.cache.status, 'degraded');
    assert.equal(health.body.checks.database.status, 'ok');
    const user = await signUp(app, 'cache.down@example.com');
    const me = await request(app).patch('/api/users/me').set('Authorization', `Bearer ${user.token}`).send({ firstName: 'Still works' });
    assert.equal(me.status, 200, 'writes succeed though invalidation cannot reach Redis');
  } finally {
    if (redis.exitCode === null && redis.signalCode === null) redis.kill('SIGKILL');
  }
});
