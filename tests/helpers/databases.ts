// Each test gets its own MariaDB and Postgres database so tests run in parallel and re-run cleanly.
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';

export const MYSQL_ADMIN_URL = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';

function uniqueName(label: string): string {
  return `mh_${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase().slice(0, 30)}_${randomBytes(3).toString('hex')}`;
}

export interface MysqlDatabase {
  name: string;
  url: string;
  conn: mysql.Connection;
  drop(): Promise<void>;
}

export async function freshMysql(label: string): Promise<MysqlDatabase> {
  const name = uniqueName(label);
  const conn = await mysql.createConnection({ uri: MYSQL_ADMIN_URL, multipleStatements: true, charset: 'utf8mb4' });
  await conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  await conn.query(`USE \`${name}\``);
  return {
    name,
    url: `${MYSQL_ADMIN_URL}/${name}`,
    conn,
    async drop() {
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await conn.end();
    },
  };
}

export interface PostgresDatabase {
  name: string;
  url: string;
  client: pg.Client;
  drop(): Promise<void>;
}

export async function freshPostgres(label: string): Promise<PostgresDatabase> {
  const name = uniqueName(label);
  const admin = new pg.Client({ connectionString: `${POSTGRES_ADMIN_URL}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const client = new pg.Client({ connectionString: `${POSTGRES_ADMIN_URL}/${name}` });
  await client.connect();
  return {
    name,
    url: `${POSTGRES_ADMIN_URL}/${name}`,
    client,
    async drop() {
      await client.end();
      const again = new pg.Client({ connectionString: `${POSTGRES_ADMIN_URL}/postgres` });
      await again.connect();
      await again.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await again.end();
    },
  };
}
