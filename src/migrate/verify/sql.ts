// Every SQL string the verification sends, built in one place, MySQL and Postgres side by side.
// A range summary is COUNT(*) plus the MD5 of the range's row texts joined in key order: one hash per
// range rather than per row, which is most of the cost on both servers. Rows are read through the key's
// index, so both sides join them in key order; were they not, the digests would differ and the range
// would be halved and compared row by row: slower, never wrong.
import { quoteIdent, quoteMysqlIdentifier, type KeyRange, type KeysetRange, type KeyTuple } from '../db/index.js';
import type { Keyset } from './keyset.js';
import type { ColumnRender, HashElement } from './column-comparison.js';

export interface TableNames {
  /** Quoted MySQL table name. */
  mysql: string;
  /** Quoted, schema-qualified Postgres table name. */
  postgres: string;
}

export function tableNames(sourceName: string, schema: string, targetName: string): TableNames {
  return { mysql: quoteMysqlIdentifier(sourceName), postgres: `${quoteIdent(schema)}.${quoteIdent(targetName)}` };
}

/**
 * Rows are read through the alias t, and ordered by t.key: an unqualified ORDER BY name would pick an
 * output column of that name first, such as the key cast to text, and sort it as text.
 */
const ALIAS = 't';

/** NULL as an element of the hashed text: no rendered value is '\N' (text is framed by its length). */
const MYSQL_NULL = "X'5C4E'";
const POSTGRES_NULL = "E'\\\\N'";

/**
 * A row's text on MySQL: the elements, NULL marked, between unit separators; a framed element is two,
 * its length and its bytes (NULL: one marker, as CONCAT_WS skips the NULL bytes). COALESCE with a binary
 * literal makes every element a binary string without a CAST of its own, which costs a quarter of the
 * query: the elements are UTF-8 bytes or ASCII already.
 */
function mysqlText(elements: HashElement[], quick = false): string {
  const args = elements.map((e) => {
    const text = (quick && e.quick) || e.mysql;
    // A quick text of a NOT NULL source column is never NULL: no marker to put in (a tenth of the query).
    if (quick && e.quick && e.quickNotNull) return e.framed ? `LENGTH(${text}), ${text}` : text;
    return e.framed ? `COALESCE(LENGTH(${text}), ${MYSQL_NULL}), ${text}` : `COALESCE(${text}, ${MYSQL_NULL})`;
  });
  return `CONCAT_WS(X'1F', ${args.join(', ')})`;
}

/**
 * The same text on Postgres. concat_ws prints a value with its type's output function, as a cast to text
 * would, but without then copying the text through the text type's input: a quarter of the query. A
 * NULL needs the marker, so a column that may hold one is cast to text for coalesce.
 */
function postgresText(elements: HashElement[]): string {
  const args = elements.map((e) => {
    const marked = (value: string) => (e.targetNotNull ? value : `coalesce(${value}::text, ${POSTGRES_NULL})`);
    return e.framed ? `${marked(`octet_length(${e.postgres})`)}, ${e.postgres}` : marked(e.postgres);
  });
  return `concat_ws(chr(31), ${args.join(', ')})`;
}

const hashed = (renders: ColumnRender[]): HashElement[] => renders.flatMap((r) => (r.hash ? [r.hash] : []));
const loose = (renders: ColumnRender[]): HashElement[] => renders.flatMap((r) => (r.loose ? [r.loose] : []));

/** The MD5 (hex) of a row's canonical text on MySQL. */
export function mysqlRowMd5(renders: ColumnRender[]): string {
  const elements = hashed(renders);
  return elements.length ? `MD5(${mysqlText(elements)})` : `MD5('')`;
}

export function postgresRowMd5(renders: ColumnRender[]): string {
  const elements = hashed(renders);
  return elements.length ? `md5(${postgresText(elements)})` : `md5('')`;
}

/**
 * The MD5 of the rows' texts in read order, or NULL without rows. Each text holds the row's key (the hashed
 * columns include it; `key` leads the others), so rows cannot trade values.
 */
function mysqlDigest(elements: HashElement[], quick: boolean, key?: HashElement): string {
  return elements.length ? `MD5(GROUP_CONCAT(${mysqlText(key ? [key, ...elements] : elements, quick)} SEPARATOR X'1E'))` : 'NULL';
}

