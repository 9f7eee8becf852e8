// The data phase: every table's rows, in key-range chunks copied in parallel. Each chunk commits together
// with its ledger record, so after a crash only the chunks that never committed are copied again.
import type pg from 'pg';
import type { TableReport } from '../../report/model.js';
import { inTransaction, recordStep, recordValueChanges } from '../ledger/index.js';
import type { ApplyContext } from './apply-context.js';
import { chunkKey, chunkPlanKey, rangeCondition, ROWS_PER_CHUNK, splitKeyRange, type KeyRange } from './chunks.js';
import { copyKeyColumns, keysetCondition, sampleKeysetRanges, type CopyKeyColumn, type KeysetRange } from './keyset.js';
import { NullNeeded } from './convert.js';
import { copyTable } from './copy.js';
import { SourceConnection } from './mysql.js';
import { quoteIdent as qi } from './plan/expression.js';
import type { Step, TargetTable } from './plan/plan.js';
import { runPool } from './pool.js';
import { connectPostgres, MAINTENANCE_WORK_MEM } from './postgres.js';
import { collectDeadBuffers, holdYoungGenerationSize } from './memory.js';

interface Chunk {
  step: Step;
  table: TargetTable;
  key: string;
  where: string | undefined;
  /** The only chunk of its table: it may empty the table first, so a restart is always clean. */
  whole: boolean;
}

type ChunkPlan =
  | {
      /** The integer key column the ranges cut (null: one chunk, the whole table). */
      column: string | null;
      ranges: KeyRange[];
      keyColumns?: undefined;
    }
  /** Any other primary key: ranges of key tuples (keyset.ts). */
  | { column: null; keyColumns: CopyKeyColumn[]; ranges: KeysetRange[] };

const WHOLE: ChunkPlan = { column: null, ranges: [{ from: null, to: null }] };

/** Tuple ranges for a big table with a primary key of another kind, sampled from its index. */
async function keysetPlan(ctx: ApplyContext, table: TargetTable): Promise<ChunkPlan> {
  const keyColumns = copyKeyColumns(table);
  if (!keyColumns || table.rowEstimate <= ROWS_PER_CHUNK) return WHOLE;
  const source = new SourceConnection(ctx.source);
  try {
    const ranges = await sampleKeysetRanges(await source.get(), table, keyColumns, ROWS_PER_CHUNK);
    return ranges.length > 1 ? { column: null, keyColumns, ranges } : WHOLE;
  } finally {
    await source.end();
  }
}

/** How the table is cut: as first recorded in the ledger, so a resumed run cuts it the same way. */
async function chunkPlan(ctx: ApplyContext, table: TargetTable): Promise<ChunkPlan> {
  const recorded = ctx.done.get(chunkPlanKey(table.name)) as ChunkPlan | undefined;
  if (recorded) return recorded;
  const plan: ChunkPlan = table.keyRange
    ? { column: table.keyRange.column, ranges: splitKeyRange(table.keyRange.min, table.keyRange.max, table.rowEstimate) }
    : await keysetPlan(ctx, table);
  await recordStep(ctx.client, ctx.migrationKey, ctx.runId, chunkPlanKey(table.name), 'data', { ...plan });
  return plan;
}

function chunkCondition(plan: ChunkPlan, index: number): string | undefined {
  if (plan.keyColumns) return keysetCondition(plan.keyColumns, plan.ranges[index]);
  return plan.column ? rangeCondition(plan.column, plan.ranges[index]) : undefined;
}

export interface CopyPhaseHooks {
  fail(step: Step, error: unknown): void;
  /** Steps to run as soon as a table's rows are all in (its indexes), while other tables still copy. */
  afterTable(table: string): Step[];
  runStep(client: pg.Client, step: Step): Promise<boolean>;
  /** Foreign keys whose two tables are `ready` (rows and indexes in), not handed out before. */
  foreignKeysReady(ready: Set<string>): Step[];
  /** Adds a foreign key and validates it. */
  runForeignKey(client: pg.Client, step: Step): Promise<void>;
  /** --data-only loads with the existing foreign keys' checks off: they must be checked afterwards. */
  skippedForeignKeyChecks(): void;
}

