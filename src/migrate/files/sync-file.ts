// One local file brought to its object: skipped when the manifest and the listing prove it is there,
// else read and hashed, compared with what the bucket holds, sent, checked, and its manifest row made.
import { stat } from 'node:fs/promises';
import type { LimitFunction } from 'p-limit';
import { FileChangedMeanwhile } from './file-body.js';
import { bareEtag, etagMatches, readSmallFile, type EtagDigest, type FileDigest } from './hash.js';
import type { HashWorkers } from './hash-workers.js';
import { locationId, type ObjectLocation } from './keys.js';
import type { BucketListings } from './listings.js';
import { isConfirmed, OURS, type ManifestRow } from './manifest.js';
import { partSizeFor } from './objects.js';
import { withRetry } from './retry.js';
import { bucketError, isRetryable } from './s3-errors.js';
import type { S3Http } from './s3-http.js';
import type { LocalFile } from './scan.js';
import { uploadFile } from './transfer.js';

export type FileOutcome =
  | 'uploaded' // sent and confirmed
  | 'unchanged' // the manifest says it is there and the file has not changed since
  | 'already-there' // the bucket held these exact bytes (an upload cut short, or an earlier run): recorded, not sent
  | 'pre-existing' // the bucket held these exact bytes before this tool ever wrote the key
  | 'would-upload' // --dry-run
  | 'conflict' // the bucket holds different bytes that this tool did not write: not overwritten
  | 'failed'
  | 'skipped'; // outside every mapped folder, or a key S3 cannot hold

export interface FileProblem {
  path: string;
  key?: string;
  what: string;
  why: string;
}

/** Files up to this size are read once into memory (at most this much per file in flight); larger ones stream. */
export const SMALL_FILE_BYTES = 1024 * 1024;

export interface UploadResult {
  counts: Record<FileOutcome, number>;
  bytesUploaded: number;
  problems: FileProblem[];
  /** Every object confirmed to hold its local file's bytes, by locationId (what URL rewrites may point at). */
  confirmed: Map<string, ManifestRow>;
  /** Local files by NFC path under the uploads root, whatever happened to them (for dangling detection). */
  localPaths: Map<string, ObjectLocation>;
  interrupted: boolean;
}

/** What every file of a run shares: the servers, the manifest, the tally, and the first error that stops the run. */
export interface SyncRun {
  s3: S3Http;
  listings: BucketListings;
  hashing: HashWorkers;
  manifest: Map<string, ManifestRow>;
  multipartThreshold: number;
  dryRun: boolean;
  attempts: number;
  /** A turn to send: requests in flight are bounded by it. */
  sending: LimitFunction;
  result: UploadResult;
  /** Writes a manifest row (batched unless urgent) and counts a confirmed object. */
  record(row: ManifestRow, urgent?: boolean): Promise<void>;
  /** Set by an error no other file can get past (the bucket is gone, access denied). */
  fatal?: unknown;
}

export interface PlacedFile {
  file: LocalFile;
  location: ObjectLocation;
  /** The mapped prefix the object is listed under. */
  listPrefix: string;
}

class ChecksumMismatch extends Error {
  override readonly name = 'BadDigest';
}

/**
 * Brings one file to the bucket. What it returns is left to do once the file's slot may go to the next
 * file: its manifest row, which waits for a group commit.
 */
export async function syncFile(run: SyncRun, placed: PlacedFile): Promise<{ recorded: Promise<void> }> {
  const prior = run.manifest.get(locationId(placed.location));
  if (await unchangedSinceConfirmed(run, placed, prior)) {
    run.result.counts.unchanged++;
    run.result.confirmed.set(locationId(placed.location), prior!);
    return { recorded: Promise.resolve() };
  }
  return new FileSync(run, placed, prior).sync();
}

/**
 * The file has not changed since it was confirmed, and the listing (one request per 1,000 keys) still
 * shows its object: an object deleted since is sent again.
 */
