// applyPlan: TargetPlan -> tables, COPY data, indexes, constraints, routines, views, triggers, events; every finished step in the ledger.
// A step and its ledger record commit together, so a run killed at any moment resumes where it stopped.
import type pg from 'pg';
import { firstLine, UserError } from '../../config/errors.js';
import type { Note, PhaseReport, TableReport } from '../../report/model.js';
import {
  inTransaction, nulledValueCounts, recordCreated, recordStep, type StepDetail,
} from '../ledger/index.js';
import { anyChunkDone } from './chunks.js';
import { runCopyPhase } from './copy-phase.js';
import { orphanNotes } from './orphans.js';
import { runPool } from './pool.js';
import { quoteIdent as qi } from './plan/expression.js';
import { tableFingerprint, type Phase, type SetupObject, type Step, type TargetPlan, type TargetTable } from './plan/plan.js';
import { connectPostgres, MAINTENANCE_WORK_MEM } from './postgres.js';
import type { ApplyContext } from './apply-context.js';

export type { ApplyContext } from './apply-context.js';

export interface ApplyResult {
  tables: TableReport[];
  phases: PhaseReport[];
  notes: Note[];
  errors: string[];
  interrupted: boolean;
}

const PHASES: Phase[] = ['schema', 'data', 'indexes', 'constraints', 'routines', 'views', 'triggers', 'events'];