export async function runCopyPhase(
  ctx: ApplyContext,
  steps: Step[],
  tables: Map<string, TargetTable>,
  reports: Map<string, TableReport>,
  hooks: CopyPhaseHooks,
): Promise<void> {
  const { ui, signal } = ctx;
  holdYoungGenerationSize();
  // Columns an earlier run relaxed take NULLs from the start.
  for (const [key, detail] of ctx.done) {
    if (key.startsWith('drop-not-null:')) tables.get(String(detail.table))?.columns.forEach((c) => c.name === detail.column && (c.nullable = true));
  }
  const pending: Chunk[] = [];
  for (const step of steps) {
    const table = tables.get(step.table!)!;
    const report = reports.get(table.name)!;
    const plan = await chunkPlan(ctx, table);
    const ranges: unknown[] = plan.ranges;
    ranges.forEach((_, i) => {
      const key = chunkKey(table.name, i);
      const finished = ctx.done.get(key);
      if (finished) {
        report.rowsRead += Number(finished.rowsRead ?? 0);
        report.rowsWritten += Number(finished.rowsWritten ?? 0);
        return;
      }
      pending.push({ step, table, key, where: chunkCondition(plan, i), whole: ranges.length === 1 });
    });
    report.status = pending.some((c) => c.table === table) ? 'copied' : 'already-copied';
  }
  // Biggest tables first, so the largest does not start last and run alone.
  pending.sort((a, b) => b.table.rowEstimate - a.table.rowEstimate);

  const progress = new Map<string, ReturnType<typeof ui.table>>();
  const remaining = new Map<string, number>();
  for (const chunk of pending) remaining.set(chunk.table.name, (remaining.get(chunk.table.name) ?? 0) + 1);
  const failedTables = new Set<string>();

  const queue: (Chunk | Step)[] = [...pending];
  // A table is ready once its rows and indexes are in: its foreign keys can then be validated while other
  // tables still copy, instead of all of them at the end.
  const ready = new Set<string>();
  const indexesLeft = new Map<string, number>();
  const markReady = (table: string) => {
    ready.add(table);
    queue.unshift(...hooks.foreignKeysReady(ready));
  };
  const rowsAllIn = (table: string) => {
    const indexes = hooks.afterTable(table);
    if (!indexes.length) return markReady(table);
    indexesLeft.set(table, indexes.length);
    // Index builds overlap the copies still running instead of waiting for all of them.
    queue.unshift(...indexes);
  };
  // Tables already copied by an earlier run get their indexes now too.
  for (const step of steps) if (!remaining.has(step.table!)) rowsAllIn(step.table!);
  const stopCollecting = collectDeadBuffers();
  try {
    await runPool(queue, ctx.jobs, () => openWorker(ctx, hooks.skippedForeignKeyChecks), closeWorker, async (task, { client, source }) => {
      if (signal.aborted) return;
      if (!('where' in task)) {
        if (task.references) return hooks.runForeignKey(client, task);
        await hooks.runStep(client, task);
        const left = indexesLeft.get(task.table!)! - 1;
        indexesLeft.set(task.table!, left);
        if (left === 0) markReady(task.table!);
        return;
      }
      const name = task.table.name;
      if (failedTables.has(name)) return;
      const bar = progress.get(name) ?? progress.set(name, ui.table(name, task.table.rowEstimate)).get(name)!;
      try {
        await copyChunkRelaxingDates(ctx, { client, source }, task, reports.get(name)!, (n) => bar.add(n));
      } catch (error) {
        if (signal.aborted) return;
        failedTables.add(name);
        hooks.fail(task.step, error);
        return;
      }
      remaining.set(name, remaining.get(name)! - 1);
      if (remaining.get(name) === 0) {
        bar.done();
        rowsAllIn(name);
      }
    });
  } finally {
    stopCollecting();
    ui.close();
  }
}

