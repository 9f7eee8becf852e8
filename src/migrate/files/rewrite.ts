// Upload URLs in Postgres -> CDN URLs, only for objects confirmed in the bucket, every change journaled
// in the same transaction as the change itself.
import type pg from 'pg';
import { UserError } from '../../config/errors.js';
import { KEEP_TIMESTAMPS_SETTING, quoteIdent as qi, quoteLiteral } from '../db/index.js';
import { inTransaction, LEDGER_SCHEMA } from '../ledger/index.js';
import type { ColumnRewriteReport, ReferenceProblem } from '../../report/model.js';
import type { FilesMapping, UrlColumn } from './config.js';
import { locationId, publicUrlOf, type ObjectLocation } from './keys.js';
import { arrayLiteral, candidatePaths, rewriteAnyValue, rewriteArrayItems, rewriteEmbeddedValue, rewriteJsonText, rewriteWholeValue, type Resolution, type RewriteResult } from './references.js';

const BATCH_ROWS = 1000;


const WHY: Record<ReferenceProblem['what'], string> = {
  dangling: 'no such file under the uploads root; left as it was, already broken before the move',
  'not-uploaded': 'the file exists locally but is not confirmed in the bucket; re-run migrate files',
  'absolute-left': 'absolute URL on a host not listed in legacyOrigins; left as it was',
};

export interface RewriteContext {
  schema: string;
  cdnBase: string;
  mapping: FilesMapping;
  /** NFC path under the uploads root -> where that file goes. */
  localPaths: Map<string, ObjectLocation>;
  /** locationIds of the objects confirmed in the bucket. */
  confirmed: ReadonlySet<string>;
  dryRun: boolean;
  migrationKey: string;
  runId: number | null;
}

export function resolverFor(context: Pick<RewriteContext, 'cdnBase' | 'localPaths' | 'confirmed'>): (afterUploads: string) => Resolution {
  return (afterUploads) => {
    let missing: 'dangling' | 'not-uploaded' = 'dangling';
    for (const candidate of candidatePaths(afterUploads)) {
      const location = context.localPaths.get(candidate.path.normalize('NFC'));
      if (!location) continue;
      if (context.confirmed.has(locationId(location))) return { url: publicUrlOf(context.cdnBase, location.key) + candidate.suffix };
      missing = 'not-uploaded';
    }
    return { missing };
  };
}

export interface ColumnShape {
  keyColumns: { name: string; type: string }[];
  /** How the column holds its value: text as such, a JSON document, or an array of text. */
  kind: ValueKind;
  /** The column's SQL type, e.g. "jsonb", "text[]". */
  type: string;
}

export type ValueKind = 'text' | 'json' | 'array';

const TEXT_TYPES = ['text', 'varchar', 'bpchar', 'citext'];

/** The kind of a column from its pg_type name (and its element's, for an array), or undefined when it cannot hold a URL. */
export function valueKindOf(typeName: string, elementTypeName: string | null): ValueKind | undefined {
  if (elementTypeName !== null) return TEXT_TYPES.includes(elementTypeName) ? 'array' : undefined;
  if (TEXT_TYPES.includes(typeName)) return 'text';
  if (typeName === 'json' || typeName === 'jsonb') return 'json';
  return undefined;
}

/**
 * The column as text in SQL: json, jsonb and arrays are compared and journaled by their text form, and so
 * is citext (`type`), whose =, LIKE and ~ fold case where a rewrite must compare exactly.
 */
export function columnText(column: string, kind: ValueKind, alias?: string, type?: string): string {
  const ref = alias ? `${alias}.${qi(column)}` : qi(column);
  return kind === 'text' && !/(^|\.)citext$/.test(type ?? '') ? ref : `${ref}::text`;
}

/**
 * SQL matching row `t` to the journal row `j` that names it by its key (`row_key`, a JSON object of
 * key column -> value), comparing in each column's own type so the primary key index serves.
 */
export function journalKeyMatch(keyColumns: ColumnShape['keyColumns']): string {
  return keyColumns.map((k) => `t.${qi(k.name)} = (j.row_key->>${quoteLiteral(k.name)})::${k.type}`).join(' AND ');
}

