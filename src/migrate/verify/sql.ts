// Every SQL string the verification sends, built in one place, MySQL and Postgres side by side.
// A range summary is COUNT(*) plus the MD5 of the range's row texts joined in key order: one hash per
// range rather than per row, which is most of the cost on both servers. Rows are read through the key's
// index, so both sides join them in key order; were they not, the digests would differ and the range
// would be halved and compared row by row: slower, never wrong.
import type { KeyRange } from '../db/chunks.js';
import { quoteMysqlIdentifier } from '../db/mysql.js';
import { quoteIdent } from '../db/plan/expression.js';
import type { ColumnRender, HashElement } from './render.js';

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