export async function applyPlan(ctx: ApplyContext): Promise<ApplyResult> {
  const { plan, client, migrationKey, runId, done, ui, signal } = ctx;
  const tables = new Map(plan.tables.map((t) => [t.name, t]));
  const reports = new Map<string, TableReport>(plan.tables.map((t) => [t.name, { name: t.name, rowsRead: 0, rowsWritten: 0, notes: 0, seconds: 0, status: 'schema-only' }]));
  const notes: Note[] = [];
  const errors: string[] = [];
  const phases: PhaseReport[] = [];
  const failedTables = new Set<string>();
  let foreignKeyChecksSkipped = false;

  const fail = (step: Step, error: unknown) => {
    // Postgres names the row and column of a failed COPY in `where` ("COPY t, line 5, column c: ...").
    const where = firstLine((error as { where?: string }).where);
    const message = `${step.description}: ${firstLine((error as Error).message)}${where ? ` (${where})` : ''}`;
    errors.push(message);
    if (step.table) {
      failedTables.add(step.table);
      const report = reports.get(step.table)!;
      report.status = 'failed';
      report.error = message;
    }
  };

  /** Runs a step's SQL and its ledger record in one transaction on `c`. */
  const execute = async (c: pg.Client, step: Step, sql: string[], detail: StepDetail = {}) => {
    await inTransaction(c, async () => {
      // A schema, extension or collation is ours to drop later only if this very transaction creates it.
      for (const object of step.createsIfAbsent ?? []) {
        if (!(await setupObjectExists(c, object))) await recordCreated(c, migrationKey, runId, object.kind, object.schema, object.name);
      }
      for (const statement of sql) await c.query(statement);
      for (const created of step.creates ?? []) await recordCreated(c, migrationKey, runId, created.kind, plan.schema, created.name);
      await recordStep(c, migrationKey, runId, step.key, step.phase, detail);
    });
    done.set(step.key, detail);
  };

  /** Added constraints whose validation is still to do (this run's and unfinished earlier ones). */
  const toValidate = plan.steps.filter((s) => s.validateSql && done.has(s.key) && done.get(s.key)!.validated !== true);

  /** Steps tried in this run: one that failed with a note is not tried again in a later phase. */
  const attempted = new Set<string>();
  /** Runs a step, falling back or noting as it says; true when it was created as planned. */
  const runStep = async (c: pg.Client, step: Step, quiet = false): Promise<boolean> => {
    attempted.add(step.key);
    const detail: StepDetail = step.validateSql ? { validated: false } : step.key.startsWith('create-table:') ? { fingerprint: tableFingerprint(tables.get(step.table!)!) } : {};
    try {
      await execute(c, step, step.sql, detail);
      if (step.validateSql) toValidate.push(step);
      return true;
    } catch (error) {
      if (step.fallback) {
        await execute(c, step, step.fallback.sql, { ...detail, fallback: true });
        applyFallback(tables.get(step.table!)!);
        notes.push(...step.fallback.notes);
      } else if (step.onFailure === 'note') {
        if (!quiet) notes.push(failureNote(step, error));
      } else {
        fail(step, error);
      }
      return false;
    }
  };

  /** VALIDATE takes locks that never conflict across tables, so validations run in parallel. */
  const validate = async (c: pg.Client, step: Step) => {
    try {
      await inTransaction(c, async () => {
        await c.query(step.validateSql!);
        await recordStep(c, migrationKey, runId, step.key, step.phase, { validated: true });
      });
    } catch (error) {
      // Keep the constraint for new rows; the rows that break it are the user's to look at.
      notes.push({ kind: 'constraint', table: step.table, what: `${step.description} kept NOT VALID`, why: `existing rows break it: ${firstLine((error as Error).message)}` });
    }
  };

  // Two foreign keys added at once could each wait for the other's lock on the same two tables.
  let adding: Promise<unknown> = Promise.resolve();
  const addOneAtATime = <T>(add: () => Promise<T>): Promise<T> => {
    const added = adding.then(add);
    adding = added.catch(() => {});
    return added;
  };

  // A resumed run must copy the same columns the first run created.
  for (const step of plan.steps) if (done.get(step.key)?.fallback && step.table) applyFallback(tables.get(step.table)!);

  let interrupted = false;
  for (const phase of PHASES) {
    const pending = plan.steps.filter((s) => s.phase === phase && !done.has(s.key) && !attempted.has(s.key));
    if (!plan.steps.some((s) => s.phase === phase)) continue;
    if (signal.aborted) { interrupted = true; break; }
    const started = Date.now();
    const spinner = phase === 'data' ? null : ui.phase(`${phase}: ${pending.length} step(s)`);
    const runnable = pending.filter((s) => !s.table || !failedTables.has(s.table));

    if (phase === 'data') {
      // Indexes of a table whose rows are all in are built right away, beside the copies still running.
      const indexSteps = plan.steps.filter((s) => s.phase === 'indexes' && !done.has(s.key));
      await runCopyPhase(ctx, runnable, tables, reports, {
        fail,
        afterTable: (table) => (failedTables.has(table) ? [] : indexSteps.filter((s) => s.table === table)),
        runStep,
        foreignKeysReady: (ready) => {
          const steps = plan.steps.filter((s) => s.references && !done.has(s.key) && !attempted.has(s.key) && ready.has(s.table!) && ready.has(s.references));
          for (const step of steps) attempted.add(step.key);
          return steps;
        },
        runForeignKey: async (c, step) => {
          if (signal.aborted || !(await addOneAtATime(() => runStep(c, step)))) return;
          toValidate.splice(toValidate.indexOf(step), 1);
          await validate(c, step);
        },
        skippedForeignKeyChecks: () => (foreignKeyChecksSkipped = true),
      });
      if (foreignKeyChecksSkipped) notes.push(...(await orphanNotes(client, plan.schema, runnable.map((s) => s.table!))));
    } else if (phase === 'indexes') {
      await runPool(runnable, ctx.jobs, () => openMaintenanceClient(ctx), (c) => c.end(), async (step, c) => { if (!signal.aborted) await runStep(c, step); });
    } else if (phase === 'views') {
      await createViews(runnable, (step, quiet) => runStep(client, step, quiet));
    } else {
      for (const step of runnable) {
        if (signal.aborted) break;
        await runStep(client, step);
      }
      if (phase === 'constraints') {
        await runPool(toValidate, ctx.jobs, () => openMaintenanceClient(ctx), (c) => c.end(), (step, c) => (signal.aborted ? Promise.resolve() : validate(c, step)));
      }
    }
    if (signal.aborted) interrupted = true;
    phases.push({ name: phase, seconds: (Date.now() - started) / 1000 });
    spinner?.[errors.length ? 'fail' : 'done']();
    if (interrupted) break;
  }

  notes.push(...(await relaxedNotNullNotes(client, plan, migrationKey)));
  for (const note of [...plan.notes, ...notes]) {
    const report = note.table ? reports.get(note.table) : undefined;
    if (report) report.notes++;
  }
  return { tables: [...reports.values()], phases, notes, errors, interrupted };
}

/** NOT NULL columns that lost it because dates had to arrive as NULL (in this run or an earlier one). */
async function relaxedNotNullNotes(client: pg.Client, plan: TargetPlan, migrationKey: string): Promise<Note[]> {
  const { rows } = await client.query<{ table: string; column: string }>(
    `SELECT c.relname AS table, a.attname AS column FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND NOT a.attnotnull`,
    [plan.schema],
  );
  const notes: Note[] = [];
  for (const table of plan.tables) {
    const relaxed = table.columns.filter((c) => !c.source.nullable && rows.some((r) => r.table === table.name && r.column === c.name));
    if (!relaxed.length) continue;
    const counts = await nulledValueCounts(client, migrationKey, table.name);
    for (const column of relaxed) {
      const n = counts.get(column.name) ?? 0;
      if (n) notes.push({ kind: 'nullability', table: table.name, column: column.name, what: 'NOT NULL dropped', why: `${n} rows held zero, partial or impossible dates, which arrived as NULL` });
    }
  }
  return notes;
}

