// The Paystack webhook pays an order only when the signed event and Paystack's verify endpoint (a
// fake on loopback here) both say this order's reference succeeded with its amount in its currency.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from 'vitest';
import type { Express } from 'express';
import request from 'supertest';
import { paystackSignature } from '../app/client.js';
import { fakePaystack, type FakePaystack } from '../app/fake-paystack.js';
import { PAYSTACK_SECRET, prepareBackends, type Backends } from '../app/fixture.js';
import { createApp } from '../../src/app/index.js';

const DIALECTS = ['mysql', 'postgres'] as const;
const ADDRESS = { name: 'Payer', line1: '1 Main St', city: 'Lyon', postcode: '69001', country: 'FR' };
let backends: Backends;
let paystack: FakePaystack;

beforeAll(async () => {
  [backends, paystack] = await Promise.all([prepareBackends('sechook'), fakePaystack(PAYSTACK_SECRET)]);
});

afterAll(async () => {
  await backends?.close();
});

let users = 0;
/** A pending order of one product 3 (24.50 EUR): its id, reference and amount in cents. */
async function pendingOrder(app: Express): Promise<{ id: number; reference: string; amount: number; token: string }> {
  const reg = await request(app).post('/api/auth/register').send({ email: `payer.${++users}.${Date.now()}@example.com`, password: 'long enough 1', firstName: 'Payer' });
  assert.equal(reg.status, 201, JSON.stringify(reg.body));
  const token = reg.body.accessToken as string;
  assert.equal((await request(app).post('/api/cart/items').set('Authorization', `Bearer ${token}`).send({ productId: 3, quantity: 1 })).status, 201);
  const placed = await request(app).post('/api/orders').set('Authorization', `Bearer ${token}`).send({ shippingAddress: ADDRESS });
  assert.equal(placed.status, 201, JSON.stringify(placed.body));
  assert.equal(placed.body.payment.currency, 'EUR');
  return { id: placed.body.order.id, reference: placed.body.payment.reference, amount: placed.body.payment.amount, token };
}

function send(app: Express, data: Record<string, unknown>) {
  const raw = JSON.stringify({ event: 'charge.success', data });
  return request(app).post('/api/webhooks/paystack').set('Content-Type', 'application/json').set('x-paystack-signature', paystackSignature(raw)).send(raw);
}

async function statusOf(app: Express, order: { id: number; token: string }): Promise<string> {
  const res = await request(app).get(`/api/orders/${order.id}`).set('Authorization', `Bearer ${order.token}`);
  assert.equal(res.status, 200);
  return res.body.order.status as string;
}

for (const dialect of DIALECTS) {
  test(`a signed event in another currency, or not "success", leaves the EUR order pending (${dialect})`, async () => {
    const app = backends[dialect].app;
    const order = await pendingOrder(app);
    paystack.record({ reference: order.reference, status: 'success', amount: order.amount, currency: 'EUR' });
    for (const data of [
      { reference: order.reference, amount: order.amount, currency: 'NGN', status: 'success' },
      { reference: order.reference, amount: order.amount, status: 'success' },
      { reference: order.reference, amount: order.amount, currency: 'EUR', status: 'failed' },
      { reference: order.reference, amount: order.amount, currency: 'EUR' },
      { reference: order.reference, amount: order.amount - 1, currency: 'EUR', status: 'success' },
    ]) {
      const res = await send(app, data);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.handled, false, JSON.stringify(data));
      assert.equal(await statusOf(app, order), 'pending', JSON.stringify(data));
    }
  });

  test(`a well-formed event is checked with Paystack: unknown there, failed there or another currency there leaves it pending (${dialect})`, async () => {
    const app = backends[dialect].app;
    const event = (o: { reference: string; amount: number }) => ({ reference: o.reference, amount: o.amount, currency: 'EUR', status: 'success' });
    const unknown = await pendingOrder(app);
    assert.equal((await send(app, event(unknown))).body.handled, false);
    const failed = await pendingOrder(app);
    paystack.record({ reference: failed.reference, status: 'failed', amount: failed.amount, currency: 'EUR' });
    assert.equal((await send(app, event(failed))).body.handled, false);
    const naira = await pendingOrder(app);
    paystack.record({ reference: naira.reference, status: 'success', amount: naira.amount, currency: 'NGN' });
    assert.equal((await send(app, event(naira))).body.handled, false);
    for (const o of [unknown, failed, naira]) assert.equal(await statusOf(app, o), 'pending');
    const asked = paystack.requests.filter((r) => [unknown, failed, naira].some((o) => o.reference === r.reference));
    assert.equal(asked.length, 3);
    for (const r of asked) assert.equal(r.authorization, `Bearer ${PAYSTACK_SECRET}`);
  });

  test(`Paystack verified: the order is paid at Paystack's time; Paystack down: 502 so the event comes again (${dialect})`, async () => {
    const app = backends[dialect].app;
    const order = await pendingOrder(app);
    paystack.record({ reference: order.reference, status: 'success', amount: order.amount, currency: 'EUR', paid_at: '2024-07-01T10:00:00.000Z' });
    const data = { reference: order.reference, amount: order.amount, currency: 'EUR', status: 'success', paid_at: '2030-01-01T00:00:00Z' };
    paystack.failing = true;
    try {
      const down = await send(app, data);
      assert.equal(down.status, 502);
      assert.equal(down.body.error.code, 'payment_verification_unavailable');
    } finally {
      paystack.failing = false;
    }
    assert.equal(await statusOf(app, order), 'pending');
    const paid = await send(app, data);
    assert.equal(paid.status, 200);
    assert.equal(paid.body.handled, true);
    const res = await request(app).get(`/api/orders/${order.id}`).set('Authorization', `Bearer ${order.token}`);
    assert.equal(res.body.order.status, 'paid');
    assert.equal(res.body.order.paidAt, '2024-07-01T10:00:00.000Z');
  });
}

test('Paystack unreachable (nothing listening) is a 502, not a paid order', async () => {
  const backend = backends.postgres;
  const app = createApp({ sequelize: backend.sequelize, config: { jwtSecret: 'another-test-secret-0123', paystackSecret: PAYSTACK_SECRET, paystackApiBase: 'http://127.0.0.1:9', logSink: () => {} } });
  const order = await pendingOrder(backend.app);
  const res = await send(app, { reference: order.reference, amount: order.amount, currency: 'EUR', status: 'success' });
  assert.equal(res.status, 502);
  assert.equal(await statusOf(backend.app, order), 'pending');
});
