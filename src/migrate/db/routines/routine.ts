// MySQL stored functions and procedures (SHOW CREATE FUNCTION / PROCEDURE) -> PL/pgSQL, through the parse tree.
import type { RoutineTable } from './expression.js';
import type { RoutineParsers } from './parsers.js';

export interface RoutineSource {
  name: string;
  kind: 'function' | 'procedure';
  /** SHOW CREATE FUNCTION / PROCEDURE's statement. */
  sql: string;
}

export interface RoutinePlanInput {
  schema: string;
  database: string;
  tables: RoutineTable[];
  routines: RoutineSource[];
}

export interface PlannedRoutine {
  source: RoutineSource;
  /** Target routine name. */
  name: string;
  /** What Postgres made of it: a procedure that returns result sets may become a function. */
  kind: 'function' | 'procedure';
  /** The argument types as DROP FUNCTION / PROCEDURE name(...) needs them, e.g. "integer, numeric". */
  argumentTypes: string;
  /** CREATE FUNCTION / PROCEDURE ...: accepted by Postgres's parser. */
  sql: string[];
  /** What behaves differently from MySQL (how to call it, result sets, rounding ...), in words. */
  changes: string[];
}

export interface RoutinePlan {
  planned: PlannedRoutine[];
  refused: { source: RoutineSource; why: string }[];
}

export function planRoutines(input: RoutinePlanInput, _parsers: RoutineParsers): RoutinePlan {
  return { planned: [], refused: input.routines.map((source) => ({ source, why: 'routine translation is not built yet' })) };
}
