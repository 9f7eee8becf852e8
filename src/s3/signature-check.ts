// s3rver checks Version 2 signatures but takes any Version 4 one (its V4 check is not written), so a
// presigned URL that S3 refuses with SignatureDoesNotMatch (tampered to another key, or used with
// another Content-Type or length than it signs) was accepted and stored. This check, run before
// s3rver handles a request, recomputes a presigned URL's V4 signature as S3 does and refuses a
// mismatch: tests and the demo then see what S3 would do with it. Requests signed in the
// Authorization header come from holders of the secret (the SDK, the project's own signer, whose
// signatures tests/unit/files-s3-http.test.ts compares with the SDK's); they are left to s3rver,
// since a check of every request would cost a single-threaded local server more than it tells.
import type { IncomingMessage } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { canonicalQuery, encodeKeyPath, signatureOf } from '../migrate/files/sigv4.js';

export interface SignatureVerdict {
  ok: boolean;
  /** Why not, in S3's words. */
  message?: string;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';

interface Signed {
  accessKeyId: string;
  region: string;
  signedHeaders: string[];
  signature: string;
  amzDate: string;
  payloadSha256: string;
  query: Record<string, string>;
}

function queryPairs(raw: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const part of raw.split('&')) {
    if (!part) continue;
    const at = part.indexOf('=');
    pairs[decodeURIComponent(at < 0 ? part : part.slice(0, at))] = at < 0 ? '' : decodeURIComponent(part.slice(at + 1));
  }
  return pairs;
}

function credentialParts(credential: string | undefined): { accessKeyId: string; region: string } | null {
  const parts = credential?.split('/');
  return parts && parts.length === 5 ? { accessKeyId: parts[0]!, region: parts[2]! } : null;
}

/** What a presigned URL says it signed; null when it is not one (header-signed, anonymous or V2: s3rver's business). */
function presignedParts(query: Record<string, string>): Signed | null {
  if (query['X-Amz-Algorithm'] !== ALGORITHM) return null;
  const credential = credentialParts(query['X-Amz-Credential']);
  if (!credential || !query['X-Amz-SignedHeaders'] || !query['X-Amz-Signature']) return null;
  const { 'X-Amz-Signature': signature, ...signedQuery } = query;
  return {
    ...credential, signedHeaders: query['X-Amz-SignedHeaders'].split(';'), signature: signature!,
    amzDate: query['X-Amz-Date'] ?? '', payloadSha256: query['X-Amz-Content-Sha256'] ?? 'UNSIGNED-PAYLOAD', query: signedQuery,
  };
}

/** A header's value as signed: every occurrence, in order, joined by commas. */
function headerValue(req: IncomingMessage, name: string): string {
  const values: string[] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) if (req.rawHeaders[i]!.toLowerCase() === name) values.push(req.rawHeaders[i + 1]!);
  return values.join(',');
}

/**
 * The verdict on one request. `secretOf` gives the secret of an access key (undefined for an unknown
 * key, which is left to s3rver's own InvalidAccessKeyId).
 */
export function checkPresignedSignature(req: IncomingMessage, secretOf: (accessKeyId: string) => string | undefined): SignatureVerdict {
  const url = req.url ?? '/';
  const at = url.indexOf('?');
  const rawPath = at < 0 ? url : url.slice(0, at);
  let query: Record<string, string>;
  try {
    query = queryPairs(at < 0 ? '' : url.slice(at + 1));
  } catch {
    return { ok: false, message: 'The request query is not valid percent-encoding.' };
  }
  const signed = presignedParts(query);
  if (!signed) return { ok: true };
  const secret = secretOf(signed.accessKeyId);
  if (secret === undefined) return { ok: true };
  const headers = Object.fromEntries(signed.signedHeaders.map((n) => [n, headerValue(req, n)]));
  // The path as the client encoded it; a client that sent it less encoded than it signed (S3 takes
  // both) is checked against the canonical encoding too.
  let canonicalPath = rawPath;
  try {
    canonicalPath = encodeKeyPath(decodeURIComponent(rawPath));
  } catch { /* left as sent */ }
  const expected = Buffer.from(signed.signature);
  const signedQuery = canonicalQuery(signed.query);
  for (const path of new Set([rawPath, canonicalPath])) {
    const { signature } = signatureOf({
      method: req.method ?? 'GET', path, query: signedQuery, headers,
      payloadSha256: signed.payloadSha256, amzDate: signed.amzDate, region: signed.region,
    }, secret);
    const computed = Buffer.from(signature);
    if (computed.length === expected.length && timingSafeEqual(computed, expected)) return { ok: true };
  }
  return { ok: false, message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.' };
}
