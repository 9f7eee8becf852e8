// The S3 side: one client, listing, uploads and confirmation. Credentials come from the AWS chain
// (environment, shared profile, instance role); nothing here reads or prints them.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline, Transform } from 'node:stream';
import { GetObjectCommand, HeadBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import mime from 'mime-types';
import { UserError } from '../../config/index.js';
import { EtagDigester, type EtagDigest, type FileDigest } from './hash.js';

export const CACHE_CONTROL = 'public, max-age=31536000, immutable';
/** Object metadata key holding the file's SHA-256 (x-amz-meta-sha256). */
export const SHA256_METADATA = 'sha256';

export interface S3Options {
  endpoint?: string;
  region?: string;
  /**
   * 'when-required' sends no optional checksums: S3-compatible servers that do not understand the SDK's
   * aws-chunked checksum framing otherwise store it inside the object. AWS itself takes 'when-supported'.
   */
  checksums: 'when-supported' | 'when-required';
}

export function createS3Client(options: S3Options): S3Client {
  // The SDK warns about the Node version on stderr; --json output must stay clean.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const mode = options.checksums === 'when-required' ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED';
  return new S3Client({
    region: options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    endpoint: options.endpoint,
    forcePathStyle: Boolean(options.endpoint),
    requestChecksumCalculation: mode,
    responseChecksumValidation: mode,
    // Uploads retry themselves (with a fresh stream); a consumed stream cannot be replayed by the SDK.
    maxAttempts: 1,
  });
}

export interface RemoteObject {
  etag: string | undefined;
  size: number;
}

/** Every object under a prefix, by key. Pages of 1,000; one request per page. */
export async function listObjects(client: S3Client, bucket: string, prefix: string): Promise<Map<string, RemoteObject>> {
  const objects = new Map<string, RemoteObject>();
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix || undefined, ContinuationToken: token }));
    for (const o of page.Contents ?? []) if (o.Key !== undefined) objects.set(o.Key, { etag: o.ETag, size: o.Size ?? 0 });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return objects;
}

/** Listings of bucket prefixes, each fetched once, on first use or ahead of it. */
export class BucketListings {
  private readonly listings = new Map<string, Promise<Map<string, RemoteObject>>>();

  constructor(private readonly client: S3Client) {}

  /** Starts listing a prefix now (e.g. while the local tree is scanned); errors surface on `object`. */
  prefetch(bucket: string, prefix: string): void {
    this.listing(bucket, prefix).catch(() => {});
  }

  async object(bucket: string, prefix: string, key: string): Promise<RemoteObject | undefined> {
    return (await this.listing(bucket, prefix)).get(key);
  }

  private listing(bucket: string, prefix: string): Promise<Map<string, RemoteObject>> {
    const id = `${bucket}/${prefix}`;
    if (!this.listings.has(id)) this.listings.set(id, listObjects(this.client, bucket, prefix));
    return this.listings.get(id)!;
  }
}

/** Fails with one clear line when the bucket is missing or not ours to write. */
export async function checkBucket(client: S3Client, bucket: string): Promise<void> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch (error) {
    throw bucketError(error, bucket) ?? error;
  }
}

/** Errors that no retry will fix and that would fail every file: stop the run with one line. */
export function bucketError(error: unknown, bucket: string): UserError | undefined {
  const e = error as S3ServiceException & { code?: string };
  const status = e.$metadata?.httpStatusCode;
  if (e.name === 'NoSuchBucket' || (e.name === 'NotFound' && status === 404)) return new UserError(`bucket "${bucket}" does not exist; create it first`);
  if (e.name === 'InvalidAccessKeyId' || e.name === 'SignatureDoesNotMatch') return new UserError(`S3 rejected the credentials (${e.name}); check AWS_ACCESS_KEY_ID / AWS_PROFILE`);
  if (e.name === 'AccessDenied' || status === 403) return new UserError(`access to bucket "${bucket}" denied; the credentials need s3:ListBucket, s3:PutObject and s3:GetObject`);
  if (e.name === 'CredentialsProviderError') return new UserError('no AWS credentials found; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or AWS_PROFILE');
  if (e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND') return new UserError(`cannot reach the S3 endpoint (${e.code}); check --endpoint`);
  return undefined;
}

/** Throttling, server errors and dropped connections deserve another try; a 4xx does not. */
export function isRetryable(error: unknown): boolean {
  const e = error as S3ServiceException & { code?: string };
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined) return status >= 500 || status === 429 || status === 408 || ['SlowDown', 'Throttling', 'RequestTimeout', 'BadDigest'].includes(e.name);
  return ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'TimeoutError', 'RequestTimeout'].includes(e.code ?? e.name);
}

