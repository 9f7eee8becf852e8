// Dates Postgres cannot hold (zero, partial, or a day past the month's end): `migrate db` writes them as
// NULL and drops NOT NULL where it must. Counted here in one scan per table with date columns.
import type { RowDataPacket } from 'mysql2/promise';
import { quoteMysqlIdentifier as q, type MysqlConnection, type SourceTable } from '../db/index.js';

const DATE_TYPES = new Set(['date', 'datetime', 'timestamp']);

export interface ZeroDates {
  table: string;
  column: string;
  nullable: boolean;
  rows: number;
}

/** The same rule as the copy's date converter (convert.ts), in SQL: year, month or day 0, or no such day. */
function invalidDateSql(column: string): string {
  // On the text form: the date functions give NULL for some stored invalid dates and not for others.
  const s = `CAST(${q(column)} AS CHAR)`;
  const part = (from: number, length: number) => `SUBSTRING(${s}, ${from}, ${length}) + 0`;
  return `SUM(${s} IS NOT NULL AND (${part(1, 4)} = 0 OR ${part(6, 2)} = 0 OR ${part(9, 2)} = 0 OR ${part(9, 2)} > DAYOFMONTH(LAST_DAY(CONCAT(LEFT(${s}, 7), '-01')))))`;
}

export async function countZeroDates(conn: MysqlConnection, tables: SourceTable[]): Promise<ZeroDates[]> {
  const found: ZeroDates[] = [];
  for (const table of tables) {
    const columns = table.columns.filter((c) => DATE_TYPES.has(c.dataType) && !c.generated);
    if (!columns.length) continue;
    const [[result]] = await conn.query<RowDataPacket[]>(`SELECT ${columns.map((c, i) => `${invalidDateSql(c.name)} AS d${i}`).join(', ')} FROM ${q(table.name)}`);
    columns.forEach((c, i) => {
      const rows = Number(result[`d${i}`] ?? 0);
      if (rows) found.push({ table: table.name, column: c.name, nullable: c.nullable, rows });
    });
  }
  return found;
}