function postgresDigest(elements: HashElement[], key?: HashElement): string {
  return elements.length ? `md5(string_agg(${postgresText(key ? [key, ...elements] : elements)}, chr(30)))` : 'NULL';
}

/** How many values of the row the migration changed on purpose. */
export function mysqlExpectedCount(renders: ColumnRender[]): string {
  const terms = renders.flatMap((r) => (r.mysqlExpected ? [`IFNULL(${r.mysqlExpected}, 0)`] : []));
  return terms.length ? terms.join(' + ') : '0';
}

function condition(column: string, range: KeyRange): string {
  const parts = [range.from !== null ? `${column} >= ${range.from}` : null, range.to !== null ? `${column} < ${range.to}` : null].filter(Boolean);
  return parts.length ? ` WHERE ${parts.join(' AND ')}` : '';
}

const mysqlWhere = (key: string, range: KeyRange) => condition(quoteMysqlIdentifier(key), range);
const postgresWhere = (key: string, range: KeyRange) => condition(quoteIdent(key), range);

export interface SummaryQueries {
  mysql: string;
  postgres: string;
}

/**
 * Row count, digest of the hashed columns, digest of the pre-checked columns (NULL without any) and, on
 * MySQL, the values the migration changes on purpose, which a quick summary does not count (its digests
 * differ wherever there are any). FORCE INDEX: the rows are joined in key order, even where a secondary
 * index would cover the query (the key is the table's primary key).
 */
export function summaryQueries(names: TableNames, key: { source: string; target: string }, renders: ColumnRender[], range: KeyRange, quick = false): SummaryQueries {
  const mk = quoteMysqlIdentifier(key.source);
  // The key is never NULL: the Postgres query reads only rows that have one.
  const keyElement: HashElement = { mysql: mk, postgres: quoteIdent(key.target), targetNotNull: true };
  const expected = quick ? '0' : `COALESCE(SUM(${mysqlExpectedCount(renders)}), 0)`;
  const keyHashed = renders.some((r) => r.name === key.target && r.hash);
  return {
    mysql:
      `SELECT COUNT(*), ${mysqlDigest(hashed(renders), quick, keyHashed ? undefined : keyElement)}, ${mysqlDigest(loose(renders), quick, keyElement)}, ${expected}` +
      ` FROM ${names.mysql} FORCE INDEX (PRIMARY)${mysqlWhere(key.source, range)}`,
    // Without a bound, the key's index is used only for a condition on the key.
    postgres:
      `SELECT count(*), ${postgresDigest(hashed(renders), keyHashed ? undefined : keyElement)}, ${postgresDigest(loose(renders), keyElement)}` +
      ` FROM ${names.postgres}${postgresWhere(key.target, range) || ` WHERE ${quoteIdent(key.target)} IS NOT NULL`}`,
  };
}

/** Smallest and largest key in the range: read from the key's index. */
export function boundsQueries(names: TableNames, key: { source: string; target: string }, range: KeyRange): SummaryQueries {
  const mk = quoteMysqlIdentifier(key.source);
  const pk = quoteIdent(key.target);
  return {
    mysql: `SELECT MIN(${mk}), MAX(${mk}) FROM ${names.mysql}${mysqlWhere(key.source, range)}`,
    postgres: `SELECT min(${pk})::text, max(${pk})::text FROM ${names.postgres}${postgresWhere(key.target, range)}`,
  };
}

/** Key first, then the given columns, in key order. */
export function rowQueries(names: TableNames, key: { source: string; target: string }, renders: ColumnRender[], range: KeyRange): SummaryQueries {
  const mk = quoteMysqlIdentifier(key.source);
  const pk = quoteIdent(key.target);
  const mysqlColumns = renders.map((r) => `, ${r.mysql}`).join('');
  const postgresColumns = renders.map((r) => `, ${r.postgres}`).join('');
  return {
    mysql: `SELECT ${mk}${mysqlColumns} FROM ${names.mysql} AS ${ALIAS}${mysqlWhere(key.source, range)} ORDER BY ${ALIAS}.${mk}`,
    postgres: `SELECT ${pk}::text${postgresColumns} FROM ${names.postgres} AS ${ALIAS}${postgresWhere(key.target, range)} ORDER BY ${ALIAS}.${pk}`,
  };
}

/**
 * Tables without an integer key: every row with the MD5 of its hashed columns first, sorted by it in the
 * database (by bytes on both sides), so equal rows meet side by side however big the table. MySQL adds the
 * expected-change count last.
 */
