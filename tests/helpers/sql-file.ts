// Loads a fixture SQL file in the sample's format: chunks separated by lines holding only "-- @@".
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/project-paths.js';
import type mysql from 'mysql2/promise';
import { splitSqlChunks } from '../../scripts/seed-mysql.js';

export { PROJECT_ROOT };

export async function loadSqlFile(conn: mysql.Connection, relativePath: string): Promise<void> {
  const text = await readFile(path.join(PROJECT_ROOT, relativePath), 'utf8');
  for (const chunk of splitSqlChunks(text)) await conn.query(chunk.sql);
}