async function unchangedSinceConfirmed(run: SyncRun, { file, location, listPrefix }: PlacedFile, prior: ManifestRow | undefined): Promise<boolean> {
  if (!isConfirmed(prior) || prior!.size !== file.size || prior!.mtimeNs !== file.mtimeNs || prior!.localPath !== file.relative) return false;
  const remote = await run.listings.object(location.bucket, listPrefix, location.key);
  return remote !== undefined && remote.size === prior!.size && (prior!.etag === null || bareEtag(remote.etag) === bareEtag(prior!.etag));
}

/** The state of one file while it is synced: its digest once read, whether a byte was sent, its final row. */
class FileSync {
  private file: LocalFile;
  private readonly location: ObjectLocation;
  private readonly listPrefix: string;
  private digest: FileDigest | undefined;
  private sent = false;
  private final: ManifestRow | undefined;
  /** A streamed file holds its turn to send from its first read to its last byte; a small one only while it is sent. */
  private readonly streamed: boolean;

  constructor(private readonly run: SyncRun, placed: PlacedFile, private readonly prior: ManifestRow | undefined) {
    this.file = placed.file;
    this.location = placed.location;
    this.listPrefix = placed.listPrefix;
    this.streamed = placed.file.size > SMALL_FILE_BYTES;
  }

  async sync(): Promise<{ recorded: Promise<void> }> {
    try {
      const attempts = () => withRetry(() => this.attempt(), {
        attempts: this.run.attempts, baseMs: 200, maxMs: 10_000, retryable: (e) => isRetryable(e) || e instanceof FileChangedMeanwhile,
      });
      const outcome = this.streamed ? await this.run.sending(attempts) : await attempts();
      // A streamed file's row does not wait for others to gather either: few come together, and the
      // last one's wait would be the run's.
      const counted = () => this.count(outcome);
      return { recorded: this.final ? this.run.record(this.final, this.streamed).then(counted, (e) => this.failed(e)) : Promise.resolve(counted()) };
    } catch (error) {
      return { recorded: this.failed(error) };
    }
  }

  /** One try: read and hash, compare with the bucket, send. */
  private async attempt(): Promise<FileOutcome> {
    const small = await this.read();
    const remote = await this.run.listings.object(this.location.bucket, this.listPrefix, this.location.key);
    if (remote && remote.size === this.digest!.size) {
      if (!this.digest!.md5) await this.addEtagDigest();
      if (etagMatches(remote.etag, this.digest!)) {
        const ours = this.prior !== undefined && OURS.includes(this.prior.status);
        this.final = this.row(ours ? 'uploaded' : 'pre-existing', remote.etag ?? null);
        return ours ? 'already-there' : 'pre-existing';
      }
    }
    // Bytes we did not write stay untouched: overwriting them would make rollback lossy. That
    // includes an object someone replaced after we uploaded it (its ETag is no longer ours).
    const prior = this.prior;
    const replaced = prior?.etag != null && remote !== undefined && bareEtag(remote.etag) !== bareEtag(prior.etag);
    if (remote && (!(prior && OURS.includes(prior.status)) || replaced)) return 'conflict';
    if (this.run.dryRun) return 'would-upload';
    await this.send(small?.bytes);
    return 'uploaded';
  }

  /** Reads a small file whole (its digest with it) or hashes a large one in a worker; returns the small file's bytes. */
  private async read(): Promise<{ bytes: Buffer } | undefined> {
    const file = this.file;
    const small = file.size <= SMALL_FILE_BYTES ? readSmallFile(file.absolute, SMALL_FILE_BYTES) : undefined;
    if (small) {
      this.file = { ...file, size: small.digest.size, mtimeNs: small.mtimeNs };
      this.digest = small.digest;
      return small;
    }
    const before = await stat(file.absolute, { bigint: true });
    this.file = { ...file, size: Number(before.size), mtimeNs: before.mtimeNs.toString() };
    const { size, sha256 } = await this.run.hashing.sha256(this.file);
    this.digest = { size, sha256: sha256! };
    return undefined;
  }