export function multisetQueries(names: TableNames, renders: ColumnRender[]): SummaryQueries {
  return {
    mysql: `SELECT CAST(${mysqlRowMd5(renders)} AS BINARY) AS row_md5${renders.map((r) => `, ${r.mysql}`).join('')}, ${mysqlExpectedCount(renders)} FROM ${names.mysql} ORDER BY 1`,
    postgres: `SELECT ${postgresRowMd5(renders)} COLLATE "C" AS row_md5${renders.map((r) => `, ${r.postgres}`).join('')} FROM ${names.postgres} ORDER BY 1`,
  };
}

// Tables keyed by any other primary key: ranges bounded by key tuples (see ../db/keyset.ts), in the
// order both sides share (keyset.ts). MariaDB serves a row-value comparison from no index, so its
// condition is the exact comparison in the shared order, after a looser one the primary key index can
// serve: the columns both bounds share, by equality, and the first they do not share by its bounds
// (text by the prefixes the bounds allow, in the column's own collation, which may only widen it).

/** MySQL LIKE pattern, as a hex literal, for text starting with `prefix`; '!' escapes, whatever the SQL mode makes of backslashes. */
function mysqlPrefixPattern(prefix: string): string {
  const escaped = Buffer.from(prefix.replace(/[!%_]/g, (c) => `!${c}`) + '%', 'utf8');
  return `_utf8mb4 X'${escaped.toString('hex')}' ESCAPE '!'`;
}

/** Most first characters a text bound spells out one by one; past it, only their common prefix narrows the range. */
const PREFIX_CHARACTERS = 128;

/** A condition the column's index serves, true of every text from `low` to `high` in byte order (null: unbounded). */
function mysqlTextSuperset(column: string, low: string | null, high: string | null): string | null {
  if (high === null) return null;
  const lowChars = low === null ? [] : [...low];
  const highChars = [...high];
  let common = 0;
  while (common < lowChars.length && common < highChars.length && lowChars[common] === highChars[common]) common++;
  const prefix = highChars.slice(0, common).join('');
  // Texts between the bounds start with the common prefix, then a character between theirs (any, past a shorter low).
  const from = common < lowChars.length ? lowChars[common].codePointAt(0)! : 0;
  // The high bound is the common prefix itself: only it (or nothing, past a longer low) lies between.
  if (common >= highChars.length) return `${column} = _utf8mb4 X'${Buffer.from(prefix, 'utf8').toString('hex')}'`;
  const to = highChars[common].codePointAt(0)!;
  if (to - from >= PREFIX_CHARACTERS) return prefix ? `${column} LIKE ${mysqlPrefixPattern(prefix)}` : null;
  const alternatives = common >= lowChars.length ? [`${column} = _utf8mb4 X'${Buffer.from(prefix, 'utf8').toString('hex')}'`] : [];
  for (let c = from; c <= to; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    alternatives.push(`${column} LIKE ${mysqlPrefixPattern(prefix + String.fromCodePoint(c))}`);
  }
  return `(${alternatives.join(' OR ')})`;
}

function mysqlIndexCondition(keyset: Keyset, range: KeysetRange): string[] {
  const { after, upTo } = range;
  const parts: string[] = [];
  let i = 0;
  for (; after && upTo && i < after.length && i < upTo.length && after[i] === upTo[i]; i++) {
    const c = keyset.columns[i];
    parts.push(c.kind === 'text' ? `${c.mysqlColumn} = _utf8mb4 ${c.mysqlLiteral(after[i])}` : `${c.mysqlColumn} = ${c.mysqlLiteral(after[i])}`);
  }
  const c = keyset.columns[i];
  if (!c) return parts;
  const low = after && i < after.length ? after[i] : null;
  const high = upTo && i < upTo.length ? upTo[i] : null;
  if (c.kind === 'text') {
    const superset = mysqlTextSuperset(c.mysqlColumn, low, high);
    if (superset) parts.push(superset);
  } else {
    if (low !== null) parts.push(`${c.mysqlColumn} >= ${c.mysqlLiteral(low)}`);
    if (high !== null) parts.push(`${c.mysqlColumn} <= ${c.mysqlLiteral(high)}`);
  }
  return parts;
}

