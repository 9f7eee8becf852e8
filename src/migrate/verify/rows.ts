// Reading rows as text from both sides: whole results for small queries, streams with backpressure
// (MySQL pauses its connection, Postgres reads through a cursor) for large ones, so memory stays flat.
import type mysql from 'mysql2';
import type pg from 'pg';
import type { MysqlConnection } from '../db/index.js';

export type TextRow = (string | null)[];

/** Every value as text: canonical renderings are binary strings on MySQL, and must not be mangled. */
const asText = (field: { string: (encoding?: string) => string | null }) => field.string('utf8');

/** Every value as the server's text: no float, date or bigint parsing. */
const rawTypes = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;

export async function mysqlRows(conn: MysqlConnection, sql: string): Promise<TextRow[]> {
  const [rows] = await conn.query({ sql, rowsAsArray: true, typeCast: asText });
  return rows as unknown as TextRow[];
}

export async function postgresRows(client: pg.Client, sql: string): Promise<TextRow[]> {
  const result = await client.query<TextRow>({ text: sql, rowMode: 'array', types: rawTypes });
  return result.rows;
}

/**
 * Streams a MySQL result. Stopping early leaves the connection mid-result: the caller must then discard
 * the connection.
 */
export async function* streamMysql(conn: MysqlConnection, sql: string): AsyncGenerator<TextRow> {
  const raw = (conn as unknown as { connection: mysql.Connection }).connection;
  const stream = raw.query({ sql, rowsAsArray: true, typeCast: asText }).stream({ highWaterMark: 1000 });
  for await (const row of stream) yield row as TextRow;
}

const FETCH_ROWS = 2000;
let cursors = 0;

/** Streams a Postgres result through a cursor, in a read-only transaction of its own. */
export async function* streamPostgres(client: pg.Client, sql: string): AsyncGenerator<TextRow> {
  const cursor = `verify_rows_${++cursors}`;
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  let finished = false;
  try {
    await client.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${sql}`);
    for (;;) {
      const batch = await postgresRows(client, `FETCH FORWARD ${FETCH_ROWS} FROM ${cursor}`);
      yield* batch;
      if (batch.length < FETCH_ROWS) break;
    }
    await client.query('COMMIT');
    finished = true;
  } finally {
    if (!finished) await client.query('ROLLBACK').catch(() => {});
  }
}
