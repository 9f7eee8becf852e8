// The check every scheduled route makes, in a module of its own: a cron function checks its caller
// without loading the job queue.
import { createHash, timingSafeEqual } from 'node:crypto';

/** True when the Authorization header is `Bearer <secret>`; always false without a secret. */
export function cronAuthorized(header: string | string[] | undefined, secret: string | undefined): boolean {
  if (!secret) return false;
  const value = Array.isArray(header) ? header[0] : header;
  if (typeof value !== 'string') return false;
  // Hash both sides: equal lengths for timingSafeEqual, and no early exit on a length difference.
  const given = createHash('sha256').update(value).digest();
  const expected = createHash('sha256').update(`Bearer ${secret}`).digest();
  return timingSafeEqual(given, expected);
}
