// A planned text column under a case-insensitive collation: its Postgres type, and the CHECKs that keep its domain.
import type { SourceColumn } from '../catalog.js';
import type { CollationRule } from './collation.js';
import type { Mechanism } from './mechanism.js';

export interface CollatedType {
  pgType: string;
  /** Wraps the quoted column so a member CHECK compares exactly (MySQL stores the member as declared). */
  exactOperand: (column: string) => string;
  /** CHECK keeping varchar(n)/char(n)'s length, which citext has no modifier for. */
  lengthCheck?: (column: string) => string;
  notes: { what: string; why: string }[];
}

const COLLATED_TYPES = new Set(['char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext', 'enum']);

/** Whether a column's comparisons depend on its collation (text and enum; sets and JSON are not rewritten). */
export function isCollatedColumn(column: SourceColumn): boolean {
  return column.collation !== null && !column.isJson && COLLATED_TYPES.has(column.dataType);
}

export function collatedType(column: SourceColumn, basePgType: string, rule: CollationRule, mechanism: Mechanism): CollatedType | null {
  if (mechanism.kind === 'exact') return null;
  const folds = rule.accentInsensitive ? 'case and accents' : 'case';
  const exactOperand = (c: string) => `(${c}::text COLLATE "C")`;
  if (mechanism.kind === 'citext') {
    const n = column.dataType === 'varchar' || column.dataType === 'char' ? column.charMaxLength : null;
    return {
      pgType: mechanism.type,
      exactOperand,
      lengthCheck: n === null ? undefined : (c) => `char_length(${c}) <= ${n}`,
      notes: [{
        what: `${basePgType} -> ${mechanism.type}${n === null ? '' : ` with CHECK char_length <= ${n}`}`,
        why: `${rule.collation} ignores ${folds}; citext keeps =, IN, LIKE, UNIQUE, ORDER BY, GROUP BY and DISTINCT case-insensitive`,
      }],
    };
  }
  const notes = [{
    what: `${basePgType} -> ${basePgType} COLLATE ${mechanism.name}`,
    why: `${rule.collation} ignores ${folds}; the ICU collation ${mechanism.locale} (non-deterministic) does the same for =, IN, UNIQUE, ORDER BY, GROUP BY and DISTINCT`,
  }];
  if (!mechanism.likeWorks) notes.push({ what: 'LIKE on this column raises an error', why: 'Postgres before 18 runs no LIKE on non-deterministic collations (and citext is not available on this target)' });
  return { pgType: `${basePgType} COLLATE ${mechanism.collation}`, exactOperand, notes };
}

/** A unique prefix index on left(column, n): left() returns text, so citext must be restored to stay case-insensitive. */
export function collatedPrefix(expression: string, pgType: string): string {
  return /(^|\.)citext$/.test(pgType) ? `(${expression})::${pgType}` : expression;
}