  /** Sends the file, checks what arrived, and makes its final row. */
  private async send(bytes: Buffer | undefined): Promise<void> {
    const inTurn = <T>(work: () => Promise<T>): Promise<T> => (this.streamed ? work() : this.run.sending(work));
    // A streamed file's turn to send is already taken: its record must not wait for others to gather.
    if (!this.sent) await this.run.record(this.row('uploading', null), this.streamed);
    this.sent = true;
    const { etag, sent } = await inTurn(() => uploadFile(this.run.s3, { ...this.location, file: this.file.absolute, bytes, digest: this.digest!, multipartThreshold: this.run.multipartThreshold }));
    if (sent) this.takeEtagDigest(sent, 'uploaded');
    if (!etagMatches(etag, this.digest!)) {
      const { remoteSha256 } = await import('./s3.js');
      const back = await inTurn(async () => remoteSha256(await this.run.s3.sdk(), this.location.bucket, this.location.key));
      if (back.sha256 !== this.digest!.sha256 || back.size !== this.digest!.size) throw new ChecksumMismatch(`the object's checksum does not match the file's`);
    }
    // A streamed file may change between the hash and the upload; a small one was sent from the bytes hashed.
    if (!bytes) {
      const after = await stat(this.file.absolute, { bigint: true });
      if (after.mtimeNs.toString() !== this.file.mtimeNs || Number(after.size) !== this.file.size) throw new FileChangedMeanwhile('the file changed while it was uploaded');
    }
    this.final = this.row('uploaded', etag ?? null);
  }

  /** The ETag's MD5s, taken of `size` bytes: from another version of the file if the size differs. */
  private takeEtagDigest({ size, md5, multipartEtag }: Partial<EtagDigest> & { size: number }, when: string): void {
    if (size !== this.digest!.size) throw new FileChangedMeanwhile(`the file changed while it was ${when}`);
    this.digest = { ...this.digest!, md5, multipartEtag };
  }

  /** A streamed file's MD5s serve only to compare with an ETag: taken when there is one to compare with. */
  private async addEtagDigest(): Promise<void> {
    const partSize = this.digest!.size >= this.run.multipartThreshold ? partSizeFor(this.digest!.size) : undefined;
    this.takeEtagDigest(await this.run.hashing.hash(this.file.absolute, { etag: { partSize } }), 'hashed');
  }

  private row(status: ManifestRow['status'], etag: string | null, error: string | null = null): ManifestRow {
    const d = this.digest!;
    return {
      bucket: this.location.bucket, key: this.location.key, localPath: this.file.relative, size: d.size, mtimeNs: this.file.mtimeNs, sha256: d.sha256, md5: d.md5 ?? null, etag, status, error,
      parts: d.size >= this.run.multipartThreshold ? Math.ceil(d.size / partSizeFor(d.size)) : 1,
    };
  }

  private count(outcome: FileOutcome): void {
    const result = this.run.result;
    result.counts[outcome]++;
    if (outcome === 'uploaded') result.bytesUploaded += this.digest!.size;
    if (outcome === 'conflict') {
      result.problems.push({ path: this.file.relative, key: this.location.key, what: 'not uploaded', why: 'the bucket already holds different bytes under this key, not written by markethub; move or delete that object, then re-run' });
    }
  }

  private async failed(error: unknown): Promise<void> {
    const stop = bucketError(error, this.location.bucket);
    if (stop) {
      this.run.fatal ??= stop;
      return;
    }
    this.run.result.counts.failed++;
    const why = describeFailure(error);
    this.run.result.problems.push({ path: this.file.relative, key: this.location.key, what: this.digest ? 'upload failed' : 'unreadable', why });
    if (this.digest && this.sent) await this.run.record(this.row('failed', null, why)).catch(() => {});
  }
}

function describeFailure(error: unknown): string {
  const e = error as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  if (e.code === 'EACCES' || e.code === 'EPERM') return 'permission denied';
  if (e.code === 'ENOENT') return 'the file vanished before it could be read';
  const status = e.$metadata?.httpStatusCode ? ` (HTTP ${e.$metadata.httpStatusCode})` : '';
  return `${e.name ?? 'Error'}${status}: ${(e.message ?? '').split('\n')[0]}`;
}
