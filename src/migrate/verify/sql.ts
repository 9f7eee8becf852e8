// Every SQL string the verification sends, built in one place, MySQL and Postgres side by side.
// A range summary is COUNT(*) plus an order-independent sum of 60-bit row hashes (the first 15 hex
// digits of an MD5): equal data give equal sums, and the sums are exact decimals on both sides.
import type { KeyRange } from '../db/chunks.js';
import { quoteMysqlIdentifier } from '../db/mysql.js';
import { quoteIdent } from '../db/plan/expression.js';
import type { ColumnRender } from './render.js';

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

/** The MD5 (hex) of a row's canonical text on MySQL. */
export function mysqlRowMd5(renders: ColumnRender[]): string {
  const elements = renders.flatMap((r) => (r.hash ? [`COALESCE(CAST(${r.hash.mysql} AS BINARY), ${MYSQL_NULL})`] : []));
  return elements.length ? `MD5(CONCAT_WS(X'1F', ${elements.join(', ')}))` : `MD5('')`;
}

export function postgresRowMd5(renders: ColumnRender[]): string {
  const elements = renders.flatMap((r) => (r.hash ? [`coalesce(${r.hash.postgres}, ${POSTGRES_NULL})`] : []));
  return elements.length ? `md5(concat_ws(chr(31), ${elements.join(', ')}))` : `md5('')`;
}

export function mysqlRowHash(renders: ColumnRender[]): string {
  return `CAST(CONV(SUBSTRING(${mysqlRowMd5(renders)}, 1, 15), 16, 10) AS UNSIGNED)`;
}

export function postgresRowHash(renders: ColumnRender[]): string {
  return `('x' || substr(${postgresRowMd5(renders)}, 1, 15))::bit(60)::bigint`;
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

/** Which part of `range` a row falls in: '0' below `split`, '1' from it on (or '0' without a split). */
function part(key: string, split: string | undefined): string {
  return split === undefined ? "'0'" : `CASE WHEN ${key} < ${split} THEN '0' ELSE '1' END`;
}

/** Grouping costs MySQL a temporary table: a whole range is one plain aggregate. */
const groupBy = (split: string | undefined) => (split === undefined ? '' : ' GROUP BY 1');

export interface SummaryQueries {
  mysql: string;
  postgres: string;
}

/**
 * Per part of the range: part, row count, hash sum (and on MySQL the expected changes). `split` cuts the
 * range in two, so a bisection step reads the range once.
 */
export function summaryQueries(names: TableNames, key: { source: string; target: string }, renders: ColumnRender[], range: KeyRange, split?: string): SummaryQueries {
  const mk = quoteMysqlIdentifier(key.source);
  const pk = quoteIdent(key.target);
  return {
    mysql:
      `SELECT ${part(mk, split)} AS part, COUNT(*), COALESCE(SUM(${mysqlRowHash(renders)}), 0), COALESCE(SUM(${mysqlExpectedCount(renders)}), 0)` +
      ` FROM ${names.mysql}${mysqlWhere(key.source, range)}${groupBy(split)}`,
    postgres:
      `SELECT ${part(pk, split)} AS part, count(*), coalesce(sum(${postgresRowHash(renders)}), 0)` +
      ` FROM ${names.postgres}${postgresWhere(key.target, range)}${groupBy(split)}`,
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
