// What verify holds the target to: the plan `migrate db` would make of the source now, with each column
// typed as the migration typed it while that column is unchanged in the source. The migration's choices
// came from the data at the time and from options such as --type-map, which verify is not given.
import type { SourceColumn, TargetPlan } from '../db/index.js';
import { stableJson } from './normalise.js';

/** A column's definition in MySQL, without what was measured of its values; keys sorted, since the recorded plan comes back from jsonb with its keys reordered. */
function definition(column: SourceColumn): string {
  const { profile: _measured, ...rest } = column;
  return stableJson(rest);
}

export function withRecordedTypes(plan: TargetPlan, recorded: TargetPlan | null): TargetPlan {
  if (!recorded) return plan;
  const before = new Map(recorded.tables.map((t) => [t.sourceName, new Map(t.columns.map((c) => [c.name, c]))]));
  return {
    ...plan,
    tables: plan.tables.map((table) => ({
      ...table,
      columns: table.columns.map((column) => {
        const was = before.get(table.sourceName)?.get(column.name);
        return was && definition(was.source) === definition(column.source) ? was : column;
      }),
    })),
  };
}
