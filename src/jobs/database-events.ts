// MySQL events after the move: `migrate db` translates each event's body into a procedure and records its
// schedule here; the `database-events` cron route (every minute) runs the ones that are due. It needs no
// extension on the target, runs where the app runs, and the schedule stays data that rollback deletes.

// The cron function loads this alone: quoting is written here rather than pulling in the migration code.
const qi = (name: string) => `"${name.replace(/"/g, '""')}"`;

export const DATABASE_EVENTS_TABLE = 'markethub_jobs.database_events';

/** Created by `migrate db` before it records an event (IF NOT EXISTS: several migrations share it). */
export const DATABASE_EVENTS_DDL = [
  'CREATE SCHEMA IF NOT EXISTS markethub_jobs',
  `CREATE TABLE IF NOT EXISTS ${DATABASE_EVENTS_TABLE} (
    schema_name text NOT NULL,
    name text NOT NULL,
    procedure_name text NOT NULL,
    every interval,
    starts timestamptz,
    time_zone text NOT NULL DEFAULT 'UTC',
    ends timestamptz,
    next_run_at timestamptz,
    enabled boolean NOT NULL,
    last_run_at timestamptz,
    last_error text,
    PRIMARY KEY (schema_name, name)
  )`,
];

/**
 * The first run strictly after `after` (SQL expressions), as MySQL schedules it: STARTS + k * EVERY in the
 * event's wall clock (`zone`; so a daily 03:00 stays 03:00 across DST and a monthly 31st stays clamped
 * from STARTS, not drifting), never past ENDS. Whole-second intervals are counted arithmetically.
 */
export function nextRunSql(starts: string, every: string, ends: string, zone: string, after: string): string {
  const fixed = `date_part('year', ${every}) = 0 AND date_part('month', ${every}) = 0 AND date_part('day', ${every}) = 0`;
  const counted = `${starts} + ${every} * (floor(extract(epoch FROM (${after} - ${starts})) / extract(epoch FROM ${every})) + 1)`;
  const slot = `((${starts} AT TIME ZONE ${zone}) + ${every} * k) AT TIME ZONE ${zone}`;
  const stepped = `(SELECT ${slot} FROM generate_series(0::bigint, ceil(extract(epoch FROM (${after} - ${starts})) / extract(epoch FROM ${every}))::bigint + 3) AS k WHERE ${slot} > ${after} ORDER BY k LIMIT 1)`;
  const next = `CASE WHEN ${after} < ${starts} THEN ${starts} WHEN ${fixed} THEN ${counted} ELSE ${stepped} END`;
  return `(SELECT CASE WHEN ${ends} IS NOT NULL AND n > ${ends} THEN NULL ELSE n END FROM (SELECT ${next} AS n) AS next_run)`;
}

export interface EventsQuery {
  query<T extends object>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface EventsDatabase extends EventsQuery {
  /** Runs `work` in one transaction on one connection. */
  transaction<T>(work: (q: EventsQuery) => Promise<T>): Promise<T>;
}

export interface DatabaseEventsSummary {
  /** Why nothing ran, when nothing may. */
  skipped?: string;
  ran: string[];
  failed: { event: string; error: string }[];
}

/**
 * Runs every due event once, each in its own transaction; a failure is recorded on its row and the schedule
 * moves on, as MySQL's scheduler logs a failed run and keeps the event. Instances racing on one minute
 * skip each other's locked rows.
 */
export async function runDueDatabaseEvents(db: EventsDatabase, now: Date): Promise<DatabaseEventsSummary> {
  const summary: DatabaseEventsSummary = { ran: [], failed: [] };
  const [tables] = await db.query<{ events: string | null; cutover: string | null }>(
    "SELECT to_regclass('markethub_jobs.database_events')::text AS events, to_regclass('markethub_cutover.state')::text AS cutover",
  );
  if (!tables?.events) return summary;
  if (tables.cutover) {
    // Until writes switch, MySQL's own scheduler runs these events and sync brings their effects over.
    const [state] = await db.query<{ writes: boolean }>('SELECT writes FROM markethub_cutover.state LIMIT 1');
    if (state && !state.writes) return { ...summary, skipped: "writes are still on MySQL, whose event scheduler runs these events" };
  }
  const due = await db.query<{ schema_name: string; name: string }>(
    `SELECT schema_name, name FROM ${DATABASE_EVENTS_TABLE} WHERE enabled AND next_run_at <= $1 ORDER BY next_run_at, schema_name, name`, [now],
  );
  for (const event of due) {
    const label = `${event.schema_name}.${event.name}`;
    const outcome = await db.transaction(async (q) => {
      const [row] = await q.query<{ procedure_name: string }>(
        `SELECT procedure_name FROM ${DATABASE_EVENTS_TABLE} WHERE schema_name = $1 AND name = $2 AND enabled AND next_run_at <= $3 FOR UPDATE SKIP LOCKED`,
        [event.schema_name, event.name, now],
      );
      if (!row) return null;
      let error: string | null = null;
      await q.query('SAVEPOINT markethub_event');
      try {
        await q.query(`CALL ${qi(event.schema_name)}.${qi(row.procedure_name)}()`);
        await q.query('RELEASE SAVEPOINT markethub_event');
      } catch (e) {
        await q.query('ROLLBACK TO SAVEPOINT markethub_event');
        error = (e as Error).message.split('\n')[0];
      }
      await q.query(
        `UPDATE ${DATABASE_EVENTS_TABLE} SET last_run_at = $3, last_error = $4,
            next_run_at = CASE WHEN every IS NULL THEN NULL ELSE ${nextRunSql('starts', 'every', 'ends', 'time_zone', '$3::timestamptz')} END
          WHERE schema_name = $1 AND name = $2`,
        [event.schema_name, event.name, now, error],
      );
      return { error };
    });
    if (!outcome) continue;
    if (outcome.error) summary.failed.push({ event: label, error: outcome.error });
    else summary.ran.push(label);
  }
  return summary;
}
