// Unpaid orders release their stock after the configured time, exactly once: at the next checkout
// and through expirePendingOrders (the hourly cleanup), however often or concurrently it runs.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from 'vitest';
import type { Express } from 'express';
import request from 'supertest';
import { createApp, expirePendingOrders } from '../../src/app/index.js';
import { JWT_SECRET, prepareBackends, type Backends } from '../app/fixture.js';

const DIALECTS = ['mysql', 'postgres'] as const;
const ADDRESS = { name: 'Slow Payer', line1: '1 Main St', city: 'Lyon', postcode: '69001', country: 'FR' };
let backends: Backends;

beforeAll(async () => {
  backends = await prepareBackends('secorders');
});

afterAll(async () => {
  await backends?.close();
});

async function order(app: Express, email: string, productId: number, quantity: number): Promise<number> {
  const reg = await request(app).post('/api/auth/register').send({ email, password: 'long enough 1', firstName: 'Slow' });
  const token = reg.body.accessToken as string;
  assert.equal((await request(app).post('/api/cart/items').set('Authorization', `Bearer ${token}`).send({ productId, quantity })).status, 201);
  const placed = await request(app).post('/api/orders').set('Authorization', `Bearer ${token}`).send({ shippingAddress: ADDRESS });
  assert.equal(placed.status, 201, JSON.stringify(placed.body));
  return placed.body.order.id as number;
}

for (const dialect of DIALECTS) {
  test(`a pending order older than the limit is cancelled and its stock released once (${dialect})`, async () => {
    const { sequelize } = backends[dialect];
    const app = createApp({ sequelize, config: { jwtSecret: JWT_SECRET, bcryptRounds: 4, pendingOrderMinutes: 30, logSink: () => {} } });
    const stock = async () => (await request(app).get('/api/products/5')).body.product.stock as number;
    const start = await stock();
    const stale = await order(app, `stale.${dialect}@example.com`, 5, 2);
    const recent = await order(app, `recent.${dialect}@example.com`, 5, 1);
    assert.equal(await stock(), start - 3);
    await sequelize.query(`UPDATE orders SET created_at = created_at - INTERVAL '31 minutes' WHERE id = ${stale}`.replace("INTERVAL '31 minutes'", dialect === 'mysql' ? 'INTERVAL 31 MINUTE' : "INTERVAL '31 minutes'"));
    // Concurrent runs: one releases, the others find nothing left to release.
    const runs = await Promise.all([1, 2, 3].map(() => expirePendingOrders(sequelize, { olderThanMinutes: 30 })));
    assert.deepEqual(runs.flatMap((r) => r.cancelled), [stale]);
    assert.equal(await stock(), start - 1, 'the stale order gave its 2 back, the recent one holds its 1');
    assert.deepEqual((await expirePendingOrders(sequelize)).cancelled, []);
    const [rows] = await sequelize.query(`SELECT id, status FROM orders WHERE id IN (${stale}, ${recent}) ORDER BY id`);
    assert.deepEqual((rows as { status: string }[]).map((r) => r.status), ['cancelled', 'pending']);
  });

  test(`checkout releases expired reservations before it counts the stock (${dialect})`, async () => {
    const { sequelize } = backends[dialect];
    const app = createApp({ sequelize, config: { jwtSecret: JWT_SECRET, bcryptRounds: 4, pendingOrderMinutes: 1, logSink: () => {} } });
    const [[row]] = (await sequelize.query(
      'SELECT id, stock FROM products WHERE stock BETWEEN 1 AND 50 AND is_published = true AND deleted_at IS NULL AND id NOT IN (2, 3, 5) ORDER BY id LIMIT 1',
    )) as unknown as [[{ id: number; stock: number }]];
    const [product, all] = [Number(row.id), Number(row.stock)];
    const holder = await order(app, `holder.${dialect}@example.com`, product, all);
    await sequelize.query(`UPDATE orders SET created_at = created_at - ${dialect === 'mysql' ? 'INTERVAL 2 MINUTE' : "INTERVAL '2 minutes'"} WHERE id = ${holder}`);
    // Without the release the second checkout is 409 out_of_stock.
    await order(app, `buyer.${dialect}@example.com`, product, all);
  });
}
