// What MarketHub caches and what each write invalidates (paths under /api).
import type { Request } from 'express';
import type { CacheRule, InvalidationRule } from './middleware.js';

const userTag = (req: Request) => {
  const id = (req as Request & { user?: { id: number } }).user?.id;
  return id === undefined ? [] : [`user:${id}`];
};

export const MARKETHUB_CACHE_RULES: CacheRule[] = [
  { path: /^\/products\/?$/, tags: ['products'] },
  { path: /^\/products\/\d+\/?$/, tags: ['products'] },
  { path: /^\/products\/\d+\/reviews\/?$/, tags: ['products'] },
  { path: /^\/journals(\/[^/]+)?\/?$/, tags: ['journals'], ttlSeconds: 300 },
  // Pending applications are an admin's view: only the public list is cached.
  { path: /^\/vendors\/?$/, tags: ['vendors'], bypass: (req) => req.query.status !== undefined && req.query.status !== 'approved' },
  { path: /^\/vendors\/\d+\/?$/, tags: ['vendors'] },
  { path: /^\/users\/me\/?$/, tags: userTag, personal: true },
];

export const MARKETHUB_INVALIDATION: InvalidationRule[] = [
  { path: /^\/products(\/|$)/, tags: ['products'] },
  // Checkout and payment change stock, which product pages show.
  { path: /^\/(orders|webhooks)(\/|$)/, tags: ['products'] },
  { path: /^\/vendors(\/|$)/, tags: ['vendors', 'products'] },
  { path: /^\/admin(\/|$)/, tags: ['vendors', 'products', 'journals'] },
  { path: /^\/journals(\/|$)/, tags: ['journals'] },
  { path: /^\/users\/me(\/|$)/, tags: userTag },
];
