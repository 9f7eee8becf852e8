// After a --data-only load with foreign-key triggers off, every foreign key of the loaded tables is
// checked by query: rows that break one are reported, never hidden.
import type pg from 'pg';
import type { Note } from '../../report/model.js';
import { quoteIdent as qi } from './plan/expression.js';

interface ForeignKey {
  name: string;
  child: string;
  parentSchema: string;
  parent: string;
  columns: string[];
  referenced: string[];
}

async function foreignKeysOf(client: pg.Client, schema: string, tables: string[]): Promise<ForeignKey[]> {
  const { rows } = await client.query<ForeignKey>(
    `SELECT c.conname AS name, ch.relname AS child, pn.nspname AS "parentSchema", pa.relname AS parent,
            ARRAY(SELECT attname FROM unnest(c.conkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY i)::text[] AS columns,
            ARRAY(SELECT attname FROM unnest(c.confkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY i)::text[] AS referenced
       FROM pg_constraint c
       JOIN pg_class ch ON ch.oid = c.conrelid JOIN pg_namespace n ON n.oid = ch.relnamespace
       JOIN pg_class pa ON pa.oid = c.confrelid JOIN pg_namespace pn ON pn.oid = pa.relnamespace
      WHERE c.contype = 'f' AND n.nspname = $1 AND ch.relname = ANY($2)`,
    [schema, tables],
  );
  return rows;
}

export async function orphanNotes(client: pg.Client, schema: string, tables: string[]): Promise<Note[]> {
  const notes: Note[] = [];
  for (const fk of await foreignKeysOf(client, schema, tables)) {
    const present = fk.columns.map((c) => `c.${qi(c)} IS NOT NULL`).join(' AND ');
    const match = fk.columns.map((c, i) => `p.${qi(fk.referenced[i])} = c.${qi(c)}`).join(' AND ');
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${qi(schema)}.${qi(fk.child)} c
        WHERE ${present} AND NOT EXISTS (SELECT 1 FROM ${qi(fk.parentSchema)}.${qi(fk.parent)} p WHERE ${match})`,
    );
    if (rows[0].n) {
      notes.push({ kind: 'constraint', table: fk.child, what: `${rows[0].n} rows break foreign key ${fk.name}`, why: `their (${fk.columns.join(', ')}) has no match in ${fk.parent}; they were loaded with foreign-key checks off and are kept` });
    }
  }
  return notes;
}
