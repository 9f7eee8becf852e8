// The S3 requests a run makes on every file or every re-run (HEAD bucket, list, PUT object), over plain
// node:http with keep-alive and SigV4. The AWS SDK spends about 2 ms of CPU per request (more than the
// server takes to store a small object) and 0.3-0.9 s to load, more than a whole no-op re-run; it is
// loaded only for multipart uploads, read-backs, and credentials that are not in the environment.
import http from 'node:http';
import https from 'node:https';
import type { S3Client } from '@aws-sdk/client-s3';
import type { BodyWriter } from './file-body.js';
import type { ObjectHeaders } from './objects.js';
import { isRetryable, S3RequestError } from './s3-errors.js';
import { withRetry } from './retry.js';
import { canonicalQuery, EMPTY_SHA256, encodeKeyPath, signRequest, type Credentials } from './sigv4.js';
import type { S3Options } from './s3-options.js';

export type { S3Options } from './s3-options.js';

export interface RemoteObject {
  etag: string | undefined;
  size: number;
}

export interface PutRequest {
  bucket: string;
  key: string;
  body: Buffer | BodyWriter;
  length: number;
  /** Hex SHA-256 of the body: signed, so S3 refuses a body that does not hash to it. */
  sha256: string;
  /** Hex MD5 of the body, when known before sending: sent as Content-MD5. */
  md5?: string;
  headers: ObjectHeaders;
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A connection silent this long is given up (and the request retried by the caller). */
const IDLE_TIMEOUT_MS = 120_000;
/** Error answers are short XML documents; more than this is not read. */
const MAX_ERROR_BODY = 64 * 1024;

// Names the SDK gives errors that come without a body (HEAD requests), so both clients' errors read the same.
const STATUS_NAMES: Record<number, string> = { 301: 'PermanentRedirect', 400: 'BadRequest', 403: 'Forbidden', 404: 'NotFound', 409: 'Conflict', 412: 'PreconditionFailed', 503: 'ServiceUnavailable' };

function credentialsFromEnvironment(): Credentials | undefined {
  const env = process.env;
  // The SDK's chain reads these first, unless a profile is named; then the profile wins.
  if (env.AWS_PROFILE || !env.AWS_ACCESS_KEY_ID || !env.AWS_SECRET_ACCESS_KEY) return undefined;
  return { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN || undefined };
}

const xmlEntities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function xmlText(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : xmlEntities[e]!,
  );
}

/** The text of the first <tag> in an S3 XML document (values never hold a raw "<": it is escaped). */
function xmlValue(xml: string, tag: string): string | undefined {
  const match = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  return match ? xmlText(match[1]!) : undefined;
}

/** One page of a ListObjectsV2 answer: the objects, and the token of the next page when there is one. */
export function parseListPage(xml: string): { objects: [string, RemoteObject][]; next?: string } {
  const objects: [string, RemoteObject][] = [];
  for (const [, contents] of xml.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)) {
    const key = xmlValue(contents!, 'Key');
    if (key !== undefined) objects.push([key, { etag: xmlValue(contents!, 'ETag'), size: Number(xmlValue(contents!, 'Size') ?? 0) }]);
  }
  return { objects, next: xmlValue(xml, 'IsTruncated') === 'true' ? xmlValue(xml, 'NextContinuationToken') : undefined };
}

/** Bucket names that can be a DNS label under a TLS wildcard certificate (no dots). */
const VIRTUAL_HOSTED = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

export class S3Http {
  readonly region: string;
  private readonly endpoint: URL | undefined;
  private readonly agent: http.Agent;
  private readonly environmentCredentials = credentialsFromEnvironment();
  private sdkClient: Promise<S3Client> | undefined;

  /** `sockets`: connections kept open to the server, one per request in flight. */
  constructor(
    readonly options: S3Options,
    sockets: number,
  ) {
    this.region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
    const endpoint = options.endpoint ?? process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
    this.endpoint = endpoint ? new URL(endpoint) : undefined;
    const secure = this.endpoint ? this.endpoint.protocol === 'https:' : true;
    this.agent = new (secure ? https : http).Agent({ keepAlive: true, maxSockets: sockets });
  }

  /** The SDK client for what is not done here (multipart uploads, read-backs), loaded on first use. */
  sdk(): Promise<S3Client> {
    this.sdkClient ??= import('./s3.js').then((m) => m.createS3Client(this.options));
    return this.sdkClient;
  }

  destroy(): void {
    this.agent.destroy();
    void this.sdkClient?.then((client) => client.destroy());
  }

  /** Fails with the server's error when the bucket is missing or not ours to use. */
  async headBucket(bucket: string): Promise<void> {
    await this.send('HEAD', bucket, undefined);
  }

