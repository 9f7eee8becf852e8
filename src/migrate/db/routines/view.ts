// MySQL views (information_schema's normalised VIEW_DEFINITION) -> Postgres CREATE VIEW, through the parse tree.
import type { RoutineTable } from './expression.js';
import type { RoutineParsers } from './parsers.js';

export interface ViewSource {
  name: string;
  /** information_schema.VIEWS.VIEW_DEFINITION: the server's normalised SELECT. */
  sql: string;
}

export interface ViewPlanInput {
  schema: string;
  database: string;
  tables: RoutineTable[];
  views: ViewSource[];
}

export interface PlannedView {
  source: ViewSource;
  /** Target view name. */
  name: string;
  /** CREATE VIEW ..., accepted by Postgres's parser. */
  sql: string;
  /** Source names of the other views it reads: created before it. */
  dependsOn: string[];
  /** What behaves differently from MySQL, in words. */
  changes: string[];
}

export interface ViewPlan {
  /** In dependency order. */
  planned: PlannedView[];
  refused: { source: ViewSource; why: string }[];
}

export function planViews(input: ViewPlanInput, _parsers: RoutineParsers): ViewPlan {
  return { planned: [], refused: input.views.map((source) => ({ source, why: 'view translation is not built yet' })) };
}
