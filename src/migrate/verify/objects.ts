// The database logic migrate db created (views, functions, procedures, triggers) still exists with the
// definition the ledger recorded. Postgres renders each recorded statement itself (a temporary view or
// function built from it), so the comparison is Postgres's own normal form on both sides and needs no
// SQL rewriting of ours; nothing is created outside this session's temporary schema.
import type pg from 'pg';
import type { Step, TargetPlan } from '../db/index.js';
import type { StructureProblem, StructureResult } from './structure.js';

/** `"schema"."name"` or `schema.name`, as the plan writes qualified names. */
const QUALIFIED = String.raw`((?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)\.(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*))`;
const VIEW = new RegExp(String.raw`^CREATE\s+(?:OR\s+REPLACE\s+)?VIEW\s+${QUALIFIED}\s+AS\s+`, 'i');
const ROUTINE = new RegExp(String.raw`^CREATE\s+(?:OR\s+REPLACE\s+)?(FUNCTION|PROCEDURE)\s+${QUALIFIED}\s*\(`, 'i');
const TRIGGER = new RegExp(String.raw`^CREATE\s+TRIGGER\s+("(?:[^"]|"")+"|\S+)\s+(BEFORE|AFTER)\s+(INSERT|UPDATE|DELETE)\s+ON\s+${QUALIFIED}\s+FOR\s+EACH\s+ROW\s+EXECUTE\s+(?:FUNCTION|PROCEDURE)\s+${QUALIFIED}\s*\(`, 'i');

const ROUTINE_FACTS = `SELECT p.prosrc AS body, p.prokind AS kind, p.provolatile AS volatility, pg_get_function_arguments(p.oid) AS arguments,
                              coalesce(pg_get_function_result(p.oid), '') AS result, coalesce(array_to_string(p.proconfig, ','), '') AS config`;

function unquote(identifier: string): string {
  return identifier.startsWith('"') ? identifier.slice(1, -1).replace(/""/g, '"') : identifier.toLowerCase();
}

/** Steps that create programmable objects; tables and their columns are verifyStructure's. */
function objectSteps(plan: TargetPlan): Step[] {
  return plan.steps.filter((s) => s.creates?.some((c) => c.kind === 'view' || c.kind === 'function'));
}

export async function verifyObjects(client: pg.Client, recorded: TargetPlan | null, done: Map<string, unknown>, migrationFinished: boolean): Promise<StructureResult> {
  const problems: StructureProblem[] = [];
  const expected: StructureProblem[] = [];
  if (!recorded) return { problems, expected };
  for (const step of objectSteps(recorded)) {
    const table = step.table ?? recorded.schema;
    if (!done.has(step.key)) {
      // A step the finished migration could not carry out was reported then; an unfinished one may yet run.
      if (migrationFinished) expected.push({ table, what: `${step.description}: not created (reported by the migration)` });
      continue;
    }
    for (const statement of step.sql) {
      const problem = await checkStatement(client, statement);
      if (problem) problems.push({ table, what: problem });
    }
  }
  return { problems, expected };
}

async function checkStatement(client: pg.Client, statement: string): Promise<string | null> {
  const view = VIEW.exec(statement);
  if (view) return checkView(client, view[1], statement.slice(view[0].length));
  const routine = ROUTINE.exec(statement);
  if (routine) return checkRoutine(client, routine[1].toLowerCase(), routine[2], statement);
  const trigger = TRIGGER.exec(statement);
  if (trigger) return checkTrigger(client, unquote(trigger[1]), `${trigger[2]} ${trigger[3]}`.toUpperCase(), trigger[4], trigger[5]);
  return null;
}

/** Runs fn in a transaction that is always rolled back: what it creates in pg_temp disappears. */
async function inScratch<T>(client: pg.Client, fn: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    return await fn();
  } finally {
    await client.query('ROLLBACK');
  }
}

async function checkView(client: pg.Client, name: string, query: string): Promise<string | null> {
  const { rows } = await client.query<{ def: string | null }>(`SELECT CASE WHEN to_regclass($1) IS NULL THEN NULL ELSE pg_get_viewdef(to_regclass($1)) END AS def`, [name]);
  if (rows[0].def === null) return `view ${shown(name)} missing`;
  const want = await inScratch(client, async () => {
    await client.query(`CREATE TEMP VIEW markethub_recorded_view AS ${query}`);
    return (await client.query<{ def: string }>(`SELECT pg_get_viewdef('pg_temp.markethub_recorded_view'::regclass) AS def`)).rows[0].def;
  }).catch((error: Error) => `(the recorded definition no longer runs: ${error.message})`);
  return rows[0].def === want ? null : `view ${shown(name)} differs from the definition migrate db created`;
}

async function checkRoutine(client: pg.Client, kind: string, name: string, statement: string): Promise<string | null> {
  const [schema, routine] = splitQualified(name);
  const { rows: actual } = await client.query(
    `${ROUTINE_FACTS} FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1 AND p.proname = $2`, [schema, routine],
  );
  if (!actual.length) return `${kind} ${shown(name)} missing`;
  const want = await inScratch(client, async () => {
    // The name's first occurrence is the header's.
    await client.query(statement.replace(name, 'pg_temp.markethub_recorded_routine'));
    return (await client.query(`${ROUTINE_FACTS} FROM pg_proc p WHERE p.oid = 'pg_temp.markethub_recorded_routine'::regproc`)).rows[0];
  }).catch(() => null);
  const same = want && actual.some((a) => Object.keys(want).every((k) => a[k] === want[k]));
  return same ? null : `${kind} ${shown(name)} differs from the definition migrate db created`;
}

async function checkTrigger(client: pg.Client, trigger: string, when: string, table: string, fn: string): Promise<string | null> {
  const { rows } = await client.query<{ enabled: string; tgtype: number; same_function: boolean }>(
    `SELECT t.tgenabled AS enabled, t.tgtype, t.tgfoid = to_regprocedure($3 || '()') AS same_function
       FROM pg_trigger t WHERE t.tgrelid = to_regclass($1) AND t.tgname = $2 AND NOT t.tgisinternal`,
    [table, trigger, fn],
  );
  if (!rows.length) return `trigger ${trigger} on ${shown(table)} missing`;
  const [{ tgtype, enabled, same_function }] = rows;
  // pg_trigger.tgtype bits: 1 row, 2 before, 4 insert, 8 delete, 16 update.
  const [timing, event] = when.split(' ');
  const bits = 1 | (timing === 'BEFORE' ? 2 : 0) | ({ INSERT: 4, DELETE: 8, UPDATE: 16 } as Record<string, number>)[event];
  if (tgtype !== bits || !same_function) return `trigger ${trigger} on ${shown(table)} differs from the definition migrate db created (${when} FOR EACH ROW EXECUTE FUNCTION ${shown(fn)}())`;
  if (enabled === 'D') return `trigger ${trigger} on ${shown(table)} is disabled`;
  return null;
}

/** schema.name as people write it in messages. */
function shown(qualified: string): string {
  return splitQualified(qualified).join('.');
}

function splitQualified(name: string): [string, string] {
  const match = /^("(?:[^"]|"")+"|[^.]+)\.(.+)$/.exec(name)!;
  return [unquote(match[1]), unquote(match[2])];
}
