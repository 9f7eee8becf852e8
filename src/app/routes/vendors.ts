// /api/vendors (apply, list, approve) and /api/admin (dashboard, expiring legacy password hashes).
import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { conflict, forbidden, notFound } from '../errors.js';
import { authenticate, can, requirePermission, userOf } from '../middleware/auth.js';
import { body, pageQuery, param, query, route } from '../middleware/validate.js';
import { formatDecimal } from '../models/dialect.js';
import { expireLegacyPasswords } from '../services/passwords.js';
import { vendorView } from '../services/serialize.js';

const applySchema = z.object({
  name: z.string().trim().min(2).max(150),
  description: z.string().trim().max(5000).optional(),
  payoutIban: z.string().trim().regex(/^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$/, 'must be an IBAN without spaces').optional(),
}).strict();
const listSchema = z.object({ ...pageQuery, status: z.enum(['approved', 'pending', 'all']).default('approved') });

function slugify(name: string): string {
  const base = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 140) || 'vendor';
  return `${base}-${randomBytes(3).toString('hex')}`;
}

export function vendorsRouter(ctx: AppContext): Router {
  const router = Router({ caseSensitive: true });
  const { Vendor, User } = ctx.models;
  const optionalAuth = authenticate(ctx);

  router.post('/apply', authenticate(ctx), requirePermission('vendors:apply'), route(async (req, res) => {
    const input = body(applySchema, req);
    const me = userOf(req);
    if (await Vendor.findOne({ where: { ownerId: me.id }, attributes: ['id'] })) {
      throw conflict('already_applied', 'this account already has a vendor');
    }
    const vendor = await Vendor.create({
      ownerId: me.id, name: input.name, slug: slugify(input.name), description: input.description ?? null,
      payoutIban: input.payoutIban ?? null, isVerified: false,
    });
    await vendor.reload();
    res.status(201).json({ vendor: vendorView(vendor) });
  }));

  router.get('/', (req, res, next) => {
    // Anyone sees approved vendors; only an admin lists pending applications.
    if (req.query.status === undefined || req.query.status === 'approved') return next();
    optionalAuth(req, res, (err?: unknown) => {
      if (err) return next(err);
      if (!can(req.user, 'vendors:approve')) return next(forbidden('only an admin lists vendor applications'));
      next();
    });
  }, route(async (req, res) => {
    const q = query(listSchema, req);
    const where = q.status === 'all' ? {} : { isVerified: q.status === 'approved' };
    const { rows, count } = await Vendor.findAndCountAll({
      where, order: [['id', 'ASC']], limit: q.limit, offset: (q.page - 1) * q.limit,
    });
    res.json({ items: rows.map(vendorView), page: q.page, limit: q.limit, total: count, totalPages: Math.ceil(count / q.limit) });
  }));

  router.get('/:id', route(async (req, res) => {
    const vendor = await Vendor.findOne({ where: { id: param(req, 'id'), isVerified: true } });
    if (!vendor) throw notFound('vendor');
    res.json({ vendor: vendorView(vendor) });
  }));

  router.post('/:id/approve', authenticate(ctx), requirePermission('vendors:approve'), route(async (req, res) => {
    const id = param(req, 'id');
    const vendor = await ctx.sequelize.transaction(async (transaction) => {
      const v = await Vendor.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE });
      if (!v) throw notFound('vendor');
      await v.update({ isVerified: true }, { transaction });
      // A customer who applied becomes a vendor; admins and support staff keep their role.
      await User.update({ role: 'vendor' }, { where: { id: v.get('ownerId') as number, role: 'customer' }, transaction });
      return v;
    });
    res.json({ vendor: vendorView(vendor) });
  }));

  return router;
}

export function adminRouter(ctx: AppContext): Router {
  const router = Router({ caseSensitive: true });
  const { User, Vendor, Product, Order } = ctx.models;
  router.use(authenticate(ctx), requirePermission('admin:dashboard'));

  router.get('/dashboard', route(async (_req, res) => {
    const [users, vendors, pendingVendors, products, orders, pendingOrders] = await Promise.all([
      User.count(),
      Vendor.count({ where: { isVerified: true } }),
      Vendor.count({ where: { isVerified: false } }),
      Product.count({ where: { isPublished: true } }),
      Order.count(),
      Order.count({ where: { status: 'pending' } }),
    ]);
    // SUM(DECIMAL) is a string on both dialects; never a float.
    const [revenue] = await ctx.sequelize.query(
      `SELECT COALESCE(SUM(total), 0) AS revenue FROM orders WHERE status IN ('paid', 'shipped', 'delivered')`,
      { type: 'SELECT' as never },
    ) as unknown as [{ revenue: unknown }];
    res.json({
      totals: {
        users, vendors, pendingVendors, products, orders, pendingOrders,
        revenue: formatDecimal(revenue?.revenue ?? 0, 2),
      },
    });
  }));

  // The unsalted md5 hashes whose owners have not logged in since the upgrade: expired, so they
  // stop being a way in and stop sitting in the table. Their owners need a new password.
  router.post('/legacy-passwords/expire', requirePermission('users:expire-passwords'), route(async (req, res) => {
    const expired = await expireLegacyPasswords(ctx.sequelize, ctx.models);
    ctx.config.logger.warn('legacy password hashes expired', { requestId: req.requestId, userId: req.user?.id, expired });
    res.json({ expired });
  }));

  return router;
}
