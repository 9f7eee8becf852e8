// markethub migrate db: MySQL schema and rows into Postgres, every change reported.
import type { Command } from 'commander';
import { EXIT } from '../../src/config/errors.js';
import { renderTerminal } from '../../src/report/render.js';
import { action, withCommonOptions } from '../command.js';

// zod and the drivers load when the command runs, not for --help.
const config = () => import('../../src/config/index.js');

export function registerMigrateDb(migrate: Command): void {
  const command = migrate
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
    .option('--collations <mode>', 'preserve: case-insensitive MySQL collations stay so (citext or ICU); exact: compare exactly (default: preserve)')
    .option('--routines <mode>', 'translate: MySQL triggers become PL/pgSQL triggers, created after the data; skip: list them as not migrated (default: translate)')
    .option('--type-map <file.json>', 'type overrides: {"columns": {"table.column": "pgtype"}, "types": {"tinyint(1)": "smallint"}}');
  withCommonOptions(command, 'print the report as JSON on stdout, nothing else').action(
    action({
      parse: async (flags) => (await config()).migrateDbConfig(flags),
      secrets: (c) => [c.source.password, c.target.password],
      run: async (c, context) => {
        const { migrateDb } = await import('../../src/migrate/db/index.js');
        return migrateDb(c, await context.ui(), context.interruptible('finished tables are kept'));
      },
      render: (report) => ({ text: renderTerminal(report), data: report, exitCode: report.outcome === 'failed' ? EXIT.failed : EXIT.ok }),
    }),
  );
}
