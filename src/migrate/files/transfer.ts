// Sends one file: a small one from the bytes already read, a larger one streamed in one PUT, a very
// large one in parts. Its SHA-256 was computed before (it goes in the metadata and signs the body), so
// the bytes stream straight from the disk to the socket; an MD5 known before goes as Content-MD5.
import { createReadStream } from 'node:fs';
import { pipeline, Transform } from 'node:stream';
import { fileBody } from './file-body.js';
import { EtagDigester, type EtagDigest, type FileDigest } from './hash.js';
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

export interface Uploaded {
  etag: string | undefined;
  /** When the request held no MD5: the MD5s of the bytes sent, and their count, to compare with the ETag. */
  sent?: EtagDigest & { size: number };
}

export async function uploadFile(s3: S3Http, request: UploadRequest): Promise<Uploaded> {
  const headers = await objectHeaders(request.key, request.digest.sha256);
  const object = { bucket: request.bucket, key: request.key, headers, sha256: request.digest.sha256 };
  const { size, md5 } = request.digest;
  if (request.bytes) return { etag: await s3.putObject({ ...object, body: request.bytes, length: request.bytes.length, md5 }) };
  const multipart = size >= request.multipartThreshold;
  // The ETag's MD5s are taken of the chunks on their way to the socket, on this thread: the server
  // takes them in slower than MD5 runs, and the file is read once instead of twice.
  const digester = md5 === undefined ? new EtagDigester(multipart ? partSizeFor(size) : undefined) : undefined;
  let sent = 0;
  const take = (chunk: Buffer) => {
    digester?.update(chunk);
    sent += chunk.length;
  };
  const uploaded = (etag: string | undefined): Uploaded => ({ etag, ...(digester && { sent: { ...digester.digest(), size: sent } }) });
  if (!multipart) {
    // S3 refuses a body that does not hash to the signed SHA-256 taken before: a file changed since cannot land.
    return uploaded(await s3.putObject({ ...object, body: fileBody(request.file, size, take), length: size, md5 }));
  }
  // The SDK reads a stream, and keeps its chunks until a part is complete: they cannot be reused.
  const taking = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      take(chunk);
      done(null, chunk);
    },
  });
  // An error on either side ends both: a read error fails the upload, an upload given up closes the file.
  const body = pipeline(createReadStream(request.file, { highWaterMark: 1024 * 1024 }), taking, () => {});
  const { uploadInParts } = await import('./s3.js');
  return uploaded(await uploadInParts(await s3.sdk(), { ...object, body, partSize: partSizeFor(size) }));
}
