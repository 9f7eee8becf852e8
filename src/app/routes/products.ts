// /api/products: browse (pagination, filters, search, sort), details, vendor CRUD, images, reviews.
import { randomBytes } from 'node:crypto';
import { Router, type Request } from 'express';
import { Op, type WhereOptions } from 'sequelize';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { badRequest, conflict, forbidden, notFound } from '../errors.js';
import { authenticate, can, requirePermission, userOf } from '../middleware/auth.js';
import { acceptUpload, incomingUpload } from '../middleware/upload.js';
import { body, money, pageQuery, param, query, route } from '../middleware/validate.js';
import type { Row } from '../models/index.js';
import { productView, reviewView } from '../services/serialize.js';
import { containsInsensitive, withRetry } from '../services/sql.js';
import { ownedProduct } from '../services/access.js';
import { PRODUCT_IMAGE } from '../services/upload-kinds.js';

const SORTS = {
  newest: [['createdAt', 'DESC'], ['id', 'DESC']],
  price_asc: [['price', 'ASC'], ['id', 'ASC']],
  price_desc: [['price', 'DESC'], ['id', 'ASC']],
  popular: [['viewCount', 'DESC'], ['id', 'ASC']],
} as const;

const listSchema = z.object({
  ...pageQuery,
  category: z.coerce.number().int().positive().optional(),
  vendor: z.coerce.number().int().positive().optional(),
  minPrice: money.optional(),
  maxPrice: money.optional(),
  q: z.string().trim().min(1).max(100).optional(),
  sort: z.enum(Object.keys(SORTS) as [keyof typeof SORTS, ...(keyof typeof SORTS)[]]).default('newest'),
}).refine((v) => v.minPrice === undefined || v.maxPrice === undefined || Number(v.minPrice) <= Number(v.maxPrice), {
  message: 'must not be below minPrice', path: ['maxPrice'],
});

const attributes = z.record(z.string().max(64), z.unknown()).refine((v) => JSON.stringify(v).length <= 10_000, 'too large');
const productFields = {
  name: z.string().trim().min(1).max(255),
  sku: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash, underscore'),
  description: z.string().max(65_000).nullable(),
  price: money,
  compareAtPrice: money.nullable(),
  stock: z.number().int().min(0).max(8_000_000),
  categoryId: z.number().int().positive().nullable(),
  weightGrams: z.number().int().min(0).max(65_535).nullable(),
  isPublished: z.boolean(),
  attributes: attributes.nullable(),
};
const compareAtNotBelowPrice = (v: { price?: string; compareAtPrice?: string | null }) =>
  v.compareAtPrice == null || v.price === undefined || Number(v.compareAtPrice) >= Number(v.price);
const createSchema = z.object({
  ...productFields,
  description: productFields.description.optional(),
  compareAtPrice: productFields.compareAtPrice.optional(),
  categoryId: productFields.categoryId.optional(),
  weightGrams: productFields.weightGrams.optional(),
  isPublished: productFields.isPublished.optional(),
  attributes: productFields.attributes.optional(),
  vendorId: z.number().int().positive().optional(),
}).strict().refine(compareAtNotBelowPrice, { message: 'must not be below price', path: ['compareAtPrice'] });
const updateSchema = z.object(productFields).partial().strict()
  .refine((v) => Object.keys(v).length > 0, 'nothing to change')
  .refine(compareAtNotBelowPrice, { message: 'must not be below price', path: ['compareAtPrice'] });
const reviewSchema = z.object({
  rating: z.number().int().min(1).max(5),
  title: z.string().trim().min(1).max(150).optional(),
  body: z.string().trim().min(1).max(5000).optional(),
}).strict();

function slugify(name: string): string {
  const base = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 200) || 'product';
  return `${base}-${randomBytes(3).toString('hex')}`;
}

