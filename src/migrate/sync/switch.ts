// `migrate sync --switch-writes`: move writes from one database to the other with seconds of refusal.
// Freeze (both sides answer writes with 503 + Retry-After), drain the last changes, verify the tables
// that changed, put identities ahead, start capture the other way, and flip the flag with writes let
// through in the same change. Anything failing before the flip lets writes through where they were.
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { UserError } from '../../config/errors.js';
import { CutoverStore } from '../../cutover/store.js';
import { quoteIdent as qi, quoteLiteral, type TargetPlan } from '../db/index.js';
import { LEDGER_SCHEMA } from '../ledger/index.js';
import { verifyData } from '../verify/index.js';
import { applierLockKey } from './appliers.js';
import type { Direction } from './forward-setup.js';
import { forgetReverseBatches, nextAutoIncrements } from './mysql-capture.js';
import { hasPostgresCapture, installPostgresCapture, removePostgresCapture } from './postgres-capture.js';
import { followDirection, withMysql, type SyncContext } from './context.js';

export interface SwitchStep {
  name: string;
  seconds: number;
  detail: string;
}

/** Requests in flight when the freeze was seen may still commit: they get this long. */
const IN_FLIGHT_GRACE_MS = 300;
const TAKE_OVER_TIMEOUT_MS = 15_000;

