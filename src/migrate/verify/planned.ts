// What verify holds the target to: the plan `migrate db` would make of the source now, with each column
// typed as the migration typed it while that column is unchanged in the source. The migration's choices
// came from the data at the time and from options such as --type-map, which verify is not given.
import type { SourceColumn } from '../db/catalog.js';
import type { TargetPlan } from '../db/plan/plan.js';

/** JSON with keys in one order: the recorded plan comes back from jsonb with its keys reordered. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A column's definition in MySQL, without what was measured of its values. */
function definition(column: SourceColumn): string {
  const { profile: _measured, ...rest } = column;
  return canonical(rest);
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
