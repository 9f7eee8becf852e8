// Sticky percentage routing: every user has a fixed bucket 0..9999; a percentage routes the buckets
// below it. Raising the percentage only adds buckets, so nobody who moved to the new side moves back.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import jwt from 'jsonwebtoken';

export const BUCKETS = 10_000;

export function bucketOf(identity: string): number {
  return createHash('sha256').update(identity).digest().readUInt32BE(0) % BUCKETS;
}

export function goesToNew(identity: string, percentage: number): boolean {
  return bucketOf(identity) < Math.round(percentage * (BUCKETS / 100));
}

/**
 * The user of an access token whose signature, issuer, audience and expiry check out; anything else
 * is no user. A token is only believed once verified: an invented `sub` would let one client spread
 * its requests over every bucket (and aim at the failing side).
 */
export function jwtUserVerifier(options: { secret: string; issuer?: string; audience?: string }): (authorization: string | undefined) => string | undefined {
  return (authorization) => {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token) return undefined;
    try {
      const claims = jwt.verify(token, options.secret, { algorithms: ['HS256'], issuer: options.issuer ?? 'markethub', audience: options.audience ?? 'markethub-api' });
      const sub = typeof claims === 'object' ? claims.sub : undefined;
      return typeof sub === 'string' && sub ? sub : undefined;
    } catch {
      return undefined;
    }
  };
}

/** A cohort id and its HMAC, as the cohort cookie carries them: `<id>.<signature>`. */
export function signCohort(id: string, secret: string): string {
  return `${id}.${createHmac('sha256', secret).update(id).digest('base64url').slice(0, 22)}`;
}

/** The cohort id of a cookie value this front signed, or undefined for anything else. */
export function verifiedCohort(value: string | undefined, secret: string): string | undefined {
  const match = /^([0-9a-f]{16,64})\.([\w-]{22})$/.exec(value ?? '');
  if (!match) return undefined;
  const expected = Buffer.from(signCohort(match[1]!, secret));
  const given = Buffer.from(value!);
  return expected.length === given.length && timingSafeEqual(expected, given) ? match[1] : undefined;
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
