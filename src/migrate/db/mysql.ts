// MySQL connections for introspection and streaming reads.
import mysql from 'mysql2';
import type { Connection } from 'mysql2/promise';
import { connectionError } from '../../config/errors.js';
import type { Dsn } from '../../config/dsn.js';

export type MysqlConnection = Connection;

export async function connectMysql(dsn: Dsn): Promise<MysqlConnection> {
  const raw = mysql.createConnection({
    host: dsn.host,
    port: dsn.port,
    user: dsn.user,
    password: dsn.password,
    database: dsn.database,
    charset: 'utf8mb4',
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
    // Values stay text where conversion must be exact: big integers, decimals, dates, JSON.
    jsonStrings: true,
    connectTimeout: 10_000,
    // Nothing here is a prepared statement; mysql2's default cache for 16,000 of them allocates 512 KB of
    // arrays per connection, and a connection per chunk turned that into old-generation garbage growing with
    // the number of chunks.
    maxPreparedStatements: 1,
  });
  const conn = raw.promise();
  try {
    await conn.connect();
    // Read TIMESTAMP columns as UTC; keep a paused stream from being cut off while Postgres catches up.
    await conn.query("SET time_zone = '+00:00', SESSION net_write_timeout = 3600, SESSION net_read_timeout = 3600");
  } catch (error) {
    raw.destroy();
    throw connectionError(error, dsn, 'source');
  }
  // A dropped connection must surface as a failed query, not as an unhandled 'error' event.
  raw.on('error', () => {});
  return conn;
}

export interface RowReader {
  /** Streams rows as arrays; `onRow` returning false pauses the server connection until `resume()`. */
  read(sql: string, onRow: (row: unknown[]) => boolean): Promise<void>;
  resume(): void;
  /** Ends a read in progress (the connection is unusable afterwards). */
  destroy(): void;
}

export function rowReader(conn: MysqlConnection): RowReader {
  const raw = (conn as unknown as { connection: mysql.Connection }).connection;
  return {
    read: (sql, onRow) =>
      new Promise((resolve, reject) => {
        raw
          .query({ sql, rowsAsArray: true })
          .on('result', (row) => {
            if (!onRow(row as unknown as unknown[])) raw.pause();
          })
          .on('error', reject)
          .on('end', () => resolve());
      }),
    resume: () => raw.resume(),
    destroy: () => raw.destroy(),
  };
}

export function quoteMysqlIdentifier(name: string): string {
  return '`' + name.replace(/`/g, '``') + '`';
}
