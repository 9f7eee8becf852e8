// `migrate files` flags + environment -> its config. Checked without zod (see flags.ts): a no-op re-run
// of this command takes a few hundred milliseconds, and is timed against per-file tools.
import { DEFAULT_MAPPING, isValidBucketName } from '../migrate/files/config.js';
import type { MigrateFilesConfig } from '../migrate/files/index.js';
import { dsnFlag, httpUrl, oneOf, optionalText, requiredText, usageError, wholeNumber } from './flags.js';

const MIB = 1024 * 1024;

/** Builds the migrate files config from commander's options and the environment. */
export async function migrateFilesConfig(flags: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): Promise<MigrateFilesConfig> {
  const uploads = requiredText(flags.uploads, '--uploads', 'is required: the folder holding product-images/, user-avatars/, ...');
  const bucket = requiredText(flags.bucket ?? env.MARKETHUB_BUCKET, '--bucket', 'is required (or set MARKETHUB_BUCKET)');
  if (!isValidBucketName(bucket)) usageError('--bucket is not a valid S3 bucket name');
  const target = requiredText(flags.target ?? env.DATABASE_URL, '--target', 'is required (or set DATABASE_URL)');
  const schema = optionalText(flags.schema, '--schema') ?? 'public';
  if (Buffer.byteLength(schema) > 63) usageError('--schema is longer than 63 bytes');
  const cdnBase = httpUrl(flags.cdnBase, '--cdn-base', 'https://cdn.markethub.com');
  const endpoint = httpUrl(flags.endpoint, '--endpoint', 'http://127.0.0.1:4569');
  const region = optionalText(flags.region, '--region');
  const checksums = oneOf(flags.checksums, '--checksums', ['when-supported', 'when-required'] as const);
  const concurrency = wholeNumber(flags.concurrency, '--concurrency', { min: 1, max: 256, fallback: 16 });
  // One PUT streams fastest and S3 takes up to 5 GB in one; parts pay off for the largest files.
  const multipartThreshold = wholeNumber(flags.multipartThreshold, '--multipart-threshold', { min: 5, max: 5120, fallback: 128, unit: 'MiB' });
  const config = optionalText(flags.config, '--config');
  const rewrite = flags.rewrite !== false;
  if (rewrite && cdnBase === undefined) usageError('--cdn-base is required to rewrite URLs (or pass --no-rewrite)');
  return {
    uploads,
    bucket,
    target: dsnFlag(target, 'postgres', '--target'),
    schema,
    cdnBase: rewrite ? cdnBase : undefined,
    // S3-compatible servers (an --endpoint) mostly cannot take the SDK's optional checksum framing.
    s3: { endpoint, region, checksums: checksums ?? (endpoint ? 'when-required' : 'when-supported') },
    concurrency,
    dryRun: flags.dryRun === true,
    discover: flags.discover !== false,
    mapping: config === undefined ? DEFAULT_MAPPING : (await import('../migrate/files/config-file.js')).loadFilesMapping(config),
    multipartThreshold: multipartThreshold * MIB,
    attempts: 5,
  };
}
