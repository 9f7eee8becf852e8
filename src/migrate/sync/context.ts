// What one `migrate sync` run shares between following and switching.
import type pg from 'pg';
import type { Ui } from '../../ui/index.js';
import { connectMysql, type MysqlConnection, type TargetTable } from '../db/index.js';
import { LEDGER_SCHEMA } from '../ledger/index.js';
import { createApplier } from './appliers.js';
import { follow, type FollowStats } from './follow.js';
import type { Direction } from './forward-setup.js';
import type { MigrateSyncConfig } from './model.js';

export interface SyncContext {
  config: MigrateSyncConfig;
  migrationKey: string;
  runId: number;
  tables: TargetTable[];
  control: pg.Client;
  ui: Ui;
  signal: AbortSignal;
  log: (line: string) => void;
  notes: string[];
}

/** Follows one direction with the run's settings until caught up (if asked), interrupted, or taken over. */
export async function followDirection(ctx: SyncContext, direction: Direction, untilCaughtUp: boolean): Promise<FollowStats> {
  const { config } = ctx;
  const following = (on: boolean) => ctx.control.query(`UPDATE ${LEDGER_SCHEMA}.sync_state SET following = $3, stop_requested = false WHERE migration_key = $1 AND direction = $2`, [ctx.migrationKey, direction, on]);
  await following(true);
  const applier = createApplier(direction, { ...config, migrationKey: ctx.migrationKey, runId: ctx.runId, tables: ctx.tables });
  try {
    return await follow(applier, {
      signal: ctx.signal, pollMs: config.pollMs, untilCaughtUp,
      onProgress: (line) => ctx.log(`${direction}: ${line}`),
      onRetry: (error, attempt) => ctx.log(`${direction}: batch taken again with more changes (${error.message.split('\n')[0]}), attempt ${attempt}`),
      onReconnect: (error, attempt) => ctx.log(`${direction}: connection lost (${error.message.split('\n')[0]}); reconnecting, attempt ${attempt}`),
    });
  } finally {
    await applier.close();
    await following(false).catch(() => {});
  }
}


/** A MySQL connection of the source for `work`, closed afterwards. */
export async function withMysql<T>(ctx: SyncContext, work: (mysql: MysqlConnection) => Promise<T>): Promise<T> {
  const mysql = await connectMysql(ctx.config.source);
  try {
    return await work(mysql);
  } finally {
    await mysql.end().catch(() => {});
  }
}
