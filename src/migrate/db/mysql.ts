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

/** The bytes of one text-protocol row packet: the row's values, length-coded, in [start, end) of `buffer`. */
export type RowPacketHandler = (buffer: Buffer, start: number, end: number) => boolean;

export interface RowPacketReader {
  /** Streams row packets; `onRow` returning false pauses the server connection until `resume()`. */
  read(sql: string, onRow: RowPacketHandler): Promise<void>;
  resume(): void;
  /** Ends a read in progress (the connection is unusable afterwards). */
  destroy(): void;
}

/** What mysql2's query command calls for each row packet (it is not part of its public API). */
interface RowParser {
  next(packet: { buffer: Buffer; offset: number; end: number }): null;
}

/**
 * Hands each row's packet over undecoded. mysql2 builds its row parser once the columns are known and
 * keeps it on the query as `_rowParser`; this query keeps one of ours instead. Should a driver stop
 * doing so, its decoded rows arrive instead and the read fails.
 */
export function rowPacketReader(conn: MysqlConnection): RowPacketReader {
  const raw = (conn as unknown as { connection: mysql.Connection }).connection;
  return {
    read: (sql, onRow) =>
      new Promise((resolve, reject) => {
        let rows = 0;
        const parser: RowParser = {
          next(packet) {
            rows++;
            if (!onRow(packet.buffer, packet.offset, packet.end)) raw.pause();
            return null;
          },
        };
        const query = raw.query({ sql });
        Object.defineProperty(query, '_rowParser', { get: () => parser, set: () => {} });
        query
          .on('result', (row: unknown) => {
            if (row !== null) reject(new Error(`the MySQL driver decoded row ${rows + 1} itself: its row parser has changed`));
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