const MIB = 1024 * 1024;
/** S3 allows at most this many parts per upload. */
const MAX_PARTS = 10_000;

/** 16 MiB parts, larger when the file would otherwise need more than 10,000 of them. */
export function partSizeFor(size: number): number {
  return Math.max(16 * MIB, Math.ceil(size / MAX_PARTS / MIB) * MIB);
}

export interface UploadRequest {
  bucket: string;
  key: string;
  file: string;
  /** The file's bytes and their MD5 when already read (small files); else the file is streamed. */
  bytes?: { data: Buffer; md5: string };
  digest: FileDigest;
  /** At or above this size the file goes up in parts. */
  multipartThreshold: number;
}

function objectHeaders(request: UploadRequest) {
  return {
    Bucket: request.bucket,
    Key: request.key,
    ContentType: mime.lookup(request.key) || 'application/octet-stream',
    CacheControl: CACHE_CONTROL,
    Metadata: { [SHA256_METADATA]: request.digest.sha256 },
  };
}

export interface Sent {
  /** The ETag the server gave the object. */
  etag: string | undefined;
  /** What that ETag must be for the bytes sent. */
  expected: EtagDigest;
}

/** Uploads the file: small ones from memory with Content-MD5, others streamed, hashed as they go. */
export async function uploadFile(client: S3Client, request: UploadRequest): Promise<Sent> {
  if (request.bytes) {
    const result = await client.send(
      new PutObjectCommand({
        ...objectHeaders(request),
        Body: request.bytes.data,
        ContentLength: request.bytes.data.length,
        // The server refuses the body if it does not hash to this: corruption on the wire cannot land.
        ContentMD5: Buffer.from(request.bytes.md5, 'hex').toString('base64'),
      }),
    );
    return { etag: result.ETag, expected: { md5: request.bytes.md5 } };
  }
  // The MD5s are computed from the very bytes that leave, in the same pass: a large file is not read
  // a third time, and the ETag check then proves the server stored what was sent.
  const multipart = request.digest.size >= request.multipartThreshold;
  const digester = new EtagDigester(multipart ? partSizeFor(request.digest.size) : undefined);
  const body = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      digester.update(chunk);
      done(null, chunk);
    },
  });
  // A read error destroys the body too, which fails the request instead of leaving it waiting.
  pipeline(createReadStream(request.file, { highWaterMark: 1024 * 1024 }), body, () => {});
  if (!multipart) {
    const result = await client.send(new PutObjectCommand({ ...objectHeaders(request), Body: body, ContentLength: request.digest.size }));
    return { etag: result.ETag, expected: digester.digest() };
  }
  // Only large files need it, and it takes a quarter of a second to load.
  const { Upload } = await import('@aws-sdk/lib-storage');
  const upload = new Upload({ client, params: { ...objectHeaders(request), Body: body }, partSize: partSizeFor(request.digest.size), queueSize: 4, leavePartsOnError: false });
  const result = await upload.done();
  return { etag: result.ETag, expected: digester.digest() };
}

/** Reads the object back and hashes it: the proof of last resort when the ETag says nothing (e.g. SSE-KMS). */
export async function remoteSha256(client: S3Client, bucket: string, key: string): Promise<{ sha256: string; size: number }> {
  const result = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of result.Body as AsyncIterable<Uint8Array>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}
