#!/usr/bin/env node
// The `markethub` command: registers each command (cli/commands/, one file each) and parses argv.
// Every command runs through cli/command.ts, which owns --json, --verbose, colour, masking and exit codes.
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import dotenv from 'dotenv';
import { fromProjectRoot } from '../src/project-paths.js';
import { commanderFailure, fail, noColorOption } from './command.js';
import { registerCutover } from './commands/cutover.js';
import { registerJobs } from './commands/jobs.js';
import { registerMigrateCheck } from './commands/migrate-check.js';
import { registerMigrateDb } from './commands/migrate-db.js';
import { registerMigrateFiles } from './commands/migrate-files.js';
import { registerMigrateRollback } from './commands/migrate-rollback.js';
import { registerMigrateStatus } from './commands/migrate-status.js';
import { registerMigrateSync } from './commands/migrate-sync.js';
import { registerMigrateVerify } from './commands/migrate-verify.js';
import { registerS3 } from './commands/s3.js';

// Each command loads its own modules when it runs: the database drivers and the AWS SDK together take
// most of a second to import, which --help, --version and a no-op `migrate files` should not pay.

dotenv.config({ quiet: true });

const { version } = JSON.parse(readFileSync(fromProjectRoot('package.json'), 'utf8')) as { version: string };

const program = new Command('markethub')
  .description('Move MarketHub from Express + MySQL + local uploads to serverless + PostgreSQL + S3')
  .version(version, '-V, --version', 'print the version')
  .addOption(noColorOption())
  .showSuggestionAfterError(true)
  .addHelpText('after', '\nExit codes: 0 done, 1 failed, 2 usage error, 3 could not run (connection, privilege), 4 differences found (verify), 130 interrupted.')
  .exitOverride();
program.configureOutput({
  // One line per error: commander puts its suggestion on a line of its own.
  writeErr: (s) => process.stderr.write(s.startsWith('error:') ? `markethub: ${s.slice(7).trim().replace(/\s*\n\s*/g, ' ')}\n` : s),
});

const migrate = program.command('migrate').description('migrate the database, the uploaded files, and check or undo it');
// In the order a migration goes: preflight, copy, prove, files, where it stands, undo, follow.
for (const register of [registerMigrateCheck, registerMigrateDb, registerMigrateVerify, registerMigrateFiles, registerMigrateStatus, registerMigrateRollback, registerMigrateSync]) register(migrate);
registerCutover(program);
registerJobs(program);
registerS3(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) commanderFailure(program, error, process.argv.slice(2));
  fail(error, { command: 'markethub', json: process.argv.includes('--json'), verbose: process.argv.includes('--verbose') });
}
