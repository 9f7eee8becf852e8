// Undo URL rewrites from the journal: the old value comes back only where the column still holds the
// value we wrote; anything the app changed since is a conflict, left alone unless forced.
import type pg from 'pg';
import { KEEP_TIMESTAMPS_SETTING, quoteIdent as qi, quoteLiteral } from '../db/index.js';
import { inTransaction, LEDGER_SCHEMA } from '../ledger/index.js';
import { columnText, journalKeyMatch, primaryKeyOf, valueKindOf, type ValueKind } from '../files/rewrite.js';

export interface UrlConflict {
  schema: string;
  table: string;
  column: string;
  key: Record<string, unknown>;
  wrote: string;
  now: string | null;
}

export interface UrlUndoResult {
  /** table -> values restored (or, in a dry run, that would be). */
  restored: Record<string, number>;
  conflicts: UrlConflict[];
}


interface OpenRewrites {
  table_schema: string;
  table_name: string;
}

/** Each column of a table with its kind and SQL type: json, jsonb and arrays are journaled as text. */
async function columnKinds(client: pg.Client, schema: string, table: string): Promise<Map<string, { kind: ValueKind | undefined; type: string }>> {
  const { rows } = await client.query<{ name: string; base: string; element: string | null; type: string }>(
    `SELECT a.attname AS name, t.typname AS base, e.typname AS element, format_type(a.atttypid, a.atttypmod) AS type
       FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_type e ON e.oid = t.typelem AND t.typcategory = 'A'
      WHERE a.attrelid = format('%I.%I', $1::text, $2::text)::regclass AND a.attnum > 0 AND NOT a.attisdropped`,
    [schema, table],
  );
  return new Map(rows.map((r) => [r.name, { kind: valueKindOf(r.base, r.element), type: r.type }]));
}

/** Journal rows not yet undone, restored newest first, one transaction per table. */
export async function undoUrlRewrites(client: pg.Client, options: { force: boolean; dryRun: boolean; runId: number | null }): Promise<UrlUndoResult> {
  const result: UrlUndoResult = { restored: {}, conflicts: [] };
  const { rows: tables } = await client.query<OpenRewrites>(
    `SELECT DISTINCT table_schema, table_name FROM ${LEDGER_SCHEMA}.url_rewrites WHERE undone_at IS NULL ORDER BY 1, 2`,
  );
  for (const { table_schema: schema, table_name: table } of tables) {
    const keys = await primaryKeyOf(client, schema, table);
    const target = `${qi(schema)}.${qi(table)}`;
    const match = journalKeyMatch(keys);
    const kinds = await columnKinds(client, schema, table);
    // A text column is read as to_jsonb renders it (char padding kept); the others by their text form,
    // the form their journal entries were written in.
    const textual = [...kinds].filter(([, k]) => k.kind === 'json' || k.kind === 'array');
    const current = textual.length
      ? `CASE j.column_name ${textual.map(([name, k]) => `WHEN ${quoteLiteral(name)} THEN ${columnText(name, k.kind!, 't')}`).join(' ')} ELSE to_jsonb(t) ->> j.column_name END`
      : 'to_jsonb(t) ->> j.column_name';
    await inTransaction(client, async () => {
      await client.query(`SET LOCAL ${KEEP_TIMESTAMPS_SETTING} = 'on'`);
      const { rows: journal } = await client.query<{ id: string; column_name: string; row_key: Record<string, unknown>; new_value: string; current: string | null; present: boolean }>(
        `SELECT j.id::text, j.column_name, j.row_key, j.new_value, r.current, r.present
           FROM ${LEDGER_SCHEMA}.url_rewrites j
           LEFT JOIN LATERAL (SELECT ${current} AS current, true AS present FROM ${target} t WHERE ${match}) r ON true
          WHERE j.undone_at IS NULL AND j.table_schema = $1 AND j.table_name = $2
          ORDER BY j.id DESC
          FOR UPDATE OF j`,
        [schema, table],
      );
      const restorable: string[] = [];
      for (const j of journal) {
        if (j.present && (j.current === j.new_value || options.force)) restorable.push(j.id);
        else result.conflicts.push({ schema, table, column: j.column_name, key: j.row_key, wrote: j.new_value, now: j.present ? j.current : null });
      }
      result.restored[table] = restorable.length;
      if (options.dryRun || restorable.length === 0) return;
      // One statement per column (its name is part of the statement). A cell with several open entries
      // goes back to the oldest one's old value: what was there before markethub touched it.
      const chosen = new Set(restorable);
      for (const column of [...new Set(journal.filter((j) => chosen.has(j.id)).map((j) => j.column_name))]) {
        const ids = journal.filter((j) => j.column_name === column && chosen.has(j.id)).map((j) => j.id);
        await client.query(
          `UPDATE ${target} t SET ${qi(column)} = j.old_value${kinds.get(column)?.kind === 'json' || kinds.get(column)?.kind === 'array' ? `::${kinds.get(column)!.type}` : ''}
             FROM (SELECT DISTINCT ON (row_key) * FROM ${LEDGER_SCHEMA}.url_rewrites WHERE id = ANY($1::bigint[]) ORDER BY row_key, id) j
            WHERE ${match}`,
          [ids],
        );
        await client.query(`UPDATE ${LEDGER_SCHEMA}.url_rewrites SET undone_at = now(), undone_run_id = $2, undo_xid = pg_current_xact_id()::text::bigint % 4294967296 WHERE id = ANY($1::bigint[])`, [ids, options.runId]);
      }
    });
  }
  return result;
}