  /** Every object under a prefix, by key. Pages of 1,000; one request per page. */
  async listObjects(bucket: string, prefix: string): Promise<Map<string, RemoteObject>> {
    const objects = new Map<string, RemoteObject>();
    let token: string | undefined;
    do {
      const query: Record<string, string> = { 'list-type': '2' };
      if (prefix) query.prefix = prefix;
      if (token) query['continuation-token'] = token;
      const page = parseListPage((await this.send('GET', bucket, undefined, query)).body.toString('utf8'));
      for (const [key, object] of page.objects) objects.set(key, object);
      token = page.next;
    } while (token);
    return objects;
  }

  /** One PUT; returns the ETag the server gave the object. */
  async putObject(request: PutRequest): Promise<string | undefined> {
    const headers: Record<string, string> = {
      'content-length': String(request.length),
      'content-type': request.headers.contentType,
      'cache-control': request.headers.cacheControl,
    };
    for (const [name, value] of Object.entries(request.headers.metadata)) headers[`x-amz-meta-${name}`] = value;
    // The server refuses the body if it does not hash to this: corruption on the wire cannot land.
    if (request.md5) headers['content-md5'] = Buffer.from(request.md5, 'hex').toString('base64');
    const answer = await this.send('PUT', request.bucket, request.key, {}, headers, request.body, request.sha256);
    const etag = answer.headers.etag;
    return Array.isArray(etag) ? etag[0] : etag;
  }

  private credentials(): Promise<Credentials> {
    if (this.environmentCredentials) return Promise.resolve(this.environmentCredentials);
    return this.sdk().then((client) => client.config.credentials());
  }

  /** Path-style under a custom endpoint; on AWS, virtual-hosted where the bucket name allows it. */
  private target(bucket: string, key: string | undefined): { url: URL; path: string } {
    const keyPath = key === undefined ? '' : `/${encodeKeyPath(key)}`;
    if (this.endpoint) {
      return { url: this.endpoint, path: `${this.endpoint.pathname.replace(/\/+$/, '')}/${bucket}${keyPath}` };
    }
    const domain = this.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
    if (VIRTUAL_HOSTED.test(bucket)) return { url: new URL(`https://${bucket}.s3.${this.region}.${domain}`), path: keyPath || '/' };
    return { url: new URL(`https://s3.${this.region}.${domain}`), path: `/${bucket}${keyPath}` };
  }

  /**
   * A request without a body is retried here on a network error or throttling: a kept-alive socket the server closed
   * meanwhile fails the next request on it ("socket hang up"). Uploads are retried by their caller.
   */
  private async send(method: string, bucket: string, key: string | undefined, query: Record<string, string> = {}, headers: Record<string, string> = {}, body?: Buffer | BodyWriter, payloadSha256 = EMPTY_SHA256): Promise<Answer> {
    if (body !== undefined) return this.sendOnce(method, bucket, key, query, headers, body, payloadSha256);
    return withRetry(() => this.sendOnce(method, bucket, key, query, headers), { attempts: 4, baseMs: 100, maxMs: 2000, retryable: isRetryable });
  }

  private async sendOnce(method: string, bucket: string, key: string | undefined, query: Record<string, string>, headers: Record<string, string>, body?: Buffer | BodyWriter, payloadSha256 = EMPTY_SHA256): Promise<Answer> {
    const { url, path } = this.target(bucket, key);
    const credentials = await this.credentials();
    const signed = signRequest({ method, host: url.host, path, query, headers, payloadSha256, region: this.region, credentials, date: new Date() });
    const search = canonicalQuery(query);
    const answer = await new Promise<Answer>((resolve, reject) => {
      const request = (url.protocol === 'https:' ? https : http).request(
        { agent: this.agent, method, hostname: url.hostname, port: url.port || undefined, path: search ? `${path}?${search}` : path, headers: { ...headers, ...signed, host: url.host } },
        (response) => {
          const status = response.statusCode ?? 0;
          const keep = method === 'GET' || status >= 300;
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            if (!keep || (status >= 300 && size > MAX_ERROR_BODY)) return;
            chunks.push(chunk);
            size += chunk.length;
          });
          response.on('end', () => resolve({ status, headers: response.headers, body: Buffer.concat(chunks) }));
          response.on('error', reject);
        },
      );
      request.setTimeout(IDLE_TIMEOUT_MS, () => request.destroy(Object.assign(new Error(`no answer from S3 for ${IDLE_TIMEOUT_MS / 1000} s`), { code: 'ETIMEDOUT' })));
      request.on('error', reject);
      if (body === undefined || Buffer.isBuffer(body)) request.end(body);
      // It ends the request, or destroys it with a read error instead of leaving it waiting for the rest.
      else void body(request);
    });
    if (answer.status >= 300) throw errorOf(answer);
    return answer;
  }
}

function errorOf(answer: Answer): S3RequestError {
  const xml = answer.body.toString('utf8');
  const code = xmlValue(xml, 'Code') ?? STATUS_NAMES[answer.status] ?? `HTTP${answer.status}`;
  const region = answer.headers['x-amz-bucket-region'];
  const message = xmlValue(xml, 'Message') ?? (answer.status === 301 && region ? `the bucket is in ${String(region)}` : `HTTP ${answer.status}`);
  return new S3RequestError(code, answer.status, message);
}
