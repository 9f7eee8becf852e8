// /api/cart and /api/wishlist: the signed-in user's cart (one per user) and wishlist.
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { badRequest, notFound } from '../errors.js';
import { authenticate, requirePermission, userOf } from '../middleware/auth.js';
import { body, param, route } from '../middleware/validate.js';
import type { Row } from '../models/index.js';
import { amountToCents, centsToAmount, iso } from '../services/serialize.js';

const quantity = z.number().int().min(1).max(99);
const addSchema = z.object({ productId: z.number().int().positive(), quantity: quantity.default(1) }).strict();
const setSchema = z.object({ quantity }).strict();
const wishSchema = z.object({ productId: z.number().int().positive(), note: z.string().trim().max(255).optional() }).strict();

export function cartRouter(ctx: AppContext): Router {
  const router = Router({ caseSensitive: true });
  const { Cart, CartItem, Product } = ctx.models;
  router.use(authenticate(ctx), requirePermission('cart:use'));

  const cartOf = async (userId: number) => {
    const existing = await Cart.findOne({ where: { userId } });
    if (existing) return existing;
    try {
      return await Cart.create({ userId });
    } catch (error) {
      // Two first requests at once: the unique key on user_id lets one create it.
      const again = await Cart.findOne({ where: { userId } });
      if (again) return again;
      throw error;
    }
  };

  const view = async (userId: number) => {
    const cart = await cartOf(userId);
    const items = await CartItem.findAll({
      where: { cartId: cart.get('id') as number },
      include: [{ model: Product, as: 'product', attributes: ['id', 'name', 'price', 'currency', 'stock'] }],
      order: [['addedAt', 'ASC'], ['id', 'ASC']],
    });
    let subtotal = 0;
    const lines = items.flatMap((item: Row) => {
      const product = item.get('product') as Row | null; // null when soft-deleted since
      if (!product) return [];
      const qty = item.get('quantity') as number;
      const unit = amountToCents(product.get('price'));
      subtotal += unit * qty;
      return [{
        productId: product.get('id'), name: product.get('name'), unitPrice: product.get('price'), currency: product.get('currency'),
        quantity: qty, lineTotal: centsToAmount(unit * qty), inStock: (product.get('stock') as number) >= qty,
        addedAt: iso(item.get('addedAt')),
      }];
    });
    return { cart: { id: cart.get('id'), items: lines, subtotal: centsToAmount(subtotal) } };
  };

  const publishedProduct = async (id: number) => {
    const product = await Product.findOne({ where: { id, isPublished: true }, attributes: ['id'] });
    if (!product) throw badRequest('invalid body', { productId: ['no such product'] });
  };

  router.get('/', route(async (req, res) => {
    res.json(await view(userOf(req).id));
  }));

  router.post('/items', route(async (req, res) => {
    const input = body(addSchema, req);
    const me = userOf(req);
    await publishedProduct(input.productId);
    const cart = await cartOf(me.id);
    const cartId = cart.get('id') as number;
    const existing = await CartItem.findOne({ where: { cartId, productId: input.productId } });
    if (existing) {
      await existing.update({ quantity: Math.min(99, (existing.get('quantity') as number) + input.quantity) });
    } else {
      await CartItem.create({ cartId, productId: input.productId, quantity: input.quantity });
    }
    res.status(201).json(await view(me.id));
  }));

  router.patch('/items/:productId', route(async (req, res) => {
    const productId = param(req, 'productId');
    const input = body(setSchema, req);
    const me = userOf(req);
    const cart = await cartOf(me.id);
    const [n] = await CartItem.update({ quantity: input.quantity }, { where: { cartId: cart.get('id') as number, productId } });
    if (n === 0) throw notFound('cart item');
    res.json(await view(me.id));
  }));

  router.delete('/items/:productId', route(async (req, res) => {
    const productId = param(req, 'productId');
    const me = userOf(req);
    const cart = await cartOf(me.id);
    const n = await CartItem.destroy({ where: { cartId: cart.get('id') as number, productId } });
    if (n === 0) throw notFound('cart item');
    res.json(await view(me.id));
  }));

  return router;
}

export function wishlistRouter(ctx: AppContext): Router {
  const router = Router({ caseSensitive: true });
  const { Wishlist, Product } = ctx.models;
  router.use(authenticate(ctx));

  const view = async (userId: number) => {
    const rows = await Wishlist.findAll({
      where: { userId },
      include: [{ model: Product, as: 'product', attributes: ['id', 'name', 'price', 'currency', 'slug'] }],
      order: [['createdAt', 'ASC'], ['productId', 'ASC']],
    });
    return {
      items: rows.filter((r: Row) => r.get('product')).map((r: Row) => {
        const p = r.get('product') as Row;
        return { productId: p.get('id'), name: p.get('name'), slug: p.get('slug'), price: p.get('price'), currency: p.get('currency'), note: r.get('note'), addedAt: iso(r.get('createdAt')) };
      }),
    };
  };

  router.get('/', route(async (req, res) => {
    res.json(await view(userOf(req).id));
  }));

  router.post('/', route(async (req, res) => {
    const input = body(wishSchema, req);
    const me = userOf(req);
    if (!(await Product.findOne({ where: { id: input.productId, isPublished: true }, attributes: ['id'] }))) {
      throw badRequest('invalid body', { productId: ['no such product'] });
    }
    const existing = await Wishlist.findOne({ where: { userId: me.id, productId: input.productId } });
    if (existing) {
      if (input.note !== undefined) await Wishlist.update({ note: input.note }, { where: { userId: me.id, productId: input.productId } });
      res.status(200).json(await view(me.id));
      return;
    }
    await Wishlist.create({ userId: me.id, productId: input.productId, note: input.note ?? null });
    res.status(201).json(await view(me.id));
  }));

  router.delete('/:productId', route(async (req, res) => {
    const productId = param(req, 'productId');
    const me = userOf(req);
    const n = await Wishlist.destroy({ where: { userId: me.id, productId } });
    if (n === 0) throw notFound('wishlist item');
    res.status(204).end();
  }));

  return router;
}
