// Flags + environment -> one typed, validated config. A wrong value is one clear line naming the option.
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { z } from 'zod';
import type { MigrateDbConfig } from '../migrate/db/index.js';
import type { RollbackConfig } from '../migrate/rollback/index.js';
import type { MigrateSyncConfig } from '../migrate/sync/index.js';
import type { Dsn } from './dsn.js';
import { USAGE_ERROR, UserError } from './errors.js';
import { dsnFlag } from './flags.js';

export { maskDsn, parseDsn, redactSecrets, type Dsn } from './dsn.js';
export { USAGE_ERROR, UserError } from './errors.js';
export { dsnFlag } from './flags.js';
export { migrateFilesConfig } from './files.js';

const list = z
  .string()
  .transform((s) => s.split(',').map((t) => t.trim()).filter(Boolean))
  .optional();

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const TypeMapSchema = z
  .object({
    columns: z.record(z.string().regex(/^[^.]+\.[^.]+$/, 'keys are "table.column"'), z.string().min(1)).optional(),
    types: z.record(z.string(), z.string().min(1)).optional(),
  })
  .strict();

/** What every command that reads the source and the target shares. */
const SourceTargetFlags = z.object({
  source: z.string({ error: 'is required (or set MARKETHUB_SOURCE_URL)' }).min(1, 'is required (or set MARKETHUB_SOURCE_URL)'),
  target: z.string({ error: 'is required (or set DATABASE_URL)' }).min(1, 'is required (or set DATABASE_URL)'),
  schema: z.string().min(1).max(63, 'is longer than 63 bytes').refine((s) => !s.startsWith('pg_') && s !== 'markethub_migrate', 'is reserved').default('public'),
  tables: list,
  exclude: list,
  jobs: z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(1, 'must be at least 1').max(64, 'must be at most 64').default(Math.min(os.availableParallelism(), 8)),
  sourceTimezone: z.string().refine(isTimeZone, 'is not a time zone name (e.g. UTC, Africa/Lagos)').default('UTC'),
});

const MigrateDbFlags = SourceTargetFlags
  .extend({
    schemaOnly: z.boolean().default(false),
    dataOnly: z.boolean().default(false),
    dryRun: z.boolean().default(false),
    truncate: z.boolean().default(false),
    fresh: z.boolean().default(false),
    typeMap: z.string().optional(),
    collations: z.enum(['preserve', 'exact'], { error: 'must be preserve or exact' }).default('preserve'),
  })
  .refine((f) => !(f.schemaOnly && f.dataOnly), { message: '--schema-only and --data-only exclude each other', path: [] })
  .refine((f) => !(f.fresh && f.dataOnly), { message: '--fresh drops what migrate db created; it does not go with --data-only', path: [] });

const MigrateVerifyFlags = SourceTargetFlags.extend({
  maxDifferences: z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(0, 'must be at least 0').default(1000),
});

export interface MigrateVerifyConfig {
  source: Dsn;
  target: Dsn;
  schema: string;
  tables?: string[];
  exclude?: string[];
  jobs: number;
  sourceTimezone: string;
  maxDifferences: number;
}

export function migrateVerifyConfig(flags: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): MigrateVerifyConfig {
  const parsed = MigrateVerifyFlags.safeParse(withEnvironment(flags, env));
  if (!parsed.success) throw new UserError(firstIssue(parsed.error), USAGE_ERROR);
  return { ...parsed.data, source: dsnFlag(parsed.data.source, 'mysql', '--source'), target: dsnFlag(parsed.data.target, 'postgres', '--target') };
}

const FLAG_NAMES: Record<string, string> = { schemaOnly: 'schema-only', dataOnly: 'data-only', dryRun: 'dry-run', sourceTimezone: 'source-timezone', typeMap: 'type-map', maxDifferences: 'max-differences', cdnBase: 'cdn-base', multipartThreshold: 'multipart-threshold', batchSize: 'batch-size', pollMs: 'poll-ms', flagCacheMs: 'flag-cache-ms', switchWrites: 'switch-writes', untilCaughtUp: 'until-caught-up', removeCapture: 'remove-capture' };

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const key = String(issue.path[0] ?? '');
  return key ? `--${FLAG_NAMES[key] ?? key} ${issue.message}` : issue.message;
}

function withEnvironment(flags: Record<string, unknown>, env: NodeJS.ProcessEnv): Record<string, unknown> {
  return { ...flags, source: flags.source ?? env.MARKETHUB_SOURCE_URL, target: flags.target ?? env.DATABASE_URL };
}

