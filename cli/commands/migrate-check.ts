// markethub migrate check: the preflight. What each migrate command needs, read from the source, the
// target and the bucket, writing nothing lasting; exit 0 when every command can run.
import type { Command } from 'commander';
import { EXIT } from '../../src/config/errors.js';
import { action, withCommonOptions } from '../command.js';

const check = () => import('../../src/migrate/check/index.js');

export function registerMigrateCheck(migrate: Command): void {
  const command = migrate
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
    .option('--collations <mode>', 'the --collations migrate db will be given: preserve or exact (default: preserve)')
    .option('--uploads <dir>', 'also check the uploads folder migrate files will read')
    .option('--bucket <name>', 'also probe this bucket: put, get, list and delete one small object (env MARKETHUB_BUCKET)')
    .option('--endpoint <url>', 'S3-compatible endpoint, e.g. http://127.0.0.1:4569 (default: AWS)')
    .option('--region <name>', 'S3 region (default: AWS_REGION or us-east-1)')
    .option('--checksums <mode>', 'optional SDK checksums: when-supported or when-required')
    .addHelpText('after', `\nExit codes: ${EXIT.ok} every command can run; ${EXIT.couldNotRun} something blocks a command (named in the report) or a server could not be checked; ${EXIT.usage} usage error.`);
  withCommonOptions(command, 'print the report as JSON on stdout, nothing else').action(
    action({
      parse: async (flags) => (await check()).migrateCheckConfig(flags),
      secrets: (c) => [c.source.password, c.target.password],
      run: async (c, context) => {
        const { migrateCheck, renderCheckTerminal } = await check();
        const report = await migrateCheck(c, await context.ui());
        return { report, text: renderCheckTerminal(report) };
      },
      render: ({ report, text }) => ({ text, data: report, exitCode: report.ok ? EXIT.ok : EXIT.couldNotRun }),
    }),
  );
}
