// markethub jobs migrate | dlq list | retry | purge: the operator's view of the job queue (it runs in the app).
import { Option, type Command } from 'commander';
import type { Dsn } from '../../src/config/dsn.js';
import { connectionError, USAGE_ERROR, UserError } from '../../src/config/errors.js';
import { dsnFlag, idsOrAll, requiredText, wholeNumber } from '../../src/config/flags.js';
import type { DeadLetter, PostgresJobQueue } from '../../src/jobs/index.js';
import { action, withCommonOptions, type Flags } from '../command.js';

function databaseOf(flags: Flags): Dsn {
  const url = requiredText(flags.database ?? process.env.DATABASE_URL, '--database', 'is required (or DATABASE_URL): postgres://user[:password]@host[:port]/database');
  return dsnFlag(url, 'postgres', '--database');
}

async function withJobQueue<T>(database: Dsn, work: (queue: PostgresJobQueue) => Promise<T>): Promise<T> {
  const { PostgresJobQueue } = await import('../../src/jobs/index.js');
  const queue = new PostgresJobQueue({ url: database.url, poolSize: 1 });
  try {
    // Connection and login problems are named once, the way every command names them.
    await queue.pool.query('SELECT 1').catch((error: unknown) => {
      throw connectionError(error, database, 'target');
    });
    return await work(queue);
  } catch (error) {
    if ((error as { code?: string }).code === '42P01') throw new UserError('no job queue in this database: run `markethub jobs migrate --database ...` first');
    throw error;
  } finally {
    await queue.close().catch(() => {});
  }
}

function renderDeadLetters(rows: DeadLetter[]): string {
  if (rows.length === 0) return 'The dead-letter queue is empty.\n';
  const lines = rows.map((d) => `#${d.id}  ${d.type}  ${d.attempts} attempts  dead ${d.deadAt}${d.key ? `  key ${d.key}` : ''}\n    ${d.error}`);
  return `${rows.length} dead job(s):\n${lines.join('\n')}\n`;
}

const databaseOption = () => new Option('--database <url>', 'the app\'s Postgres, postgres://user:pass@host:5432/db (env DATABASE_URL)');

export function registerJobs(program: Command): void {
  const jobs = program.command('jobs').description('the background job queue: its tables and its dead-letter queue');

  withCommonOptions(jobs.command('migrate').description('create or upgrade the queue tables (migrations/app/*.sql)').addOption(databaseOption()), 'JSON on stdout').action(
    action({
      parse: databaseOf,
      secrets: (database) => [database.password],
      run: async (database) => {
        const { applyAppMigrations } = await import('../../src/jobs/index.js');
        return withJobQueue(database, (queue) => applyAppMigrations(queue.pool));
      },
      render: (applied) => ({ text: applied.length ? `Applied ${applied.join(', ')}\n` : 'The job tables are up to date.\n', data: { applied } }),
    }),
  );

  const dlq = jobs.command('dlq').description('jobs that failed every attempt: list, retry, purge');

  withCommonOptions(
    dlq.command('list').description('dead jobs with their last error').addOption(databaseOption()).option('--limit <n>', 'at most this many', '100'),
    'JSON on stdout, with every attempt\'s error',
  ).action(
    action({
      parse: (flags) => ({ database: databaseOf(flags), limit: wholeNumber(flags.limit, '--limit', { min: 1, max: 100_000, fallback: 100 }) }),
      secrets: ({ database }) => [database.password],
      run: ({ database, limit }) => withJobQueue(database, (queue) => queue.deadLetters({ limit })),
      render: (deadLetters) => ({ text: renderDeadLetters(deadLetters), data: { deadLetters } }),
    }),
  );

  withCommonOptions(
    dlq.command('retry').description('put dead jobs back in the queue with fresh attempts').addOption(databaseOption()).option('--id <n...>', 'job numbers (repeatable)').option('--all', 'every dead job'),
    'JSON on stdout',
  ).action(
    action({
      parse: (flags) => ({ database: databaseOf(flags), ids: idsOrAll(flags.id, flags.all) }),
      secrets: ({ database }) => [database.password],
      run: ({ database, ids }) => withJobQueue(database, (queue) => queue.retryDead(ids)),
      render: (retried) => ({ text: `${retried} job(s) back in the queue.\n`, data: { retried } }),
    }),
  );

  withCommonOptions(
    dlq
      .command('purge')
      .description('delete dead jobs for good (their idempotency keys become free)')
      .addOption(databaseOption())
      .option('--id <n...>', 'job numbers (repeatable)')
      .option('--all', 'every dead job')
      .option('--yes', 'do it without asking'),
    'JSON on stdout',
  ).action(
    action({
      parse: (flags) => ({ database: databaseOf(flags), ids: idsOrAll(flags.id, flags.all), yes: Boolean(flags.yes) }),
      secrets: ({ database }) => [database.password],
      run: async ({ database, ids, yes }, context) => {
        if (!yes && !(await context.confirm(`Delete ${ids ? ids.length : 'every'} dead job(s) for good?`))) {
          throw new UserError('not confirmed: add --yes to purge', USAGE_ERROR);
        }
        return withJobQueue(database, (queue) => queue.purgeDead(ids));
      },
      render: (purged) => ({ text: `${purged} dead job(s) deleted.\n`, data: { purged } }),
    }),
  );
}
