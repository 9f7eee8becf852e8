#!/usr/bin/env node
// The `markethub` command: option parsing, output and exit codes. The work lives in src/.
import { createInterface } from 'node:readline/promises';
import { Command, CommanderError, Option } from 'commander';
import dotenv from 'dotenv';
import { redactSecrets } from '../src/config/dsn.js';
import { USAGE_ERROR, UserError } from '../src/config/errors.js';
import { migrateFilesConfig } from '../src/config/files.js';
import { registerMigrateCheck } from '../src/migrate/check/index.js';
import { dsnFlag } from '../src/config/flags.js';
import type { DeadLetter } from '../src/jobs/index.js';
import { renderFilesTerminal, renderJson, renderRollbackTerminal, renderStatusTerminal, renderTerminal, renderVerifyTerminal } from '../src/report/render.js';
import { createUi } from '../src/ui/index.js';

// Each command loads its own modules when it runs: the database drivers and the AWS SDK together take
// most of a second to import, which --help and a no-op `migrate files` should not pay.

dotenv.config({ quiet: true });

// The other commands check their flags with zod, which `migrate files` and --help do not wait for.
const flagChecks = () => import('../src/config/index.js');

const EXIT_INTERRUPTED = 130;
// Never printed, whatever an error message quotes.
const secrets: string[] = [process.env.AWS_SECRET_ACCESS_KEY, process.env.AWS_SESSION_TOKEN].filter((s): s is string => Boolean(s));

function fail(error: unknown, verbose: boolean): never {
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof UserError ? error.exitCode : 1;
  process.stderr.write(`markethub: ${redactSecrets(message.split('\n')[0], secrets)}\n`);
  if (verbose && error instanceof Error && error.stack) process.stderr.write(redactSecrets(error.stack, secrets) + '\n');
  else if (!(error instanceof UserError)) process.stderr.write('markethub: run with --verbose for details\n');
  process.exit(code);
}

let interrupt: AbortController | undefined;

/** First Ctrl-C: stop between units of work (kept: `kept`). Second: quit at once. */
function onInterrupt(kept: string): AbortSignal {
  interrupt = new AbortController();
  const signal = interrupt.signal;
  process.on('SIGINT', () => {
    if (signal.aborted) process.exit(EXIT_INTERRUPTED);
    process.stderr.write(`\nmarkethub: stopping; ${kept}. Press Ctrl-C again to quit at once.\n`);
    interrupt!.abort();
  });
  return signal;
}

function interruptedExitCode(): number | undefined {
  if (!interrupt?.signal.aborted) return undefined;
  process.stderr.write('markethub: interrupted; run the same command again to resume\n');
  return EXIT_INTERRUPTED;
}

const program = new Command('markethub')
  .description('Move MarketHub from Express + MySQL + local uploads to serverless + PostgreSQL + S3')
  .showSuggestionAfterError(true)
  .exitOverride();
program.configureOutput({
  // One line per error: commander puts its suggestion on a line of its own.
  writeErr: (s) => process.stderr.write(s.startsWith('error:') ? `markethub: ${s.slice(7).trim().replace(/\s*\n\s*/g, ' ')}\n` : s),
});

const migrate = program.command('migrate').description('migrate the database, the uploaded files, and check or undo it');

