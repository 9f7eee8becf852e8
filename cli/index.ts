#!/usr/bin/env node
// The `markethub` command: option parsing, output and exit codes. The work lives in src/.
import { Command, CommanderError, Option } from 'commander';
import dotenv from 'dotenv';
import { migrateDbConfig, migrateVerifyConfig, redactSecrets, USAGE_ERROR, UserError } from '../src/config/index.js';
import { migrateDb } from '../src/migrate/db/index.js';
import { migrateVerify, VERIFY_EXIT, verifyExitCode } from '../src/migrate/verify/command.js';
import { renderJson, renderTerminal, renderVerifyTerminal } from '../src/report/render.js';
import { createUi } from '../src/ui/index.js';

dotenv.config({ quiet: true });

const EXIT_INTERRUPTED = 130;
const secrets: string[] = [];

function fail(error: unknown, verbose: boolean): never {
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof UserError ? error.exitCode : 1;
  process.stderr.write(`markethub: ${redactSecrets(message.split('\n')[0], secrets)}\n`);
  if (verbose && error instanceof Error && error.stack) process.stderr.write(redactSecrets(error.stack, secrets) + '\n');
  else if (!(error instanceof UserError)) process.stderr.write('markethub: run with --verbose for details\n');
  process.exit(code);
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
      const config = migrateDbConfig(flags);
      secrets.push(config.source.password, config.target.password);
      const ui = createUi({ json: Boolean(flags.json) });
      const abort = new AbortController();
      process.on('SIGINT', () => {
        if (abort.signal.aborted) process.exit(EXIT_INTERRUPTED);
        process.stderr.write('\nmarkethub: stopping; finished tables are kept. Press Ctrl-C again to quit at once.\n');
        abort.abort();
      });
      const report = await migrateDb(config, ui, abort.signal);
      process.stdout.write(redactSecrets(flags.json ? renderJson(report) : renderTerminal(report), secrets));
      if (abort.signal.aborted) {
        process.stderr.write('markethub: interrupted; run the same command again to resume\n');
        process.exitCode = EXIT_INTERRUPTED;
      } else {
        // exitCode rather than exit(): a large report on a pipe must be written out in full.
        process.exitCode = report.outcome === 'failed' ? 1 : 0;
      }
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
      const config = migrateVerifyConfig(flags);
      secrets.push(config.source.password, config.target.password);
      const report = await migrateVerify(config, createUi({ json: Boolean(flags.json) }));
      process.stdout.write(redactSecrets(flags.json ? JSON.stringify(report, null, 2) + '\n' : renderVerifyTerminal(report), secrets));
      process.exitCode = verifyExitCode(report);
    } catch (error) {
      // Whatever stopped the comparison, the answer is "could not verify", never "parity".
      if (error instanceof UserError && error.exitCode === USAGE_ERROR) fail(error, Boolean(flags.verbose));
      const couldNotVerify = new UserError(error instanceof Error ? error.message : String(error), VERIFY_EXIT.couldNotVerify);
      if (error instanceof Error && !(error instanceof UserError)) couldNotVerify.stack = error.stack;
      fail(couldNotVerify, Boolean(flags.verbose));
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
