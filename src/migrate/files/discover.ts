// Which columns hold upload URLs, found from the data: every text-like column of the target schema is
// matched against the uploads tree's folders inside Postgres, one pass per table, so no row travels to
// Node. Big tables are sampled first; only the columns the sample did not settle get a full pass, so a
// column with a handful of references among millions of rows is still found.
import type pg from 'pg';
import { quoteIdent as qi } from '../db/index.js';
import type { DiscoveredColumn } from '../../report/model.js';
import type { UrlColumn } from './config.js';
import { primaryKeyOf } from './rewrite.js';

/** Tables estimated larger than this are sampled first. */
const SAMPLE_ABOVE_ROWS = 200_000;
/** About this many rows are read by the sample of a big table. */
const SAMPLE_ROWS = 20_000;

export interface DiscoveryResult {
  /** Every column found, including those left alone (with why). */
  found: DiscoveredColumn[];
  /** The found columns that can be rewritten and journaled. */
  urlColumns: UrlColumn[];
  seconds: number;
}

export interface TextColumn {
  table: string;
  column: string;
  type: string;
  shape: 'text' | 'json' | 'array';
  /** citext: its LIKE and ~ fold case, so its values are matched by their text form. */
  foldsCase: boolean;
}

/** Columns whose values can hold a URL: char, varchar, text, citext, json, jsonb and arrays of those text types. */
export async function textColumns(client: pg.Client, schema: string): Promise<TextColumn[]> {
  const { rows } = await client.query<{ table: string; column: string; type: string; base: string; element: string | null; reltuples: number }>(
    `SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
            t.typname AS base, e.typname AS element
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
       JOIN pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_type e ON e.oid = t.typelem AND t.typcategory = 'A'
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')
        AND (t.typname IN ('text', 'varchar', 'bpchar', 'citext', 'json', 'jsonb') OR e.typname IN ('text', 'varchar', 'bpchar', 'citext'))
      ORDER BY c.relname, a.attnum`,
    [schema],
  );
  return rows.map((r) => ({
    table: r.table, column: r.column, type: r.type,
    shape: r.element ? 'array' : r.base === 'json' || r.base === 'jsonb' ? 'json' : 'text',
    foldsCase: r.base === 'citext',
  }));
}

/** Postgres ARE special characters escaped, for a folder name inside a pattern. */
function escapeAre(text: string): string {
  return text.replace(/[\\.^$|?*+()[\]{}]/g, '\\$&');
}

/**
 * The two patterns every value is matched with: a reference anywhere ("/uploads/<folder>/", "uploads/<folder>/"
 * at the start, or under any origin), and a value that is one reference and nothing else.
 */
export function uploadPatterns(folders: string[]): { anywhere: string; whole: string } {
  const alternatives = folders.map(escapeAre).join('|');
  return {
    anywhere: `(^|/)uploads/(${alternatives})/`,
    whole: `^((https?:)?//[^/"'<>[:space:]]+)?/?uploads/(${alternatives})/[^"<>\r\n]*$`,
  };
}

interface Counts {
  rows: number;
  anywhere: number[];
  whole: number[];
}

