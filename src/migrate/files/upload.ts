// Local files -> S3: skip what the manifest proves is there, hash, upload, confirm, record.
import { stat } from 'node:fs/promises';
import pLimit from 'p-limit';
import type { TransferProgress } from '../../ui/index.js';
import type { FilesMapping } from './config.js';
import { FileChangedMeanwhile } from './file-body.js';
import { bareEtag, etagMatches, readSmallFile, type EtagDigest, type FileDigest } from './hash.js';
import type { HashWorkers } from './hash-workers.js';
import { locationId, objectLocationOf, type ObjectLocation } from './keys.js';
import type { BucketListings } from './listings.js';
import { isConfirmed, OURS, type ManifestRow, type ManifestWriter } from './manifest.js';
import { loadMimeTypes, partSizeFor } from './objects.js';
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
const SMALL_FILE_BYTES = 1024 * 1024;

export interface UploadOptions {
  mapping: FilesMapping;
  defaultBucket: string;
  concurrency: number;
  multipartThreshold: number;
  dryRun: boolean;
  attempts: number;
  signal: AbortSignal;
}

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

/**
 * Small files read, hashed and recorded ahead of their turn to send, per request in flight: their
 * manifest rows then reach Postgres in batches while earlier files are sent. Memory: at most
 * concurrency x this x SMALL_FILE_BYTES.
 */
const PREPARED_PER_REQUEST = 4;

class ChecksumMismatch extends Error {
  override readonly name = 'BadDigest';
}