function rowComparison(expressions: string[], operator: string, bound: KeyTuple, literal: (i: number, value: string) => string): string {
  const n = bound.length;
  const left = expressions.slice(0, n);
  const right = bound.map((v, i) => literal(i, v));
  return n === 1 ? `${left[0]} ${operator} ${right[0]}` : `(${left.join(', ')}) ${operator} (${right.join(', ')})`;
}

function keysetConditions(expressions: string[], range: KeysetRange, literal: (i: number, value: string) => string): string[] {
  return [
    range.after ? rowComparison(expressions, '>', range.after, literal) : null,
    range.upTo ? rowComparison(expressions, '<=', range.upTo, literal) : null,
  ].filter((c): c is string => c !== null);
}

export function mysqlKeysetWhere(keyset: Keyset, range: KeysetRange): string {
  const exact = keysetConditions(keyset.columns.map((c) => c.mysqlOrder), range, (i, v) => keyset.columns[i].mysqlLiteral(v));
  const parts = exact.length ? [...mysqlIndexCondition(keyset, range), ...exact] : [];
  return parts.length ? ` WHERE ${parts.join(' AND ')}` : '';
}

/** Without a bound, a condition on the key all the same: Postgres uses the key's index only for one. */
export function postgresKeysetWhere(keyset: Keyset, range: KeysetRange): string {
  const parts = keysetConditions(keyset.columns.map((c) => c.postgresOrder), range, (i, v) => keyset.columns[i].postgresLiteral(v));
  return ` WHERE ${parts.length ? parts.join(' AND ') : `${quoteIdent(keyset.columns[0].name)} IS NOT NULL`}`;
}

const mysqlKeyOrder = (keyset: Keyset) => keyset.columns.map((c) => c.mysqlOrder).join(', ');
const postgresKeyOrder = (keyset: Keyset) => keyset.columns.map((c) => c.postgresOrder).join(', ');

/**
 * As summaryQueries, per key tuple range. Rows are joined in the shared key order: read through the
 * primary key where its index holds that order, sorted within the range where it does not (text keys
 * under MySQL's collations, or Postgres's when not byte order; see below for MySQL's quick summary).
 */
export function keysetSummaryQueries(names: TableNames, keyset: Keyset, renders: ColumnRender[], range: KeysetRange, quick = false): SummaryQueries {
  const unhashed = keyset.columns.filter((c) => !renders.some((r) => r.name === c.name && r.hash));
  const keyElements: HashElement[] = keyset.columns.map((c) => ({ mysql: c.mysqlText, postgres: c.postgresText, targetNotNull: true, framed: c.kind === 'text' }));
  const unhashedElements = keyElements.filter((_, i) => unhashed.includes(keyset.columns[i]));
  const postgresOrder = keyset.postgresIndexOrdered ? '' : ` ORDER BY ${postgresKeyOrder(keyset)}`;
  const postgresAgg = (elements: HashElement[], lead: HashElement[]) =>
    elements.length ? `md5(string_agg(${postgresText([...lead, ...elements])}, chr(30)${postgresOrder}))` : 'NULL';
  const rowText = (elements: HashElement[], lead: HashElement[]) => (elements.length ? mysqlText([...lead, ...elements], quick) : null);
  const texts = [rowText(hashed(renders), unhashedElements), rowText(loose(renders), keyElements)];
  const expected = quick ? null : mysqlExpectedCount(renders);
  const from = `${names.mysql} FORCE INDEX (PRIMARY)${mysqlKeysetWhere(keyset, range)}`;
  const digest = (text: string | null) => (text ? `MD5(GROUP_CONCAT(${text} SEPARATOR X'1E'))` : 'NULL');
  // Sorted by a derived table's ORDER BY (its LIMIT keeps it), which the aggregate reads in order: a
  // filesort costs far less than GROUP_CONCAT's own ORDER BY. A quick summary reads in the index's
  // order instead, which is byte order too for most keys (lower-case UUIDs, codes, capitalised
  // words): equal digests prove equal rows whatever the order; only a range whose digests differ is
  // summarised again, sorted.
  const mysql = keyset.mysqlIndexOrdered || quick
    ? `SELECT COUNT(*), ${digest(texts[0])}, ${digest(texts[1])}, ${expected ? `COALESCE(SUM(${expected}), 0)` : '0'} FROM ${from}`
    : `SELECT COUNT(*), ${digest(texts[0] && 'r0')}, ${digest(texts[1] && 'r1')}, ${expected ? 'COALESCE(SUM(e), 0)' : '0'}` +
      ` FROM (SELECT ${texts[0] ?? 'NULL'} AS r0, ${texts[1] ?? 'NULL'} AS r1, ${expected ?? '0'} AS e FROM ${from} ORDER BY ${mysqlKeyOrder(keyset)} LIMIT 18446744073709551615) AS s`;
  return {
    mysql,
    postgres:
      `SELECT count(*), ${postgresAgg(hashed(renders), unhashedElements)}, ${postgresAgg(loose(renders), keyElements)}` +
      ` FROM ${names.postgres}${postgresKeysetWhere(keyset, range)}`,
  };
}