/** Asks a running follower of this direction to stop, and waits until its lock is free. */
async function takeOver(control: pg.Client, migrationKey: string, direction: Direction): Promise<string> {
  await control.query(`UPDATE ${LEDGER_SCHEMA}.sync_state SET stop_requested = true WHERE migration_key = $1 AND direction = $2`, [migrationKey, direction]);
  const deadline = Date.now() + TAKE_OVER_TIMEOUT_MS;
  let waited = false;
  for (;;) {
    const { rows } = await control.query<{ free: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS free', [applierLockKey(migrationKey, direction)]);
    if (rows[0].free) {
      await control.query('SELECT pg_advisory_unlock(hashtext($1))', [applierLockKey(migrationKey, direction)]);
      return waited ? 'a running follower handed over' : 'no follower running';
    }
    if (Date.now() > deadline) throw new UserError(`a \`migrate sync\` follower holds the ${direction} direction and did not stop within ${TAKE_OVER_TIMEOUT_MS / 1000} s; stop it and run again`);
    waited = true;
    await sleep(100);
  }
}

async function changedTables(ctx: SyncContext, direction: Direction): Promise<string[]> {
  // The way back verifies every table: its batches are recorded in MySQL, without their tables.
  if (direction === 'reverse') return ctx.tables.map((t) => t.sourceName);
  const { rows } = await ctx.control.query<{ t: string }>(`SELECT DISTINCT unnest(tables) AS t FROM ${LEDGER_SCHEMA}.sync_batches WHERE migration_key = $1`, [ctx.migrationKey]);
  return rows.map((r) => r.t);
}

/** Identities continue after every id MySQL handed out or Postgres holds. */
async function identitiesAhead(ctx: SyncContext): Promise<number> {
  const tables = ctx.tables.filter((t) => t.columns.some((c) => c.identity));
  if (tables.length === 0) return 0;
  return withMysql(ctx, async (mysql) => {
    const next = await nextAutoIncrements(mysql, ctx.config.source.database, tables.map((t) => t.sourceName));
    const statements = tables.map((table) => {
      const identity = table.columns.find((c) => c.identity)!;
      const name = `${qi(ctx.config.schema)}.${qi(table.name)}`;
      return `SELECT setval(pg_get_serial_sequence(${quoteLiteral(name)}, ${quoteLiteral(identity.name)}), GREATEST(${/^\d+$/.test(next.get(table.sourceName) ?? '') ? next.get(table.sourceName) : 1}, (SELECT COALESCE(MAX(${qi(identity.name)}), 0) + 1 FROM ${name})), false)`;
    });
    await ctx.control.query(statements.join(';\n'));
    return tables.length;
  });
}

export async function switchWrites(ctx: SyncContext, direction: Direction, plan: TargetPlan): Promise<{ steps: SwitchStep[]; writesRefusedSeconds: number }> {
  const steps: SwitchStep[] = [];
  const step = async (name: string, work: () => Promise<string>) => {
    const started = Date.now();
    const detail = await work();
    steps.push({ name, seconds: (Date.now() - started) / 1000, detail });
    ctx.log(`switch: ${name} ${((Date.now() - started) / 1000).toFixed(2)} s: ${detail}`);
  };
  const store = await CutoverStore.open(ctx.config.target.url);
  const by = 'migrate sync --switch-writes';
  let frozenAt: number | null = null;
  try {
    const current = await store.state();
    const writesOnNew = current.writes && current.percentage >= 100;
    if (direction === 'forward' && writesOnNew) throw new UserError('writes are on the new backend already; `migrate sync --switch-writes --reverse` moves them back');
    if (direction === 'reverse' && !writesOnNew) throw new UserError('writes are not on the new backend: nothing to move back');

    await step('take over', () => takeOver(ctx.control, ctx.migrationKey, direction));
    await step('catch up', async () => `${(await followDirection(ctx, direction, true)).changes} change(s) applied before freezing`);

    if (direction === 'forward') {
      // Before the freeze, to keep it short: until the flip only the forward applier writes to Postgres, and its writes are not captured.
      await step('capture', async () => {
        const fresh = !(await hasPostgresCapture(ctx.control));
        await installPostgresCapture(ctx.control, ctx.config.schema, ctx.tables);
        // A new change table numbers its changes from 1 again: the way back's records of an earlier capture would match them.
        if (fresh) await withMysql(ctx, (mysql) => forgetReverseBatches(mysql, ctx.config.source.database));
        await ctx.control.query(
          `INSERT INTO ${LEDGER_SCHEMA}.sync_state (migration_key, direction) VALUES ($1, 'reverse') ON CONFLICT (migration_key, direction) DO UPDATE SET capture_started_at = now()`,
          [ctx.migrationKey],
        );
        return 'Postgres changes are captured from now on, for `migrate sync --reverse`';
      });
    }
    await step('freeze', async () => {
      await store.change({ frozen: true }, by, `freeze writes to move them ${direction === 'forward' ? 'to Postgres' : 'back to MySQL'}`);
      frozenAt = Date.now();
      await sleep(ctx.config.flagCacheMs + IN_FLIGHT_GRACE_MS);
      return `writes refused on both sides (waited ${ctx.config.flagCacheMs + IN_FLIGHT_GRACE_MS} ms for every process to see it)`;
    });
    await step('drain', async () => {
      let applied = 0;
      // Twice: a write in flight at the freeze may commit just after the first pass found nothing.
      for (let pass = 0; pass < 2; pass++) {
        applied += (await followDirection(ctx, direction, true)).changes;
        if (pass === 0) await sleep(IN_FLIGHT_GRACE_MS);
      }
      return `${applied} change(s) applied; nothing pending`;
    });
    await step('verify', async () => {
      const tables = await changedTables(ctx, direction);
      if (tables.length === 0) return 'no table changed since the copy';
      const report = await verifyData({ source: ctx.config.source, target: ctx.config.target, schema: ctx.config.schema, sourceTimezone: ctx.config.sourceTimezone, plan, tables, maxDifferences: 10 });
      if (!report.ok) {
        const first = report.differences[0];
        throw new UserError(`verify found ${report.differencesTotal} difference(s) after draining (first: ${first ? `${first.table} ${JSON.stringify(first.key)} ${first.kind}` : report.tables.find((t) => t.status !== 'ok')?.table}); writes stay where they were`);
      }
      return `parity on ${tables.join(', ')}`;
    });
    if (direction === 'forward') await step('identities', async () => `${await identitiesAhead(ctx)} identity sequence(s) set past every MySQL id`);
    await step('switch', async () => {
      const to = direction === 'forward' ? { percentage: 100, writes: true } : { percentage: 0, writes: false };
      await store.change({ ...to, frozen: false }, by, direction === 'forward' ? 'writes moved to the new backend' : 'writes moved back to the legacy backend');
      return direction === 'forward' ? 'every request goes to the new backend; writes let through' : 'every request goes to the legacy backend; writes let through';
    });
    const writesRefusedSeconds = (Date.now() - frozenAt!) / 1000;
    if (direction === 'reverse') {
      // After the flip: Postgres takes no writes any more, and writes wait for nothing.
      await step('capture', async () => {
        await removePostgresCapture(ctx.control, ctx.config.schema, ctx.tables);
        return 'capture on Postgres removed; MySQL capture goes on for the forward direction';
      });
    }
    return { steps, writesRefusedSeconds };
  } catch (error) {
    if (frozenAt !== null) await store.change({ frozen: false }, by, `switch aborted: ${(error as Error).message.split('\n')[0]}`).catch(() => {});
    throw error;
  } finally {
    await store.close();
  }
}

