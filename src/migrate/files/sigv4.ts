// AWS Signature Version 4 for S3 requests, on node:crypto alone. Pure: the caller gives the time.
import { createHash, createHmac } from 'node:crypto';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface RequestToSign {
  method: string;
  host: string;
  /** Already encoded as it goes on the wire (see encodeKeyPath). */
  path: string;
  query?: Record<string, string>;
  /** Lower-case names. All of them are signed. */
  headers: Record<string, string>;
  /** Hex SHA-256 of the body, or 'UNSIGNED-PAYLOAD'. */
  payloadSha256: string;
  region: string;
  credentials: Credentials;
  date: Date;
}

/** The payload hash of a request without a body. */
export const EMPTY_SHA256 = createHash('sha256').digest('hex');

/** RFC 3986: everything but A-Z a-z 0-9 - _ . ~ is percent-encoded, as SigV4 requires. */
export function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** An object key as an S3 path: each segment encoded once, the slashes kept. */
export function encodeKeyPath(key: string): string {
  return key.split('/').map(encodeRfc3986).join('/');
}

export function canonicalQuery(query: Record<string, string> = {}): string {
  return Object.entries(query)
    .map(([k, v]) => [encodeRfc3986(k), encodeRfc3986(v)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

// The signing key changes once a day per region: derive it once, not four HMACs per request.
const signingKeys = new Map<string, Buffer>();

function signingKey(secret: string, day: string, region: string): Buffer {
  const id = `${day}/${region}/${secret}`;
  let key = signingKeys.get(id);
  if (!key) {
    key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), 's3'), 'aws4_request');
    signingKeys.clear();
    signingKeys.set(id, key);
  }
  return key;
}

export interface CanonicalRequest {
  method: string;
  /** As it goes on the wire. */
  path: string;
  /** Already canonical (canonicalQuery). */
  query: string;
  /** Lower-case names to values: exactly the signed headers. */
  headers: Record<string, string>;
  payloadSha256: string;
  /** yyyymmddThhmmssZ */
  amzDate: string;
  region: string;
}

/** The SigV4 signature (hex) and the signed-header list of a canonical request. */
export function signatureOf(request: CanonicalRequest, secretAccessKey: string): { signature: string; signedHeaders: string; scope: string } {
  const names = Object.keys(request.headers).sort();
  const canonicalHeaders = names.map((n) => `${n}:${String(request.headers[n]).trim().replace(/\s+/g, ' ')}\n`).join('');
  const signedHeaders = names.join(';');
  const canonical = [request.method, request.path, request.query, canonicalHeaders, signedHeaders, request.payloadSha256].join('\n');
  const day = request.amzDate.slice(0, 8);
  const scope = `${day}/${request.region}/s3/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', request.amzDate, scope, createHash('sha256').update(canonical).digest('hex')].join('\n');
  const signature = createHmac('sha256', signingKey(secretAccessKey, day, request.region)).update(stringToSign).digest('hex');
  return { signature, signedHeaders, scope };
}

/** The headers to add to the request: x-amz-date, x-amz-content-sha256, the session token if any, Authorization. */
export function signRequest(request: RequestToSign): Record<string, string> {
  const amzDate = request.date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const added: Record<string, string> = { 'x-amz-date': amzDate, 'x-amz-content-sha256': request.payloadSha256 };
  if (request.credentials.sessionToken) added['x-amz-security-token'] = request.credentials.sessionToken;
  const headers = Object.fromEntries(Object.entries({ ...request.headers, ...added, host: request.host }).map(([n, v]) => [n.toLowerCase(), v]));
  const { signature, signedHeaders, scope } = signatureOf({
    method: request.method, path: request.path, query: canonicalQuery(request.query), headers, payloadSha256: request.payloadSha256, amzDate, region: request.region,
  }, request.credentials.secretAccessKey);
  added.authorization = `AWS4-HMAC-SHA256 Credential=${request.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return added;
}
