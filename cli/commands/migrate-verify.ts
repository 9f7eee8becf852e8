// markethub migrate verify: parity of the Postgres target with the MySQL source, every differing row listed.
import type { Command } from 'commander';
import { EXIT, USAGE_ERROR, UserError } from '../../src/config/errors.js';
import { renderVerifyTerminal } from '../../src/report/render.js';
import { action, withCommonOptions } from '../command.js';

const config = () => import('../../src/config/index.js');
const verify = () => import('../../src/migrate/verify/command.js');

export function registerMigrateVerify(migrate: Command): void {
  const command = migrate
    .command('verify')
    .description('prove the Postgres target holds what the MySQL source holds, and list every row that differs')
    .option('--source <url>', 'MySQL source (env MARKETHUB_SOURCE_URL)')
    .option('--target <url>', 'Postgres target (env DATABASE_URL)')
    .option('--schema <name>', 'target schema (default: public)')
    .option('--tables <list>', 'only these tables (comma separated)')
    .option('--exclude <list>', 'all tables but these (comma separated)')
    .option('--max-differences <n>', 'rows listed at most (all are counted; default: 1000)')
    .option('--jobs <n>', 'tables compared in parallel (default: CPU count, at most 8)')
    .option('--source-timezone <zone>', 'time zone the DATETIME values were written in (default: UTC)');
  withCommonOptions(command, 'print the report as JSON on stdout, nothing else').action(
    action({
      parse: async (flags) => (await config()).migrateVerifyConfig(flags),
      secrets: (c) => [c.source.password, c.target.password],
      run: async (c, context) => {
        const { migrateVerify, verifyExitCode } = await verify();
        const report = await migrateVerify(c, await context.ui());
        return { report, exitCode: verifyExitCode(report) };
      },
      render: ({ report, exitCode }) => ({ text: renderVerifyTerminal(report), data: report, exitCode }),
      // Whatever stopped the comparison, the answer is "could not verify" (VERIFY_EXIT), never "parity".
      failure: (error) => {
        if (error instanceof UserError && error.exitCode === USAGE_ERROR) return error;
        const couldNotVerify = new UserError(error instanceof Error ? error.message : String(error), EXIT.couldNotRun);
        if (error instanceof Error && !(error instanceof UserError)) couldNotVerify.stack = error.stack;
        return couldNotVerify;
      },
    }),
  );
}
