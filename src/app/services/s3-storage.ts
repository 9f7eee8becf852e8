// Uploads on serverless: S3 (a function has no lasting disk). The route is the same as on the legacy
// server; only the storage differs. Keys follow the layout `markethub migrate files` gives migrated
// uploads (product-images/ -> products/, ...), so old and new files live side by side, and the URL
// stored in the database is the CDN base + the key, as the rewritten URLs are.
// Files past a function's request-body limit go straight to the bucket through presigned PUTs (direct).
// The AWS SDK is loaded on the first upload or check, not with the app: most cold starts need neither.
import { createRequire } from 'node:module';
import type { S3Client } from '@aws-sdk/client-s3';
import { isImageType } from './file-types.js';
import { FileTooLargeError, type DirectUploadStorage, type FileStorage } from './storage.js';
import { UPLOAD_FOLDER_PREFIXES } from '../../upload-layout.js';

const require = createRequire(import.meta.url);
const sdk = () => require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3');
const presigner = () => require('@aws-sdk/s3-request-presigner') as typeof import('@aws-sdk/s3-request-presigner');

export const S3_UPLOAD_PREFIXES = UPLOAD_FOLDER_PREFIXES;

export interface S3StorageOptions {
  /** The client, or how to make it on first use (the SDK is then loaded only when needed). */
  client: S3Client | (() => Promise<S3Client>);
  /**
   * The client that presigns direct uploads; default `client`. It must add no checksum of its own
   * (requestChecksumCalculation WHEN_REQUIRED): one computed when signing is of an empty body, and S3
   * would refuse the file for it.
   */
  presignClient?: S3Client | (() => Promise<S3Client>);
  bucket: string;
  /** Public base URL the bucket is served from (a CDN), without a trailing slash needed. */
  cdnBase: string;
  /** Upload folder -> key prefix; default S3_UPLOAD_PREFIXES. Unlisted folders keep their name. */
  prefixes?: Record<string, string>;
  cacheControl?: string;
}

/** The object key for an upload key such as `product-images/p8-1a2b.jpg`. */
export function s3ObjectKey(uploadKey: string, prefixes: Record<string, string> = S3_UPLOAD_PREFIXES): string {
  const slash = uploadKey.indexOf('/');
  const folder = slash < 0 ? '' : uploadKey.slice(0, slash);
  const prefix = prefixes[folder];
  return prefix === undefined ? uploadKey : prefix + uploadKey.slice(slash + 1);
}

const clientOf = (given: S3Client | (() => Promise<S3Client>)) => (typeof given === 'function' ? given : () => Promise.resolve(given));

const isNotFound = (error: unknown) =>
  (error as { name?: string }).name === 'NotFound' || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404;

export function s3Storage(options: S3StorageOptions): FileStorage {
  const base = options.cdnBase.replace(/\/+$/, '');
  const prefixes = options.prefixes ?? S3_UPLOAD_PREFIXES;
  const client = clientOf(options.client);
  const presignClient = options.presignClient ? clientOf(options.presignClient) : client;
  const send = async <T = unknown>(command: object): Promise<T> => (await client()).send(command as never) as Promise<T>;
  const objectKey = (key: string) => {
    if (key.split('/').some((part) => part === '..' || part === '')) throw new Error(`invalid upload key: ${key}`);
    return s3ObjectKey(key, prefixes);
  };
  const url = (key: string) => `${base}/${objectKey(key).split('/').map(encodeURIComponent).join('/')}`;
  // How every upload is served from the CDN, stored by the app or presigned for the client alike:
  // what is not an image is downloaded, never rendered.
  const servedAs = (contentType: string) => ({
    ContentType: contentType,
    ...(isImageType(contentType) ? {} : { ContentDisposition: 'attachment' }),
    CacheControl: options.cacheControl ?? 'public, max-age=31536000, immutable',
  });

  const direct: DirectUploadStorage = {
    objectKey,
    url,
    async presignPut(key, file) {
      const headers = servedAs(file.contentType);
      const command = new (sdk().PutObjectCommand)({
        Bucket: options.bucket, Key: objectKey(key), ...headers, ContentLength: file.size,
        ...(file.md5 ? { ContentMD5: file.md5 } : {}),
      });
      // The presigner leaves Content-Type and Cache-Control out of the signature unless asked: signed,
      // S3 refuses a PUT whose type, caching, disposition, length or MD5 differ from these.
      const signer = await presignClient();
      if (await signer.config.requestChecksumCalculation() !== 'WHEN_REQUIRED') {
        throw new Error('the presigning S3 client adds checksums of its own: create it with requestChecksumCalculation WHEN_REQUIRED');
      }
      const signed = await presigner().getSignedUrl(signer, command, {
        expiresIn: file.expiresInSeconds, signableHeaders: new Set(['content-type', 'cache-control']),
      });
      return {
        url: signed,
        headers: {
          'Content-Type': headers.ContentType,
          'Cache-Control': headers.CacheControl,
          ...(headers.ContentDisposition ? { 'Content-Disposition': headers.ContentDisposition } : {}),
          ...(file.md5 ? { 'Content-MD5': file.md5 } : {}),
        },
      };
    },
    async head(key) {
      try {
        const head = await send<{ ContentLength?: number; ContentType?: string }>(new (sdk().HeadObjectCommand)({ Bucket: options.bucket, Key: objectKey(key) }));
        return { size: Number(head.ContentLength ?? 0), contentType: head.ContentType ?? '' };
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    async read(key, maxBytes) {
      const result = await send<{ Body: AsyncIterable<Uint8Array> & { destroy?: () => void } }>(new (sdk().GetObjectCommand)({ Bucket: options.bucket, Key: objectKey(key) }));
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of result.Body) {
        size += chunk.length;
        if (size > maxBytes) {
          result.Body.destroy?.();
          throw new FileTooLargeError(maxBytes);
        }
        chunks.push(Buffer.from(chunk));
      }
      return Buffer.concat(chunks);
    },
    async remove(key) {
      await send(new (sdk().DeleteObjectCommand)({ Bucket: options.bucket, Key: objectKey(key) }));
    },
  };

  return {
    kind: 's3',
    direct,
    async save(key, body, contentType) {
      await send(new (sdk().PutObjectCommand)({
        Bucket: options.bucket, Key: objectKey(key), Body: body, ...servedAs(contentType), ContentLength: body.length,
      }));
      return url(key);
    },
    async check() {
      await send(new (sdk().HeadBucketCommand)({ Bucket: options.bucket }));
    },
  };
}
