// Checksums of a local file, computed while streaming it: memory stays flat whatever the file's size.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';

export interface FileDigest {
  size: number;
  sha256: string;
  md5: string;
  /** ETag S3 gives a multipart upload of this file with parts of `partSize`: md5 of the part md5s, "-", part count. */
  multipartEtag?: string;
}

/** Hashes the file; with `partSize`, also the MD5 of every part, to predict a multipart ETag. */
export async function digestFile(file: string, partSize?: number): Promise<FileDigest> {
  const sha256 = createHash('sha256');
  const md5 = createHash('md5');
  const partDigests: Buffer[] = [];
  let part = partSize ? createHash('md5') : undefined;
  let inPart = 0;
  let size = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
    sha256.update(chunk);
    md5.update(chunk);
    size += chunk.length;
    if (!part || !partSize) continue;
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(partSize - inPart, chunk.length - offset);
      part.update(chunk.subarray(offset, offset + take));
      inPart += take;
      offset += take;
      if (inPart === partSize) {
        partDigests.push(part.digest());
        part = createHash('md5');
        inPart = 0;
      }
    }
  }
  if (part && inPart > 0) partDigests.push(part.digest());
  const digest: FileDigest = { size, sha256: sha256.digest('hex'), md5: md5.digest('hex') };
  if (partSize && partDigests.length > 1) {
    digest.multipartEtag = `${createHash('md5').update(Buffer.concat(partDigests)).digest('hex')}-${partDigests.length}`;
  }
  return digest;
}

/** An ETag as S3 sends it ("\"abc\"") without quotes, lower case. */
export function bareEtag(etag: string | undefined): string | undefined {
  return etag?.replace(/^W\//, '').replace(/"/g, '').toLowerCase();
}

/** True when the ETag proves the object holds these bytes (single-part MD5, or a multipart ETag). */
export function etagMatches(etag: string | undefined, digest: FileDigest): boolean {
  const bare = bareEtag(etag);
  return bare !== undefined && (bare === digest.md5 || bare === digest.multipartEtag);
}

export interface SmallFile {
  bytes: Buffer;
  digest: FileDigest;
  /** From the open handle: the snapshot the bytes belong to. */
  mtimeNs: string;
}

/**
 * Reads a file of at most `maxBytes` in one go: open, fstat, read, close, then hashes the buffer.
 * Small files dominate an uploads folder and their cost is system calls, not bytes: this halves them
 * (the file is read once, for the hash and the upload). Memory stays bounded by `maxBytes` per file
 * in flight. Returns undefined when the file is larger; it is then streamed.
 */
export async function readSmallFile(file: string, maxBytes: number): Promise<SmallFile | undefined> {
  const handle = await open(file, 'r');
  try {
    const info = await handle.stat({ bigint: true });
    if (info.size > BigInt(maxBytes)) return undefined;
    const bytes = Buffer.allocUnsafe(Number(info.size));
    let filled = 0;
    while (filled < bytes.length) {
      const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    const content = bytes.subarray(0, filled);
    return {
      bytes: content,
      mtimeNs: info.mtimeNs.toString(),
      digest: { size: filled, sha256: createHash('sha256').update(content).digest('hex'), md5: createHash('md5').update(content).digest('hex') },
    };
  } finally {
    await handle.close();
  }
}
