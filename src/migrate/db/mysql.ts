// MySQL connections for introspection and streaming reads.
import type { Readable } from 'node:stream';
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
    connectTimeout: 10_000,
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

/** A row stream with back-pressure: the server connection pauses while the consumer is behind. */
export function streamRows(conn: MysqlConnection, sql: string): Readable {
  const raw = (conn as unknown as { connection: mysql.Connection }).connection;
  // Raw bytes for every value: no driver-side parsing; the converters decide what the bytes mean.
  return raw.query({ sql, rowsAsArray: true, typeCast: false }).stream({ highWaterMark: 512 });
}

export function quoteMysqlIdentifier(name: string): string {
  return '`' + name.replace(/`/g, '``') + '`';
}
