// A seeded legacy MySQL database and a Postgres template migrated from it by `migrateDb`; each
// serverless run gets its own copy of the template (CREATE DATABASE ... TEMPLATE: no re-migration).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { seedLegacyDatabase } from '../../scripts/seed-mysql.js';
import { parseDsn } from '../../src/config/dsn.js';
import { migrateDb } from '../../src/migrate/db/index.js';
import { createUi } from '../../src/ui/index.js';
import { freshMysql, freshPostgres, MYSQL_ADMIN_URL, POSTGRES_ADMIN_URL, type MysqlDatabase } from '../helpers/databases.js';

export interface MigratedTemplate {
  mysql: MysqlDatabase;
  /** A fresh Postgres database holding the migrated shop. */
  copy(label: string): Promise<{ name: string; url: string }>;
  close(): Promise<void>;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: `${POSTGRES_ADMIN_URL}/postgres` });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function prepareMigratedTemplate(label: string): Promise<MigratedTemplate> {
  const mysql = await freshMysql(label);
  const template = await freshPostgres(`${label}_tpl`);
  await seedLegacyDatabase(MYSQL_ADMIN_URL, mysql.name);
  const report = await migrateDb({
    source: parseDsn(mysql.url, 'mysql', 'source'),
    target: parseDsn(template.url, 'postgres', 'target'),
    schema: 'public', schemaOnly: false, dataOnly: false, dryRun: false, truncate: false, fresh: false,
    jobs: 2, sourceTimezone: 'UTC',
  }, await createUi({ json: true }));
  if (report.outcome !== 'success') throw new Error(`migration failed: ${JSON.stringify(report.errors)}`);
  await template.client.end();
  const copies: string[] = [];
  return {
    mysql,
    async copy(copyLabel) {
      const name = `mh_${copyLabel.replace(/[^a-z0-9_]/gi, '_').toLowerCase().slice(0, 30)}_${randomBytes(3).toString('hex')}`;
      await admin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template.name}"`));
      copies.push(name);
      return { name, url: `${POSTGRES_ADMIN_URL}/${name}` };
    },
    async close() {
      await admin(async (c) => {
        for (const name of [...copies, template.name]) await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      });
      await mysql.drop();
    },
  };
}
