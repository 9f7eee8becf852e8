// `migrate files`: scan -> hash -> upload -> confirm -> rewrite URLs, with the manifest and the
// rewrite journal in the target's ledger so a re-run resumes and rollback can undo exactly.
import { existsSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { maskDsn, type Dsn } from '../../config/dsn.js';
import { USAGE_ERROR, UserError } from '../../config/errors.js';
import type { DiscoveredColumn, FilesReport } from '../../report/model.js';
import type { Ui } from '../../ui/index.js';
import { ensureLedger, finishRun, ledgerExists, lockMigration, markAbandonedRuns, recordFailure, startRun } from '../ledger/index.js';
import { MARKETHUB_URL_COLUMNS, type FilesMapping, type UrlColumn } from './config.js';
import { HashWorkers } from './hash-workers.js';
import { locationId } from './keys.js';
import { BucketListings } from './listings.js';
import { loadManifest, ManifestWriter } from './manifest.js';
import { bucketError } from './s3-errors.js';
import { S3Http, type S3Options } from './s3-http.js';
import { scanUploads, type ScanResult } from './scan.js';
import { hashFirstUploadsAhead, uploadFiles } from './upload.js';

export { DEFAULT_MAPPING, MARKETHUB_URL_COLUMNS, type FilesMapping } from './config.js';
export { discoverUrlColumns } from './discover.js';

export interface MigrateFilesConfig {
  uploads: string;
  bucket: string;
  target: Dsn;
  schema: string;
  /** Undefined with --no-rewrite. */
  cdnBase?: string;
  s3: S3Options;
  concurrency: number;
  dryRun: boolean;
  mapping: FilesMapping;
  /** Without urlColumns in the mapping: find the URL columns from the data (false: MARKETHUB_URL_COLUMNS). */
  discover: boolean;
  /** Files this size or larger go up in parts. */
  multipartThreshold: number;
  attempts: number;
}

async function uploadsRoot(dir: string): Promise<string> {
  try {
    const root = await realpath(dir);
    if (!(await stat(root)).isDirectory()) throw new UserError(`--uploads ${dir} is not a folder`, USAGE_ERROR);
    return root;
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`--uploads ${dir} not found (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`, USAGE_ERROR);
  }
}

export async function migrateFiles(config: MigrateFilesConfig, ui: Ui, signal: AbortSignal = new AbortController().signal): Promise<FilesReport> {
  const startedAt = new Date();
  const root = await uploadsRoot(config.uploads);
  const buckets = [...new Set([config.bucket, ...Object.values(config.mapping.folders).map((d) => d.bucket ?? config.bucket)])];
  const migrationKey = `files ${root} -> s3://${buckets.join(',')}`;
  // The bucket checks, the listings and the scan of the tree are under way while Postgres is set up:
  // on a re-run with nothing to send they are most of the work.
  const s3 = new S3Http(config.s3, config.concurrency + 2);
  const hashing = new HashWorkers();
  const early = startS3AndScan(s3, hashing, config, root, buckets);
  try {
    // Loaded once the S3 requests are out: the driver takes a while to load, and the server answers meanwhile.
    const { connectPostgres } = await import('../db/index.js');
    const client = await connectPostgres(config.target);
    let runId: number | null = null;
    try {
      const hasLedger = config.dryRun ? await ledgerExists(client) : (await ensureLedger(client), true);
      if (!config.dryRun) {
        await lockMigration(client, migrationKey);
        await markAbandonedRuns(client, migrationKey);
        runId = await startRun(client, {
          command: 'migrate files', migrationKey, source: root, targetSchema: config.schema,
          options: { buckets, cdnBase: config.cdnBase ?? null, endpoint: config.s3.endpoint ?? null, concurrency: config.concurrency, rewrite: config.cdnBase !== undefined },
        });
      }
      const report = await run(config, client, { root, buckets, migrationKey, runId, hasLedger, early, s3, hashing }, ui, signal);
      report.startedAt = startedAt.toISOString();
      if (runId !== null) await finishRun(client, runId, report.outcome === 'dry-run' ? 'success' : report.outcome, null, report);
      return report;
    } catch (error) {
      await recordFailure(client, runId, error);
      throw error;
    } finally {
      await client.end().catch(() => {});
    }
  } finally {
    s3.destroy();
    await hashing.close();
  }
}

interface EarlyWork {
  bucketsChecked: Promise<void>;
  listings: BucketListings;
  scan: Promise<ScanResult>;
}

function startS3AndScan(s3: S3Http, hashing: HashWorkers, config: MigrateFilesConfig, root: string, buckets: string[]): EarlyWork {
  const bucketsChecked = Promise.all(buckets.map((bucket) => s3.headBucket(bucket).catch((error) => Promise.reject(bucketError(error, bucket) ?? error)))).then(() => {});
  // Every destination is listed while the tree is scanned: re-runs compare against it, first runs find what was there.
  const listings = new BucketListings(s3);
  for (const [folder, d] of Object.entries(config.mapping.folders)) {
    if (existsSync(path.join(root, folder))) listings.prefetch(d.bucket ?? config.bucket, d.prefix);
  }
  const scan = scanUploads(root);
  if (!config.dryRun) void scan.then(({ files }) => hashFirstUploadsAhead(files, listings, hashing, config.mapping, config.bucket)).catch(() => {});
  // Awaited in order later; a failure must not be reported as unhandled before that.
  bucketsChecked.catch(() => {});
  scan.catch(() => {});
  return { bucketsChecked, listings, scan };
}

interface RunContext {
  root: string;
  buckets: string[];
  migrationKey: string;
  runId: number | null;
  hasLedger: boolean;
  early: EarlyWork;
  s3: S3Http;
  hashing: HashWorkers;
}

