// Rows of a target table named by a list of keys, in one statement whatever the number of keys.
import { quoteIdent as qi, type TargetTable } from '../db/index.js';

/**
 * `(pk...) IN (...)` over text arrays $first.. (one per key column) cast to the columns' types, and
 * those arrays from the keys.
 */
export function keysMatch(table: TargetTable, keys: readonly (readonly (string | null)[])[], first = 1): { sql: string; params: (string | null)[][] } {
  const typed = table.primaryKey.map((name, i) => `u.c${i}::${table.columns.find((c) => c.name === name)!.pgType}`);
  const arrays = table.primaryKey.map((_, i) => `$${first + i}::text[]`);
  const names = table.primaryKey.map((_, i) => `c${i}`);
  return {
    sql: `(${table.primaryKey.map(qi).join(', ')}) IN (SELECT ${typed.join(', ')} FROM unnest(${arrays.join(', ')}) AS u(${names.join(', ')}))`,
    params: table.primaryKey.map((_, i) => keys.map((k) => k[i])),
  };
}
