// Flags + environment -> one typed, validated config. A wrong value is one clear line naming the option,
// checked by the functions in flags.ts, the one way every command checks its flags.
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { z } from 'zod';
import type { MigrateDbConfig } from '../migrate/db/index.js';
import type { RollbackConfig } from '../migrate/rollback/index.js';
import type { MigrateSyncConfig } from '../migrate/sync/index.js';
import type { MigrateVerifyConfig } from '../migrate/verify/index.js';
import type { Dsn } from './dsn.js';
import { USAGE_ERROR, UserError } from './errors.js';
import { commaList, dsnFlag, exclusive, httpUrl, oneOf, optionalText, requiredText, targetSchema, timeZone, wholeNumber } from './flags.js';

export { maskDsn, parseDsn, redactSecrets, type Dsn } from './dsn.js';
export { USAGE_ERROR, UserError } from './errors.js';
export { dsnFlag } from './flags.js';
export { migrateFilesConfig } from './files.js';

type Flags = Record<string, unknown>;

// The ledger's schema: a migration into it would mix the user's tables with markethub's own.
const RESERVED_SCHEMAS = ['markethub_migrate'] as const;

const flag = (value: unknown) => value === true;

/** What every command that reads the source and the target shares, in the order its flags are checked. */
function sourceTargetFlags(flags: Flags, env: NodeJS.ProcessEnv) {
  const source = requiredText(flags.source ?? env.MARKETHUB_SOURCE_URL, '--source', 'is required (or set MARKETHUB_SOURCE_URL)');
  const target = requiredText(flags.target ?? env.DATABASE_URL, '--target', 'is required (or set DATABASE_URL)');
  return {
    source,
    target,
    schema: targetSchema(flags.schema, '--schema', RESERVED_SCHEMAS),
    tables: commaList(flags.tables),
    exclude: commaList(flags.exclude),
    jobs: wholeNumber(flags.jobs, '--jobs', { min: 1, max: 64, fallback: Math.min(os.availableParallelism(), 8) }),
    sourceTimezone: timeZone(flags.sourceTimezone, '--source-timezone', 'UTC'),
  };
}

/** The DSNs parse last: a wrong flag is named before a malformed URL. */
function withDsns<T extends { source: string; target: string }>(f: T): Omit<T, 'source' | 'target'> & { source: Dsn; target: Dsn } {
  return { ...f, source: dsnFlag(f.source, 'mysql', '--source'), target: dsnFlag(f.target, 'postgres', '--target') };
}

export function migrateVerifyConfig(flags: Flags, env: NodeJS.ProcessEnv = process.env): MigrateVerifyConfig {
  const common = sourceTargetFlags(flags, env);
  const maxDifferences = wholeNumber(flags.maxDifferences, '--max-differences', { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: 1000 });
  return withDsns({ ...common, maxDifferences });
}

// The file's content, not a flag: checked against its JSON shape.
const TypeMapSchema = z
  .object({
    columns: z.record(z.string().regex(/^[^.]+\.[^.]+$/, 'keys are "table.column"'), z.string().min(1)).optional(),
    types: z.record(z.string(), z.string().min(1)).optional(),
  })
  .strict();

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
export function migrateDbConfig(flags: Flags, env: NodeJS.ProcessEnv = process.env): MigrateDbConfig {
  const common = sourceTargetFlags(flags, env);
  const typeMap = optionalText(flags.typeMap, '--type-map');
  const f = { ...common, schemaOnly: flag(flags.schemaOnly), dataOnly: flag(flags.dataOnly), dryRun: flag(flags.dryRun), truncate: flag(flags.truncate), fresh: flag(flags.fresh) };
  exclusive(f.schemaOnly && f.dataOnly, '--schema-only and --data-only exclude each other');
  exclusive(f.fresh && f.dataOnly, '--fresh drops what migrate db created; it does not go with --data-only');
  const collations = oneOf(flags.collations, '--collations', ['preserve', 'exact'] as const) ?? 'preserve';
  const routines = oneOf(flags.routines, '--routines', ['translate', 'skip'] as const) ?? 'translate';
  return { ...withDsns(f), typeMap: typeMap ? loadTypeMap(typeMap) : undefined, collations, routines };
}

/** Builds the migrate sync config from commander's options and the environment. */
export function migrateSyncConfig(flags: Flags, env: NodeJS.ProcessEnv = process.env): MigrateSyncConfig {
  const common = sourceTargetFlags(flags, env);
  const f = {
    ...common,
    batchSize: wholeNumber(flags.batchSize, '--batch-size', { min: 1, max: 50_000, fallback: 2000 }),
    pollMs: wholeNumber(flags.pollMs, '--poll-ms', { min: 10, max: 60_000, fallback: 100, unit: 'milliseconds' }),
    untilCaughtUp: flag(flags.untilCaughtUp),
    switchWrites: flag(flags.switchWrites),
    reverse: flag(flags.reverse),
    removeCapture: flag(flags.removeCapture),
    flagCacheMs: wholeNumber(flags.flagCacheMs, '--flag-cache-ms', { min: 0, max: 60_000, fallback: 1000, unit: 'milliseconds' }),
  };
  exclusive(f.switchWrites && f.untilCaughtUp, '--switch-writes drains by itself; it does not go with --until-caught-up');
  exclusive(f.removeCapture && (f.switchWrites || f.reverse || f.untilCaughtUp), '--remove-capture goes alone');
  return withDsns(f);
}

function targetDsn(flags: Flags, env: NodeJS.ProcessEnv): Dsn {
  const target = requiredText(flags.target ?? env.DATABASE_URL, '--target', 'is required (or set DATABASE_URL)');
  return dsnFlag(target, 'postgres', '--target');
}

export function migrateStatusConfig(flags: Flags, env: NodeJS.ProcessEnv = process.env): { target: Dsn } {
  return { target: targetDsn(flags, env) };
}

/** With no part named, every part is rolled back. */
export function migrateRollbackConfig(flags: Flags, env: NodeJS.ProcessEnv = process.env): RollbackConfig {
  const target = targetDsn(flags, env);
  const s3 = {
    endpoint: httpUrl(flags.endpoint, '--endpoint', 'http://127.0.0.1:4569'),
    region: optionalText(flags.region, '--region'),
    checksums: oneOf(flags.checksums, '--checksums', ['when-supported', 'when-required'] as const),
  };
  const [urls, files, db] = [flag(flags.urls), flag(flags.files), flag(flags.db)];
  const all = !urls && !files && !db;
  return { target, urls: all || urls, files: all || files, db: all || db, dryRun: flag(flags.dryRun), force: flag(flags.force), yes: flag(flags.yes), s3 };
}
