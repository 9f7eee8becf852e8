// Postgres connections for the target.
import type pg from 'pg';
import { Client } from '../../db/pg-driver.js';
import { connectionError } from '../../config/errors.js';
import type { Dsn } from '../../config/dsn.js';

/** Index builds and validations sort and scan whole tables: give them memory. */
export const MAINTENANCE_WORK_MEM = '256MB';

/** A connected client with the given session settings applied; closed again if any of them fails. */
export async function connectPostgres(dsn: Dsn, role: 'source' | 'target' = 'target', settings: string[] = []): Promise<pg.Client> {
  const client = new Client({
    host: dsn.host,
    port: dsn.port,
    user: dsn.user,
    password: dsn.password,
    database: dsn.database,
    application_name: 'markethub',
    connectionTimeoutMillis: 10_000,
  });
  // A dropped connection must surface as a failed query, not as an unhandled 'error' event.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw connectionError(error, dsn, role);
  }
  try {
    for (const setting of settings) await client.query(setting);
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
  return client;
}
