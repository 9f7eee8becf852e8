// /api/orders (checkout from the cart, my orders) and /api/webhooks/paystack.
import { createHmac, timingSafeEqual } from 'node:crypto';
import express, { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { HttpError, notFound, unauthorized } from '../errors.js';
import { authenticate, can, requirePermission, userOf } from '../middleware/auth.js';
import { body, pageQuery, param, parse, query, route } from '../middleware/validate.js';
import { expirePendingOrders } from '../services/order-expiry.js';
import { placeOrder } from '../services/orders.js';
import { PaystackUnavailableError } from '../services/paystack.js';
import { amountToCents, orderView } from '../services/serialize.js';
import { ipBytes } from '../services/ip-bytes.js';

const text = (max: number) => z.string().trim().min(1).max(max);
const createSchema = z.object({
  shippingAddress: z.object({
    name: text(200),
    line1: text(255),
    line2: z.string().trim().max(255).optional(),
    city: text(100),
    postcode: z.string().trim().max(20),
    country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code'),
  }).strict(),
  notes: z.string().trim().max(2000).optional(),
}).strict();
const listSchema = z.object(pageQuery);

export function ordersRouter(ctx: AppContext): Router {
  const router = Router({ caseSensitive: true });
  const { Order, OrderItem } = ctx.models;
  router.use(authenticate(ctx), requirePermission('orders:own'));

  const load = async (id: number) => Order.findByPk(id, {
    include: [{ model: OrderItem, as: 'items' }],
    order: [[{ model: OrderItem, as: 'items' }, 'id', 'ASC']],
  });

  router.post('/', route(async (req, res) => {
    const input = body(createSchema, req);
    // Stock held by orders nobody paid in time goes back before this checkout counts what is left.
    await expirePendingOrders(ctx.sequelize, { olderThanMinutes: ctx.config.pendingOrderMinutes, limit: 50 });
    const id = await placeOrder(ctx, userOf(req).id, input, ipBytes(req.ip));
    const order = (await load(id))!;
    res.status(201).json({
      order: orderView(order),
      payment: { provider: 'paystack', reference: order.get('paymentReference'), amount: amountToCents(order.get('total')), currency: order.get('currency') },
    });
  }));

  router.get('/', route(async (req, res) => {
    const q = query(listSchema, req);
    const { rows, count } = await Order.findAndCountAll({
      where: { userId: userOf(req).id },
      order: [['createdAt', 'DESC'], ['id', 'DESC']],
      limit: q.limit, offset: (q.page - 1) * q.limit,
    });
    res.json({ items: rows.map(orderView), page: q.page, limit: q.limit, total: count, totalPages: Math.ceil(count / q.limit) });
  }));

  router.get('/:id', route(async (req, res) => {
    const me = userOf(req);
    const order = await load(param(req, 'id'));
    if (!order || (order.get('userId') !== me.id && !can(me, 'orders:all'))) throw notFound('order');
    res.json({ order: orderView(order) });
  }));

  return router;
}

const eventSchema = z.object({
  event: z.string().min(1).max(100),
  data: z.object({
    reference: z.string().min(1).max(64),
    amount: z.number().int().nonnegative(),
    currency: z.string().max(3).optional(),
    status: z.string().max(40).optional(),
    paid_at: z.string().max(40).optional(),
  }).passthrough(),
}).passthrough();

/**
 * Paystack calls this with the raw JSON body signed by HMAC-SHA512 with the secret key
 * (x-paystack-signature, hex). An order is marked paid only when the event and Paystack's verify
 * endpoint both say its reference succeeded with its amount in its currency. The order changes only
 * from pending to paid, so a repeated event changes nothing.
 */
export function webhooksRouter(ctx: AppContext): Router {
  const router = Router({ caseSensitive: true });
  const { Order } = ctx.models;

  router.post('/paystack', express.raw({ type: () => true, limit: '1mb' }), route(async (req, res) => {
    const secret = ctx.config.paystackSecret;
    if (!secret) throw new HttpError(503, 'not_configured', 'payments are not configured');
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const signature = req.get('x-paystack-signature') ?? '';
    const expected = createHmac('sha512', secret).update(raw).digest();
    const given = /^[0-9a-f]{128}$/i.test(signature) ? Buffer.from(signature, 'hex') : null;
    if (!given || !timingSafeEqual(expected, given)) throw unauthorized('invalid signature', 'invalid_signature');
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new HttpError(400, 'invalid_json', 'the body is not valid JSON');
    }
    const event = parse(eventSchema, json, 'event');
    if (event.event !== 'charge.success') {
      res.json({ received: true, handled: false });
      return;
    }
    const order = await Order.findOne({ where: { paymentReference: event.data.reference } });
    const ignore = (why: string) => {
      ctx.config.logger.warn(`paystack event ignored: ${why}`, { requestId: req.requestId, reference: event.data.reference, orderId: order?.get('id') });
      res.json({ received: true, handled: false });
    };
    if (!order) return ignore('unknown reference');
    const cents = amountToCents(order.get('total'));
    const currency = String(order.get('currency')).toUpperCase();
    // The event must claim exactly this order's payment: succeeded, this amount, this currency.
    if (event.data.status !== 'success') return ignore(`status is ${JSON.stringify(event.data.status ?? null)}, not "success"`);
    if (event.data.amount !== cents) return ignore('amount differs from the order total');
    if ((event.data.currency ?? '').toUpperCase() !== currency) return ignore('currency differs from the order currency');
    if (order.get('status') !== 'pending') return ignore(`order is ${String(order.get('status'))}, not pending`);
    // And Paystack itself must say so: a leaked or replayed signature does not pay an order.
    let verified;
    try {
      verified = await ctx.config.paystackVerifier!.verify(event.data.reference);
    } catch (error) {
      if (!(error instanceof PaystackUnavailableError)) throw error;
      ctx.config.logger.warn('paystack verification unavailable', { requestId: req.requestId, reference: event.data.reference, error: error.message });
      // Not 2xx: Paystack sends the event again later.
      throw new HttpError(502, 'payment_verification_unavailable', 'the payment could not be verified with Paystack; it will be retried');
    }
    if (!verified) return ignore('Paystack knows no such transaction');
    if (verified.reference !== event.data.reference || verified.status !== 'success' || verified.amount !== cents || verified.currency !== currency) {
      return ignore(`Paystack says ${verified.status}, ${verified.amount} ${verified.currency}`);
    }
    const claimed = verified.paidAt ?? event.data.paid_at;
    const paidAt = claimed && !Number.isNaN(Date.parse(claimed)) ? new Date(claimed) : new Date();
    const [changed] = await Order.update({ status: 'paid', paidAt }, { where: { id: order.get('id') as number, status: 'pending' } });
    res.json({ received: true, handled: changed === 1 });
  }));

  return router;
}