export async function uploadFiles(
  files: LocalFile[],
  s3: S3Http,
  listings: BucketListings,
  hashing: HashWorkers,
  manifest: Map<string, ManifestRow>,
  writer: ManifestWriter | null,
  progress: TransferProgress,
  options: UploadOptions,
): Promise<UploadResult> {
  const result: UploadResult = {
    counts: { uploaded: 0, unchanged: 0, 'already-there': 0, 'pre-existing': 0, 'would-upload': 0, conflict: 0, failed: 0, skipped: 0 },
    bytesUploaded: 0,
    problems: [],
    confirmed: new Map(),
    localPaths: new Map(),
    interrupted: false,
  };
  const remoteObject = (location: ObjectLocation, listPrefix: string) => listings.object(location.bucket, listPrefix, location.key);
  let fatal: unknown;
  const record = async (row: ManifestRow, urgent = false) => {
    if (writer) await writer.write(row, urgent);
    if (isConfirmed(row)) result.confirmed.set(locationId(row), row);
  };

  const sending = pLimit(options.concurrency);

  /**
   * Brings one file to the bucket. What it returns is left to do once the file's slot may go to the next
   * file: its manifest row, which waits for a group commit.
   */
  const syncOne = async (file: LocalFile, location: ObjectLocation, listPrefix: string): Promise<{ recorded: Promise<void> }> => {
    const done = { recorded: Promise.resolve() };
    const prior = manifest.get(locationId(location));
    if (isConfirmed(prior) && prior!.size === file.size && prior!.mtimeNs === file.mtimeNs && prior!.localPath === file.relative) {
      // The file has not changed since it was confirmed; the listing (one request per 1,000 keys) says
      // whether the object is still there, so an object deleted since is sent again.
      const remote = await remoteObject(location, listPrefix);
      if (remote && remote.size === prior!.size && (prior!.etag === null || bareEtag(remote.etag) === bareEtag(prior!.etag))) {
        result.counts.unchanged++;
        result.confirmed.set(locationId(location), prior!);
        return done;
      }
    }
    let digest: FileDigest | undefined;
    let sent = false;
    const row = (status: ManifestRow['status'], etag: string | null, error: string | null = null): ManifestRow => ({
      bucket: location.bucket, key: location.key, localPath: file.relative, size: digest!.size, mtimeNs: file.mtimeNs, sha256: digest!.sha256, md5: digest!.md5 ?? null, etag, status, error,
      parts: digest!.size >= options.multipartThreshold ? Math.ceil(digest!.size / partSizeFor(digest!.size)) : 1,
    });
    // A streamed file holds its turn to send from its first read to its last byte; a small one only while it is sent.
    const streamed = file.size > SMALL_FILE_BYTES;
    const inTurn = <T>(work: () => Promise<T>): Promise<T> => (streamed ? work() : sending(work));
    const failed = async (error: unknown) => {
      const stop = bucketError(error, location.bucket);
      if (stop) {
        fatal ??= stop;
        return;
      }
      result.counts.failed++;
      const why = describeFailure(error);
      result.problems.push({ path: file.relative, key: location.key, what: digest ? 'upload failed' : 'unreadable', why });
      if (digest && sent) await record(row('failed', null, why)).catch(() => {});
    };
    let final: ManifestRow | undefined;
    try {
      const attempts = () => withRetry(
        async () => {
          const small = file.size <= SMALL_FILE_BYTES ? readSmallFile(file.absolute, SMALL_FILE_BYTES) : undefined;
          if (small) {
            file = { ...file, size: small.digest.size, mtimeNs: small.mtimeNs };
            digest = small.digest;
          } else {
            const before = await stat(file.absolute, { bigint: true });
            file = { ...file, size: Number(before.size), mtimeNs: before.mtimeNs.toString() };
            const { size, sha256 } = await hashing.sha256(file);
            digest = { size, sha256: sha256! };
          }
          /** The ETag's MD5s, taken of `size` bytes: from another version of the file if the size differs. */
          const takeEtagDigest = ({ size, md5, multipartEtag }: Partial<EtagDigest> & { size: number }, when: string) => {
            if (size !== digest!.size) throw new FileChangedMeanwhile(`the file changed while it was ${when}`);
            digest = { ...digest!, md5, multipartEtag };
          };
          // A streamed file's MD5s serve only to compare with an ETag: taken when there is one to compare with.
          const addEtagDigest = async () => {
            const partSize = digest!.size >= options.multipartThreshold ? partSizeFor(digest!.size) : undefined;
            takeEtagDigest(await hashing.hash(file.absolute, { etag: { partSize } }), 'hashed');
          };
          const remote = await remoteObject(location, listPrefix);
          if (remote && remote.size === digest.size) {
            if (!digest.md5) await addEtagDigest();
            if (etagMatches(remote.etag, digest)) {
              const ours = prior !== undefined && OURS.includes(prior.status);
              final = row(ours ? 'uploaded' : 'pre-existing', remote.etag ?? null);
              return ours ? 'already-there' : 'pre-existing';
            }
          }
          // Bytes we did not write stay untouched: overwriting them would make rollback lossy. That
          // includes an object someone replaced after we uploaded it (its ETag is no longer ours).
          const replaced = prior?.etag != null && remote !== undefined && bareEtag(remote.etag) !== bareEtag(prior.etag);
          if (remote && (!(prior && OURS.includes(prior.status)) || replaced)) return 'conflict';
          if (options.dryRun) return 'would-upload';
          // A streamed file's turn to send is already taken: its record must not wait for others to gather.
          if (!sent) await record(row('uploading', null), streamed);
          sent = true;
          const { etag, sent: sentDigest } = await inTurn(() => uploadFile(s3, { ...location, file: file.absolute, bytes: small?.bytes, digest: digest!, multipartThreshold: options.multipartThreshold }));
          if (sentDigest) takeEtagDigest(sentDigest, 'uploaded');
          if (!etagMatches(etag, digest)) {
            const { remoteSha256 } = await import('./s3.js');
            const back = await inTurn(async () => remoteSha256(await s3.sdk(), location.bucket, location.key));
            if (back.sha256 !== digest.sha256 || back.size !== digest.size) throw new ChecksumMismatch(`the object's checksum does not match the file's`);
          }
          // A streamed file may change between the hash and the upload; a small one was sent from the bytes hashed.
          if (!small) {
            const after = await stat(file.absolute, { bigint: true });
            if (after.mtimeNs.toString() !== file.mtimeNs || Number(after.size) !== file.size) throw new FileChangedMeanwhile('the file changed while it was uploaded');
          }
          final = row('uploaded', etag ?? null);
          return 'uploaded';
        },
        { attempts: options.attempts, baseMs: 200, maxMs: 10_000, retryable: (e) => isRetryable(e) || e instanceof FileChangedMeanwhile },
      );
      const outcome = streamed ? await sending(attempts) : await attempts();
      const counted = () => {
        result.counts[outcome]++;
        if (outcome === 'uploaded') result.bytesUploaded += digest!.size;
        if (outcome === 'conflict') {
          result.problems.push({ path: file.relative, key: location.key, what: 'not uploaded', why: 'the bucket already holds different bytes under this key, not written by markethub; move or delete that object, then re-run' });
        }
      };
      // A streamed file's row does not wait for others to gather either: few come together, and the
      // last one's wait would be the run's.
      return { recorded: final ? record(final, streamed).then(counted, failed) : Promise.resolve(counted()) };
    } catch (error) {
      return { recorded: failed(error) };
    }
  };

  const limit = pLimit(options.concurrency * PREPARED_PER_REQUEST);
  const seen = new Map<string, string>();
  const tasks: Promise<void>[] = [];
  for (const file of files) {
    const placed = objectLocationOf(file.relative, options.mapping, options.defaultBucket);
    if ('skip' in placed) {
      result.counts.skipped++;
      result.problems.push({ path: file.relative, what: 'skipped', why: placed.skip });
      continue;
    }
    const id = locationId(placed);
    const twin = seen.get(id);
    if (twin !== undefined) {
      result.counts.failed++;
      result.problems.push({ path: file.relative, key: placed.key, what: 'not uploaded', why: `"${twin}" maps to the same key (names equal after Unicode NFC normalisation)` });
      continue;
    }
    seen.set(id, file.relative);
    result.localPaths.set(file.relative.normalize('NFC'), placed);
    const listPrefix = listPrefixOf(file, options.mapping);
    // The slot is free once the file is sent; its manifest row is awaited outside it.
    const inSlot = limit(async () => {
      if (options.signal.aborted || fatal) {
        result.interrupted = true;
        return null;
      }
      return syncOne(file, placed, listPrefix);
    });
    tasks.push(inSlot.then(async (synced) => {
      if (!synced) return;
      await synced.recorded;
      progress.add(1, file.size);
    }));
  }
  await Promise.all(tasks);
  if (fatal) throw fatal;
  return result;
}

