// What every uploaded object carries, whichever client sends it: type, caching, its SHA-256, its part size.

export const CACHE_CONTROL = 'public, max-age=31536000, immutable';
/** Object metadata key holding the file's SHA-256 (x-amz-meta-sha256). */
export const SHA256_METADATA = 'sha256';

const MIB = 1024 * 1024;
/** S3 allows at most this many parts per upload. */
const MAX_PARTS = 10_000;

/** 16 MiB parts, larger when the file would otherwise need more than 10,000 of them. */
export function partSizeFor(size: number): number {
  return Math.max(16 * MIB, Math.ceil(size / MAX_PARTS / MIB) * MIB);
}

export interface ObjectHeaders {
  contentType: string;
  cacheControl: string;
  metadata: Record<string, string>;
}

// mime-types carries the whole MIME database: a re-run with nothing to send never loads it.
let mimeTypes: Promise<typeof import('mime-types')> | undefined;

/** The MIME database, loading from the first call on: call early where the event loop has time (about 30 ms). */
export function loadMimeTypes(): Promise<typeof import('mime-types')> {
  return (mimeTypes ??= import('mime-types'));
}

export async function objectHeaders(key: string, sha256: string): Promise<ObjectHeaders> {
  const mime = await loadMimeTypes();
  return { contentType: mime.lookup(key) || 'application/octet-stream', cacheControl: CACHE_CONTROL, metadata: { [SHA256_METADATA]: sha256 } };
}
