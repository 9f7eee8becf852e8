// Caching for serverless: Redis (Upstash-compatible) with short timeouts, response caching for
// public GETs, invalidation on writes, and stampede protection.
import type { RequestHandler } from 'express';
import { MARKETHUB_CACHE_RULES, MARKETHUB_INVALIDATION } from './markethub.js';
import { responseCache, type ResponseCacheOptions } from './middleware.js';
import { RedisCache } from './redis-cache.js';

export { RedisCache, type CacheHealth, type CacheOptions, type CacheOutcome, type ComputeOptions } from './redis-cache.js';
export { responseCache, type CacheRule, type InvalidationRule, type ResponseCacheOptions } from './middleware.js';
export { MARKETHUB_CACHE_RULES, MARKETHUB_INVALIDATION } from './markethub.js';

/** The cache at REDIS_URL, or undefined when it is not configured. */
export function cacheFromEnv(env: NodeJS.ProcessEnv = process.env): RedisCache | undefined {
  return env.REDIS_URL ? new RedisCache({ url: env.REDIS_URL, timeoutMs: env.CACHE_TIMEOUT_MS ? Number(env.CACHE_TIMEOUT_MS) : undefined }) : undefined;
}

/** MarketHub's response cache over `cache`, given the app's authenticate middleware for personal routes. */
export function markethubResponseCache(cache: RedisCache, authenticate: RequestHandler, extra: Partial<ResponseCacheOptions> = {}): RequestHandler {
  return responseCache(cache, { rules: MARKETHUB_CACHE_RULES, invalidate: MARKETHUB_INVALIDATION, authenticate, ...extra });
}
