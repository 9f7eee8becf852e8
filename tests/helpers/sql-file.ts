// Loads a fixture SQL file whose statements are separated by lines holding only "-- @@".
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type mysql from 'mysql2/promise';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export async function loadSqlFile(conn: mysql.Connection, relativePath: string): Promise<void> {
  const text = await readFile(path.join(PROJECT_ROOT, relativePath), 'utf8');
  for (const statement of text.split(/^-- @@$/m)) {
    const sql = statement.replace(/^--.*$/gm, '').trim();
    if (sql) await conn.query(sql);
  }
}
