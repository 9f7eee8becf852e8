// markethub migrate status: where the migrations on a target stand, read from its ledger.
import type { Command } from 'commander';
import { renderStatusTerminal } from '../../src/report/render.js';
import { action, withCommonOptions } from '../command.js';

export function registerMigrateStatus(migrate: Command): void {
  const command = migrate
    .command('status')
    .description('where the migrations on this target stand: runs, phases, files, URL rewrites, last verify')
    .option('--target <url>', 'Postgres target (env DATABASE_URL)');
  withCommonOptions(command, 'print the status as JSON on stdout, nothing else').action(
    action({
      parse: async (flags) => (await import('../../src/config/index.js')).migrateStatusConfig(flags),
      secrets: (c) => [c.target.password],
      run: async ({ target }) => {
        const [{ connectPostgres }, { readStatus }] = await Promise.all([import('../../src/migrate/db/index.js'), import('../../src/migrate/ledger/status.js')]);
        const client = await connectPostgres(target);
        try {
          return await readStatus(client);
        } finally {
          await client.end().catch(() => {});
        }
      },
      render: (status) => ({ text: renderStatusTerminal(status), data: status }),
    }),
  );
}
