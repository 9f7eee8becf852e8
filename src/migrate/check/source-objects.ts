// What the source holds and what `migrate db` will have to report about it: sizes and row estimates,
// values Postgres cannot hold as they are, and the objects that are listed instead of created.
import type { RowDataPacket } from 'mysql2/promise';
import type { Note } from '../../report/model.js';
import type { MysqlConnection, SourcePlan } from '../db/index.js';
import type { CheckItem } from './model.js';
import type { ZeroDates } from './zero-dates.js';

export interface SourceTableSize {
  table: string;
  rowEstimate: number;
  bytes: number;
}

export async function tableSizes(conn: MysqlConnection, database: string, tables: string[]): Promise<SourceTableSize[]> {
  const [rows] = await conn.query<RowDataPacket[]>(
    'SELECT TABLE_NAME AS name, TABLE_ROWS AS rowEstimate, COALESCE(DATA_LENGTH, 0) + COALESCE(INDEX_LENGTH, 0) AS bytes FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?',
    [database],
  );
  const wanted = new Set(tables);
  return rows
    .filter((r) => wanted.has(r.name))
    .map((r) => ({ table: r.name as string, rowEstimate: Number(r.rowEstimate ?? 0), bytes: Number(r.bytes) }))
    .sort((a, b) => b.bytes - a.bytes || a.table.localeCompare(b.table));
}

export function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

export function sizeItem(sizes: SourceTableSize[]): CheckItem {
  const bytes = sizes.reduce((n, t) => n + t.bytes, 0);
  const rows = sizes.reduce((n, t) => n + t.rowEstimate, 0);
  const largest = sizes.slice(0, 3).map((t) => `${t.table} ~${t.rowEstimate} rows, ${megabytes(t.bytes)}`).join('; ');
  return {
    area: 'source', check: 'size', status: 'info', commands: ['migrate db'],
    detail: `${sizes.length} tables, ~${rows} rows (estimate), ${megabytes(bytes)} with indexes${largest ? `; largest: ${largest}` : ''}`,
  };
}

const BIGINT_WIDENED = /^bigint unsigned -> numeric/;

/** The notes `migrate db` would make, as rows: every one that changes a value or drops an object is a warning. */
export function reportedObjectItems({ catalog, plan }: SourcePlan, zeroDates: ZeroDates[]): CheckItem[] {
  const items: CheckItem[] = [];
  const row = (check: string, status: CheckItem['status'], detail: string): CheckItem => ({ area: 'source', check, status, detail, commands: ['migrate db'] });

  for (const note of plan.notes.filter((n) => n.kind === 'type' && /unsigned/.test(n.what))) {
    items.push(row(`unsigned ${note.table}.${note.column}`, BIGINT_WIDENED.test(note.what) ? 'warn' : 'info', `${note.what}: ${note.why}`));
  }
  for (const z of zeroDates) {
    const then = z.nullable ? 'they arrive as NULL' : 'they arrive as NULL and the column loses NOT NULL';
    items.push(row(`zero dates ${z.table}.${z.column}`, 'warn', `${z.rows} row(s) hold zero, partial or impossible dates: ${then}`));
  }
  for (const note of plan.notes.filter((n) => n.kind === 'not-migrated')) {
    items.push(row(note.what.replace(/ not migrated$/, ''), 'warn', `not migrated${note.table ? ` (on ${note.table})` : ''}: ${note.why}`));
  }
  const other = countByKind(plan.notes.filter((n) => n.kind !== 'not-migrated' && !(n.kind === 'type' && /unsigned/.test(n.what))));
  if (other) items.push(row('other changes', 'info', `${other} (each listed with --json and in the migrate db report)`));
  // The MySQL names of the objects of these kinds that migrate db translates ("trigger x -> ...").
  const translated = (kinds: RegExp) => plan.notes.filter((n) => n.kind === 'routine' && kinds.test(n.what.split(' ')[0]) && n.what.includes(' -> ')).map((n) => n.what.split(' ')[1]).sort();
  const triggers = translated(/^trigger$/);
  if (triggers.length) items.push(row('triggers', 'info', `${triggers.length} translated to PL/pgSQL and created after the data (${triggers.join(', ')}): the functions are in migrate db --dry-run`));
  const routines = translated(/^(function|procedure)$/);
  if (routines.length) items.push(row('functions and procedures', 'info', `${routines.length} translated to PL/pgSQL (${routines.join(', ')}), created before the views: the definitions are in migrate db --dry-run`));
  const events = translated(/^event$/);
  if (events.length) items.push(row('events', 'info', `${events.length} translated to procedures run on their MySQL schedule by markethub_jobs.run_due_database_events(), which pg_cron or the app's cron route calls (${events.join(', ')})`));
  if (catalog.views.length) items.push(row('views', 'info', `${catalog.views.length} translated and created after the data (${catalog.views.map((v) => v.name).join(', ')}): see the DDL trial`));
  return items;
}

function countByKind(notes: Note[]): string {
  const counts = new Map<string, number>();
  for (const n of notes) counts.set(n.kind, (counts.get(n.kind) ?? 0) + 1);
  return [...counts.entries()].map(([kind, n]) => `${n} ${kind}`).join(', ');
}
