// Checkout: the cart becomes an order in one transaction. Stock is taken with a conditional
// UPDATE ... SET stock = stock - q WHERE stock >= q, which row-locks the product on both MySQL
// (InnoDB) and Postgres and re-checks the condition after any wait, so concurrent orders never
// take more than there is. Products are updated in id order so two carts cannot deadlock on them.
import { randomBytes } from 'node:crypto';
import { Op } from 'sequelize';
import type { AppContext } from '../context.js';
import { conflict } from '../errors.js';
import type { Row } from '../models/index.js';
import { amountToCents, centsToAmount } from './serialize.js';
import { withRetry } from './sql.js';

export interface ShippingAddress {
  name: string;
  line1: string;
  line2?: string | undefined;
  city: string;
  postcode: string;
  country: string;
}

const BASE32 = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
function orderNumber(now: Date): string {
  const bytes = randomBytes(10);
  return `MH-${now.getUTCFullYear()}-${[...bytes].map((b) => BASE32[b % BASE32.length]).join('')}`;
}

export async function placeOrder(
  ctx: AppContext,
  userId: number,
  input: { shippingAddress: ShippingAddress; notes?: string | undefined },
  placedIp: Buffer | null,
): Promise<number> {
  const { Cart, CartItem, Product, Order, OrderItem } = ctx.models;
  return withRetry(4, () => ctx.sequelize.transaction(async (transaction) => {
    // One checkout per cart at a time.
    const cart = await Cart.findOne({ where: { userId }, transaction, lock: transaction.LOCK.UPDATE });
    const items = cart
      ? await CartItem.findAll({ where: { cartId: cart.get('id') as number }, order: [['productId', 'ASC']], transaction })
      : [];
    if (items.length === 0) throw conflict('cart_empty', 'the cart is empty');

    for (const item of items) {
      const quantity = item.get('quantity') as number;
      const [taken] = await Product.update(
        { stock: ctx.sequelize.literal(`stock - ${Number(quantity)}`) },
        { where: { id: item.get('productId') as number, isPublished: true, stock: { [Op.gte]: quantity } }, transaction },
      );
      if (taken !== 1) {
        throw conflict('out_of_stock', 'not enough stock for a product in the cart', {
          [`items.${item.get('productId')}`]: ['not enough stock'],
        });
      }
    }

    const products = new Map<number, Row>();
    for (const p of await Product.findAll({ where: { id: items.map((i: Row) => i.get('productId') as number) }, transaction })) {
      products.set(p.get('id') as number, p);
    }
    let subtotal = 0;
    const lines = items.map((item: Row) => {
      const product = products.get(item.get('productId') as number)!;
      const unitPriceCents = amountToCents(product.get('price'));
      const quantity = item.get('quantity') as number;
      subtotal += unitPriceCents * quantity;
      return { productId: product.get('id'), productName: product.get('name'), quantity, unitPriceCents };
    });
    const currency = (products.values().next().value as Row).get('currency') as string;
    const now = new Date();
    const order = await Order.create({
      orderNumber: orderNumber(now),
      userId,
      status: 'pending',
      subtotal: centsToAmount(subtotal),
      discount: '0.00',
      shippingFee: '0.00',
      tax: '0.00',
      total: centsToAmount(subtotal),
      currency,
      shippingAddress: input.shippingAddress,
      paymentReference: `mh_${randomBytes(12).toString('hex')}`,
      placedIp,
      notes: input.notes ?? null,
    }, { transaction });
    const orderId = order.get('id') as number;
    await OrderItem.bulkCreate(lines.map((l) => ({ ...l, orderId })), {
      transaction, fields: ['orderId', 'productId', 'productName', 'quantity', 'unitPriceCents'],
    });
    await CartItem.destroy({ where: { cartId: cart!.get('id') as number }, transaction });
    return orderId;
  }));
}