/** The primary key columns of a table, in key order, with their SQL types. */
export async function primaryKeyOf(client: pg.Client, schema: string, table: string): Promise<ColumnShape['keyColumns']> {
  const { rows } = await client.query<{ name: string; type: string }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type
       FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
      WHERE i.indrelid = format('%I.%I', $1::text, $2::text)::regclass AND i.indisprimary
      ORDER BY array_position(i.indkey, a.attnum)`,
    [schema, table],
  );
  return rows;
}

/** Fails with one line when a configured URL column is missing or cannot be journaled. */
async function columnShape(client: pg.Client, schema: string, column: UrlColumn): Promise<ColumnShape> {
  const { rows: found } = await client.query<{ base: string; element: string | null; type: string }>(
    `SELECT t.typname AS base, e.typname AS element, format_type(a.atttypid, a.atttypmod) AS type
       FROM pg_attribute a
       JOIN pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_type e ON e.oid = t.typelem AND t.typcategory = 'A'
      WHERE a.attrelid = to_regclass(format('%I.%I', $1::text, $2::text)) AND a.attname = $3 AND a.attnum > 0 AND NOT a.attisdropped`,
    [schema, column.table, column.column],
  );
  const name = `${column.table}.${column.column}`;
  if (found.length === 0) throw new UserError(`URL column ${name} not found in schema "${schema}" of the target; fix urlColumns in --config (or run migrate db first)`);
  const kind = valueKindOf(found[0]!.base, found[0]!.element);
  if (!kind) throw new UserError(`URL column ${name} is ${found[0]!.type}, not text, json, jsonb or an array of text`);
  const keys = await primaryKeyOf(client, schema, column.table);
  if (keys.length === 0) throw new UserError(`table ${column.table} has no primary key: its URL rewrites could not be undone exactly; add one or drop it from urlColumns`);
  return { keyColumns: keys, kind, type: found[0]!.type };
}

export async function rewriteUrls(client: pg.Client, context: RewriteContext, urlColumns: UrlColumn[]): Promise<{ columns: ColumnRewriteReport[]; problems: ReferenceProblem[] }> {
  const resolve = resolverFor(context);
  const columns: ColumnRewriteReport[] = [];
  const problems: ReferenceProblem[] = [];
  for (const column of urlColumns) {
    const shape = await columnShape(client, context.schema, column);
    columns.push(await rewriteColumn(client, context, column, shape, resolve, problems));
  }
  return { columns, problems };
}

async function rewriteColumn(
  client: pg.Client,
  context: RewriteContext,
  column: UrlColumn,
  shape: ColumnShape,
  resolve: (afterUploads: string) => Resolution,
  problems: ReferenceProblem[],
): Promise<ColumnRewriteReport> {
  const report: ColumnRewriteReport = { table: column.table, column: column.column, embedded: column.embedded, rowsRewritten: 0, referencesRewritten: 0, dangling: 0, notUploaded: 0, absoluteLeft: 0, changedMeanwhile: 0 };
  const table = `${qi(context.schema)}.${qi(column.table)}`;
  const keys = shape.keyColumns.map((k) => qi(k.name)).join(', ');
  const target = qi(column.column);
  const text = columnText(column.column, shape.kind, undefined, shape.type);
  const rewrite = valueRewriter(column, shape.kind);
  let after: unknown[] | null = null;
  for (;;) {
    // Keyset pages: a big table is read in key order without holding it in memory.
    const keyFilter: string = after ? `AND (${keys}) > (${after.map((_, i) => `$${i + 1}`).join(', ')})` : '';
    const { rows }: { rows: Record<string, unknown>[] } = await client.query<Record<string, unknown>>(
      `SELECT ${keys}, ${text} AS value${shape.kind === 'array' ? `, ${target} AS items` : ''} FROM ${table} WHERE ${text} LIKE '%uploads/%' ${keyFilter} ORDER BY ${keys} LIMIT ${BATCH_ROWS}`,
      after ?? [],
    );
    if (rows.length === 0) break;
    const last: Record<string, unknown> = rows[rows.length - 1]!;
    after = shape.keyColumns.map((k) => last[k.name]);
    const changes: { key: unknown[]; old: string; new: string }[] = [];
    for (const row of rows) {
      const key = Object.fromEntries(shape.keyColumns.map((k) => [k.name, row[k.name]]));
      const result = rewrite(row, resolve, context.mapping.legacyOrigins);
      for (const r of result.references) {
        if (r.outcome === 'rewritten') report.referencesRewritten++;
        else {
          if (r.outcome === 'dangling') report.dangling++;
          else report.notUploaded++;
          problems.push({ table: column.table, column: column.column, key, reference: r.reference, what: r.outcome, why: WHY[r.outcome] });
        }
      }
      for (const reference of result.absoluteLeft) {
        report.absoluteLeft++;
        problems.push({ table: column.table, column: column.column, key, reference, what: 'absolute-left', why: WHY['absolute-left'] });
      }
      if (result.value !== row.value) changes.push({ key: shape.keyColumns.map((k) => row[k.name]), old: row.value as string, new: result.value });
    }
    if (changes.length === 0) continue;
    if (context.dryRun) {
      report.rowsRewritten += changes.length;
      continue;
    }
    const written = await applyChanges(client, context, column, shape, changes);
    report.rowsRewritten += written;
    report.changedMeanwhile += changes.length - written;
  }
  return report;
}

/** What a row's value becomes, by the column's kind (and, for a named text column, its shape). */
function valueRewriter(column: UrlColumn, kind: ValueKind): (row: Record<string, unknown>, resolve: (afterUploads: string) => Resolution, legacyOrigins: string[]) => RewriteResult {
  if (kind === 'json') return (row, resolve, origins) => rewriteJsonText(row.value as string, resolve, origins);
  if (kind === 'array') {
    return (row, resolve, origins) => {
      const { items, result } = rewriteArrayItems(row.items as unknown[], resolve, origins);
      // Unchanged elements leave the value as Postgres wrote it; a changed array is written as a literal.
      return { ...result, value: result.references.some((r) => r.outcome === 'rewritten') ? arrayLiteral(items) : (row.value as string) };
    };
  }
  const rewrite = column.discovered ? rewriteAnyValue : column.embedded ? rewriteEmbeddedValue : rewriteWholeValue;
  return (row, resolve, origins) => rewrite(row.value as string, resolve, origins);
}

/** One statement: update rows whose value is still the one read, and journal exactly those. */
async function applyChanges(client: pg.Client, context: RewriteContext, column: UrlColumn, shape: ColumnShape, changes: { key: unknown[]; old: string; new: string }[]): Promise<number> {
  const n = shape.keyColumns.length;
  const keyAliases = shape.keyColumns.map((_, i) => `k${i}`);
  const unnestArgs = shape.keyColumns.map((k, i) => `$${i + 1}::${k.type}[]`).concat([`$${n + 1}::text[]`, `$${n + 2}::text[]`]);
  const table = `${qi(context.schema)}.${qi(column.table)}`;
  const target = qi(column.column);
  // json, jsonb and arrays are compared by their text form and journaled as Postgres renders the value
  // written (jsonb's canonical text), so rollback's check that nobody changed it compares like with like.
  const plain = shape.kind === 'text';
  const sql = `
    WITH v AS (SELECT * FROM unnest(${unnestArgs.join(', ')}) AS v(${keyAliases.join(', ')}, old_value, new_value)),
    changed AS (
      UPDATE ${table} t SET ${target} = ${plain ? 'v.new_value' : `v.new_value::${shape.type}`} FROM v
       WHERE ${shape.keyColumns.map((k, i) => `t.${qi(k.name)} = v.k${i}`).join(' AND ')} AND ${columnText(column.column, shape.kind, 't', shape.type)} = v.old_value
      RETURNING ${keyAliases.map((a) => `v.${a}`).join(', ')}, v.old_value, ${plain ? 'v.new_value' : `${columnText(column.column, shape.kind, 't')} AS new_value`})
    INSERT INTO ${LEDGER_SCHEMA}.url_rewrites (migration_key, run_id, table_schema, table_name, column_name, row_key, old_value, new_value)
    SELECT $${n + 3}, $${n + 4}, $${n + 5}, $${n + 6}, $${n + 7},
           jsonb_build_object(${shape.keyColumns.map((k, i) => `${quoteLiteral(k.name)}, ${keyAliases[i]}`).join(', ')}), old_value, new_value
      FROM changed`;
  const params = [
    ...shape.keyColumns.map((_, i) => changes.map((c) => c.key[i])),
    changes.map((c) => c.old),
    changes.map((c) => c.new),
    context.migrationKey, context.runId, context.schema, column.table, column.column,
  ];
  return inTransaction(client, async () => {
    await client.query(`SET LOCAL ${KEEP_TIMESTAMPS_SETTING} = 'on'`);
    const result = await client.query(sql, params);
    return result.rowCount ?? 0;
  });
}
