// The planner's one call per column: which mechanism, which type, which notes.
import type { Note } from '../../../report/model.js';
import type { SourceColumn, SourceTable } from '../catalog.js';
import { classifyCollation } from './collation.js';
import { collatedType, isCollatedColumn, type CollatedType } from './column.js';
import { chooseMechanism, type CollationMode, type Mechanism } from './mechanism.js';
import { lossNotes } from './notes.js';
import type { TargetSupport } from './target.js';

export interface CollationOptions {
  mode: CollationMode;
  /** What the target offers; null when it was not read. */
  support: TargetSupport | null;
  schema: string;
}

export interface PlannedCollation {
  type: CollatedType;
  mechanism: Mechanism;
  notes: Note[];
}

/** null: the column keeps its default type (exact mode, a --type-map override, not text, case-sensitive). */
export function planCollation(tableName: string, source: SourceTable, column: SourceColumn, basePgType: string, overridden: boolean, options: CollationOptions): PlannedCollation | null {
  if (options.mode === 'exact' || overridden || !isCollatedColumn(column)) return null;
  const rule = classifyCollation(column.collation!);
  const mechanism = chooseMechanism(rule, options.support, options.schema);
  const type = collatedType(column, basePgType, rule, mechanism);
  if (!type) return null;
  const notes: Note[] = type.notes.map((n) => ({ kind: 'type', table: tableName, column: column.name, ...n }));
  notes.push(...lossNotes(tableName, source, column, rule, mechanism));
  return { type, mechanism, notes };
}
