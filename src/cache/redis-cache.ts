// A Redis cache that never makes a request fail or wait long: every command has a short timeout,
// commands are not queued while disconnected, and any failure reads as a miss. Only commands
// Upstash supports are used (GET, SET with PX/NX, DEL, SADD, SMEMBERS, PEXPIRE, PING).
// ioredis is loaded when a cache is first created, so an app without REDIS_URL never pays for it.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';

const require = createRequire(import.meta.url);

export interface CacheOptions {
  url: string;
  /** Per-command budget; past it the request goes on uncached. Default 75 ms. */
  timeoutMs?: number;
  /** Prefix of every key, so several apps can share a database. Default "mh:". */
  prefix?: string;
}

export type CacheHealth = 'ok' | 'degraded';

/** A value with the moment it turns stale; kept a while longer to be served during a recompute. */
export interface Envelope<T> {
  v: T;
  freshUntil: number;
}

export interface ComputeOptions {
  ttlSeconds: number;
  /** How long past ttl a stale value may be served while one caller recomputes. Default ttl. */
  staleSeconds?: number;
  /** Callers that find neither value nor lock wait this long for the recompute. Default 1000 ms. */
  waitMs?: number;
  lockMs?: number;
  tags?: string[];
}

export type CacheOutcome = 'HIT' | 'STALE' | 'MISS';

export class RedisCache {
  readonly redis: Redis;
  readonly timeoutMs: number;
  readonly prefix: string;
  private readonly inflight = new Map<string, Promise<unknown>>();

  constructor(options: CacheOptions) {
    this.timeoutMs = options.timeoutMs ?? 75;
    this.prefix = options.prefix ?? 'mh:';
    const { Redis: RedisClient } = require('ioredis') as typeof import('ioredis');
    this.redis = new RedisClient(options.url, {
      enableOfflineQueue: false,
      commandTimeout: this.timeoutMs,
      connectTimeout: 1_000,
      maxRetriesPerRequest: 0,
      // Reconnect in the background; requests meanwhile go uncached, they never wait for it.
      retryStrategy: (times) => Math.min(times * 100, 2_000),
    });
    // Errors surface as misses and in health(); the client's own 'error' events must not crash the process.
    this.redis.on('error', () => {});
  }