migrate
  .command('db')
  .description('copy the MySQL schema and data into PostgreSQL, reporting every change')
  .option('--source <url>', 'MySQL source, mysql://user:pass@host:3306/db (env MARKETHUB_SOURCE_URL)')
  .option('--target <url>', 'Postgres target, postgres://user:pass@host:5432/db (env DATABASE_URL)')
  .option('--schema <name>', 'target schema (default: public)')
  .option('--tables <list>', 'only these tables (comma separated)')
  .option('--exclude <list>', 'all tables but these (comma separated)')
  .option('--schema-only', 'create the schema, copy no rows')
  .option('--data-only', 'copy rows into tables that already exist')
  .option('--dry-run', 'print the plan and the DDL; write nothing')
  .option('--truncate', 'with --data-only: empty target tables that already hold rows')
  .option('--fresh', 'drop what earlier runs of this migration created and start over')
  .option('--jobs <n>', 'key ranges copied and indexes built in parallel (default: CPU count, at most 8)')
  .option('--source-timezone <zone>', 'time zone the DATETIME values were written in (default: UTC)')
  .option('--type-map <file.json>', 'type overrides: {"columns": {"table.column": "pgtype"}, "types": {"tinyint(1)": "smallint"}}')
  .option('--json', 'print the report as JSON on stdout, nothing else')
  .addOption(new Option('--verbose', 'show stack traces for errors'))
  .action(async (flags: Record<string, unknown>) => {
    const verbose = Boolean(flags.verbose);
    try {
      const config = (await flagChecks()).migrateDbConfig(flags);
      secrets.push(config.source.password, config.target.password);
      const ui = await createUi({ json: Boolean(flags.json) });
      const { migrateDb } = await import('../src/migrate/db/index.js');
      const report = await migrateDb(config, ui, onInterrupt('finished tables are kept'));
      process.stdout.write(redactSecrets(flags.json ? renderJson(report) : renderTerminal(report), secrets));
      // exitCode rather than exit(): a large report on a pipe must be written out in full.
      process.exitCode = interruptedExitCode() ?? (report.outcome === 'failed' ? 1 : 0);
    } catch (error) {
      fail(error, verbose);
    }
  });

migrate
  .command('verify')
  .description('prove the Postgres target holds what the MySQL source holds, and list every row that differs')
  .option('--source <url>', 'MySQL source (env MARKETHUB_SOURCE_URL)')
  .option('--target <url>', 'Postgres target (env DATABASE_URL)')
  .option('--schema <name>', 'target schema (default: public)')
  .option('--tables <list>', 'only these tables (comma separated)')
  .option('--exclude <list>', 'all tables but these (comma separated)')
  .option('--max-differences <n>', 'rows listed at most (all are counted; default: 1000)')
  .option('--jobs <n>', 'tables compared in parallel (default: CPU count, at most 8)')
  .option('--source-timezone <zone>', 'time zone the DATETIME values were written in (default: UTC)')
  .option('--json', 'print the report as JSON on stdout, nothing else')
  .addOption(new Option('--verbose', 'show stack traces for errors'))
  .action(async (flags: Record<string, unknown>) => {
    try {
      const config = (await flagChecks()).migrateVerifyConfig(flags);
      secrets.push(config.source.password, config.target.password);
      const { migrateVerify, verifyExitCode } = await import('../src/migrate/verify/command.js');
      const report = await migrateVerify(config, await createUi({ json: Boolean(flags.json) }));
      process.stdout.write(redactSecrets(flags.json ? JSON.stringify(report, null, 2) + '\n' : renderVerifyTerminal(report), secrets));
      process.exitCode = verifyExitCode(report);
    } catch (error) {
      // Whatever stopped the comparison, the answer is "could not verify", never "parity".
      if (error instanceof UserError && error.exitCode === USAGE_ERROR) fail(error, Boolean(flags.verbose));
      const { VERIFY_EXIT } = await import('../src/migrate/verify/command.js');
      const couldNotVerify = new UserError(error instanceof Error ? error.message : String(error), VERIFY_EXIT.couldNotVerify);
      if (error instanceof Error && !(error instanceof UserError)) couldNotVerify.stack = error.stack;
      fail(couldNotVerify, Boolean(flags.verbose));
    }
  });