/** The key's texts first, then the given columns, in the shared key order. */
export function keysetRowQueries(names: TableNames, keyset: Keyset, renders: ColumnRender[], range: KeysetRange): SummaryQueries {
  const mysqlColumns = [...keyset.columns.map((c) => c.mysqlText), ...renders.map((r) => r.mysql)].join(', ');
  const postgresColumns = [...keyset.columns.map((c) => c.postgresText), ...renders.map((r) => r.postgres)].join(', ');
  return {
    mysql: `SELECT ${mysqlColumns} FROM ${names.mysql} AS ${ALIAS} FORCE INDEX (PRIMARY)${mysqlKeysetWhere(keyset, range)} ORDER BY ${qualified(mysqlKeyOrder(keyset), keyset, 'mysql')}`,
    postgres: `SELECT ${postgresColumns} FROM ${names.postgres} AS ${ALIAS}${postgresKeysetWhere(keyset, range)} ORDER BY ${qualified(postgresKeyOrder(keyset), keyset, 'postgres')}`,
  };
}

/**
 * ORDER BY names the table's columns, not the output columns of the same name (the key read as text).
 * MySQL: the columns qualified by the table; Postgres: by the alias.
 */
function qualified(order: string, keyset: Keyset, side: 'mysql' | 'postgres'): string {
  let out = order;
  for (const c of keyset.columns) {
    const column = side === 'mysql' ? c.mysqlColumn : quoteIdent(c.name);
    out = out.split(column).join(side === 'mysql' ? `${ALIAS}.${column}` : `${ALIAS}.${column}`);
  }
  return out;
}

/** The key `offset` keys into the range, in the shared order, as text: for split points and halving. */
export function keysetPointQueries(names: TableNames, keyset: Keyset, range: KeysetRange, offset: number): SummaryQueries {
  const mysqlColumns = keyset.columns.map((c) => c.mysqlText).join(', ');
  const postgresColumns = keyset.columns.map((c) => c.postgresText).join(', ');
  return {
    mysql: `SELECT ${mysqlColumns} FROM ${names.mysql} AS ${ALIAS} FORCE INDEX (PRIMARY)${mysqlKeysetWhere(keyset, range)} ORDER BY ${qualified(mysqlKeyOrder(keyset), keyset, 'mysql')} LIMIT 1 OFFSET ${offset}`,
    postgres: `SELECT ${postgresColumns} FROM ${names.postgres} AS ${ALIAS}${postgresKeysetWhere(keyset, range)} ORDER BY ${qualified(postgresKeyOrder(keyset), keyset, 'postgres')} LIMIT 1 OFFSET ${offset}`,
  };
}

/** Every `every`-th key in the shared order, where no index holds that order: one sort of the key on MySQL. */
export function mysqlSampledKeysQuery(names: TableNames, keyset: Keyset, every: number): string {
  // Aliases no key column is likely to be named: MySQL resolves a name in the window's ORDER BY to a select
  // alias first, so a key column called `n` would otherwise mean the row number itself.
  const texts = keyset.columns.map((c, i) => `${c.mysqlText} AS markethub_key_${i}`).join(', ');
  const columns = keyset.columns.map((_, i) => `markethub_key_${i}`).join(', ');
  return `SELECT ${columns} FROM (SELECT ${texts}, ROW_NUMBER() OVER (ORDER BY ${mysqlKeyOrder(keyset)}) AS markethub_row FROM ${names.mysql}) AS s WHERE markethub_row % ${every} = 0 ORDER BY markethub_row`;
}

/** Smallest and largest value of an integer leading key column (from the key's index). */
export function leadingBoundsQuery(names: TableNames, keyset: Keyset): string {
  const c = keyset.columns[0].mysqlColumn;
  return `SELECT MIN(${c}), MAX(${c}) FROM ${names.mysql}`;
}