function applyFallback(table: TargetTable): void {
  for (const column of table.columns) column.generatedSql = null;
}

function openMaintenanceClient(ctx: ApplyContext): Promise<pg.Client> {
  return connectPostgres(ctx.target, 'target', [`SET maintenance_work_mem = '${MAINTENANCE_WORK_MEM}'`]);
}

function failureNote(step: Step, error: unknown): Note {
  const kind = ['views', 'triggers', 'routines', 'events'].includes(step.phase) ? 'not-migrated' : step.phase === 'indexes' ? 'index' : 'constraint';
  return { kind, table: step.table, what: `${step.description} not created`, why: firstLine((error as Error).message), sql: step.sql.join(';\n') };
}

/** Views may depend on each other: retry the failed ones until a pass creates none; note what is left. */
async function createViews(steps: Step[], run: (step: Step, quiet: boolean) => Promise<boolean>): Promise<void> {
  let pending = steps;
  for (;;) {
    const failed: Step[] = [];
    for (const step of pending) if (!(await run(step, true))) failed.push(step);
    if (failed.length === 0) return;
    if (failed.length === pending.length) {
      for (const step of failed) await run(step, false);
      return;
    }
    pending = failed;
  }
}

/** Checks the target before anything is written: nothing of the user's is overwritten. */
export async function preflightTarget(client: pg.Client, plan: TargetPlan, ours: Set<string>, done: Map<string, StepDetail>, options: { dataOnly: boolean; truncate: boolean }): Promise<void> {
  const changed = plan.tables.filter((t) => {
    const recorded = done.get(`create-table:${t.name}`)?.fingerprint;
    return recorded !== undefined && recorded !== tableFingerprint(t);
  });
  if (changed.length) {
    throw new UserError(`the source or the options changed since table(s) ${changed.map((t) => t.name).join(', ')} were created by an earlier run; run again with --fresh to start over`);
  }
  const { rows } = await client.query<{ name: string }>(
    "SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f')",
    [plan.schema],
  );
  const existing = new Set(rows.map((r) => r.name));
  const q = (t: string) => `${qi(plan.schema)}.${qi(t)}`;
  if (!options.dataOnly) {
    const foreign = plan.tables.filter((t) => existing.has(t.name) && !ours.has(t.name)).map((t) => t.name);
    if (foreign.length) {
      throw new UserError(`target already has ${foreign.length} table(s) markethub did not create in schema "${plan.schema}" (${foreign.slice(0, 5).join(', ')}${foreign.length > 5 ? ', ...' : ''}): drop them, choose another --schema, or load into them with --data-only`);
    }
    return;
  }
  const missing = plan.tables.filter((t) => !existing.has(t.name)).map((t) => t.name);
  if (missing.length) throw new UserError(`--data-only: target schema "${plan.schema}" lacks table(s) ${missing.join(', ')}; run with --schema-only first`);
  // Rows of a table whose copy is under way (per the ledger) are ours: the run resumes into them.
  const toLoad = plan.tables.filter((t) => !anyChunkDone(done, t.name));
  const nonEmpty: string[] = [];
  for (const t of toLoad) {
    const { rowCount } = await client.query(`SELECT 1 FROM ${q(t.name)} LIMIT 1`);
    if (rowCount) nonEmpty.push(t.name);
  }
  if (!nonEmpty.length) return;
  if (!options.truncate) {
    throw new UserError(`target table(s) already hold rows: ${nonEmpty.map((t) => `${plan.schema}.${t}`).join(', ')}; pass --truncate to replace their rows`);
  }
  // One statement, so foreign keys between the emptied tables do not get in the way.
  await client.query(`TRUNCATE ${nonEmpty.map(q).join(', ')}`);
}

async function setupObjectExists(client: pg.Client, object: SetupObject): Promise<boolean> {
  const [sql, params] =
    object.kind === 'schema' ? ['SELECT 1 FROM pg_namespace WHERE nspname = $1', [object.name]]
    : object.kind === 'extension' ? ['SELECT 1 FROM pg_extension WHERE extname = $1', [object.name]]
    : ['SELECT 1 FROM pg_collation c JOIN pg_namespace n ON n.oid = c.collnamespace WHERE n.nspname = $1 AND c.collname = $2', [object.schema, object.name]];
  return Boolean((await client.query(sql, params)).rowCount);
}
