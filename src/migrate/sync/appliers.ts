// The two directions as Appliers for the follow loop: their connections, session settings, lock and heartbeat.
import type pg from 'pg';
import { UserError } from '../../config/errors.js';
import type { Dsn } from '../../config/dsn.js';
import { connectMysql, connectPostgres, type MysqlConnection, type TargetTable } from '../db/index.js';
import { LEDGER_SCHEMA } from '../ledger/index.js';
import type { Applier } from './follow.js';
import type { Direction } from './forward-setup.js';
import { applyForwardBatch, forgetAppliedForward } from './forward.js';
import { MYSQL_APPLYING_VARIABLE, pendingMysqlChanges } from './mysql-capture.js';
import { PG_APPLYING_SETTING, pendingPostgresChanges } from './postgres-capture.js';
import { applyReverseBatch, forgetAppliedReverse } from './reverse.js';

export interface ApplierOptions {
  source: Dsn;
  target: Dsn;
  schema: string;
  sourceTimezone: string;
  migrationKey: string;
  runId: number;
  tables: TargetTable[];
  batchSize: number;
}

/** Only one process applies a direction at a time; the lock goes with the session that holds it. */
export function applierLockKey(migrationKey: string, direction: Direction): string {
  return `sync:${direction}:${migrationKey}`;
}

async function takeLock(client: pg.Client, key: string): Promise<void> {
  const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [key]);
  if (!rows[0].locked) throw new UserError(`another \`migrate sync\` is applying these changes (${key}); stop it first, or use --switch-writes, which takes over from it`);
}

export async function heartbeat(client: pg.Client, migrationKey: string, direction: Direction, lagSeconds: number, pending: number): Promise<boolean> {
  const { rows } = await client.query<{ stop: boolean }>(
    `UPDATE ${LEDGER_SCHEMA}.sync_state SET heartbeat_at = now(), lag_seconds = $3, pending = $4 WHERE migration_key = $1 AND direction = $2 RETURNING stop_requested AS stop`,
    [migrationKey, direction, lagSeconds, pending],
  );
  return rows[0]?.stop ?? false;
}

export function createApplier(direction: Direction, options: ApplierOptions): Applier & { close(): Promise<void> } {
  let connections: { mysql: MysqlConnection; pg: pg.Client } | null = null;
  const temps = new Set<string>();
  const open = async () => {
    if (connections) return connections;
    const client = await connectPostgres(options.target, 'target', [`SET TIME ZONE '${options.sourceTimezone.replace(/'/g, "''")}'`]);
    let mysql: MysqlConnection;
    try {
      await takeLock(client, applierLockKey(options.migrationKey, direction));
      mysql = await connectMysql(options.source);
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    if (direction === 'forward') {
      await mysql.query('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      await client.query(`SET ${PG_APPLYING_SETTING} = 'on'`);
      await forgetAppliedForward({ mysql, pg: client, migrationKey: options.migrationKey });
    } else {
      // Postgres checked the foreign keys when the rows were written there; a batch may hold a child before its parent.
      await mysql.query(`SET SESSION foreign_key_checks = 0, ${MYSQL_APPLYING_VARIABLE} = 1`);
      await forgetAppliedReverse({ mysql, pg: client, database: options.source.database });
    }
    temps.clear();
    connections = { mysql, pg: client };
    return connections;
  };
  const bySource = new Map(options.tables.map((t) => [t.sourceName, t]));
  const byTarget = new Map(options.tables.map((t) => [t.name, t]));
  const reset = async () => {
    const c = connections;
    connections = null;
    if (!c) return;
    await c.mysql.end().catch(() => {});
    await c.pg.end().catch(() => {});
  };
  return {
    async next(widen = 1) {
      const { mysql, pg: client } = await open();
      const batchSize = Math.min(options.batchSize * widen, Number.MAX_SAFE_INTEGER);
      const common = { mysql, pg: client, database: options.source.database, schema: options.schema, batchSize };
      if (direction === 'forward') return applyForwardBatch({ ...common, migrationKey: options.migrationKey, runId: options.runId, tables: bySource }, temps);
      return applyReverseBatch({ ...common, sourceTimezone: options.sourceTimezone, tables: byTarget });
    },
    async pending() {
      const { mysql, pg: client } = await open();
      return direction === 'forward' ? pendingMysqlChanges(mysql, options.source.database) : pendingPostgresChanges(client);
    },
    async heartbeat(lagSeconds, pending) {
      const { pg: client } = await open();
      return heartbeat(client, options.migrationKey, direction, lagSeconds, pending);
    },
    reset,
    close: reset,
  };
}

