// The cutover flag, in one place both backends read (the target Postgres), its history, and the
// counters the routing middleware reports.
import { readFile } from 'node:fs/promises';
import type pg from 'pg';
import { pgModule } from '../db/pg-driver.js';
import { fromProjectRoot } from '../project-paths.js';

const SCHEMA_SQL = fromProjectRoot('migrations', 'cutover', '001_cutover.sql');
/** Serialises the (idempotent) creation of the cutover schema between processes. */
const SCHEMA_LOCK = 0x6d68_6375;

export interface CutoverState {
  percentage: number;
  writes: boolean;
  shadow: boolean;
  /** Writes are refused (503) on both sides while they move from one database to the other. */
  frozen: boolean;
  updatedAt: string;
}

export interface RouteStats {
  side: 'legacy' | 'new';
  route: string;
  requests: number;
  errors: number;
  shadowCompared: number;
  shadowDiffered: number;
}

export interface ShadowExample {
  route: string;
  path: string;
  legacy: unknown;
  new: unknown;
  fields: string[];
}

export interface SyncDirectionStatus {
  direction: 'forward' | 'reverse';
  /** A process follows it now: marked so, with a heartbeat in the last 10 seconds. */
  running: boolean;
  heartbeatAt: string | null;
  lagSeconds: number | null;
  pending: number | null;
  appliedChanges: number;
}

export interface CutoverStatus {
  state: CutoverState;
  /** Where `migrate sync` stands in each direction, when it ever ran against this target. */
  sync: SyncDirectionStatus[];
  stage: string;
  routes: RouteStats[];
  examples: (ShadowExample & { seenAt: string })[];
  changes: { changedAt: string; changedBy: string; from: CutoverState; to: CutoverState; reason: string }[];
}

const S = 'markethub_cutover';
/** Examples kept per route: enough to see the difference, not a log. */
const EXAMPLES_PER_ROUTE = 5;

export function stageOf(state: Pick<CutoverState, 'percentage' | 'shadow'>): string {
  if (state.percentage >= 100) return 'complete: every request goes to the new backend';
  if (state.percentage > 0) return `${state.percentage}% of users on the new backend`;
  return state.shadow ? 'shadow: legacy serves everyone, sampled reads are compared with the new backend' : 'legacy: nothing goes to the new backend';
}

function stateOf(row: { percentage: string; writes: boolean; shadow: boolean; writes_frozen: boolean; updated_at: Date }): CutoverState {
  return { percentage: Number(row.percentage), writes: row.writes, shadow: row.shadow, frozen: row.writes_frozen, updatedAt: row.updated_at.toISOString() };
}

const STATE_COLUMNS = 'percentage, writes, shadow, writes_frozen, updated_at';

/** Sends everyone back to legacy, recorded, if cutover was ever set up here; true when it changed anything. */
export async function resetCutover(client: pg.Client, by: string, reason: string): Promise<boolean> {
  const { rows: exists } = await client.query<{ ok: boolean }>(`SELECT to_regclass('${S}.state') IS NOT NULL AS ok`);
  if (!exists[0]!.ok) return false;
  const { rows } = await client.query(
    `WITH old AS (SELECT ${STATE_COLUMNS} FROM ${S}.state),
          new AS (UPDATE ${S}.state SET percentage = 0, writes = false, writes_frozen = false, updated_at = now() WHERE percentage > 0 OR writes OR writes_frozen RETURNING ${STATE_COLUMNS})
     INSERT INTO ${S}.changes (changed_by, from_state, to_state, reason)
     SELECT $1, to_jsonb(old), to_jsonb(new), $2 FROM old, new RETURNING id`,
    [by, reason],
  );
  return rows.length > 0;
}

export class CutoverStore {
  private cached: { state: CutoverState; at: number } | undefined;

  private constructor(
    readonly pool: pg.Pool,
    /** How long a read of the flag is trusted: a change reaches every process within this. */
    private readonly cacheMs: number,
  ) {}

