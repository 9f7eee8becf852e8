// Sends one file: a small one from the bytes already read, a larger one streamed in one PUT, a very
// large one in parts. Its SHA-256 was computed before (it goes in the metadata and signs the body), so
// the bytes stream straight from the disk to the socket; an MD5 known before goes as Content-MD5.
import { createReadStream } from 'node:fs';
import { pipeline, Transform } from 'node:stream';
import { EtagDigester, type EtagDigest, type FileDigest } from './hash.js';
import { objectHeaders, partSizeFor } from './objects.js';
import type { S3Http } from './s3-http.js';

/**
 * Bytes read at a time from a streamed file. Each chunk is a new buffer: at 1 MiB the allocator
 * hands out fresh pages for most of them, and the page faults cost about 0.2 s of kernel time per
 * 200 MB (on a 2-core machine, CPU a local S3 server needs); at 256 KiB freed memory is reused.
 */
const STREAM_CHUNK = 256 * 1024;

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

export interface Uploaded {
  etag: string | undefined;
  /** When the request held no MD5: the MD5s of the bytes sent, and their count, to compare with the ETag. */
  sent?: EtagDigest & { size: number };
}

export async function uploadFile(s3: S3Http, request: UploadRequest): Promise<Uploaded> {
  const headers = await objectHeaders(request.key, request.digest.sha256);
  const object = { bucket: request.bucket, key: request.key, headers, sha256: request.digest.sha256 };
  if (request.bytes) return { etag: await s3.putObject({ ...object, body: request.bytes, length: request.bytes.length, md5: request.digest.md5 }) };
  const file = createReadStream(request.file, { highWaterMark: STREAM_CHUNK });
  const multipart = request.digest.size >= request.multipartThreshold;
  // The ETag's MD5s are taken of the chunks on their way to the socket, on this thread: the server
  // takes them in slower than MD5 runs, and the file is read once instead of twice.
  const digester = request.digest.md5 === undefined ? new EtagDigester(multipart ? partSizeFor(request.digest.size) : undefined) : undefined;
  let size = 0;
  const taken = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      digester!.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  // An error on either side ends both: a read error fails the request, a request given up closes the file.
  const body = digester ? pipeline(file, taken, () => {}) : file;
  const uploaded = (etag: string | undefined): Uploaded => ({ etag, ...(digester && { sent: { ...digester.digest(), size } }) });
  if (!multipart) {
    // S3 refuses a body that does not hash to the signed SHA-256 taken before: a file changed since cannot land.
    return uploaded(await s3.putObject({ ...object, body, length: request.digest.size, md5: request.digest.md5 }));
  }
  const { uploadInParts } = await import('./s3.js');
  return uploaded(await uploadInParts(await s3.sdk(), { ...object, body, partSize: partSizeFor(request.digest.size) }));
}