migrate
  .command('files')
  .description('upload the local uploads to S3 with end-to-end checksums, then rewrite their URLs in Postgres')
  .option('--uploads <dir>', 'the uploads root (holding product-images/, user-avatars/, ...)')
  .option('--bucket <name>', 'default bucket (env MARKETHUB_BUCKET)')
  .option('--target <url>', 'migrated Postgres: the manifest and the URL columns (env DATABASE_URL)')
  .option('--schema <name>', 'schema of the URL columns (default: public)')
  .option('--cdn-base <url>', 'public base of the bucket, e.g. https://cdn.markethub.com')
  .option('--no-rewrite', 'upload only; leave the URLs in the database alone')
  .option('--endpoint <url>', 'S3-compatible endpoint, e.g. http://127.0.0.1:4569 (default: AWS)')
  .option('--region <name>', 'S3 region (default: AWS_REGION or us-east-1)')
  .option('--checksums <mode>', 'optional SDK checksums: when-supported (AWS default) or when-required (default with --endpoint)')
  .option('--concurrency <n>', 'files in flight (default: 16)')
  .option('--multipart-threshold <MiB>', 'files this large or larger go up in parts (default: 128)')
  .option('--config <file.json>', 'folder -> bucket/prefix mapping and URL columns (see README)')
  .option('--dry-run', 'show what would be uploaded and rewritten; change nothing')
  .option('--json', 'print the report as JSON on stdout, nothing else')
  .addOption(new Option('--verbose', 'show stack traces for errors'))
  .action(async (flags: Record<string, unknown>) => {
    try {
      const config = await migrateFilesConfig(flags);
      secrets.push(config.target.password);
      const { migrateFiles } = await import('../src/migrate/files/index.js');
      const report = await migrateFiles(config, await createUi({ json: Boolean(flags.json) }), onInterrupt('files already uploaded are kept'));
      process.stdout.write(redactSecrets(flags.json ? JSON.stringify(report, null, 2) + '\n' : renderFilesTerminal(report), secrets));
      process.exitCode = interruptedExitCode() ?? (report.outcome === 'failed' ? 1 : 0);
    } catch (error) {
      fail(error, Boolean(flags.verbose));
    }
  });

migrate
  .command('status')
  .description('where the migrations on this target stand: runs, phases, files, URL rewrites, last verify')
  .option('--target <url>', 'Postgres target (env DATABASE_URL)')
  .option('--json', 'print the status as JSON on stdout, nothing else')
  .addOption(new Option('--verbose', 'show stack traces for errors'))
  .action(async (flags: Record<string, unknown>) => {
    try {
      const { target } = (await flagChecks()).migrateStatusConfig(flags);
      secrets.push(target.password);
      const [{ connectPostgres }, { readStatus }] = await Promise.all([import('../src/migrate/db/postgres.js'), import('../src/migrate/ledger/status.js')]);
      const client = await connectPostgres(target);
      try {
        const status = await readStatus(client);
        process.stdout.write(redactSecrets(flags.json ? JSON.stringify(status, null, 2) + '\n' : renderStatusTerminal(status), secrets));
      } finally {
        await client.end().catch(() => {});
      }
    } catch (error) {
      fail(error, Boolean(flags.verbose));
    }
  });

/** Asks on the terminal; without one there is nobody to ask, and the answer is no. */
async function confirmOnTerminal(question: string): Promise<boolean> {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return false;
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await prompt.question(`${question} Type "yes" to go on: `)).trim().toLowerCase() === 'yes';
  } finally {
    prompt.close();
  }
}

migrate
  .command('rollback')
  .description('undo what markethub did, newest first: URL rewrites, uploaded objects, database objects')
  .option('--target <url>', 'Postgres target holding the ledger (env DATABASE_URL)')
  .option('--urls', 'only restore the rewritten URLs')
  .option('--files', 'only delete the uploaded objects')
  .option('--db', 'only drop the tables, views, functions and schemas migrate db created')
  .option('--dry-run', 'print what would be undone; change nothing')
  .option('--yes', 'do it without asking')
  .option('--force', 'also restore URLs the app changed since, and drop tables it wrote to')
  .option('--endpoint <url>', 'S3-compatible endpoint (default: the one migrate files used)')
  .option('--region <name>', 'S3 region (default: AWS_REGION or us-east-1)')
  .option('--checksums <mode>', 'optional SDK checksums: when-supported or when-required')
  .option('--json', 'print the report as JSON on stdout, nothing else')
  .addOption(new Option('--verbose', 'show stack traces for errors'))
  .action(async (flags: Record<string, unknown>) => {
    try {
      const config = (await flagChecks()).migrateRollbackConfig(flags);
      secrets.push(config.target.password);
      const { migrateRollback } = await import('../src/migrate/rollback/index.js');
      const report = await migrateRollback(config, confirmOnTerminal);
      process.stdout.write(redactSecrets(flags.json ? JSON.stringify(report, null, 2) + '\n' : renderRollbackTerminal(report), secrets));
    } catch (error) {
      fail(error, Boolean(flags.verbose));
    }
  });

