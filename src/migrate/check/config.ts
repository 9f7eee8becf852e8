// `migrate check` flags + environment -> its config: the source and target flags exactly as `migrate db`
// checks them, and the uploads and bucket flags as `migrate files` does, both optional here.
import { httpUrl, oneOf, optionalText, usageError } from '../../config/flags.js';
import { migrateDbConfig } from '../../config/index.js';
import type { MigrateDbConfig } from '../db/index.js';
import { isValidBucketName } from '../files/config.js';
import type { S3Options } from '../files/s3-options.js';

export interface CheckConfig extends Pick<MigrateDbConfig, 'source' | 'target' | 'schema' | 'tables' | 'exclude' | 'jobs' | 'sourceTimezone' | 'typeMap' | 'collations'> {
  uploads?: string;
  bucket?: string;
  s3: S3Options;
}

export function migrateCheckConfig(flags: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): CheckConfig {
  const { source, target, schema, tables, exclude, jobs, sourceTimezone, typeMap, collations } = migrateDbConfig(
    { source: flags.source, target: flags.target, schema: flags.schema, tables: flags.tables, exclude: flags.exclude, jobs: flags.jobs, sourceTimezone: flags.sourceTimezone, typeMap: flags.typeMap, collations: flags.collations },
    env,
  );
  const uploads = optionalText(flags.uploads, '--uploads');
  const bucket = optionalText(flags.bucket ?? env.MARKETHUB_BUCKET, '--bucket');
  if (bucket !== undefined && !isValidBucketName(bucket)) usageError('--bucket is not a valid S3 bucket name');
  const endpoint = httpUrl(flags.endpoint, '--endpoint', 'http://127.0.0.1:4569');
  const checksums = oneOf(flags.checksums, '--checksums', ['when-supported', 'when-required'] as const);
  return {
    source, target, schema, tables, exclude, jobs, sourceTimezone, typeMap, collations, uploads, bucket,
    s3: { endpoint, region: optionalText(flags.region, '--region'), checksums: checksums ?? (endpoint ? 'when-required' : 'when-supported') },
  };
}
