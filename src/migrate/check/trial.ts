// The planned DDL, tried on the target where it leaves nothing: the same plan made for the session's
// temporary schema (pg_temp), run in one transaction that is rolled back. What Postgres rejects here
// (a view, an index, a table) is what `migrate db` would fail on or report.
import type pg from 'pg';
import { firstLine } from '../../config/errors.js';
import { planMigration, type SourceCatalog, type Step, type TypeMap } from '../db/index.js';
import type { SourcePlan } from '../db/index.js';
import type { CheckItem } from './model.js';

export interface TrialOptions {
  sourceTimezone: string;
  typeMap?: TypeMap;
  /** The collation choices the real plan made, so the trial creates the same types. */
  collations: SourcePlan['collations'];
  /** Whether the user may create temporary tables; without it there is no trial. */
  temp: boolean;
}

/** Runs `sql` under a savepoint: a failure undoes only this step. Returns the error, or null. */
async function attempt(client: pg.Client, sql: string[]): Promise<Error | null> {
  await client.query('SAVEPOINT markethub_check');
  try {
    for (const statement of sql) await client.query(statement);
    await client.query('RELEASE SAVEPOINT markethub_check');
    return null;
  } catch (error) {
    await client.query('ROLLBACK TO SAVEPOINT markethub_check');
    return error as Error;
  }
}

export async function trySchemaOnTarget(client: pg.Client, catalog: SourceCatalog, options: TrialOptions): Promise<CheckItem[]> {
  try {
    return await trial(client, catalog, options);
  } catch (error) {
    // The trial is a bonus: a server that will not run it leaves the other checks standing.
    return [{ area: 'target', check: 'DDL trial', status: 'info', detail: `not tried: ${firstLine((error as Error).message)}`, commands: ['migrate db'] }];
  }
}

async function trial(client: pg.Client, catalog: SourceCatalog, options: TrialOptions): Promise<CheckItem[]> {
  const row = (check: string, status: CheckItem['status'], detail: string): CheckItem => ({ area: 'target', check, status, detail, commands: ['migrate db'] });
  if (!options.temp) return [row('DDL trial', 'info', 'not tried: the user may not create temporary tables')];
  const plan = planMigration(catalog, {
    schema: 'pg_temp', sourceTimezone: options.sourceTimezone, typeMap: options.typeMap, schemaOnly: true,
    collations: options.collations.mode, targetSupport: options.collations.targetSupport,
  });
  const steps = plan.steps.filter((s) => s.key !== 'schema' && s.phase !== 'data');
  // What the schema step sets up besides the schema (citext, ICU collations) the tables need; pg_temp exists already.
  const setup = plan.steps.find((s) => s.key === 'schema')?.sql.slice(1) ?? [];
  const items: CheckItem[] = [];
  let failed = 0;
  const failure = (step: Step, error: Error) => {
    failed++;
    const why = `${step.description}: ${firstLine(error.message)}`;
    items.push(step.onFailure === 'fail' ? row(step.description, 'blocked', `Postgres rejects it: ${why}`) : row(step.description, 'warn', `would be reported, not created: ${firstLine(error.message)}`));
  };
  // The session refuses writes; this one transaction may create its temporary objects, then drops them all.
  await client.query('BEGIN READ WRITE');
  try {
    const setupError = await attempt(client, setup);
    // The extensions check names what stops the setup; every table after it would only repeat that.
    if (setupError) return [row('DDL trial', 'info', `not tried: ${firstLine(setupError.message)}`)];
    for (const step of steps.filter((s) => s.phase !== 'views')) {
      const error = await attempt(client, step.sql);
      if (!error) continue;
      if (step.fallback && !(await attempt(client, step.fallback.sql))) continue; // noted by the plan
      failure(step, error);
    }
    // Views may read other views: retry until a pass creates none, as migrate db does.
    let pending = steps.filter((s) => s.phase === 'views');
    const viewErrors = new Map<Step, Error>();
    for (;;) {
      const left: Step[] = [];
      for (const step of pending) {
        const error = await attempt(client, step.sql);
        if (error) {
          viewErrors.set(step, error);
          left.push(step);
        }
      }
      if (left.length === 0 || left.length === pending.length) {
        for (const step of left) failure(step, viewErrors.get(step)!);
        break;
      }
      pending = left;
    }
  } finally {
    await client.query('ROLLBACK');
  }
  const statements = steps.reduce((n, s) => n + s.sql.length, 0);
  items.unshift(row('DDL trial', failed ? 'warn' : 'ok', `${steps.length - failed} of ${steps.length} steps (${statements} statements: tables, keys, indexes, triggers, views) ran on temporary tables and were rolled back${failed ? `; ${failed} rejected, below` : ''}`));
  return items;
}
