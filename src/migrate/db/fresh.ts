// --fresh: forget a migration's progress and drop exactly what it created, nothing else.
import type pg from 'pg';
import { firstLine, UserError } from '../../config/errors.js';
import { createdObjects, inTransaction, LEDGER_SCHEMA } from '../ledger/index.js';
import { DATABASE_EVENTS_TABLE } from '../../jobs/database-events.js';
import { quoteIdent as qi } from './plan/expression.js';

export async function dropCreatedObjects(client: pg.Client, migrationKey: string): Promise<void> {
  const objects = await createdObjects(client, migrationKey);
  const names = (kind: string) => objects.filter((o) => o.kind === kind).map((o) => `${qi(o.schema)}.${qi(o.name)}`);
  try {
    await inTransaction(client, async () => {
      // No CASCADE: an object of the user's that depends on ours stops the drop instead of vanishing.
      // Tables go in one statement, so foreign keys between them are no obstacle.
      if (names('view').length) await client.query(`DROP VIEW IF EXISTS ${names('view').join(', ')}`);
      if (names('table').length) await client.query(`DROP TABLE IF EXISTS ${names('table').join(', ')}`);
      // An event's schedule row goes before its procedure, so the cron route never calls a dropped one.
      await dropEventSchedules(client, objects.filter((o) => o.kind === 'event'));
      // Trigger functions, translated functions and procedures alike: by name alone, which MySQL's names keep
      // unique; should someone have added an overload since, the drop fails rather than pick one.
      for (const fn of names('function')) await client.query(`DROP ROUTINE IF EXISTS ${fn}`);
      for (const collation of names('collation')) await client.query(`DROP COLLATION IF EXISTS ${collation}`);
      for (const schema of objects.filter((o) => o.kind === 'schema')) {
        const { rowCount } = await client.query('SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 LIMIT 1', [schema.name]);
        if (!rowCount) await client.query(`DROP SCHEMA IF EXISTS ${qi(schema.name)}`);
      }
      for (const extension of objects.filter((o) => o.kind === 'extension')) await dropExtensionUnlessUsed(client, extension.name);
      for (const table of ['steps', 'created_objects', 'value_changes']) {
        await client.query(`DELETE FROM ${LEDGER_SCHEMA}.${table} WHERE migration_key = $1`, [migrationKey]);
      }
    });
  } catch (error) {
    const e = error as { code?: string; message: string; detail?: string };
    if (e.code === '2BP01') throw new UserError(`--fresh: ${firstLine(e.message)} (${firstLine(e.detail)}); drop or move those objects first`);
    throw error;
  }
}

async function dropEventSchedules(client: pg.Client, events: { schema: string; name: string }[]): Promise<void> {
  if (!events.length) return;
  const { rows } = await client.query<{ exists: string | null }>(`SELECT to_regclass('${DATABASE_EVENTS_TABLE}')::text AS exists`);
  if (!rows[0]?.exists) return;
  for (const event of events) await client.query(`DELETE FROM ${DATABASE_EVENTS_TABLE} WHERE schema_name = $1 AND name = $2`, [event.schema, event.name]);
}

/**
 * An extension this tool installed goes with the tables that needed it; if the user's own columns use it
 * by now, it stays (dropping it would take their data), and only our record of it goes.
 */
async function dropExtensionUnlessUsed(client: pg.Client, name: string): Promise<void> {
  await client.query('SAVEPOINT markethub_extension');
  try {
    await client.query(`DROP EXTENSION IF EXISTS ${qi(name)}`);
    await client.query('RELEASE SAVEPOINT markethub_extension');
  } catch (error) {
    await client.query('ROLLBACK TO SAVEPOINT markethub_extension');
    if ((error as { code?: string }).code !== '2BP01') throw error;
  }
}
