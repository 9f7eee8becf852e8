// The `migrate check` command: its flags, and parse -> check -> render with its exit code. Everything
// heavy (drivers, the SDK) loads when it runs, not when the CLI starts.
import type { Command } from 'commander';
import { redactSecrets } from '../../config/dsn.js';
import { CHECK_EXIT } from './model.js';

export interface CliHooks {
  /** Secrets the command learns (passwords in DSNs); never printed. */
  secrets: string[];
  /** Ends the process with the error's one line and exit code. */
  fail(error: unknown, verbose: boolean): never;
}

export function registerMigrateCheck(migrate: Command, cli: CliHooks): void {
  migrate
    .command('check')
    .description('preflight: versions, privileges, extensions, sizes, what will be reported, free disk, the bucket; writes nothing')
    .option('--source <url>', 'MySQL source (env MARKETHUB_SOURCE_URL)')
    .option('--target <url>', 'Postgres target (env DATABASE_URL)')
    .option('--schema <name>', 'target schema (default: public)')
    .option('--tables <list>', 'only these tables (comma separated)')
    .option('--exclude <list>', 'all tables but these (comma separated)')
    .option('--jobs <n>', 'connections reading the source (default: CPU count, at most 8)')
    .option('--source-timezone <zone>', 'time zone the DATETIME values were written in (default: UTC)')
    .option('--type-map <file.json>', 'the type overrides migrate db will be given')
    .option('--uploads <dir>', 'also check the uploads folder migrate files will read')
    .option('--bucket <name>', 'also probe this bucket: put, get, list and delete one small object (env MARKETHUB_BUCKET)')
    .option('--endpoint <url>', 'S3-compatible endpoint, e.g. http://127.0.0.1:4569 (default: AWS)')
    .option('--region <name>', 'S3 region (default: AWS_REGION or us-east-1)')
    .option('--checksums <mode>', 'optional SDK checksums: when-supported or when-required')
    .option('--json', 'print the report as JSON on stdout, nothing else')
    .option('--verbose', 'show stack traces for errors')
    .addHelpText('after', `\nExit codes: ${CHECK_EXIT.ready} every command can run; ${CHECK_EXIT.blocked} something blocks a command (named in the report); ${CHECK_EXIT.couldNotCheck} could not check (connection, login); ${CHECK_EXIT.usage} usage error.`)
    .action(async (flags: Record<string, unknown>) => {
      try {
        const { migrateCheckConfig } = await import('./config.js');
        const config = migrateCheckConfig(flags);
        cli.secrets.push(config.source.password, config.target.password);
        const [{ migrateCheck }, { renderCheckTerminal }, { createUi }] = await Promise.all([import('./run.js'), import('./render.js'), import('../../ui/index.js')]);
        const ui = await createUi({ json: Boolean(flags.json) });
        const report = await migrateCheck(config, ui);
        ui.close();
        process.stdout.write(redactSecrets(flags.json ? JSON.stringify(report, null, 2) + '\n' : renderCheckTerminal(report), cli.secrets));
        process.exitCode = report.ok ? CHECK_EXIT.ready : CHECK_EXIT.blocked;
      } catch (error) {
        cli.fail(error, Boolean(flags.verbose));
      }
    });
}
