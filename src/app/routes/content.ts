// /api/journals (the blog) and /api/support/tickets (with attachments).
import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { badRequest, notFound } from '../errors.js';
import { authenticate, can, requirePermission, userOf } from '../middleware/auth.js';
import { acceptUpload, incomingUpload } from '../middleware/upload.js';
import { body, pageQuery, param, query, route } from '../middleware/validate.js';
import { JOURNAL_STATUSES, JOURNAL_TAGS, TICKET_PRIORITIES } from '../models/index.js';
import { journalView, ticketView } from '../services/serialize.js';
import { visibleTicket } from '../services/access.js';
import { SUPPORT_ATTACHMENT } from '../services/upload-kinds.js';

const journalSchema = z.object({
  title: z.string().trim().min(1).max(255),
  body: z.string().min(1).max(1_000_000),
  excerpt: z.string().trim().max(500).optional(),
  status: z.enum(JOURNAL_STATUSES).default('draft'),
  tags: z.array(z.enum(JOURNAL_TAGS)).max(JOURNAL_TAGS.length).default([]),
  meta: z.record(z.string().max(64), z.unknown()).optional(),
}).strict();
const ticketSchema = z.object({
  subject: z.string().trim().min(1).max(200),
  message: z.string().trim().min(1).max(10_000),
  orderId: z.number().int().positive().optional(),
  priority: z.enum(TICKET_PRIORITIES).default('normal'),
}).strict();

function slugify(title: string): string {
  const base = title.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 200) || 'post';
  return `${base}-${randomBytes(3).toString('hex')}`;
}

export function journalsRouter(ctx: AppContext): Router {
  const router = Router({ caseSensitive: true });
  const { Journal } = ctx.models;

  router.get('/', route(async (req, res) => {
    const q = query(z.object(pageQuery), req);
    const { rows, count } = await Journal.findAndCountAll({
      where: { status: 'published' },
      attributes: { exclude: ['body'] },
      order: [['publishedAt', 'DESC'], ['id', 'DESC']],
      limit: q.limit, offset: (q.page - 1) * q.limit,
    });
    res.json({ items: rows.map((j) => journalView(j)), page: q.page, limit: q.limit, total: count, totalPages: Math.ceil(count / q.limit) });
  }));

  router.get('/:slug', route(async (req, res) => {
    const slug = z.string().min(1).max(255).safeParse(req.params.slug);
    if (!slug.success) throw badRequest('invalid path', { slug: ['must be a slug'] });
    const journal = await Journal.findOne({ where: { slug: slug.data, status: 'published' } });
    if (!journal) throw notFound('journal post');
    res.json({ journal: journalView(journal, true) });
  }));

  router.post('/', authenticate(ctx), requirePermission('journals:write'), route(async (req, res) => {
    const input = body(journalSchema, req);
    const journal = await Journal.create({
      ...input, excerpt: input.excerpt ?? null, meta: input.meta ?? null, authorId: userOf(req).id, slug: slugify(input.title),
      publishedAt: input.status === 'published' ? new Date() : null,
    });
    await journal.reload();
    res.status(201).json({ journal: journalView(journal, true) });
  }));

  return router;
}

export function supportRouter(ctx: AppContext): Router {
  const router = Router({ caseSensitive: true });
  const { SupportTicket, SupportAttachment, Order } = ctx.models;
  router.use(authenticate(ctx), requirePermission('support:own'));

  const loadVisible = (req: import('express').Request, id: number) => visibleTicket(ctx, userOf(req), id, {
    include: [{ model: SupportAttachment, as: 'attachments', attributes: { exclude: ['thumbnail'] } }],
    order: [[{ model: SupportAttachment, as: 'attachments' }, 'id', 'ASC']],
  });

  router.post('/tickets', route(async (req, res) => {
    const input = body(ticketSchema, req);
    const me = userOf(req);
    if (input.orderId !== undefined) {
      const order = await Order.findByPk(input.orderId, { attributes: ['id', 'userId'] });
      if (!order || order.get('userId') !== me.id) throw badRequest('invalid body', { orderId: ['no such order of yours'] });
    }
    const ticket = await SupportTicket.create({ ...input, orderId: input.orderId ?? null, userId: me.id, status: 'open' });
    res.status(201).json({ ticket: ticketView(await loadVisible(req, ticket.get('id') as number)) });
  }));

  router.get('/tickets', route(async (req, res) => {
    const q = query(z.object(pageQuery), req);
    const me = userOf(req);
    const { rows, count } = await SupportTicket.findAndCountAll({
      where: can(me, 'support:all') ? {} : { userId: me.id },
      order: [['createdAt', 'DESC'], ['id', 'DESC']],
      limit: q.limit, offset: (q.page - 1) * q.limit,
    });
    res.json({ items: rows.map(ticketView), page: q.page, limit: q.limit, total: count, totalPages: Math.ceil(count / q.limit) });
  }));

  router.get('/tickets/:id', route(async (req, res) => {
    res.json({ ticket: ticketView(await loadVisible(req, param(req, 'id'))) });
  }));

  router.post('/tickets/:id/attachments', acceptUpload(ctx, SUPPORT_ATTACHMENT), route(async (req, res) => {
    const id = param(req, 'id');
    const file = incomingUpload(ctx, req, SUPPORT_ATTACHMENT, id, userOf(req).id);
    await loadVisible(req, id);
    const kept = await file.keep(async (taken) => (await SupportAttachment.count({ where: { filePath: taken } })) > 0);
    await SupportAttachment.create({
      ticketId: id, filePath: kept.url, originalName: kept.originalName, mimeType: kept.contentType,
      sizeBytes: kept.body.length, checksumMd5: kept.md5,
    });
    res.status(201).json({ ticket: ticketView(await loadVisible(req, id)) });
  }));

  return router;
}
