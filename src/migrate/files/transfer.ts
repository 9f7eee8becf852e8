// Sends one file: a small one from the bytes already read, a larger one streamed in one PUT, a very
// large one in parts. Its SHA-256 was computed before (it goes in the metadata and signs the body), so
// the bytes stream straight from the disk to the socket; an MD5 known before goes as Content-MD5.
import { createReadStream } from 'node:fs';
import type { FileDigest } from './hash.js';
import { objectHeaders, partSizeFor } from './objects.js';
import type { S3Http } from './s3-http.js';

export interface UploadRequest {
  bucket: string;
  key: string;
  file: string;
  /** The file's bytes when already read (small files); else the file is streamed. */
  bytes?: Buffer;
  digest: FileDigest;
  /** At or above this size the file goes up in parts. */
  multipartThreshold: number;
}

export async function uploadFile(s3: S3Http, request: UploadRequest): Promise<string | undefined> {
  const headers = await objectHeaders(request.key, request.digest.sha256);
  const object = { bucket: request.bucket, key: request.key, headers, sha256: request.digest.sha256 };
  if (request.bytes) return s3.putObject({ ...object, body: request.bytes, length: request.bytes.length, md5: request.digest.md5 });
  const body = createReadStream(request.file, { highWaterMark: 1024 * 1024 });
  if (request.digest.size < request.multipartThreshold) {
    // S3 refuses a body that does not hash to the signed SHA-256 taken before: a file changed since cannot land.
    return s3.putObject({ ...object, body, length: request.digest.size, md5: request.digest.md5 });
  }
  const { uploadInParts } = await import('./s3.js');
  return uploadInParts(await s3.sdk(), { ...object, body, partSize: partSizeFor(request.digest.size) });
}
