// Loads a fixture SQL file in the sample's format: chunks separated by lines holding only "-- @@".
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/project-paths.js';
import type mysql from 'mysql2/promise';
import { SAMPLE_SQL_PATH, splitSqlChunks } from '../../scripts/seed-mysql.js';

export { PROJECT_ROOT };

export async function loadSqlFile(conn: mysql.Connection, relativePath: string): Promise<void> {
  const text = await readFile(path.join(PROJECT_ROOT, relativePath), 'utf8');
  for (const chunk of splitSqlChunks(text)) await conn.query(chunk.sql);
}

/**
 * The sample shop's CREATE statements of the named views, triggers or routines, exactly as the sample
 * holds them (a chunk may open with the comment above its statement, or hold several statements).
 */
export async function sampleStatements(kind: 'VIEW' | 'TRIGGER' | 'PROCEDURE' | 'FUNCTION', names: string[]): Promise<string[]> {
  const statements = splitSqlChunks(await readFile(SAMPLE_SQL_PATH, 'utf8'))
    .flatMap((c) => c.sql.split(/;\s*\n(?=\s*(?:--|CREATE\b))/))
    .map((sql) => sql.replace(/^(\s*--[^\n]*\n)+/, '').trim().replace(/;\s*$/, ''));
  const found = names.map((name) => statements.find((sql) => sql.startsWith(`CREATE ${kind} \`${name}\``)));
  const missing = names.filter((_, i) => !found[i]);
  if (missing.length) throw new Error(`the sample has no ${kind} ${missing.join(', ')}`);
  return found as string[];
}
