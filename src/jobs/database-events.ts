// MySQL events after the move: `migrate db` translates each event's body into a procedure and records its
// schedule here, beside one SQL function that runs the events that are due. Every minute something calls
// it: pg_cron, when the target database has it, and the app's `database-events` cron route, which needs
// no extension and runs where the app runs. Both may: a slot runs once, whoever comes first.

export const DATABASE_EVENTS_TABLE = 'markethub_jobs.database_events';
export const RUN_DUE_EVENTS_FUNCTION = 'markethub_jobs.run_due_database_events';
/** The pg_cron job's name, when the target has pg_cron. */
export const PG_CRON_JOB = 'markethub-database-events';

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

/**
 * Runs every due event once, in its own subtransaction: a failure is recorded on its row and the schedule
 * moves on, as MySQL's scheduler logs a failed run and keeps the event. Callers racing on one minute skip
 * each other's locked rows. Until a staged cutover moves writes, nothing runs (one row says why, with no
 * event): MySQL's own scheduler runs these events then, and sync brings their effects over.
 */
const RUN_DUE_EVENTS_SQL = `CREATE OR REPLACE FUNCTION ${RUN_DUE_EVENTS_FUNCTION}(at timestamptz) RETURNS TABLE (event text, error text)
LANGUAGE plpgsql AS $mh$
DECLARE
  r record;
  writes_on_mysql boolean;
BEGIN
  IF to_regclass('markethub_cutover.state') IS NOT NULL THEN
    EXECUTE 'SELECT NOT writes FROM markethub_cutover.state LIMIT 1' INTO writes_on_mysql;
    IF writes_on_mysql THEN
      error := 'writes are still on MySQL, whose event scheduler runs these events';
      RETURN NEXT;
      RETURN;
    END IF;
  END IF;
  FOR r IN SELECT * FROM ${DATABASE_EVENTS_TABLE} d WHERE d.enabled AND d.next_run_at <= at
           ORDER BY d.next_run_at, d.schema_name, d.name FOR UPDATE SKIP LOCKED LOOP
    error := NULL;
    BEGIN
      EXECUTE format('CALL %I.%I()', r.schema_name, r.procedure_name);
    EXCEPTION WHEN OTHERS THEN
      error := SQLERRM;
    END;
    UPDATE ${DATABASE_EVENTS_TABLE} d SET last_run_at = at, last_error = error,
           next_run_at = CASE WHEN d.every IS NULL THEN NULL ELSE ${nextRunSql('d.starts', 'd.every', 'd.ends', 'd.time_zone', 'at')} END
     WHERE d.schema_name = r.schema_name AND d.name = r.name;
    event := r.schema_name || '.' || r.name;
    RETURN NEXT;
  END LOOP;
END
$mh$`;

/**
 * pg_cron calls the function every minute when the extension is in the target database (it lives in one
 * database only). A role not granted pg_cron's schema leaves the calling to the app's cron route.
 */
const PG_CRON_SQL = `DO $mh$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron') THEN
    PERFORM cron.schedule('${PG_CRON_JOB}', '* * * * *', 'SELECT * FROM ${RUN_DUE_EVENTS_FUNCTION}(now())');
  END IF;
EXCEPTION WHEN insufficient_privilege THEN NULL;
END $mh$`;

/** Created by `migrate db` before it records an event (IF NOT EXISTS, OR REPLACE: several migrations share them). */
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
  RUN_DUE_EVENTS_SQL,
  PG_CRON_SQL,
];

export interface EventsQuery {
  query<T extends object>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface DatabaseEventsSummary {
  /** Why nothing ran, when nothing may. */
  skipped?: string;
  ran: string[];
  failed: { event: string; error: string }[];
}

/** The cron route's run: the events due at `now`, through the same function pg_cron calls. */
export async function runDueDatabaseEvents(db: EventsQuery, now: Date): Promise<DatabaseEventsSummary> {
  const summary: DatabaseEventsSummary = { ran: [], failed: [] };
  const [present] = await db.query<{ runner: string | null }>(`SELECT to_regprocedure('${RUN_DUE_EVENTS_FUNCTION}(timestamptz)')::text AS runner`);
  if (!present?.runner) return summary;
  for (const row of await db.query<{ event: string | null; error: string | null }>(`SELECT event, error FROM ${RUN_DUE_EVENTS_FUNCTION}($1)`, [now])) {
    if (row.event === null) summary.skipped = row.error ?? undefined;
    else if (row.error === null) summary.ran.push(row.event);
    else summary.failed.push({ event: row.event, error: row.error });
  }
  return summary;
}
