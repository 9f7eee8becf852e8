// Sticky percentage routing: every user has a fixed bucket 0..9999; a percentage routes the buckets
// below it. Raising the percentage only adds buckets, so nobody who moved to the new side moves back.
import { createHash } from 'node:crypto';

export const BUCKETS = 10_000;

export function bucketOf(identity: string): number {
  return createHash('sha256').update(identity).digest().readUInt32BE(0) % BUCKETS;
}

export function goesToNew(identity: string, percentage: number): boolean {
  return bucketOf(identity) < Math.round(percentage * (BUCKETS / 100));
}

/** The user id in a JWT's payload, unverified: routing only needs a stable name, the app checks the token. */
export function userIdOfToken(authorization: string | undefined): string | undefined {
  const token = /^Bearer\s+([\w-]+\.([\w-]+)\.[\w-]+)$/i.exec(authorization ?? '')?.[2];
  if (!token) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { sub?: unknown };
    return typeof payload.sub === 'string' || typeof payload.sub === 'number' ? String(payload.sub) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A route name for counting: the path with ids and other variable segments folded, so that
 * /api/products/12 and /api/products/13 count as one route.
 */
export function routeOf(method: string, path: string): string {
  const folded = path
    .split('?')[0]!
    .split('/')
    .map((s) => (/^\d+$/.test(s) || /^[0-9a-f-]{16,}$/i.test(s) ? ':id' : s))
    .join('/');
  return `${method.toUpperCase()} ${folded}`;
}