/** The mapped prefix a file's folder goes to: the listing its object is found in. */
function listPrefixOf(file: LocalFile, mapping: FilesMapping): string {
  return mapping.folders[file.relative.slice(0, file.relative.indexOf('/'))]!.prefix;
}

/**
 * Starts the SHA-256 of the first large files missing from the bucket (as many as hash at once), e.g.
 * while Postgres is set up: their uploads cannot start before it. A file that may be there already is
 * left for the manifest to decide.
 */
export async function hashFirstUploadsAhead(files: LocalFile[], listings: BucketListings, hashing: HashWorkers, mapping: FilesMapping, defaultBucket: string): Promise<void> {
  let started = 0;
  for (const file of files) {
    if (started === hashing.max) return;
    if (file.size <= SMALL_FILE_BYTES) continue;
    const placed = objectLocationOf(file.relative, mapping, defaultBucket);
    if ('skip' in placed) continue;
    const remote = await listings.object(placed.bucket, listPrefixOf(file, mapping), placed.key);
    if (remote?.size === file.size) continue;
    hashing.hashAhead(file);
    if (started++ === 0) void loadMimeTypes();
  }
}

function describeFailure(error: unknown): string {
  const e = error as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  if (e.code === 'EACCES' || e.code === 'EPERM') return 'permission denied';
  if (e.code === 'ENOENT') return 'the file vanished before it could be read';
  const status = e.$metadata?.httpStatusCode ? ` (HTTP ${e.$metadata.httpStatusCode})` : '';
  return `${e.name ?? 'Error'}${status}: ${(e.message ?? '').split('\n')[0]}`;
}
