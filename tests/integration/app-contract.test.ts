// The MarketHub app over HTTP, on the seeded legacy MySQL database and on the Postgres database
// `migrateDb` makes from the same seed: the same journeys, the same answers.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from 'vitest';
import type { Express } from 'express';
import request from 'supertest';
import { checkBadInput, BAD_INPUT_CASES } from '../app/bad-input.js';
import { paystackSignature, type Entry } from '../app/client.js';
import { runContract } from '../app/contract.js';
import { prepareBackends, type Backend, type Backends } from '../app/fixture.js';

const DIALECTS = ['mysql', 'postgres'] as const;
let backends: Backends;
const transcripts: Partial<Record<(typeof DIALECTS)[number], Entry[]>> = {};
const badInput: Partial<Record<(typeof DIALECTS)[number], string[]>> = {};

beforeAll(async () => {
  backends = await prepareBackends('app');
});

afterAll(async () => {
  await backends?.close();
});

for (const dialect of DIALECTS) {
  test(`contract: register, login, refresh, rotation, reuse, browse, cart, order, webhook, vendor CRUD, admin (${dialect})`, async () => {
    transcripts[dialect] = await runContract(backends[dialect]);
  });
}

test('MySQL and the migrated Postgres answer every step alike', () => {
  assert.ok(transcripts.mysql && transcripts.postgres, 'both contract runs finished');
  assert.equal(transcripts.postgres.length, transcripts.mysql.length);
  for (let i = 0; i < transcripts.mysql.length; i++) {
    assert.deepEqual(transcripts.postgres[i], transcripts.mysql[i], `step ${transcripts.mysql[i]!.step}`);
  }
});

async function signUp(app: Express, email: string): Promise<{ token: string; id: number }> {
  const res = await request(app).post('/api/auth/register').send({ email, password: 'long enough 1', firstName: 'Test' });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return { token: res.body.accessToken, id: res.body.user.id };
}

async function tokensFor(backend: Backend) {
  const customer = await signUp(backend.app, 'bad.customer@example.com');
  const vendor = await signUp(backend.app, 'bad.vendor@example.com');
  const admin = await signUp(backend.app, 'bad.admin@example.com');
  await backend.sequelize.query(`UPDATE users SET role = 'admin' WHERE id = :id`, { replacements: { id: admin.id } });
  const applied = await request(backend.app).post('/api/vendors/apply').set('Authorization', `Bearer ${vendor.token}`).send({ name: 'Bad Input Shop' });
  assert.equal(applied.status, 201);
  const approved = await request(backend.app).post(`/api/vendors/${applied.body.vendor.id}/approve`).set('Authorization', `Bearer ${admin.token}`);
  assert.equal(approved.status, 200);
  return { customer: customer.token, vendor: vendor.token, admin: admin.token };
}

for (const dialect of DIALECTS) {
  test(`bad input on every write route answers 400 with field errors (${dialect}, ${BAD_INPUT_CASES.length} cases)`, async () => {
    const backend = backends[dialect];
    badInput[dialect] = await checkBadInput(backend.app, await tokensFor(backend), (raw) => paystackSignature(raw));
  });
}

test('bad input is reported alike on both databases', () => {
  assert.deepEqual(badInput.postgres, badInput.mysql);
});

const ADDRESS = { name: 'Racer', line1: '1 Main St', city: 'Paris', postcode: '75001', country: 'FR' };

for (const dialect of DIALECTS) {
  test(`20 parallel orders for the last 5 in stock: exactly 5 succeed (${dialect})`, async () => {
    const backend = backends[dialect];
    // Several app instances, as several server processes (MySQL) or function instances with a
    // pool of one connection each (Postgres) would run.
    const apps = [backend.app, ...Array.from({ length: dialect === 'postgres' ? 4 : 1 }, () => backend.instance().app)];
    await backend.sequelize.query('UPDATE products SET stock = 5 WHERE id = 9');
    const buyers = await Promise.all(Array.from({ length: 20 }, (_, i) => signUp(backend.app, `racer${i}@example.com`)));
    for (const b of buyers) {
      const res = await request(backend.app).post('/api/cart/items').set('Authorization', `Bearer ${b.token}`).send({ productId: 9, quantity: 1 });
      assert.equal(res.status, 201);
    }
    const answers = await Promise.all(buyers.map((b, i) =>
      request(apps[i % apps.length]!).post('/api/orders').set('Authorization', `Bearer ${b.token}`).send({ shippingAddress: ADDRESS })));
    const statuses = answers.map((a) => a.status);
    assert.equal(statuses.filter((s) => s === 201).length, 5, JSON.stringify(statuses));
    assert.equal(statuses.filter((s) => s === 409).length, 15, JSON.stringify(statuses));
    for (const a of answers.filter((x) => x.status === 409)) assert.equal(a.body.error.code, 'out_of_stock');
    const product = await request(backend.app).get('/api/products/9');
    assert.equal(product.body.product.stock, 0);
    const [[sold]] = await backend.sequelize.query(
      'SELECT COUNT(*) AS n FROM order_items oi JOIN orders o ON o.id = oi.order_id WHERE oi.product_id = 9 AND o.user_id IN (:ids)',
      { replacements: { ids: buyers.map((b) => b.id) } },
    ) as unknown as [[{ n: unknown }]];
    assert.equal(Number(sold.n), 5);
  });
}

for (const dialect of DIALECTS) {
  test(`unexpected failures answer 500 with a request id and no details; health answers 503 (${dialect})`, async () => {
    const broken = backends[dialect].instance();
    await broken.sequelize.close();
    const res = await request(broken.app).get('/api/products/1').set('X-Request-Id', 'req-12345678');
    assert.equal(res.status, 500);
    assert.deepEqual(res.body, { error: { code: 'internal_error', message: 'internal server error' }, requestId: 'req-12345678' });
    assert.doesNotMatch(res.text, /stack|at \/|Sequelize|\.js:/);
    const health = await request(broken.app).get('/api/health');
    assert.equal(health.status, 503);
    assert.equal(health.body.checks.database.status, 'error');
    assert.equal(health.body.checks.storage.status, 'ok');
  });
}

test('logs are JSON lines without passwords, tokens or Authorization headers', () => {
  for (const dialect of DIALECTS) {
    const logs = backends[dialect].logs;
    assert.ok(logs.length > 100);
    for (const line of logs) {
      const entry = JSON.parse(line) as Record<string, unknown>;
      assert.ok(entry.time && entry.level && entry.msg);
      assert.doesNotMatch(line, /correct horse|long enough 1|eyJ[\w-]+\.[\w-]+\.|Bearer [^[]|authorization"/i, line);
    }
    const requests = logs.map((l) => JSON.parse(l)).filter((e) => e.msg === 'request');
    assert.ok(requests.every((e) => typeof e.requestId === 'string' && typeof e.status === 'number'));
    assert.ok(requests.every((e) => !String(e.path).includes('?')), 'paths are logged without query strings');
  }
});
