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
    // arrays per connection, old-generation garbage once the connection is closed.
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

/**
 * The source connection of one worker, kept for the chunks it copies in turn: a connection per chunk left
 * the garbage of a connection that lived long enough to be promoted, more of it the more chunks there were.
 * Opened again when the last one closed: a copy that fails or is stopped ends its read by closing it, and
 * the server may drop an idle one.
 */
export class SourceConnection {
  private conn: MysqlConnection | null = null;

  constructor(private readonly dsn: Dsn) {}

  async get(): Promise<MysqlConnection> {
    if (this.conn) return this.conn;
    const conn = await connectMysql(this.dsn);
    (conn as unknown as { connection: { stream: NodeJS.EventEmitter } }).connection.stream.once('close', () => {
      if (this.conn === conn) this.conn = null;
    });
    this.conn = conn;
    return conn;
  }

  /** Closes it at once: after a failed copy, what is left on it is unknown. */
  discard(): void {
    this.conn?.destroy();
    this.conn = null;
  }

  async end(): Promise<void> {
    const conn = this.conn;
    this.conn = null;
    await conn?.end().catch(() => {});
  }
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