async function run(config: MigrateFilesConfig, client: pg.Client, context: RunContext, ui: Ui, signal: AbortSignal): Promise<FilesReport> {
  const checking = ui.phase(`checking bucket${context.buckets.length > 1 ? 's' : ''} ${context.buckets.join(', ')}`);
  await context.early.bucketsChecked;
  checking.done();

  const scanning = ui.phase(`scanning ${context.root}`);
  const scan = await context.early.scan;
  scanning.done(`found ${scan.files.length} files under ${context.root}`);

  // Before anything is sent: a schema with no recognisable URL column is worth knowing up front.
  const columns = config.cdnBase === undefined ? { urlColumns: [] } : await urlColumnsFor(config, client, scan, ui);

  const manifest = context.hasLedger ? await loadManifest(client, context.buckets) : new Map();
  const writer = config.dryRun ? null : new ManifestWriter(client, context.migrationKey, context.runId!);
  const progress = ui.transfer(scan.files.length);
  const started = process.hrtime.bigint();
  const uploaded = await uploadFiles(scan.files, {
    s3: context.s3, listings: context.early.listings, hashing: context.hashing, manifest, writer, progress, mapping: config.mapping, defaultBucket: config.bucket, concurrency: config.concurrency,
    multipartThreshold: config.multipartThreshold, dryRun: config.dryRun, attempts: config.attempts, signal,
  });
  progress.done();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  // Every file is hashed: the workers stop while the URLs and the run are recorded.
  void context.hashing.close();

  let rewrites: Awaited<ReturnType<typeof import('./rewrite.js').rewriteUrls>> = { columns: [], problems: [] };
  if (config.cdnBase !== undefined && !uploaded.interrupted) {
    const rewriting = ui.phase('rewriting upload URLs');
    // Loaded when needed: the uploads do not wait for it.
    const { rewriteUrls } = await import('./rewrite.js');
    rewrites = await rewriteUrls(client, {
      schema: config.schema, cdnBase: config.cdnBase, mapping: config.mapping, localPaths: uploaded.localPaths,
      // A dry run previews the rewrite as if every local file had arrived.
      confirmed: new Set(config.dryRun ? [...uploaded.localPaths.values()].map(locationId) : uploaded.confirmed.keys()),
      dryRun: config.dryRun, migrationKey: context.migrationKey, runId: context.runId,
    }, columns.urlColumns);
    rewriting.done();
  }
  const unreadable = scan.skipped.filter((s) => s.unreadable).length;
  const c = uploaded.counts;
  const failed = c.failed + unreadable > 0 || c.conflict > 0;
  return {
    command: 'migrate files',
    runId: context.runId,
    uploads: context.root,
    buckets: context.buckets,
    target: maskDsn(config.target.url),
    cdnBase: config.cdnBase ?? null,
    dryRun: config.dryRun,
    startedAt: '',
    finishedAt: new Date().toISOString(),
    outcome: uploaded.interrupted ? 'interrupted' : failed ? 'failed' : config.dryRun ? 'dry-run' : 'success',
    files: {
      found: scan.files.length,
      uploaded: c.uploaded,
      unchanged: c.unchanged,
      alreadyThere: c['already-there'],
      preExisting: c['pre-existing'],
      wouldUpload: c['would-upload'],
      conflicts: c.conflict,
      failed: c.failed + unreadable,
      skipped: scan.skipped.length - unreadable + c.skipped,
      bytesUploaded: uploaded.bytesUploaded,
      seconds: round(seconds, 3),
      filesPerSecond: round((c.uploaded + c.unchanged + c['already-there'] + c['pre-existing']) / Math.max(seconds, 1e-3), 1),
      megabytesPerSecond: round(uploaded.bytesUploaded / 1e6 / Math.max(seconds, 1e-3), 2),
    },
    fileProblems: [
      ...scan.skipped.map((s) => ({ path: s.relative, what: s.unreadable ? 'unreadable' : 'skipped', why: s.why })),
      ...uploaded.problems,
    ],
    ...(columns.discovered ? { discovered: columns.discovered, discoverySeconds: round(columns.seconds!, 3) } : {}),
    rewrites: rewrites.columns,
    referenceProblems: rewrites.problems,
    errors: [],
  };
}

interface ChosenColumns {
  urlColumns: UrlColumn[];
  /** Set when the columns were found from the data. */
  discovered?: DiscoveredColumn[];
  seconds?: number;
}

/** The columns to rewrite: named in --config, MarketHub's own with --no-discover, or found from the data. */
async function urlColumnsFor(config: MigrateFilesConfig, client: pg.Client, scan: ScanResult, ui: Ui): Promise<ChosenColumns> {
  if (config.mapping.urlColumns) return { urlColumns: config.mapping.urlColumns };
  if (!config.discover) return { urlColumns: MARKETHUB_URL_COLUMNS };
  const folders = [...new Set(scan.files.filter((f) => f.relative.includes('/')).map((f) => f.relative.slice(0, f.relative.indexOf('/'))))].sort();
  const finding = ui.phase(`finding the columns of schema ${config.schema} that hold upload URLs`);
  const { discoverUrlColumns } = await import('./discover.js');
  const found = await discoverUrlColumns(client, config.schema, folders);
  finding.done(`${found.found.length} columns hold upload URLs: ${found.found.map((c) => `${c.table}.${c.column} (${c.estimated ? '~' : ''}${c.values} ${c.shape})`).join(', ') || 'none'}`);
  return { urlColumns: found.urlColumns, discovered: found.found, seconds: found.seconds };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
