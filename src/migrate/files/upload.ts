// Local files -> S3: every file placed under its key, then synced (sync-file.ts) with bounded
// concurrency, its manifest row recorded outside its slot.
import pLimit from 'p-limit';
import type { TransferProgress } from '../../ui/index.js';
import type { FilesMapping } from './config.js';
import type { HashWorkers } from './hash-workers.js';
import { locationId, objectLocationOf } from './keys.js';
import type { BucketListings } from './listings.js';
import { isConfirmed, type ManifestRow, type ManifestWriter } from './manifest.js';
import { loadMimeTypes } from './objects.js';
import type { S3Http } from './s3-http.js';
import type { LocalFile } from './scan.js';
import { SMALL_FILE_BYTES, syncFile, type PlacedFile, type SyncRun, type UploadResult } from './sync-file.js';

export type { FileOutcome, FileProblem, UploadResult } from './sync-file.js';

export interface UploadOptions {
  s3: S3Http;
  listings: BucketListings;
  hashing: HashWorkers;
  /** What earlier runs recorded, by locationId. */
  manifest: Map<string, ManifestRow>;
  /** Null in a dry run: nothing is recorded. */
  writer: ManifestWriter | null;
  progress: TransferProgress;
  mapping: FilesMapping;
  defaultBucket: string;
  concurrency: number;
  multipartThreshold: number;
  dryRun: boolean;
  attempts: number;
  signal: AbortSignal;
}

/**
 * Small files read, hashed and recorded ahead of their turn to send, per request in flight: their
 * manifest rows then reach Postgres in batches while earlier files are sent. Memory: at most
 * concurrency x this x SMALL_FILE_BYTES.
 */
const PREPARED_PER_REQUEST = 4;

export async function uploadFiles(files: LocalFile[], options: UploadOptions): Promise<UploadResult> {
  const run = startRun(options);
  const placed = placeFiles(files, options, run.result);
  const limit = pLimit(options.concurrency * PREPARED_PER_REQUEST);
  await Promise.all(placed.map((p) => syncInSlot(run, limit, p, options)));
  if (run.fatal) throw run.fatal;
  return run.result;
}

function startRun(options: UploadOptions): SyncRun {
  const result: UploadResult = {
    counts: { uploaded: 0, unchanged: 0, 'already-there': 0, 'pre-existing': 0, 'would-upload': 0, conflict: 0, failed: 0, skipped: 0 },
    bytesUploaded: 0,
    problems: [],
    confirmed: new Map(),
    localPaths: new Map(),
    interrupted: false,
  };
  return {
    s3: options.s3, listings: options.listings, hashing: options.hashing, manifest: options.manifest,
    multipartThreshold: options.multipartThreshold, dryRun: options.dryRun, attempts: options.attempts,
    sending: pLimit(options.concurrency),
    result,
    async record(row, urgent = false) {
      if (options.writer) await options.writer.write(row, urgent);
      if (isConfirmed(row)) result.confirmed.set(locationId(row), row);
    },
  };
}

/** Each file's object, in order; files that cannot be placed, or would share a key, are counted and listed. */
function placeFiles(files: LocalFile[], options: UploadOptions, result: UploadResult): PlacedFile[] {
  const placed: PlacedFile[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    const location = objectLocationOf(file.relative, options.mapping, options.defaultBucket);
    if ('skip' in location) {
      result.counts.skipped++;
      result.problems.push({ path: file.relative, what: 'skipped', why: location.skip });
      continue;
    }
    const id = locationId(location);
    const twin = seen.get(id);
    if (twin !== undefined) {
      result.counts.failed++;
      result.problems.push({ path: file.relative, key: location.key, what: 'not uploaded', why: `"${twin}" maps to the same key (names equal after Unicode NFC normalisation)` });
      continue;
    }
    seen.set(id, file.relative);
    result.localPaths.set(file.relative.normalize('NFC'), location);
    placed.push({ file, location, listPrefix: listPrefixOf(file, options.mapping) });
  }
  return placed;
}

/** The slot is free once the file is sent; its manifest row is awaited outside it. */
async function syncInSlot(run: SyncRun, limit: ReturnType<typeof pLimit>, placed: PlacedFile, options: UploadOptions): Promise<void> {
  const synced = await limit(async () => {
    if (options.signal.aborted || run.fatal) {
      run.result.interrupted = true;
      return null;
    }
    return syncFile(run, placed);
  });
  if (!synced) return;
  await synced.recorded;
  options.progress.add(1, placed.file.size);
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
