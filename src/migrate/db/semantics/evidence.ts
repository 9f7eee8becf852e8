// Evidence from the data for what the chosen mechanism cannot keep exactly: accent folding (citext folds
// case only), PAD SPACE trailing-space equality, non-ASCII sort order. Read in MySQL, in cheap aggregates.
import type { SourceColumn, SourceTable, TextEvidence } from '../catalog.js';
import { quoteMysqlIdentifier as q } from '../mysql.js';
import { classifyCollation } from './collation.js';
import { isCollatedColumn } from './column.js';

/** Tables up to this many rows are measured whole; larger ones only on columns that lead a unique key. */
export const EVIDENCE_ROW_LIMIT = 50_000;
const GROUPS_SHOWN = 5;
const SEPARATOR = '\u001f';

function uniquelyKeyed(table: SourceTable, column: SourceColumn): boolean {
  return table.indexes.some((i) => i.unique && i.columns.length === 1 && i.columns[0].name === column.name && i.columns[0].subPart === null);
}

function measured(table: SourceTable): SourceColumn[] {
  return table.columns.filter((c) => isCollatedColumn(c) && classifyCollation(c.collation!).caseInsensitive
    && (table.rowEstimate <= EVIDENCE_ROW_LIMIT || table.indexes.some((i) => i.unique && i.columns.some((p) => p.name === c.name))));
}

/** Aggregates folded into the table's one profiling scan. */
export function textEvidenceProbes(table: SourceTable): { column: SourceColumn; sql: string; set: (value: unknown) => void }[] {
  return measured(table).flatMap((column) => {
    const c = q(column.name);
    const evidence: TextEvidence = (column.profile.text ??= { nonAscii: 0, trailingSpaces: 0 });
    return [
      // Bytes in UTF-8 beyond the character count: some character is not ASCII, whatever the column's charset.
      { column, sql: `SUM(LENGTH(CONVERT(${c} USING utf8mb4)) <> CHAR_LENGTH(${c}))`, set: (v: unknown) => { evidence.nonAscii = Number(v ?? 0); } },
      { column, sql: `SUM(${c} LIKE '% ')`, set: (v: unknown) => { evidence.trailingSpaces = Number(v ?? 0); } },
    ];
  });
}

/**
 * One GROUP BY per column that could hold such values (non-ASCII or trailing spaces seen) and is not unique
 * by itself: groups by MySQL's collated value and keeps groups whose case-folded bytes differ.
 */
/** Control characters as \xNN, so a value can be shown and stored anywhere. */
export function escapeControls(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export function collisionQueries(table: SourceTable): { column: SourceColumn; sql: string; read: (rows: { v: string | Buffer | null }[]) => void }[] {
  return measured(table)
    .filter((column) => {
      const e = column.profile.text;
      return e && (e.nonAscii > 0 || e.trailingSpaces > 0) && !uniquelyKeyed(table, column) && table.rowEstimate <= EVIDENCE_ROW_LIMIT;
    })
    .map((column) => {
      const c = q(column.name);
      const utf8 = `CONVERT(${c} USING utf8mb4) COLLATE utf8mb4_bin`;
      return {
        column,
        sql: `SELECT GROUP_CONCAT(DISTINCT ${utf8} ORDER BY ${utf8} SEPARATOR '${SEPARATOR}') AS v FROM ${q(table.name)} WHERE ${c} IS NOT NULL`
          + ` GROUP BY ${c} HAVING COUNT(DISTINCT CAST(LOWER(CONVERT(${c} USING utf8mb4)) AS BINARY)) > 1 LIMIT ${GROUPS_SHOWN}`,
        read: (rows) => {
          // Escaped here: the profile travels in the plan the ledger stores as jsonb, which holds no NUL.
          column.profile.text!.collisions = rows.map((r) => String(r.v ?? '').split(SEPARATOR).map(escapeControls));
        },
      };
    });
}