migrate
  .command('sync')
  .description('keep Postgres current with MySQL while traffic moves; switch writes over; sync back after a switch')
  .option('--source <url>', 'MySQL source (env MARKETHUB_SOURCE_URL)')
  .option('--target <url>', 'Postgres target (env DATABASE_URL)')
  .option('--schema <name>', 'target schema (default: public)')
  .option('--tables <list>', 'only these tables (comma separated)')
  .option('--exclude <list>', 'all tables but these (comma separated)')
  .option('--source-timezone <zone>', 'time zone the DATETIME values were written in (default: UTC)')
  .option('--switch-writes', 'freeze writes, drain, verify the changed tables, move writes to the other side, let writes through')
  .option('--reverse', 'the way back after a switch: Postgres -> MySQL (with --switch-writes: move writes back to MySQL)')
  .option('--until-caught-up', 'stop once nothing is pending instead of following until Ctrl-C')
  .option('--remove-capture', 'drop the capture triggers and change tables on both sides, once the move is finished or abandoned')
  .option('--batch-size <n>', 'changes applied per transaction at most (default: 2000)')
  .option('--poll-ms <ms>', 'how often to look for changes when none are pending (default: 100)')
  .option('--flag-cache-ms <ms>', 'how long the apps trust their read of the cutover flag; waited out after freezing (default: 1000)')
  .option('--jobs <n>', 'connections for introspection and verification (default: CPU count, at most 8)')
  .option('--json', 'print the report as JSON on stdout, nothing else')
  .addOption(new Option('--verbose', 'show stack traces for errors'))
  .action(async (flags: Record<string, unknown>) => {
    try {
      const config = (await flagChecks()).migrateSyncConfig(flags);
      secrets.push(config.source.password, config.target.password);
      const ui = await createUi({ json: Boolean(flags.json) });
      const { migrateSync } = await import('../src/migrate/sync/index.js');
      const log = (line: string) => process.stderr.write(redactSecrets(`markethub: ${line}\n`, secrets));
      const report = await migrateSync(config, ui, onInterrupt('changes applied so far are kept; run the same command to continue'), flags.json ? () => {} : log);
      const { renderSyncTerminal } = await import('../src/report/render.js');
      process.stdout.write(redactSecrets(flags.json ? JSON.stringify(report, null, 2) + '\n' : renderSyncTerminal(report), secrets));
      process.exitCode = report.outcome === 'success' ? 0 : 1;
    } catch (error) {
      fail(error, Boolean(flags.verbose));
    }
  });

registerMigrateCheck(migrate, { secrets, fail });

const cutover = program.command('cutover').description('move traffic to the new backend in stages, and back');