  static async open(url: string, options: { cacheMs?: number } = {}): Promise<CutoverStore> {
    const pool = new pgModule.Pool({ connectionString: url, max: 2, application_name: 'markethub-cutover' });
    pool.on('error', () => {});
    // Created where cutover is first used, not by every migration: a target that never cuts over has none.
    const sql = await readFile(SCHEMA_SQL, 'utf8');
    const client = await pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [SCHEMA_LOCK]);
      await client.query(sql);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [SCHEMA_LOCK]).catch(() => {});
      client.release();
    }
    return new CutoverStore(pool, options.cacheMs ?? 1000);
  }

  async state(): Promise<CutoverState> {
    if (this.cached && Date.now() - this.cached.at < this.cacheMs) return this.cached.state;
    const { rows } = await this.pool.query(`SELECT ${STATE_COLUMNS} FROM ${S}.state`);
    this.cached = { state: stateOf(rows[0]), at: Date.now() };
    return this.cached.state;
  }

  /** Changes the flag and records who, from what, to what and why, in one transaction. */
  async change(to: Partial<Pick<CutoverState, 'percentage' | 'writes' | 'shadow' | 'frozen'>>, by: string, reason: string): Promise<CutoverState> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query(`SELECT ${STATE_COLUMNS} FROM ${S}.state FOR UPDATE`);
      const from = stateOf(rows[0]);
      const { rows: updated } = await client.query(
        `UPDATE ${S}.state SET percentage = $1, writes = $2, shadow = $3, writes_frozen = $4, updated_at = now() RETURNING ${STATE_COLUMNS}`,
        [to.percentage ?? from.percentage, to.writes ?? from.writes, to.shadow ?? from.shadow, to.frozen ?? from.frozen],
      );
      const next = stateOf(updated[0]);
      await client.query(`INSERT INTO ${S}.changes (changed_by, from_state, to_state, reason) VALUES ($1, $2, $3, $4)`, [by, from, next, reason]);
      await client.query('COMMIT');
      this.cached = { state: next, at: Date.now() };
      return next;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async addStats(stats: RouteStats[]): Promise<void> {
    if (stats.length === 0) return;
    await this.pool.query(
      `INSERT INTO ${S}.route_stats AS r (side, route, requests, errors, shadow_compared, shadow_differed)
       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[])
       ON CONFLICT (side, route) DO UPDATE SET requests = r.requests + EXCLUDED.requests, errors = r.errors + EXCLUDED.errors,
         shadow_compared = r.shadow_compared + EXCLUDED.shadow_compared, shadow_differed = r.shadow_differed + EXCLUDED.shadow_differed`,
      [stats.map((s) => s.side), stats.map((s) => s.route), stats.map((s) => s.requests), stats.map((s) => s.errors), stats.map((s) => s.shadowCompared), stats.map((s) => s.shadowDiffered)],
    );
  }

  async addShadowExample(example: ShadowExample): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${S}.shadow_examples (route, path, legacy, new, fields)
       SELECT $1, $2, $3, $4, $5 WHERE (SELECT count(*) FROM ${S}.shadow_examples WHERE route = $1) < ${EXAMPLES_PER_ROUTE}`,
      [example.route, example.path, JSON.stringify(example.legacy), JSON.stringify(example.new), example.fields],
    );
  }

  async status(): Promise<CutoverStatus> {
    this.cached = undefined;
    const state = await this.state();
    const { rows: routes } = await this.pool.query(`SELECT side, route, requests, errors, shadow_compared, shadow_differed FROM ${S}.route_stats ORDER BY route, side`);
    const { rows: examples } = await this.pool.query(`SELECT route, path, legacy, new, fields, seen_at FROM ${S}.shadow_examples ORDER BY id`);
    const { rows: changes } = await this.pool.query(`SELECT changed_at, changed_by, from_state, to_state, reason FROM ${S}.changes ORDER BY id DESC LIMIT 20`);
    return {
      state,
      sync: await this.syncStatus(),
      stage: stageOf(state),
      routes: routes.map((r) => ({ side: r.side, route: r.route, requests: Number(r.requests), errors: Number(r.errors), shadowCompared: Number(r.shadow_compared), shadowDiffered: Number(r.shadow_differed) })),
      examples: examples.map((e) => ({ route: e.route, path: e.path, legacy: e.legacy, new: e.new, fields: e.fields, seenAt: e.seen_at.toISOString() })),
      changes: changes.map((c) => ({ changedAt: c.changed_at.toISOString(), changedBy: c.changed_by, from: c.from_state, to: c.to_state, reason: c.reason })),
    };
  }

  private async syncStatus(): Promise<SyncDirectionStatus[]> {
    const { rows: exists } = await this.pool.query(`SELECT to_regclass('markethub_migrate.sync_state') IS NOT NULL AS ok`);
    if (!exists[0].ok) return [];
    const { rows } = await this.pool.query(`SELECT direction, following AND heartbeat_at > now() - interval '10 seconds' AS running, heartbeat_at, lag_seconds, pending, applied_changes FROM markethub_migrate.sync_state ORDER BY direction`);
    return rows.map((r) => ({
      direction: r.direction, running: r.running, heartbeatAt: r.heartbeat_at?.toISOString() ?? null, lagSeconds: r.lag_seconds, pending: r.pending === null ? null : Number(r.pending), appliedChanges: Number(r.applied_changes),
    }));
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
