// Checkout: the cart becomes an order in one transaction. The cart row and then the product rows
// are locked (SELECT ... FOR UPDATE, the same on MySQL/InnoDB and Postgres), the stock is checked
// and written under those locks, so concurrent orders never take more than there is.
import { randomBytes } from 'node:crypto';
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

    // Row locks on the products, in id order so two checkouts cannot deadlock on them.
    const products = new Map<number, Row>();
    const locked = await Product.findAll({
      where: { id: items.map((i: Row) => i.get('productId') as number), isPublished: true },
      order: [['id', 'ASC']], transaction, lock: transaction.LOCK.UPDATE,
    });
    for (const p of locked) products.set(p.get('id') as number, p);
    const remaining = new Map<number, number>();
    for (const item of items) {
      const productId = item.get('productId') as number;
      const quantity = item.get('quantity') as number;
      const stock = products.get(productId)?.get('stock') as number | undefined;
      if (stock === undefined || stock < quantity) {
        throw conflict('out_of_stock', 'not enough stock for a product in the cart', { [`items.${productId}`]: ['not enough stock'] });
      }
      remaining.set(productId, stock - quantity);
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
    // The stock is written as a value, not decremented: the legacy schema has a trigger
    // (order_items_after_insert, on MySQL and as migrate db translates it on Postgres) that takes the
    // quantity off again. Under the row lock the right value is known, with or without the trigger.
    for (const [productId, stock] of remaining) {
      await Product.update({ stock }, { where: { id: productId }, transaction });
    }
    await CartItem.destroy({ where: { cartId: cart!.get('id') as number }, transaction });
    return orderId;
  }));
}