/** Opens the flag store in --target (or DATABASE_URL), runs `work`, closes it. */
async function withCutoverStore<T>(flags: Record<string, unknown>, work: (store: import('../src/cutover/store.js').CutoverStore) => Promise<T>): Promise<T> {
  const { target } = (await flagChecks()).migrateStatusConfig(flags);
  secrets.push(target.password);
  const { CutoverStore } = await import('../src/cutover/store.js');
  const store = await CutoverStore.open(target.url).catch(async (error: unknown) => {
    const { connectionError } = await import('../src/config/errors.js');
    throw connectionError(error, target, 'target');
  });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

const changedBy = () => `cli:${process.env.USER ?? process.env.USERNAME ?? 'unknown'}`;

function cutoverAction(run: (store: import('../src/cutover/store.js').CutoverStore, flags: Record<string, unknown>, ...args: string[]) => Promise<string>) {
  return async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    const flags = command.opts() as Record<string, unknown>;
    try {
      const out = await withCutoverStore(flags, (store) => run(store, flags, ...(args.slice(0, -2) as string[])));
      process.stdout.write(redactSecrets(out, secrets));
    } catch (error) {
      fail(error, Boolean(flags.verbose));
    }
  };
}

const targetOption = () => new Option('--target <url>', 'Postgres holding the cutover flag, the migrated target (env DATABASE_URL)');

cutover
  .command('status')
  .description('stage, percentage, error rates per side, shadow differences, recent changes')
  .addOption(targetOption())
  .option('--json', 'print the status as JSON')
  .addOption(new Option('--verbose', 'show stack traces for errors'))
  .action(cutoverAction(async (store, flags) => {
    const status = await store.status();
    const { renderCutoverTerminal } = await import('../src/report/render.js');
    return flags.json ? JSON.stringify(status, null, 2) + '\n' : renderCutoverTerminal(status);
  }));

cutover
  .command('shadow')
  .description('mirror sampled GETs to the new backend and compare (on), or stop (off)')
  .argument('<on|off>')
  .addOption(targetOption())
  .addOption(new Option('--verbose', 'show stack traces for errors'))
  .action(cutoverAction(async (store, _flags, mode) => {
    if (mode !== 'on' && mode !== 'off') throw new UserError('cutover shadow takes on or off', USAGE_ERROR);
    const state = await store.change({ shadow: mode === 'on' }, changedBy(), `shadow ${mode}`);
    return `shadow ${state.shadow ? 'on' : 'off'}; ${state.percentage}% on the new backend\n`;
  }));

cutover
  .command('set')
  .description('send this percentage of users (sticky) to the new backend')
  .argument('<percentage>')
  .option('--writes', 'route writes too (default: only GET and HEAD)')
  .addOption(targetOption())
  .addOption(new Option('--verbose', 'show stack traces for errors'))
  .action(cutoverAction(async (store, flags, value) => {
    const percentage = Number(value);
    if (!/^\d+(\.\d{1,2})?$/.test(value ?? '') || percentage > 100) throw new UserError(`cutover set: ${value} is not a percentage from 0 to 100`, USAGE_ERROR);
    const writes = Boolean(flags.writes);
    const state = await store.change({ percentage, writes }, changedBy(), `set ${percentage}%${writes ? ' with writes' : ''}`);
    return `${state.percentage}% of users on the new backend (${state.writes ? 'reads and writes' : 'reads only'})\n`;
  }));

cutover
  .command('rollback')
  .description('send everyone back to the legacy backend, at once (after `migrate sync --switch-writes`: with the writes made on Postgres)')
  .addOption(targetOption())
  .option('--source <url>', 'MySQL source, needed once writes moved to Postgres: their changes are brought back first (env MARKETHUB_SOURCE_URL)')
  .option('--flag-cache-ms <ms>', 'how long the apps trust their read of the cutover flag (default: 1000)')
  .addOption(new Option('--verbose', 'show stack traces for errors'))
  .action(cutoverAction(async (store, flags) => {
    const { rows } = await store.pool.query<{ captured: boolean }>("SELECT to_regclass('markethub_sync.changes') IS NOT NULL AS captured");
    const state = await store.state();
    if (rows[0].captured && state.writes && state.percentage >= 100) {
      // Writes moved to Postgres: rolling back the flag alone would leave their rows behind.
      const source = flags.source ?? process.env.MARKETHUB_SOURCE_URL;
      if (!source) throw new UserError('writes are on Postgres since `migrate sync --switch-writes`: give --source so the changes made there reach MySQL before traffic goes back');
      const config = (await flagChecks()).migrateSyncConfig({ ...flags, source, switchWrites: true, reverse: true });
      secrets.push(config.source.password);
      const { migrateSync } = await import('../src/migrate/sync/index.js');
      const { renderSyncTerminal } = await import('../src/report/render.js');
      const report = await migrateSync(config, await createUi({ json: false }), onInterrupt('writes stay where they are'), (line) => process.stderr.write(redactSecrets(`markethub: ${line}\n`, secrets)));
      return renderSyncTerminal(report) + 'everyone is on the legacy backend (0%), with every write made on Postgres\n';
    }
    await store.change({ percentage: 0, writes: false, frozen: false }, changedBy(), 'rollback');
    return 'everyone is on the legacy backend (0%)\n';
  }));