  /** Resolves when connected (or after timeoutMs): for tests and warm-up, never needed for correctness. */
  async ready(timeoutMs = 2_000): Promise<boolean> {
    if (this.redis.status === 'ready') return true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => { this.redis.off('ready', onReady); resolve(false); }, timeoutMs);
      const onReady = () => { clearTimeout(timer); resolve(true); };
      this.redis.once('ready', onReady);
    });
  }

  private async attempt<T>(command: (r: Redis) => Promise<T>): Promise<{ ok: true; value: T } | { ok: false }> {
    if (this.redis.status !== 'ready') return { ok: false };
    let timer: NodeJS.Timeout | undefined;
    try {
      const value = await Promise.race([
        command(this.redis),
        new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('cache timeout')), this.timeoutMs + 25); }),
      ]);
      return { ok: true, value };
    } catch {
      return { ok: false };
    } finally {
      clearTimeout(timer);
    }
  }

  private k(key: string): string {
    return this.prefix + key;
  }

  /** The value, null when absent, undefined when the cache is unavailable. */
  async get(key: string): Promise<string | null | undefined> {
    const r = await this.attempt((c) => c.get(this.k(key)));
    return r.ok ? r.value : undefined;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    return (await this.attempt((c) => c.set(this.k(key), value, 'PX', Math.max(1, Math.round(ttlSeconds * 1000))))).ok;
  }

  async del(...keys: string[]): Promise<number> {
    if (keys.length === 0) return 0;
    const r = await this.attempt((c) => c.del(...keys.map((key) => this.k(key))));
    return r.ok ? r.value : 0;
  }

  async getJson<T>(key: string): Promise<T | null | undefined> {
    const raw = await this.get(key);
    if (raw == null) return raw;
    try {
      return JSON.parse(raw) as T;
    } catch {
      return null;
    }
  }

  async setJson(key: string, value: unknown, ttlSeconds: number, tags: string[] = []): Promise<boolean> {
    const stored = await this.set(key, JSON.stringify(value), ttlSeconds);
    if (stored && tags.length > 0) await this.tag(key, tags, ttlSeconds);
    return stored;
  }

  /** Records the key in each tag's set, so invalidateTags finds it without scanning the keyspace. */
  async tag(key: string, tags: string[], ttlSeconds: number): Promise<void> {
    await this.attempt(async (c) => {
      const pipeline = c.pipeline();
      for (const tag of tags) {
        pipeline.sadd(this.k(`tag:${tag}`), this.k(key));
        // The set outlives its members a little; a set only grows until its next invalidation.
        pipeline.pexpire(this.k(`tag:${tag}`), Math.round(ttlSeconds * 1000) + 60_000);
      }
      await pipeline.exec();
    });
  }

  /** Deletes every key recorded under these tags. False when the cache could not be reached. */
  async invalidateTags(tags: string[]): Promise<boolean> {
    let ok = true;
    for (const tag of tags) {
      const setKey = this.k(`tag:${tag}`);
      const members = await this.attempt((c) => c.smembers(setKey));
      if (!members.ok) { ok = false; continue; }
      for (let i = 0; i < members.value.length; i += 500) {
        const chunk = members.value.slice(i, i + 500);
        if (!(await this.attempt((c) => c.del(...chunk))).ok) ok = false;
      }
      if (!(await this.attempt((c) => c.del(setKey))).ok) ok = false;
    }
    return ok;
  }

  /** A short lock for one recompute of `key`; the token releases only our own lock. */
  async lock(key: string, lockMs: number): Promise<string | undefined> {
    const token = randomUUID();
    const r = await this.attempt((c) => c.set(this.k(`lock:${key}`), token, 'PX', lockMs, 'NX'));
    return r.ok && r.value === 'OK' ? token : undefined;
  }

  async unlock(key: string, token: string): Promise<void> {
    // GET then DEL is not atomic, but the lock only guards a recompute: at worst two run.
    const held = await this.get(`lock:${key}`);
    if (held === token) await this.del(`lock:${key}`);
  }

  /**
   * The cached value, or `compute()` run by one caller at a time: in this process (single flight)
   * and across instances (a Redis lock). Others get the stale value, or wait briefly for the new
   * one. With Redis unavailable, compute() runs directly.
   */
  async getOrCompute<T>(key: string, compute: () => Promise<T>, options: ComputeOptions): Promise<{ value: T; cache: CacheOutcome }> {
    const staleSeconds = options.staleSeconds ?? options.ttlSeconds;
    const entry = await this.getJson<Envelope<T>>(key);
    if (entry && entry.freshUntil > Date.now()) return { value: entry.v, cache: 'HIT' };
    const store = async () => {
      const value = await compute();
      await this.setJson(key, { v: value, freshUntil: Date.now() + options.ttlSeconds * 1000 }, options.ttlSeconds + staleSeconds, options.tags);
      return value;
    };
    if (entry === undefined) return { value: await compute(), cache: 'MISS' };
    const local = this.inflight.get(key) as Promise<T> | undefined;
    if (local) return entry ? { value: entry.v, cache: 'STALE' } : { value: await local, cache: 'MISS' };
    const token = await this.lock(key, options.lockMs ?? 5_000);
    if (token) {
      const running = store().finally(() => { this.inflight.delete(key); void this.unlock(key, token); });
      this.inflight.set(key, running);
      if (entry) { running.catch(() => {}); return { value: entry.v, cache: 'STALE' }; }
      return { value: await running, cache: 'MISS' };
    }
    if (entry) return { value: entry.v, cache: 'STALE' };
    const waited = await this.waitFor<Envelope<T>>(key, options.waitMs ?? 1_000);
    if (waited) return { value: waited.v, cache: 'HIT' };
    return { value: await compute(), cache: 'MISS' };
  }

  /** Polls for a value another caller is computing. */
  async waitFor<T>(key: string, waitMs: number): Promise<T | undefined> {
    const until = Date.now() + waitMs;
    while (Date.now() < until) {
      await new Promise((r) => setTimeout(r, 25));
      const value = await this.getJson<T>(key);
      if (value === undefined) return undefined;
      if (value) return value;
    }
    return undefined;
  }

  async health(): Promise<CacheHealth> {
    const r = await this.attempt((c) => c.ping());
    return r.ok ? 'ok' : 'degraded';
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
