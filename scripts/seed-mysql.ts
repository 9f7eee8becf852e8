#!/usr/bin/env node
// Loads the sample MarketHub legacy database (scripts/sample/markethub-legacy.sql) into MariaDB.
//
//   node dist/scripts/seed-mysql.js [--url mysql://root@127.0.0.1:3306] [--database markethub_legacy]
//
// The target database is dropped and recreated, so re-running gives the same result every time.
import { readFile } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import mysql from 'mysql2/promise';
import { redactSecrets } from '../src/config/dsn.js';
import { writeSampleUploads } from './sample-uploads.js';

import { PROJECT_ROOT } from '../src/project-paths.js';

export const SAMPLE_SQL_PATH = path.join(PROJECT_ROOT, 'scripts', 'sample', 'markethub-legacy.sql');
export const DEFAULT_URL = 'mysql://root@127.0.0.1:3306';
export const DEFAULT_DATABASE = 'markethub_legacy';

/** A line holding only this marker separates the chunks of the SQL file. */
const CHUNK_MARKER = '-- @@';
const DATABASE_NAME = /^[A-Za-z0-9_$]{1,64}$/;

export class SeedError extends Error {}

export interface SqlChunk {
  /** 1-based lines of the file holding the chunk's first and last statement text (comments excluded). */
  firstLine: number;
  lastLine: number;
  sql: string;
}

/**
 * Splits the SQL file on `-- @@` lines. Each chunk is sent as one query (several plain statements
 * are fine with multipleStatements); compound statements such as CREATE PROCEDURE ... BEGIN ... END
 * sit alone in their chunk, so no DELIMITER handling is needed. Chunks holding only comments are dropped.
 */
export function splitSqlChunks(text: string): SqlChunk[] {
  const chunks: SqlChunk[] = [];
  let current: { line: number; text: string }[] = [];
  const flush = () => {
    const meaningful = current.filter((l) => l.text.trim() !== '' && !l.text.trim().startsWith('--'));
    if (meaningful.length > 0) {
      chunks.push({
        firstLine: meaningful[0]!.line,
        lastLine: meaningful[meaningful.length - 1]!.line,
        sql: current.map((l) => l.text).join('\n'),
      });
    }
    current = [];
  };
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === CHUNK_MARKER) flush();
    else current.push({ line: i + 1, text: line });
  });
  flush();
  return chunks;
}

interface ServerTarget {
  host: string;
  port: number;
  user: string;
  password: string;
  /** Database named in the URL path, if any. */
  database: string | undefined;
}

function parseServerUrl(raw: string): ServerTarget {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SeedError(`--url is not a valid URL: expected something like ${DEFAULT_URL}`);
  }
  if (url.protocol !== 'mysql:' && url.protocol !== 'mariadb:') {
    throw new SeedError(`--url must be a mysql:// URL, got ${url.protocol}//`);
  }
  if (!url.hostname) throw new SeedError('--url names no host');
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || undefined;
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : 3306,
    user: decodeURIComponent(url.username) || 'root',
    password: decodeURIComponent(url.password),
    database,
  };
}

function oneLine(message: string): string {
  const flat = message.replace(/\s+/g, ' ').trim();
  return flat.length > 400 ? `${flat.slice(0, 400)}…` : flat;
}

/**
 * Drops and recreates `database` on the server at `url`, then loads the sample SQL into it.
 * Returns the number of base tables and the total number of rows across them.
 */
export async function seedLegacyDatabase(url: string, database: string): Promise<{ tables: number; rows: number }> {
  const target = parseServerUrl(url);
  const secrets = [target.password];
  if (!DATABASE_NAME.test(database)) {
    throw new SeedError(`database name ${JSON.stringify(database)} must be 1-64 letters, digits, _ or $`);
  }
  const sqlText = await readFile(SAMPLE_SQL_PATH, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new SeedError(`cannot read ${path.relative(PROJECT_ROOT, SAMPLE_SQL_PATH)}: ${err.code ?? err.message}`);
  });
  const chunks = splitSqlChunks(sqlText);
  const relativeSqlPath = path.relative(PROJECT_ROOT, SAMPLE_SQL_PATH);

  let conn: mysql.Connection;
  try {
    conn = await mysql.createConnection({
      host: target.host,
      port: target.port,
      user: target.user,
      password: target.password,
      charset: 'utf8mb4',
      multipleStatements: true,
      connectTimeout: 10_000,
    });
  } catch (err) {
    const detail = err instanceof Error ? err.message || (err as NodeJS.ErrnoException).code || 'connection failed' : String(err);
    throw new SeedError(redactSecrets(oneLine(`cannot connect to ${target.host}:${target.port}: ${detail}`), secrets));
  }

  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await conn.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await conn.query(`USE \`${database}\``);
    for (const chunk of chunks) {
      try {
        await conn.query(chunk.sql);
      } catch (err) {
        const detail = err instanceof Error ? err.message : String(err);
        const where = chunk.firstLine === chunk.lastLine ? `${chunk.firstLine}` : `${chunk.firstLine}-${chunk.lastLine}`;
        throw new SeedError(redactSecrets(oneLine(`${relativeSqlPath}:${where}: ${detail}`), secrets));
      }
    }
    const [tableRows] = await conn.query<mysql.RowDataPacket[]>(
      `SELECT TABLE_NAME AS name FROM information_schema.TABLES
        WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME`,
      [database],
    );
    let rows = 0;
    for (const { name } of tableRows) {
      const [count] = await conn.query<mysql.RowDataPacket[]>(`SELECT COUNT(*) AS n FROM \`${database}\`.\`${String(name).replace(/`/g, '``')}\``);
      rows += Number(count[0]?.n ?? 0);
    }
    return { tables: tableRows.length, rows };
  } catch (err) {
    if (err instanceof SeedError) throw err;
    const detail = err instanceof Error ? err.message : String(err);
    throw new SeedError(redactSecrets(oneLine(detail), secrets));
  } finally {
    await conn.end().catch(() => undefined);
  }
}

async function main(argv: string[]): Promise<void> {
  let values: { url?: string; database?: string; uploads?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        url: { type: 'string' },
        database: { type: 'string' },
        uploads: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new SeedError(err instanceof Error ? oneLine(err.message) : String(err));
  }
  if (values.help) {
    console.log('usage: node dist/scripts/seed-mysql.js [--url mysql://root@127.0.0.1:3306] [--database markethub_legacy] [--uploads public/Upload]');
    return;
  }
  const url = values.url ?? DEFAULT_URL;
  const database = values.database ?? parseServerUrl(url).database ?? DEFAULT_DATABASE;
  const { tables, rows } = await seedLegacyDatabase(url, database);
  console.log(`seeded ${database}: ${tables} tables, ${rows} rows`);
  if (values.uploads) {
    const files = await writeSampleUploads(await readFile(SAMPLE_SQL_PATH, 'utf8'), values.uploads);
    console.log(`wrote ${files.length} sample uploads under ${values.uploads}`);
  }
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    const message = err instanceof SeedError ? err.message : oneLine(err instanceof Error ? err.message : String(err));
    const urlArg = process.argv.find((a, i) => process.argv[i - 1] === '--url' || a.startsWith('--url='));
    const secrets = urlArg ? [safePassword(urlArg.replace(/^--url=/, ''))] : [];
    console.error(`seed-mysql: ${redactSecrets(message, secrets)}`);
    process.exitCode = 1;
  });
}

function safePassword(raw: string): string {
  try {
    return decodeURIComponent(new URL(raw).password);
  } catch {
    return '';
  }
}
