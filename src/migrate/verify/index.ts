// verifyData: does the Postgres target hold what the MySQL source holds, row for row and value for value?
// Sums of row hashes are computed inside both databases per key range, so only the ranges that differ
// are read here; values the migration changes on purpose (zero dates -> NULL, NUL removed) are counted
// apart and never reported as differences.
import { USAGE_ERROR, UserError } from '../../config/errors.js';
import { introspectMysql, planMigration, profileTables } from '../db/index.js';
import { DifferenceLog } from './differences.js';
import { planJob, queueOrder, targetColumnTypes, tasksOf } from './jobs.js';
import { readSourceFacts } from './source-facts.js';
import type { Sides } from './keyed.js';
import { closeSides, openSides, runTasks } from './workers.js';
import type { VerifyOptions, VerifyReport } from './model.js';

export type { Difference } from './differences.js';
export type { MigrateVerifyConfig, TableVerification, VerifyOptions, VerifyReport } from './model.js';

async function checkTimezone(sides: Sides, zone: string): Promise<void> {
  try {
    await sides.postgres.query('SELECT now() AT TIME ZONE $1', [zone]);
  } catch {
    throw new UserError(`source time zone "${zone}" is unknown to Postgres: give an IANA name such as Europe/Berlin, or UTC`, USAGE_ERROR);
  }
}

function compareValues(x: string | null, y: string | null): number {
  if (x === null || y === null) return x === y ? 0 : x === null ? -1 : 1;
  if (/^-?\d+$/.test(x) && /^-?\d+$/.test(y)) return BigInt(x) < BigInt(y) ? -1 : BigInt(x) > BigInt(y) ? 1 : 0;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Keys column by column: numbers by value, the rest as text. */
function compareKeys(a: Record<string, string | null>, b: Record<string, string | null>): number {
  const x = Object.values(a);
  const y = Object.values(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const order = compareValues(x[i], y[i]);
    if (order !== 0) return order;
  }
  return x.length - y.length;
}

export async function verifyData(options: VerifyOptions): Promise<VerifyReport> {
  const jobs = Math.max(1, options.jobs ?? 2);
  const sourceTimezone = options.sourceTimezone ?? 'UTC';
  const log = new DifferenceLog(options.maxDifferences ?? 1000);

  const workers: Sides[] = [await openSides(options.source, options.target)];
  let finished = false;
  try {
    await checkTimezone(workers[0], sourceTimezone);
    const catalog = options.plan ? null : await introspectMysql(workers[0].mysql, options.source.database, { tables: options.tables });
    while (workers.length < jobs) workers.push(await openSides(options.source, options.target));
    if (catalog) await profileTables(workers.map((w) => w.mysql), catalog.tables);
    const plan = options.plan ?? planMigration(catalog!, { schema: options.schema, sourceTimezone });
    const types = await targetColumnTypes(workers[0].postgres, options.schema);

    const facts = await readSourceFacts(workers[0].mysql, plan.tables, types);
    const planned = plan.tables.map((table) => ({ table, job: planJob(table, options.schema, types.get(table.name), sourceTimezone, facts.get(table.name)) }));
    const queue = [...planned].sort(queueOrder).flatMap(({ table, job }) => tasksOf(job, table));
    await runTasks(workers, queue, log, options);

    const tables = planned.map(({ job }) => job.result);
    for (const t of tables) {
      if (t.status !== 'error' && (t.differences > 0 || t.rowsSource !== t.rowsTarget)) t.status = 'different';
    }
    const order = new Map(tables.map((t, i) => [t.table, i]));
    finished = true;
    return {
      ok: tables.every((t) => t.status === 'ok'),
      tables,
      differences: log.kept.sort((a, b) => order.get(a.table)! - order.get(b.table)! || compareKeys(a.key, b.key)),
      differencesTotal: log.total,
      expectedDifferences: tables.reduce((n, t) => n + t.expected, 0),
    };
  } finally {
    await Promise.all(workers.map((w) => closeSides(w, !finished)));
  }
}
