// Checksums of a local file, read in chunks: memory stays flat whatever the file's size.
import { createHash, type Hash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, read, readSync, type BigIntStats } from 'node:fs';

export interface EtagDigest {
  md5: string;
  /** ETag S3 gives a multipart upload with parts of the given size: md5 of the part md5s, "-", part count. */
  multipartEtag?: string;
}

export interface FileDigest extends Partial<EtagDigest> {
  size: number;
  sha256: string;
}

/** The MD5 of the whole and of every part, fed chunk by chunk: what S3's ETag will be. */
export class EtagDigester {
  private readonly md5 = createHash('md5');
  private part: Hash | undefined;
  private inPart = 0;
  private readonly parts: Buffer[] = [];

  constructor(private readonly partSize?: number) {
    this.part = partSize ? createHash('md5') : undefined;
  }

  update(chunk: Buffer): void {
    this.md5.update(chunk);
    if (!this.part || !this.partSize) return;
    for (let offset = 0; offset < chunk.length; ) {
      const take = Math.min(this.partSize - this.inPart, chunk.length - offset);
      this.part.update(chunk.subarray(offset, offset + take));
      this.inPart += take;
      offset += take;
      if (this.inPart === this.partSize) {
        this.parts.push(this.part.digest());
        this.part = createHash('md5');
        this.inPart = 0;
      }
    }
  }

  digest(): EtagDigest {
    if (this.part && this.inPart > 0) this.parts.push(this.part.digest());
    const result: EtagDigest = { md5: this.md5.digest('hex') };
    if (this.parts.length > 1) result.multipartEtag = `${createHash('md5').update(Buffer.concat(this.parts)).digest('hex')}-${this.parts.length}`;
    return result;
  }
}

export interface HashRequest {
  /** The SHA-256: it goes in the object's metadata, so it is needed before the upload starts. */
  sha256?: boolean;
  /** The MD5s the ETag will be made of: only to compare with the ETag, so they may run beside the upload. */
  etag?: { partSize?: number };
}

export type PartialDigest = { size: number; sha256?: string } & Partial<EtagDigest>;

/** Bytes read at a time: the buffer is reused, so memory stays flat whatever the file's size. */
const READ_CHUNK = 1024 * 1024;

/** The digests a request asks for, fed chunk by chunk. */
class RequestDigester {
  private readonly sha256: Hash | undefined;
  private readonly etag: EtagDigester | undefined;
  size = 0;

  constructor(request: HashRequest) {
    this.sha256 = request.sha256 ? createHash('sha256') : undefined;
    this.etag = request.etag ? new EtagDigester(request.etag.partSize) : undefined;
  }

  update(chunk: Buffer): void {
    this.sha256?.update(chunk);
    this.etag?.update(chunk);
    this.size += chunk.length;
  }

  digest(): PartialDigest {
    return { size: this.size, ...(this.sha256 && { sha256: this.sha256.digest('hex') }), ...this.etag?.digest() };
  }
}

/**
 * Hashes the file in one pass with blocking reads (for a worker thread, where blocking holds up
 * nothing): about a quarter faster than a stream, which allocates every chunk and hops threads.
 */
export function hashFile(file: string, request: HashRequest): PartialDigest {
  const digester = new RequestDigester(request);
  const buffer = Buffer.allocUnsafe(READ_CHUNK);
  const { fd } = openRegularFile(file);
  try {
    for (let bytesRead; (bytesRead = readSync(fd, buffer, 0, READ_CHUNK, null)) > 0; ) digester.update(buffer.subarray(0, bytesRead));
  } finally {
    closeSync(fd);
  }
  return digester.digest();
}

/**
 * The same, with reads that leave the event loop free: for this thread, when a worker would take
 * longer to start than the hash takes (a worker thread takes 50-150 ms to come up on a busy machine;
 * SHA-256 with CPU instructions for it reads 100 MB in about 80 ms).
 */
export async function hashFileHere(file: string, request: HashRequest): Promise<PartialDigest> {
  const digester = new RequestDigester(request);
  const buffer = Buffer.allocUnsafe(READ_CHUNK);
  const { fd } = openRegularFile(file);
  try {
    for (let bytesRead; (bytesRead = await readNext(fd, buffer, READ_CHUNK)) > 0; ) digester.update(buffer.subarray(0, bytesRead));
  } finally {
    closeSync(fd);
  }
  return digester.digest();
}

/** Reads up to `length` bytes from the file's position into the start of `buffer`, off the event loop. */
export function readNext(fd: number, buffer: Buffer, length: number): Promise<number> {
  return new Promise((resolve, reject) => read(fd, buffer, 0, length, null, (error, bytesRead) => (error ? reject(error) : resolve(bytesRead))));
}

/** Opens a file for reading, and fails (EINVAL) if it is no longer a regular file. */
export function openRegularFile(file: string): { fd: number; info: BigIntStats } {
  // Non-blocking: a FIFO put where the file was must fail here, not hang the thread.
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = fstatSync(fd, { bigint: true });
    if (!info.isFile()) throw Object.assign(new Error(`${file} is no longer a regular file`), { code: 'EINVAL' });
    return { fd, info };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** An ETag as S3 sends it ("\"abc\"") without quotes, lower case. */
export function bareEtag(etag: string | undefined): string | undefined {
  return etag?.replace(/^W\//, '').replace(/"/g, '').toLowerCase();
}

/** True when the ETag proves the object holds these bytes (single-part MD5, or a multipart ETag). */
export function etagMatches(etag: string | undefined, digest: Partial<EtagDigest>): boolean {
  const bare = bareEtag(etag);
  return bare !== undefined && (bare === digest.md5 || bare === digest.multipartEtag);
}

export interface SmallFile {
  bytes: Buffer;
  digest: Required<Pick<FileDigest, 'md5'>> & FileDigest;
  /** From the open handle: the snapshot the bytes belong to. */
  mtimeNs: string;
}

/**
 * Reads a file of at most `maxBytes` in one go: open, fstat, read, close, then hashes the buffer.
 * Small files dominate an uploads folder and their cost is system calls, not bytes: the file is read
 * once, for the hash and the upload, and synchronously: four thread-pool round trips cost about
 * 0.4 ms of CPU per file, the calls themselves a few microseconds when the file is in the page cache
 * (at most `maxBytes` of reading holds up the event loop). Memory stays bounded by `maxBytes` per file
 * in flight. Returns undefined when the file is larger; it is then streamed.
 */
export function readSmallFile(file: string, maxBytes: number): SmallFile | undefined {
  const { fd, info } = openRegularFile(file);
  try {
    if (info.size > BigInt(maxBytes)) return undefined;
    const bytes = Buffer.allocUnsafe(Number(info.size));
    let filled = 0;
    while (filled < bytes.length) {
      const bytesRead = readSync(fd, bytes, filled, bytes.length - filled, filled);
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
    closeSync(fd);
  }
}
