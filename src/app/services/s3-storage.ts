// Uploads on serverless: S3 (a function has no lasting disk). The route is the same as on the legacy
// server; only the storage differs. Keys follow the layout `markethub migrate files` gives migrated
// uploads (product-images/ -> products/, ...), so old and new files live side by side, and the URL
// stored in the database is the CDN base + the key, as the rewritten URLs are.
// The AWS SDK is loaded on the first upload or check, not with the app: most cold starts need neither.
import { createRequire } from 'node:module';
import type { S3Client } from '@aws-sdk/client-s3';
import { isImageType } from './file-types.js';
import type { FileStorage } from './storage.js';

const require = createRequire(import.meta.url);
const sdk = () => require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3');

export const S3_UPLOAD_PREFIXES: Record<string, string> = {
  'product-images': 'products/',
  'user-avatars': 'avatars/',
  'journal-images': 'journals/',
  'support-attachments': 'support/',
  'vendor-assets': 'vendor/',
};

export interface S3StorageOptions {
  client: S3Client;
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

export function s3Storage(options: S3StorageOptions): FileStorage {
  const base = options.cdnBase.replace(/\/+$/, '');
  const prefixes = options.prefixes ?? S3_UPLOAD_PREFIXES;
  return {
    kind: 's3',
    async save(key, body, contentType) {
      if (key.split('/').some((part) => part === '..' || part === '')) throw new Error(`invalid upload key: ${key}`);
      const objectKey = s3ObjectKey(key, prefixes);
      await options.client.send(new (sdk().PutObjectCommand)({
        Bucket: options.bucket,
        Key: objectKey,
        Body: body,
        ContentType: contentType,
        // Served from the CDN as stored: what is not an image is downloaded, never rendered.
        ...(isImageType(contentType) ? {} : { ContentDisposition: 'attachment' }),
        ContentLength: body.length,
        CacheControl: options.cacheControl ?? 'public, max-age=31536000, immutable',
      }));
      return `${base}/${objectKey.split('/').map(encodeURIComponent).join('/')}`;
    },
    async check() {
      await options.client.send(new (sdk().HeadBucketCommand)({ Bucket: options.bucket }));
    },
  };
}