/**
 * NOT NULL date columns stay NOT NULL unless a zero or impossible date must arrive as NULL: then the
 * chunk stops, the column loses its NOT NULL (noted at the end) and the chunk is copied again.
 */
async function copyChunkRelaxingDates(ctx: ApplyContext, worker: Worker, chunk: Chunk, report: TableReport, onRows: (n: number) => void): Promise<void> {
  const { client } = worker;
  for (;;) {
    try {
      return await copyChunk(ctx, worker, chunk, report, onRows);
    } catch (error) {
      if (!(error instanceof NullNeeded)) throw error;
      // Recorded with the change itself, so a rollback knows to put the NOT NULL back.
      const column = error.column;
      await inTransaction(client, async () => {
        await client.query(`ALTER TABLE ${qi(ctx.plan.schema)}.${qi(chunk.table.name)} ALTER COLUMN ${qi(column)} DROP NOT NULL`);
        await recordStep(client, ctx.migrationKey, ctx.runId, `drop-not-null:${chunk.table.name}:${column}`, 'data', { table: chunk.table.name, column });
      });
      chunk.table.columns.find((c) => c.name === column)!.nullable = true;
    }
  }
}

async function copyChunk(ctx: ApplyContext, { client, source }: Worker, chunk: Chunk, report: TableReport, onRows: (n: number) => void): Promise<void> {
  const started = Date.now();
  const mysql = await source.get();
  try {
    const result = await inTransaction(client, async () => {
      // Belt and braces: a table copied whole starts from empty, whatever an earlier run left.
      if (chunk.whole && !ctx.dataOnly) await client.query(`TRUNCATE ${qi(ctx.plan.schema)}.${qi(chunk.table.name)}`);
      const copied = await copyTable({ mysql, pg: client, schema: ctx.plan.schema, table: chunk.table, where: chunk.where, signal: ctx.signal, onRows });
      await recordValueChanges(client, ctx.migrationKey, ctx.runId, copied.valueChanges);
      await recordStep(client, ctx.migrationKey, ctx.runId, chunk.key, 'data', { rowsRead: copied.rowsRead, rowsWritten: copied.rowsWritten, seconds: (Date.now() - started) / 1000, where: chunk.where ?? null });
      return copied;
    });
    // Counted once committed.
    report.rowsRead += result.rowsRead;
    report.rowsWritten += result.rowsWritten;
    report.seconds += (Date.now() - started) / 1000;
  } catch (error) {
    source.discard();
    throw error;
  }
}

/** What a worker of the data phase holds: a Postgres session, and a MySQL one once it copies rows. */
interface Worker {
  client: pg.Client;
  source: SourceConnection;
}

async function openWorker(ctx: ApplyContext, onReplicaRole: () => void): Promise<Worker> {
  return { client: await openCopyClient(ctx, onReplicaRole), source: new SourceConnection(ctx.source) };
}

async function closeWorker({ client, source }: Worker): Promise<void> {
  await source.end();
  await client.end();
}

async function openCopyClient(ctx: ApplyContext, onReplicaRole: () => void): Promise<pg.Client> {
  // DATETIME values carry no zone: Postgres reads them in the source's zone. The same connections
  // build indexes between chunks.
  const client = await connectPostgres(ctx.target, 'target', [
    `SET TIME ZONE '${ctx.sourceTimezone.replace(/'/g, "''")}'`,
    `SET maintenance_work_mem = '${MAINTENANCE_WORK_MEM}'`,
    // A chunk and its ledger record are lost or kept together, so a commit need not wait for the disk:
    // after a server crash the resumed run copies any lost chunk again.
    'SET synchronous_commit = off',
  ]);
  if (ctx.dataOnly) {
    // The tables' foreign keys already exist and tables load in parallel, children before parents:
    // a superuser session may skip the FK triggers (the keys are checked by query afterwards).
    const replica = await client.query("SET session_replication_role = 'replica'").then(() => true, () => false);
    if (replica) onReplicaRole();
  }
  return client;
}
