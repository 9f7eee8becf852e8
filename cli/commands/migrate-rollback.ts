// markethub migrate rollback: undo what markethub did, newest first, from the ledger.
import type { Command } from 'commander';
import { renderRollbackTerminal } from '../../src/report/render.js';
import { action, withCommonOptions } from '../command.js';

export function registerMigrateRollback(migrate: Command): void {
  const command = migrate
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
    .option('--checksums <mode>', 'optional SDK checksums: when-supported or when-required');
  withCommonOptions(command, 'print the report as JSON on stdout, nothing else').action(
    action({
      parse: async (flags) => (await import('../../src/config/index.js')).migrateRollbackConfig(flags),
      secrets: (c) => [c.target.password],
      run: async (c, context) => {
        const { migrateRollback } = await import('../../src/migrate/rollback/index.js');
        return migrateRollback(c, context.confirm);
      },
      render: (report) => ({ text: renderRollbackTerminal(report), data: report }),
    }),
  );
}