function loadTypeMap(file: string): MigrateDbConfig['typeMap'] {
  if (!existsSync(file)) throw new UserError(`--type-map: file ${file} not found`, USAGE_ERROR);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UserError(`--type-map: ${file} is not valid JSON (${(error as Error).message})`, USAGE_ERROR);
  }
  const parsed = TypeMapSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(`--type-map: ${file}: ${issue.path.join('.') || 'top level'} ${issue.message}`, USAGE_ERROR);
  }
  return parsed.data;
}

/** Builds the migrate db config from commander's options and the environment (a .env file is read by the CLI). */
export function migrateDbConfig(flags: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): MigrateDbConfig {
  const parsed = MigrateDbFlags.safeParse(withEnvironment(flags, env));
  if (!parsed.success) throw new UserError(firstIssue(parsed.error), USAGE_ERROR);
  const f = parsed.data;
  return {
    source: dsnFlag(f.source, 'mysql', '--source'),
    target: dsnFlag(f.target, 'postgres', '--target'),
    schema: f.schema,
    tables: f.tables,
    exclude: f.exclude,
    schemaOnly: f.schemaOnly,
    dataOnly: f.dataOnly,
    dryRun: f.dryRun,
    truncate: f.truncate,
    fresh: f.fresh,
    jobs: f.jobs,
    sourceTimezone: f.sourceTimezone,
    typeMap: f.typeMap ? loadTypeMap(f.typeMap) : undefined,
    collations: f.collations,
  };
}

const MigrateSyncFlags = SourceTargetFlags.extend({
  batchSize: z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(1, 'must be at least 1').max(50_000, 'must be at most 50000').default(2000),
  pollMs: z.coerce.number({ error: 'must be a number of milliseconds' }).int('must be a whole number of milliseconds').min(10, 'must be at least 10').max(60_000, 'must be at most 60000').default(100),
  untilCaughtUp: z.boolean().default(false),
  switchWrites: z.boolean().default(false),
  reverse: z.boolean().default(false),
  removeCapture: z.boolean().default(false),
  flagCacheMs: z.coerce.number({ error: 'must be a number of milliseconds' }).int('must be a whole number of milliseconds').min(0, 'must be at least 0').max(60_000, 'must be at most 60000').default(1000),
})
  .refine((f) => !(f.switchWrites && f.untilCaughtUp), { message: '--switch-writes drains by itself; it does not go with --until-caught-up', path: [] })
  .refine((f) => !(f.removeCapture && (f.switchWrites || f.reverse || f.untilCaughtUp)), { message: '--remove-capture goes alone', path: [] });

/** Builds the migrate sync config from commander's options and the environment. */
export function migrateSyncConfig(flags: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): MigrateSyncConfig {
  const parsed = MigrateSyncFlags.safeParse(withEnvironment(flags, env));
  if (!parsed.success) throw new UserError(firstIssue(parsed.error), USAGE_ERROR);
  return { ...parsed.data, source: dsnFlag(parsed.data.source, 'mysql', '--source'), target: dsnFlag(parsed.data.target, 'postgres', '--target') };
}

const httpUrl = (what: string) => z.url({ protocol: /^https?$/, error: `must be an http(s) URL, like ${what}` });

const TargetOnlyFlags = z.object({ target: z.string({ error: 'is required (or set DATABASE_URL)' }).min(1, 'is required (or set DATABASE_URL)') });

function targetDsn(flags: Record<string, unknown>, env: NodeJS.ProcessEnv): Dsn {
  const parsed = TargetOnlyFlags.safeParse({ target: flags.target ?? env.DATABASE_URL });
  if (!parsed.success) throw new UserError(firstIssue(parsed.error), USAGE_ERROR);
  return dsnFlag(parsed.data.target, 'postgres', '--target');
}

export function migrateStatusConfig(flags: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): { target: Dsn } {
  return { target: targetDsn(flags, env) };
}

const RollbackFlags = z.object({
  urls: z.boolean().default(false),
  files: z.boolean().default(false),
  db: z.boolean().default(false),
  dryRun: z.boolean().default(false),
  yes: z.boolean().default(false),
  force: z.boolean().default(false),
  endpoint: httpUrl('http://127.0.0.1:4569').optional(),
  region: z.string().min(1).optional(),
  checksums: z.enum(['when-supported', 'when-required'], { error: 'must be when-supported or when-required' }).optional(),
});

/** With no part named, every part is rolled back. */
export function migrateRollbackConfig(flags: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): RollbackConfig {
  const target = targetDsn(flags, env);
  const parsed = RollbackFlags.safeParse(flags);
  if (!parsed.success) throw new UserError(firstIssue(parsed.error), USAGE_ERROR);
  const f = parsed.data;
  const all = !f.urls && !f.files && !f.db;
  return {
    target, urls: all || f.urls, files: all || f.files, db: all || f.db, dryRun: f.dryRun, force: f.force, yes: f.yes,
    s3: { endpoint: f.endpoint, region: f.region, checksums: f.checksums },
  };
}