// --- jobs: the operator's view of the job queue's dead letters (the queue runs in the app)

function jobsDatabase(flags: { database?: string }): string {
  const url = flags.database ?? process.env.DATABASE_URL;
  if (!url) throw new UserError('--database is required (or DATABASE_URL): postgres://user[:password]@host[:port]/database', USAGE_ERROR);
  secrets.push(dsnFlag(url, 'postgres', '--database').password);
  return url;
}

async function withJobQueue<T>(flags: { database?: string }, work: (queue: import('../src/jobs/index.js').PostgresJobQueue) => Promise<T>): Promise<T> {
  const { PostgresJobQueue } = await import('../src/jobs/index.js');
  const queue = new PostgresJobQueue({ url: jobsDatabase(flags), poolSize: 1 });
  try {
    return await work(queue);
  } catch (error) {
    const e = error as { code?: string };
    if (e.code === '42P01') throw new UserError('no job queue in this database: run `markethub jobs migrate --database ...` first');
    if (e.code === 'ECONNREFUSED' || e.code === '3D000' || e.code === '28P01') throw new UserError(`cannot use the database: ${(error as Error).message}`);
    throw error;
  } finally {
    await queue.close().catch(() => {});
  }
}

function jobIds(flags: { id?: string[]; all?: boolean }): string[] | undefined {
  if (flags.all && flags.id?.length) throw new UserError('give --id or --all, not both', USAGE_ERROR);
  if (!flags.all && !flags.id?.length) throw new UserError('name the jobs with --id N (repeatable) or use --all', USAGE_ERROR);
  if (flags.all) return undefined;
  for (const id of flags.id!) if (!/^\d+$/.test(id)) throw new UserError(`--id must be a job number, got "${id}"`, USAGE_ERROR);
  return flags.id;
}

function renderDeadLetters(rows: DeadLetter[]): string {
  if (rows.length === 0) return 'The dead-letter queue is empty.\n';
  const lines = rows.map((d) => `#${d.id}  ${d.type}  ${d.attempts} attempts  dead ${d.deadAt}${d.key ? `  key ${d.key}` : ''}\n    ${d.error}`);
  return `${rows.length} dead job(s):\n${lines.join('\n')}\n`;
}

const jobs = program.command('jobs').description('the background job queue: its tables and its dead-letter queue');
const databaseOption = () => new Option('--database <url>', 'the app\'s Postgres, postgres://user:pass@host:5432/db (env DATABASE_URL)');

jobs
  .command('migrate')
  .description('create or upgrade the queue tables (migrations/app/*.sql)')
  .addOption(databaseOption())
  .addOption(new Option('--verbose', 'show stack traces for errors'))
  .action(async (flags: { database?: string; verbose?: boolean }) => {
    try {
      const { applyAppMigrations } = await import('../src/jobs/index.js');
      const applied = await withJobQueue(flags, (queue) => applyAppMigrations(queue.pool));
      process.stdout.write(applied.length ? `Applied ${applied.join(', ')}\n` : 'The job tables are up to date.\n');
    } catch (error) {
      fail(error, Boolean(flags.verbose));
    }
  });

const dlq = jobs.command('dlq').description('jobs that failed every attempt: list, retry, purge');