export function productsRouter(ctx: AppContext): Router {
  const router = Router({ caseSensitive: true });
  const { Product, ProductImage, Vendor, Category, Review, User, Order, OrderItem } = ctx.models;
  const vendorInclude = { model: Vendor, as: 'vendor', attributes: ['id', 'name', 'slug'] };
  const categoryInclude = { model: Category, as: 'category', attributes: ['id', 'name', 'slug'] };

  const loadVisible = async (id: number) => {
    const product = await Product.findOne({
      where: { id, isPublished: true },
      include: [vendorInclude, categoryInclude, { model: ProductImage, as: 'images' }],
      order: [[{ model: ProductImage, as: 'images' }, 'order', 'ASC'], [{ model: ProductImage, as: 'images' }, 'id', 'ASC']],
    });
    if (!product) throw notFound('product');
    return product;
  };

  /** The product, if the signed-in user may change it: its vendor's owner, or an admin. */
  const loadOwned = (req: Request, id: number) => ownedProduct(ctx, userOf(req), id);

  router.get('/', route(async (req, res) => {
    const q = query(listSchema, req);
    const where: WhereOptions[] = [{ isPublished: true }];
    if (q.category !== undefined) {
      const children = await Category.findAll({ where: { parentId: q.category }, attributes: ['id'] });
      where.push({ categoryId: [q.category, ...children.map((c: Row) => c.get('id') as number)] });
    }
    if (q.vendor !== undefined) where.push({ vendorId: q.vendor });
    if (q.minPrice !== undefined) where.push({ price: { [Op.gte]: q.minPrice } });
    if (q.maxPrice !== undefined) where.push({ price: { [Op.lte]: q.maxPrice } });
    if (q.q !== undefined) {
      where.push({
        [Op.or]: [
          containsInsensitive(ctx.sequelize, ctx.dialect, 'Product.name', q.q),
          containsInsensitive(ctx.sequelize, ctx.dialect, 'Product.sku', q.q),
        ],
      });
    }
    const { rows, count } = await Product.findAndCountAll({
      where: { [Op.and]: where },
      include: [vendorInclude],
      order: SORTS[q.sort].map(([k, d]) => [k, d]),
      limit: q.limit,
      offset: (q.page - 1) * q.limit,
    });
    res.json({
      items: rows.map(productView),
      page: q.page, limit: q.limit, total: count, totalPages: Math.ceil(count / q.limit),
    });
  }));

  router.get('/:id', route(async (req, res) => {
    res.json({ product: productView(await loadVisible(param(req, 'id'))) });
  }));

  router.post('/', authenticate(ctx), requirePermission('products:write'), route(async (req, res) => {
    const input = body(createSchema, req);
    const me = userOf(req);
    let vendorId: number;
    if (can(me, 'products:any')) {
      if (input.vendorId === undefined) throw badRequest('invalid body', { vendorId: ['required for an admin'] });
      if (!(await Vendor.findByPk(input.vendorId))) throw badRequest('invalid body', { vendorId: ['no such vendor'] });
      vendorId = input.vendorId;
    } else {
      const vendor = await Vendor.findOne({ where: { ownerId: me.id, isVerified: true }, order: [['id', 'ASC']] });
      if (!vendor) throw forbidden('no approved vendor account');
      if (input.vendorId !== undefined && input.vendorId !== vendor.get('id')) throw forbidden('not your vendor');
      vendorId = vendor.get('id') as number;
    }
    if (input.categoryId != null && !(await Category.findByPk(input.categoryId))) throw badRequest('invalid body', { categoryId: ['no such category'] });
    if (await Product.findOne({ where: { sku: input.sku }, paranoid: false, attributes: ['id'] })) {
      throw conflict('sku_taken', 'this SKU is already used', { sku: ['already used'] });
    }
    const { vendorId: _ignored, ...fields } = input;
    const created = await Product.create({ ...fields, vendorId, slug: slugify(input.name) });
    res.status(201).json({ product: productView(await loadVisibleOrOwn(created.get('id') as number)) });
  }));

  const loadVisibleOrOwn = async (id: number) => {
    const product = await Product.findByPk(id, {
      include: [vendorInclude, categoryInclude, { model: ProductImage, as: 'images' }],
      order: [[{ model: ProductImage, as: 'images' }, 'order', 'ASC']],
    });
    if (!product) throw notFound('product');
    return product;
  };

  router.patch('/:id', authenticate(ctx), requirePermission('products:write'), route(async (req, res) => {
    const id = param(req, 'id');
    const input = body(updateSchema, req);
    const product = await loadOwned(req, id);
    if (input.categoryId != null && !(await Category.findByPk(input.categoryId))) throw badRequest('invalid body', { categoryId: ['no such category'] });
    const price = input.price ?? (product.get('price') as string);
    const compareAt = input.compareAtPrice !== undefined ? input.compareAtPrice : (product.get('compareAtPrice') as string | null);
    if (compareAt !== null && Number(compareAt) < Number(price)) throw badRequest('invalid body', { compareAtPrice: ['must not be below price'] });
    if (input.sku !== undefined && input.sku !== product.get('sku')
      && await Product.findOne({ where: { sku: input.sku }, paranoid: false, attributes: ['id'] })) {
      throw conflict('sku_taken', 'this SKU is already used', { sku: ['already used'] });
    }
    await Product.update(input, { where: { id } });
    res.json({ product: productView(await loadVisibleOrOwn(id)) });
  }));

  router.delete('/:id', authenticate(ctx), requirePermission('products:write'), route(async (req, res) => {
    const id = param(req, 'id');
    await loadOwned(req, id);
    await Product.destroy({ where: { id } });
    res.status(204).end();
  }));

  router.post('/:id/images', authenticate(ctx), requirePermission('products:write'),
    acceptUpload(ctx, PRODUCT_IMAGE), route(async (req, res) => {
      const id = param(req, 'id');
      const file = incomingUpload(ctx, req, PRODUCT_IMAGE, id, userOf(req).id);
      const alt = z.string().trim().max(255).optional().safeParse((req.body as { alt?: unknown } | undefined)?.alt);
      if (!alt.success) throw badRequest('invalid body', { alt: ['must be text of at most 255 characters'] });
      const product = await loadOwned(req, id);
      const { url } = await file.keep(async (taken) => (await ProductImage.count({ where: { url: taken } })) > 0);
      // (product_id, order) is unique: two uploads at once may pick the same slot; the second tries again.
      const image = await withRetry(3, async () => {
        const last = (await ProductImage.max('order', { where: { productId: id } })) as number | null;
        const order = last === null ? 0 : Number(last) + 1;
        if (order > 255) throw badRequest('too many images', { image: ['a product holds at most 256 images'] });
        try {
          return await ProductImage.create({ productId: id, url, alt: alt.data ?? product.get('name'), order });
        } catch (error) {
          if ((error as Error).name === 'SequelizeUniqueConstraintError') throw Object.assign(new Error('slot taken'), { code: '40001' });
          throw error;
        }
      });
      res.status(201).json({ image: { id: image.get('id'), url: image.get('url'), alt: image.get('alt'), order: image.get('order') } });
    }));

  router.get('/:id/reviews', route(async (req, res) => {
    const id = param(req, 'id');
    await loadVisible(id);
    const reviews = await Review.findAll({
      where: { productId: id },
      include: [{ model: User, as: 'user', attributes: ['id', 'firstName', 'displayName'] }],
      order: [['createdAt', 'DESC'], ['id', 'DESC']],
      limit: 100,
    });
    res.json({ reviews: reviews.map(reviewView) });
  }));

  router.post('/:id/reviews', authenticate(ctx), route(async (req, res) => {
    const id = param(req, 'id');
    const input = body(reviewSchema, req);
    const me = userOf(req);
    await loadVisible(id);
    if (await Review.findOne({ where: { userId: me.id, productId: id }, attributes: ['id'] })) {
      throw conflict('already_reviewed', 'you already reviewed this product');
    }
    const bought = await OrderItem.findOne({
      where: { productId: id },
      include: [{ model: Order, as: 'order', attributes: [], where: { userId: me.id, status: ['paid', 'shipped', 'delivered'] } }],
      attributes: ['id'],
    });
    const review = await Review.create({ ...input, userId: me.id, productId: id, isVerifiedPurchase: bought !== null });
    await review.reload();
    // The average is computed in JS from an integer sum and count: AVG() answers DECIMAL in MySQL
    // (4 decimals) and numeric in Postgres (16), which would read differently.
    const [stats] = await ctx.sequelize.query<{ total: unknown; n: unknown }>(
      'SELECT SUM(rating) AS total, COUNT(*) AS n FROM reviews WHERE product_id = :id',
      { replacements: { id }, type: 'SELECT' as never },
    ) as unknown as [{ total: unknown; n: unknown }];
    const n = Number(stats?.n ?? 0);
    await Product.update({ averageRating: n ? Number(stats!.total) / n : null }, { where: { id }, silent: true });
    res.status(201).json({ review: reviewView(review) });
  }));

  return router;
}