/** One pass over a table (or a sample of it): per column, values with a reference and values that are one. */
async function countReferences(client: pg.Client, schema: string, table: string, columns: TextColumn[], patterns: { anywhere: string; whole: string }, samplePercent?: number): Promise<Counts> {
  const text = (c: TextColumn) => (c.shape === 'text' && !c.foldsCase ? qi(c.column) : `${qi(c.column)}::text`);
  // LIKE first: a cheap test that rules out almost every value before the regular expression runs.
  const hit = (c: TextColumn, param: string) => `${text(c)} LIKE '%uploads/%' AND ${text(c)} ~ ${param}`;
  const selects = columns.flatMap((c, i) => [
    `count(*) FILTER (WHERE ${hit(c, '$1')})::float8 AS a${i}`,
    c.shape === 'text' ? `count(*) FILTER (WHERE ${hit(c, '$2')})::float8 AS w${i}` : `0::float8 AS w${i}`,
  ]);
  // REPEATABLE: the same data gives the same sample, so a dry run and the run after it report alike.
  const sample = samplePercent === undefined ? '' : ` TABLESAMPLE SYSTEM (${samplePercent.toFixed(4)}) REPEATABLE (0)`;
  // $2 appears only when some column holds text as such: a parameter the statement never names is an error.
  const params = columns.some((c) => c.shape === 'text') ? [patterns.anywhere, patterns.whole] : [patterns.anywhere];
  const { rows } = await client.query<Record<string, number>>(
    `SELECT count(*)::float8 AS rows, ${selects.join(', ')} FROM ${qi(schema)}.${qi(table)}${sample}`,
    params,
  );
  const row = rows[0]!;
  return { rows: row.rows!, anywhere: columns.map((_, i) => row[`a${i}`]!), whole: columns.map((_, i) => row[`w${i}`]!) };
}

function shapeOf(column: TextColumn, anywhere: number, whole: number): DiscoveredColumn['shape'] {
  if (column.shape !== 'text') return column.shape;
  return whole === anywhere ? 'whole' : 'embedded';
}

/** Finds the columns of `schema` whose values point at files in the given top-level upload folders. */
export async function discoverUrlColumns(client: pg.Client, schema: string, folders: string[]): Promise<DiscoveryResult> {
  const started = process.hrtime.bigint();
  const result: DiscoveryResult = { found: [], urlColumns: [], seconds: 0 };
  if (folders.length === 0) return result;
  const patterns = uploadPatterns(folders);
  const byTable = new Map<string, TextColumn[]>();
  for (const c of await textColumns(client, schema)) byTable.set(c.table, [...(byTable.get(c.table) ?? []), c]);
  const estimates = new Map(
    (await client.query<{ table: string; rows: number }>(
      `SELECT c.relname AS table, c.reltuples::float8 AS rows FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')`,
      [schema],
    )).rows.map((r) => [r.table, r.rows]),
  );
  for (const [table, columns] of byTable) {
    const found: DiscoveredColumn[] = [];
    let unsettled = columns;
    const estimate = estimates.get(table) ?? -1;
    if (estimate > SAMPLE_ABOVE_ROWS) {
      const sampled = await countReferences(client, schema, table, columns, patterns, Math.min(100, (100 * SAMPLE_ROWS) / estimate));
      const scale = sampled.rows > 0 ? estimate / sampled.rows : 0;
      columns.forEach((c, i) => {
        if (sampled.anywhere[i]! > 0) found.push({ table, column: c.column, type: c.type, values: Math.round(sampled.anywhere[i]! * scale), shape: shapeOf(c, sampled.anywhere[i]!, sampled.whole[i]!), estimated: true });
      });
      unsettled = columns.filter((_, i) => sampled.anywhere[i] === 0);
    }
    if (unsettled.length > 0) {
      const full = await countReferences(client, schema, table, unsettled, patterns);
      unsettled.forEach((c, i) => {
        if (full.anywhere[i]! > 0) found.push({ table, column: c.column, type: c.type, values: full.anywhere[i]!, shape: shapeOf(c, full.anywhere[i]!, full.whole[i]!), estimated: false });
      });
    }
    if (found.length === 0) continue;
    const rewritable = (await primaryKeyOf(client, schema, table)).length > 0;
    for (const column of columns) {
      const f = found.find((d) => d.column === column.column);
      if (!f) continue;
      if (!rewritable) f.skipped = 'the table has no primary key, so a rewrite could not be undone exactly; add one, or name the column in urlColumns after adding it';
      result.found.push(f);
      if (rewritable) result.urlColumns.push({ table, column: column.column, embedded: f.shape !== 'whole', discovered: true });
    }
  }
  result.seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return result;
}
