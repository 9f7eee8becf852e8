// One seeded legacy MySQL database and the Postgres database `migrateDb` makes from it, each
// behind its own app. Seeded once per test file; the suites then write to both.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import type { Sequelize } from 'sequelize';
import { seedLegacyDatabase } from '../../scripts/seed-mysql.js';
import { createApp } from '../../src/app/index.js';
import { parseDsn } from '../../src/config/dsn.js';
import { createLegacySequelize, createServerlessSequelize } from '../../src/db/index.js';
import { migrateDb } from '../../src/migrate/db/index.js';
import { createUi } from '../../src/ui/index.js';
import { fakePaystack } from './fake-paystack.js';
import { freshMysql, freshPostgres, MYSQL_ADMIN_URL, type MysqlDatabase, type PostgresDatabase } from '../helpers/databases.js';

export const JWT_SECRET = 'test-secret-0123456789abcdef';
export const PAYSTACK_SECRET = 'sk_test_markethub_0123456789';

export interface Backend {
  dialect: 'mysql' | 'postgres';
  url: string;
  sequelize: Sequelize;
  app: Express;
  uploadsRoot: string;
  logs: string[];
  /** Another app instance over its own Sequelize, as a second server process or function instance would be. */
  instance(): { app: Express; sequelize: Sequelize };
}

export interface Backends {
  mysql: Backend;
  postgres: Backend;
  close(): Promise<void>;
}

export async function prepareBackends(label: string): Promise<Backends> {
  const source: MysqlDatabase = await freshMysql(label);
  const target: PostgresDatabase = await freshPostgres(label);
  await seedLegacyDatabase(MYSQL_ADMIN_URL, source.name);
  const report = await migrateDb({
    source: parseDsn(source.url, 'mysql', 'source'),
    target: parseDsn(target.url, 'postgres', 'target'),
    schema: 'public', schemaOnly: false, dataOnly: false, dryRun: false, truncate: false, fresh: false,
    jobs: 2, sourceTimezone: 'UTC',
  }, await createUi({ json: true }));
  if (report.outcome !== 'success') throw new Error(`migration failed: ${JSON.stringify(report.errors)}`);

  const paystack = await fakePaystack(PAYSTACK_SECRET);
  const extra: Sequelize[] = [];
  const roots: string[] = [];
  const make = async (dialect: 'mysql' | 'postgres', url: string): Promise<Backend> => {
    const uploadsRoot = await mkdtemp(path.join(tmpdir(), `mh-uploads-${dialect}-`));
    roots.push(uploadsRoot);
    const logs: string[] = [];
    const build = () => {
      const sequelize = dialect === 'mysql' ? createLegacySequelize(url) : createServerlessSequelize(url);
      const app = createApp({
        sequelize,
        config: { jwtSecret: JWT_SECRET, paystackSecret: PAYSTACK_SECRET, paystackApiBase: paystack.url, bcryptRounds: 4, uploadsRoot, logSink: (l) => logs.push(l) },
      });
      return { app, sequelize };
    };
    const main = build();
    return {
      dialect, url, uploadsRoot, logs, ...main,
      instance() {
        const other = build();
        extra.push(other.sequelize);
        return other;
      },
    };
  };
  const mysql = await make('mysql', source.url);
  const postgres = await make('postgres', target.url);
  return {
    mysql,
    postgres,
    async close() {
      await Promise.all([mysql.sequelize, postgres.sequelize, ...extra].map((s) => s.close().catch(() => {})));
      await source.drop();
      await target.drop();
      await Promise.all(roots.map((r) => rm(r, { recursive: true, force: true })));
    },
  };
}
