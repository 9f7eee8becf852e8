// Sends one file: a small one from the bytes already read, a larger one streamed in one PUT, a very
// large one in parts. The MD5s of a streamed file are computed from the very bytes that leave, in the
// same pass, so a large file is not read a third time and the ETag check proves what the server stored.
import { createReadStream } from 'node:fs';
import { pipeline, Transform } from 'node:stream';
import { EtagDigester, type EtagDigest, type FileDigest } from './hash.js';
import { objectHeaders, partSizeFor } from './objects.js';
import type { S3Http } from './s3-http.js';

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

export interface Sent {
  /** The ETag the server gave the object. */
  etag: string | undefined;
  /** What that ETag must be for the bytes sent. */
  expected: EtagDigest;
}

export async function uploadFile(s3: S3Http, request: UploadRequest): Promise<Sent> {
  const headers = await objectHeaders(request.key, request.digest.sha256);
  const object = { bucket: request.bucket, key: request.key, headers, sha256: request.digest.sha256 };
  if (request.bytes) {
    const etag = await s3.putObject({ ...object, body: request.bytes.data, length: request.bytes.data.length, md5: request.bytes.md5 });
    return { etag, expected: { md5: request.bytes.md5 } };
  }
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
    const etag = await s3.putObject({ ...object, body, length: request.digest.size });
    return { etag, expected: digester.digest() };
  }
  const { uploadInParts } = await import('./s3.js');
  const etag = await uploadInParts(await s3.sdk(), { ...object, body, partSize: partSizeFor(request.digest.size) });
  return { etag, expected: digester.digest() };
}
