// Routes match case-sensitively on both backends, as the response cache's invalidation does: a
// write through /api/PRODUCTS/20 cannot change a product while /api/products/20 keeps the old copy.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, test } from 'vitest';
import request from 'supertest';
import { createApp } from '../../src/app/index.js';
import { RedisCache } from '../../src/cache/index.js';
import { JWT_SECRET, prepareBackends, type Backends } from '../app/fixture.js';

const DIALECTS = ['mysql', 'postgres'] as const;
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
let backends: Backends;
const caches: RedisCache[] = [];

beforeAll(async () => {
  backends = await prepareBackends('secroute');
});

afterAll(async () => {
  await Promise.all(caches.map((c) => c.close()));
  await backends?.close();
});

for (const dialect of DIALECTS) {
  test(`a case-variant path is no route, so it cannot leave a stale cached copy behind (${dialect})`, async () => {
    const cache = new RedisCache({ url: REDIS_URL, timeoutMs: 200, prefix: `mhtest:${randomBytes(4).toString('hex')}:` });
    caches.push(cache);
    assert.ok(await cache.ready(), 'Redis answers');
    const { sequelize } = backends[dialect];
    const app = createApp({ sequelize, cache, config: { jwtSecret: JWT_SECRET, bcryptRounds: 4, logSink: () => {} } });
    const reg = await request(app).post('/api/auth/register').send({ email: `cases.${dialect}@example.com`, password: 'long enough 1', firstName: 'Admin' });
    await sequelize.query(`UPDATE users SET role = 'admin' WHERE id = ${Number(reg.body.user.id)}`);
    const token = reg.body.accessToken as string;

    const before = await request(app).get('/api/products/20');
    assert.equal(before.status, 200);
    assert.equal((await request(app).get('/api/products/20')).get('X-Cache'), 'HIT');
    const sideways = await request(app).patch('/api/PRODUCTS/20').set('Authorization', `Bearer ${token}`).send({ name: 'Renamed sideways' });
    assert.equal(sideways.status, 404, JSON.stringify(sideways.body));
    assert.equal((await request(app).get('/api/Products/20')).status, 404);
    const after = await request(app).get('/api/products/20');
    assert.equal(after.body.product.name, before.body.product.name, 'nothing changed behind the cache');

    const straight = await request(app).patch('/api/products/20').set('Authorization', `Bearer ${token}`).send({ name: 'Renamed' });
    assert.equal(straight.status, 200, JSON.stringify(straight.body));
    const fresh = await request(app).get('/api/products/20');
    assert.equal(fresh.body.product.name, 'Renamed');
  });
}

for (const dialect of DIALECTS) {
  test(`a path that does not decode is a 400 in JSON, without a stack or a file path (${dialect})`, async () => {
    const app = createApp({ sequelize: backends[dialect].sequelize, config: { jwtSecret: JWT_SECRET, bcryptRounds: 4, logSink: () => {} } });
    for (const url of ['/api/journals/%E0%A4%A', '/api/products/%', '/api/products/20%zz']) {
      const res = await request(app).get(url);
      assert.equal(res.status, 400, `${url}: ${res.text.slice(0, 200)}`);
      assert.equal(res.body.error.code, 'bad_request', res.text);
      assert.doesNotMatch(res.text, /URIError|at |\/work\/|node_modules/);
      assert.equal(res.get('X-Powered-By'), undefined);
    }
  });
}
