// `migrate status`: where every migration on this target stands, read from the ledger alone.
import type pg from 'pg';
import { LEDGER_SCHEMA, ledgerExists } from './index.js';

export type PhaseState = 'done' | 'partial' | 'not started';

export interface StatusReport {
  ledger: boolean;
  runs: { id: number; command: string; migration: string; startedAt: string; finishedAt: string | null; outcome: string; options: Record<string, unknown> }[];
  databases: {
    migration: string;
    /** `noted`: steps a finished run could not carry out and reported instead (a view that does not translate). */
    phases: { phase: string; done: number; planned: number | null; noted: number; state: PhaseState }[];
    tablesCreated: number;
    rowsCopied: number;
    /** The database logic the plan creates (views, routines, triggers): whether each exists now. */
    objects: { what: string; created: boolean }[];
  }[];
  files: { bucket: string; uploaded: number; preExisting: number; inFlight: number; failed: number; rolledBack: number; bytes: number }[];
  urls: { table: string; column: string; rewritten: number; undone: number }[];
  lastVerify: { runId: number; finishedAt: string | null; outcome: string; parity: boolean | null; differences: number | null } | null;
  /** Cutover stage, once cutover state lives in this target. */
  cutover: string;
}

const PHASES = ['schema', 'data', 'indexes', 'constraints', 'routines', 'views', 'triggers', 'events'];
const LOGIC_PHASES = new Set(['routines', 'views', 'triggers', 'events']);

function phaseState(done: number, planned: number | null): PhaseState {
  if (planned === 0) return 'done';
  if (done === 0) return 'not started';
  return planned !== null && done >= planned ? 'done' : 'partial';
}

export async function readStatus(client: pg.Client): Promise<StatusReport> {
  const empty: StatusReport = { ledger: false, runs: [], databases: [], files: [], urls: [], lastVerify: null, cutover: 'not set up' };
  if (!(await ledgerExists(client))) return empty;
  const q = async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) => (await client.query<T>(sql, params)).rows;

  const runs = (await q<{ id: string; command: string; migration_key: string; started_at: Date; finished_at: Date | null; outcome: string; options: Record<string, unknown> }>(
    `SELECT id::text, command, migration_key, started_at, finished_at, outcome, options FROM ${LEDGER_SCHEMA}.runs ORDER BY id`,
  )).map((r) => ({ id: Number(r.id), command: r.command, migration: r.migration_key, startedAt: r.started_at.toISOString(), finishedAt: r.finished_at?.toISOString() ?? null, outcome: r.outcome, options: r.options }));

  const databases: StatusReport['databases'] = [];
  for (const key of [...new Set(runs.filter((r) => r.command === 'migrate db').map((r) => r.migration))]) {
    // The latest finished run's plan says how many steps each phase has; an interrupted run left none.
    const [planned] = await q<{ plan: { steps: { phase: string; key: string; description: string }[] } | null; outcome: string }>(
      `SELECT plan, outcome FROM ${LEDGER_SCHEMA}.runs WHERE migration_key = $1 AND command = 'migrate db' AND plan IS NOT NULL ORDER BY id DESC LIMIT 1`, [key],
    );
    const done = await q<{ phase: string; n: number }>(
      `SELECT phase, count(*)::int AS n FROM ${LEDGER_SCHEMA}.steps WHERE migration_key = $1 AND step_key NOT LIKE 'chunks:%' AND step_key NOT LIKE 'drop-not-null:%'
        GROUP BY phase`, [key],
    );
    const [copied] = await q<{ n: string | null }>(`SELECT sum((detail->>'rowsWritten')::bigint)::text AS n FROM ${LEDGER_SCHEMA}.steps WHERE migration_key = $1 AND step_key LIKE 'copy:%'`, [key]);
    const [tables] = await q<{ n: number }>(`SELECT count(*)::int AS n FROM ${LEDGER_SCHEMA}.created_objects WHERE migration_key = $1 AND kind = 'table'`, [key]);
    // The database's own logic as migrate db carried it over (not the functions markethub adds for ON UPDATE columns).
    const objectSteps = (planned?.plan?.steps ?? []).filter((s) => LOGIC_PHASES.has(s.phase));
    const created = new Set((await q<{ key: string }>(`SELECT step_key AS key FROM ${LEDGER_SCHEMA}.steps WHERE migration_key = $1 AND step_key = ANY($2)`, [key, objectSteps.map((s) => s.key)])).map((r) => r.key));
    const plannedIn = (phase: string) => (planned?.plan ? planned.plan.steps.filter((s) => s.phase === phase).length : null);
    databases.push({
      migration: key,
      phases: PHASES.map((phase) => {
        const n = done.find((d) => d.phase === phase)?.n ?? 0;
        // Copy steps are per chunk, the plan's per table: data is done when every table's copy is.
        const p = phase === 'data' ? null : plannedIn(phase);
        const noted = planned?.outcome === 'success' && p !== null ? Math.max(0, p - n) : 0;
        return { phase, done: n, planned: p, noted, state: (phase === 'data' && n > 0 && planned?.plan) || noted > 0 ? 'done' : phaseState(n, p) };
      }),
      tablesCreated: tables?.n ?? 0,
      rowsCopied: Number(copied?.n ?? 0),
      objects: objectSteps.map((s) => ({ what: s.description, created: created.has(s.key) })),
    });
  }

  const files = (await q<{ bucket: string; uploaded: number; pre: number; inflight: number; failed: number; rolled: number; bytes: string }>(
    `SELECT bucket, count(*) FILTER (WHERE status = 'uploaded')::int AS uploaded, count(*) FILTER (WHERE status = 'pre-existing')::int AS pre,
            count(*) FILTER (WHERE status = 'uploading')::int AS inflight, count(*) FILTER (WHERE status = 'failed')::int AS failed,
            count(*) FILTER (WHERE status = 'rolled-back')::int AS rolled, coalesce(sum(size) FILTER (WHERE status = 'uploaded'), 0)::text AS bytes
       FROM ${LEDGER_SCHEMA}.file_manifest GROUP BY bucket ORDER BY bucket`,
  )).map((r) => ({ bucket: r.bucket, uploaded: r.uploaded, preExisting: r.pre, inFlight: r.inflight, failed: r.failed, rolledBack: r.rolled, bytes: Number(r.bytes) }));

  const urls = (await q<{ table_name: string; column_name: string; rewritten: number; undone: number }>(
    `SELECT table_name, column_name, count(*) FILTER (WHERE undone_at IS NULL)::int AS rewritten, count(*) FILTER (WHERE undone_at IS NOT NULL)::int AS undone
       FROM ${LEDGER_SCHEMA}.url_rewrites GROUP BY 1, 2 ORDER BY 1, 2`,
  )).map((r) => ({ table: r.table_name, column: r.column_name, rewritten: r.rewritten, undone: r.undone }));

  const [verify] = await q<{ id: string; finished_at: Date | null; outcome: string; report: { ok?: boolean; differencesTotal?: number } | null }>(
    `SELECT id::text, finished_at, outcome, report FROM ${LEDGER_SCHEMA}.runs WHERE command = 'migrate verify' ORDER BY id DESC LIMIT 1`,
  );
  return {
    ledger: true,
    runs,
    databases,
    files,
    urls,
    lastVerify: verify
      ? { runId: Number(verify.id), finishedAt: verify.finished_at?.toISOString() ?? null, outcome: verify.outcome, parity: verify.report?.ok ?? null, differences: verify.report?.differencesTotal ?? null }
      : null,
    cutover: 'not set up',
  };
}