dlq
  .command('list')
  .description('dead jobs with their last error')
  .addOption(databaseOption())
  .option('--limit <n>', 'at most this many', '100')
  .option('--json', 'JSON on stdout, with every attempt\'s error')
  .addOption(new Option('--verbose', 'show stack traces for errors'))
  .action(async (flags: { database?: string; limit: string; json?: boolean; verbose?: boolean }) => {
    try {
      const limit = Number(flags.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new UserError('--limit must be a positive whole number', USAGE_ERROR);
      const rows = await withJobQueue(flags, (queue) => queue.deadLetters({ limit }));
      process.stdout.write(redactSecrets(flags.json ? JSON.stringify(rows, null, 2) + '\n' : renderDeadLetters(rows), secrets));
    } catch (error) {
      fail(error, Boolean(flags.verbose));
    }
  });

dlq
  .command('retry')
  .description('put dead jobs back in the queue with fresh attempts')
  .addOption(databaseOption())
  .option('--id <n...>', 'job numbers (repeatable)')
  .option('--all', 'every dead job')
  .option('--json', 'JSON on stdout')
  .addOption(new Option('--verbose', 'show stack traces for errors'))
  .action(async (flags: { database?: string; id?: string[]; all?: boolean; json?: boolean; verbose?: boolean }) => {
    try {
      const ids = jobIds(flags);
      const retried = await withJobQueue(flags, (queue) => queue.retryDead(ids));
      process.stdout.write(flags.json ? JSON.stringify({ retried }) + '\n' : `${retried} job(s) back in the queue.\n`);
    } catch (error) {
      fail(error, Boolean(flags.verbose));
    }
  });

dlq
  .command('purge')
  .description('delete dead jobs for good (their idempotency keys become free)')
  .addOption(databaseOption())
  .option('--id <n...>', 'job numbers (repeatable)')
  .option('--all', 'every dead job')
  .option('--yes', 'do it without asking')
  .option('--json', 'JSON on stdout')
  .addOption(new Option('--verbose', 'show stack traces for errors'))
  .action(async (flags: { database?: string; id?: string[]; all?: boolean; yes?: boolean; json?: boolean; verbose?: boolean }) => {
    try {
      const ids = jobIds(flags);
      if (!flags.yes && !(await confirmOnTerminal(`Delete ${ids ? ids.length : 'every'} dead job(s) for good?`))) {
        throw new UserError('not confirmed: add --yes to purge', USAGE_ERROR);
      }
      const purged = await withJobQueue(flags, (queue) => queue.purgeDead(ids));
      process.stdout.write(flags.json ? JSON.stringify({ purged }) + '\n' : `${purged} dead job(s) deleted.\n`);
    } catch (error) {
      fail(error, Boolean(flags.verbose));
    }
  });

program
  .command('s3')
  .description('a local S3-compatible server for trying things out')
  .command('serve')
  .description('run s3rver on loopback until Ctrl-C (access key and secret: S3RVER)')
  .option('--dir <dir>', 'where objects are stored', '.markethub/s3')
  .option('--port <n>', 'port', '4569')
  .option('--bucket <name...>', 'buckets to create at start')
  .action(async (flags: { dir: string; port: string; bucket?: string[] }) => {
    try {
      const { startS3Server } = await import('../src/s3/server.js');
      const server = await startS3Server({ dir: flags.dir, port: Number(flags.port), buckets: flags.bucket ?? [], inheritOutput: true });
      process.stdout.write(`S3 endpoint ${server.endpoint} (objects in ${flags.dir}); Ctrl-C stops it\n`);
      const stop = () => void server.stop().then(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      await new Promise<void>((resolve) => server.process.once('exit', () => resolve()));
    } catch (error) {
      fail(error, false);
    }
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // --help and --version end here too, with exit code 0.
    process.exit(error.exitCode === 0 ? 0 : USAGE_ERROR);
  }
  fail(error, process.argv.includes('--verbose'));
}
