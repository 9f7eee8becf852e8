// markethub migrate sync: follow MySQL's changes into Postgres while traffic moves, and the way back.
import type { Command } from 'commander';
import { EXIT } from '../../src/config/errors.js';
import { renderSyncTerminal } from '../../src/report/render.js';
import { action, withCommonOptions } from '../command.js';

export function registerMigrateSync(migrate: Command): void {
  const command = migrate
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
    .option('--jobs <n>', 'connections for introspection and verification (default: CPU count, at most 8)');
  withCommonOptions(command, 'print the report as JSON on stdout, nothing else').action(
    action({
      parse: async (flags) => (await import('../../src/config/index.js')).migrateSyncConfig(flags),
      secrets: (c) => [c.source.password, c.target.password],
      run: async (c, context) => {
        const { migrateSync } = await import('../../src/migrate/sync/index.js');
        // Following ends with Ctrl-C: that is the normal way to stop it.
        const signal = context.interruptible('changes applied so far are kept; run the same command to continue', { endsNormally: true });
        return migrateSync(c, await context.ui(), signal, context.log);
      },
      render: (report) => ({ text: renderSyncTerminal(report), data: report, exitCode: report.outcome === 'success' ? EXIT.ok : EXIT.failed }),
    }),
  );
}
