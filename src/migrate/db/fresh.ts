// --fresh: forget a migration's progress and drop exactly what it created, nothing else.
import type pg from 'pg';
import { createdObjects, inTransaction, LEDGER_SCHEMA } from '../ledger/index.js';
import { quoteIdent as qi } from './plan/expression.js';

const DROP_ORDER = ['view', 'table', 'function', 'schema'] as const;

export async function dropCreatedObjects(client: pg.Client, migrationKey: string): Promise<void> {
  const objects = await createdObjects(client, migrationKey);
  await inTransaction(client, async () => {
    for (const kind of DROP_ORDER) {
      for (const o of objects.filter((x) => x.kind === kind)) {
        const name = kind === 'schema' ? qi(o.name) : `${qi(o.schema)}.${qi(o.name)}`;
        // A schema we created is dropped only when nothing else lives in it (no CASCADE).
        const sql = kind === 'view' ? `DROP VIEW IF EXISTS ${name} CASCADE`
          : kind === 'table' ? `DROP TABLE IF EXISTS ${name} CASCADE`
          : kind === 'function' ? `DROP FUNCTION IF EXISTS ${name}() CASCADE`
          : `DROP SCHEMA IF EXISTS ${name}`;
        if (kind === 'schema') {
          const { rowCount } = await client.query('SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 LIMIT 1', [o.name]);
          if (rowCount) continue;
        }
        await client.query(sql);
      }
    }
    for (const table of ['steps', 'created_objects', 'value_changes']) {
      await client.query(`DELETE FROM ${LEDGER_SCHEMA}.${table} WHERE migration_key = $1`, [migrationKey]);
    }
  });
}
