// The AWS SDK side: a client for what the plain HTTP requests in s3-http.ts do not cover (multipart
// uploads, read-backs, the credential chain, rollback). Credentials come from the AWS chain
// (environment, shared profile, instance role); nothing here reads or prints them.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import '../../reserved-globals/aws-sdk.js';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { ObjectHeaders } from './objects.js';
import type { S3Options } from './s3-options.js';

export { CACHE_CONTROL, partSizeFor, SHA256_METADATA } from './objects.js';
export { bucketError, isRetryable } from './s3-errors.js';
export type { S3Options } from './s3-options.js';

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

export interface PartsRequest {
  bucket: string;
  key: string;
  headers: ObjectHeaders;
  body: Readable;
  partSize: number;
}

/** A multipart upload of a stream; returns the ETag the server gave the object. */
export async function uploadInParts(client: S3Client, request: PartsRequest): Promise<string | undefined> {
  // Only large files need it, and it takes a quarter of a second to load.
  const { Upload } = await import('@aws-sdk/lib-storage');
  const params = {
    Bucket: request.bucket,
    Key: request.key,
    ContentType: request.headers.contentType,
    CacheControl: request.headers.cacheControl,
    Metadata: request.headers.metadata,
    Body: request.body,
  };
  const upload = new Upload({ client, params, partSize: request.partSize, queueSize: 4, leavePartsOnError: false });
  return (await upload.done()).ETag;
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
