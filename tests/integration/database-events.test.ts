// The scheduler that runs migrated MySQL events on Postgres: schedule rows as migrate db writes them, then
// runs at chosen moments, checking what ran, when it runs next, and that a failing event is recorded and
// does not stop the others.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from 'vitest';
import pg from 'pg';
import { DATABASE_EVENTS_DDL, runDueDatabaseEvents, type EventsQuery } from '../../src/jobs/database-events.js';
import { eventScheduleRow } from '../../src/migrate/db/routines/index.js';
import type { EventSchedule } from '../../src/migrate/db/catalog.js';
import { runCli } from '../helpers/cli.js';
import { freshMysql, freshPostgres, POSTGRES_ADMIN_URL, type MysqlDatabase, type PostgresDatabase } from '../helpers/databases.js';

let target: PostgresDatabase;

function database(client: pg.Client): EventsQuery {
  return { query: async <T extends object>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[] };
}

const recurring = (over: Partial<EventSchedule>): EventSchedule => ({
  body: '', at: null, every: { value: '1', unit: 'HOUR' }, starts: '2024-01-01 03:00:00', ends: null,
  enabled: true, preserve: true, timeZone: 'SYSTEM', schedulerOn: true, ...over,
});

beforeAll(async () => {
  target = await freshPostgres('db_events');
  await target.client.query(`
    CREATE TABLE public.ticks (event text, at timestamptz DEFAULT now());
    CREATE PROCEDURE public.hourly() LANGUAGE sql AS $$ INSERT INTO public.ticks (event) VALUES ('hourly') $$;
    CREATE PROCEDURE public.monthly() LANGUAGE sql AS $$ INSERT INTO public.ticks (event) VALUES ('monthly') $$;
    CREATE PROCEDURE public.broken() LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk on fire'; END $$;
  `);
  for (const sql of DATABASE_EVENTS_DDL) await target.client.query(sql);
});

afterAll(async () => {
  await target?.drop();
});

test('events run when due, once, on MySQL\'s grid of STARTS + k * EVERY; a failure is recorded and the rest still run', async () => {
  const rows = [
    eventScheduleRow('public', 'hourly_event', 'hourly', recurring({}), 'UTC'),
    eventScheduleRow('public', 'monthly_event', 'monthly', recurring({ every: { value: '1', unit: 'MONTH' }, starts: '2024-01-31 00:00:00', timeZone: '+02:00' }), 'UTC'),
    eventScheduleRow('public', 'broken_event', 'broken', recurring({ every: { value: '1:30', unit: 'HOUR_MINUTE' } }), 'UTC'),
    eventScheduleRow('public', 'off_event', 'hourly', recurring({ enabled: false }), 'UTC'),
    eventScheduleRow('public', 'idle_scheduler', 'hourly', recurring({ schedulerOn: false }), 'UTC'),
  ];
  for (const row of rows) {
    assert.ok(!('why' in row), JSON.stringify(row));
    await target.client.query(row.sql);
  }
  const off = rows[3] as Exclude<(typeof rows)[number], { why: string }>;
  assert.equal(off.disabledBecause, 'it is DISABLED on MySQL');
  assert.match((rows[4] as typeof off).disabledBecause!, /event_scheduler is OFF/);

  const next = async () => Object.fromEntries((await target.client.query<{ name: string; next: string | null }>(
    "SELECT name, to_char(next_run_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS next FROM markethub_jobs.database_events ORDER BY name")).rows.map((r) => [r.name, r.next]));
  const first = await next();
  // Recorded from the target's clock: the next slot after now, on the grid from STARTS.
  assert.match(first.hourly_event!, /^\d{4}-\d\d-\d\d \d\d:00$/);
  assert.match(first.monthly_event!, /^\d{4}-\d\d-\d\d 22:00$/, 'the 31st at 00:00 in +02:00 is 22:00 UTC the day before');

  // A run at a chosen moment: put every enabled event's next run just before it.
  await target.client.query("UPDATE markethub_jobs.database_events SET next_run_at = '2030-05-10 10:00:00+00'");
  const at = new Date('2030-05-10T10:20:00Z');
  const summary = await runDueDatabaseEvents(database(target.client), at);
  assert.deepEqual(summary.ran.sort(), ['public.hourly_event', 'public.monthly_event']);
  assert.deepEqual(summary.failed, [{ event: 'public.broken_event', error: 'disk on fire' }]);
  const { rows: ticks } = await target.client.query('SELECT event FROM public.ticks ORDER BY event');
  assert.deepEqual(ticks.map((t) => t.event), ['hourly', 'monthly'], 'disabled events do not run');
  const after = await next();
  assert.equal(after.hourly_event, '2030-05-10 11:00');
  assert.equal(after.broken_event, '2030-05-10 10:30', 'every 1:30 from 03:00: 09:00, 10:30');
  assert.equal(after.monthly_event, '2030-05-30 22:00', 'the next monthly slot after 10 May, in the +02:00 wall clock of STARTS');
  const [{ last_error }] = (await target.client.query("SELECT last_error FROM markethub_jobs.database_events WHERE name = 'broken_event'")).rows;
  assert.equal(last_error, 'disk on fire');

  const again = await runDueDatabaseEvents(database(target.client), at);
  assert.deepEqual(again, { ran: [], failed: [] }, 'nothing runs twice for one slot');
});

test('a one-time event whose moment has passed is not run again; one ahead runs once and is done', async () => {
  const past = eventScheduleRow('public', 'once_past', 'hourly', recurring({ every: null, at: '2020-01-01 00:00:00' }), 'UTC');
  const ahead = eventScheduleRow('public', 'once_ahead', 'hourly', recurring({ every: null, at: '2099-01-01 00:00:00' }), 'UTC');
  for (const row of [past, ahead]) await target.client.query((row as { sql: string }).sql);
  const { rows } = await target.client.query("SELECT name, next_run_at IS NULL AS done FROM markethub_jobs.database_events WHERE name LIKE 'once_%' ORDER BY name");
  assert.deepEqual(rows, [{ name: 'once_ahead', done: false }, { name: 'once_past', done: true }]);
  const summary = await runDueDatabaseEvents(database(target.client), new Date('2099-01-01T00:00:01Z'));
  assert.ok(summary.ran.includes('public.once_ahead'));
  const [{ done }] = (await target.client.query("SELECT next_run_at IS NULL AS done FROM markethub_jobs.database_events WHERE name = 'once_ahead'")).rows;
  assert.equal(done, true);
});

test('nothing runs while the cutover keeps writes on MySQL, whose own scheduler runs the events', async () => {
  await target.client.query("UPDATE markethub_jobs.database_events SET next_run_at = '2030-01-01 00:00:00+00' WHERE enabled");
  await target.client.query('CREATE SCHEMA markethub_cutover; CREATE TABLE markethub_cutover.state (writes boolean NOT NULL)');
  await target.client.query('INSERT INTO markethub_cutover.state VALUES (false)');
  const held = await runDueDatabaseEvents(database(target.client), new Date('2030-01-01T00:05:00Z'));
  assert.equal(held.ran.length, 0);
  assert.match(held.skipped!, /writes are still on MySQL/);
  await target.client.query('UPDATE markethub_cutover.state SET writes = true');
  const switched = await runDueDatabaseEvents(database(target.client), new Date('2030-01-01T00:05:00Z'));
  assert.ok(switched.ran.includes('public.hourly_event'));
  await target.client.query('DROP SCHEMA markethub_cutover CASCADE');
});

test('schedules MySQL can express and markethub cannot read are refused with the reason', () => {
  const odd = eventScheduleRow('public', 'odd', 'hourly', recurring({ every: { value: '1', unit: 'FORTNIGHT' } }), 'UTC');
  assert.deepEqual(odd, { why: 'the schedule EVERY 1 FORTNIGHT is not understood' });
});

test('migrate db carries MySQL events over: each body a procedure, each schedule a row; run, it does what MySQL\'s body does', async () => {
  const source: MysqlDatabase = await freshMysql('db_events_src');
  const migrated = await freshPostgres('db_events_dst');
  try {
    await source.conn.query(`
      CREATE TABLE coupons (id INT PRIMARY KEY, code VARCHAR(20) NOT NULL, valid_until DATE NULL, is_active BIT(1) NOT NULL DEFAULT b'1');
      CREATE TABLE sweeps (id INT AUTO_INCREMENT PRIMARY KEY, expired INT NOT NULL);
      INSERT INTO coupons VALUES (1, 'OLD', '2020-01-01', b'1'), (2, 'NEW', '2999-01-01', b'1'), (3, 'OPEN', NULL, b'1'), (4, 'GONE', '2019-05-05', b'0');
      CREATE PROCEDURE record_sweep(IN n INT) INSERT INTO sweeps (expired) VALUES (n);
      CREATE EVENT coupons_expire ON SCHEDULE EVERY 1 DAY STARTS '2024-01-01 03:00:00' ON COMPLETION PRESERVE ENABLE
        DO UPDATE coupons SET is_active = b'0' WHERE valid_until < CURRENT_DATE AND is_active = b'1';
      CREATE EVENT sweep_log ON SCHEDULE EVERY 6 HOUR DISABLE
        DO BEGIN
          DECLARE n INT;
          SELECT COUNT(*) INTO n FROM coupons WHERE is_active = b'0';
          CALL record_sweep(n);
        END;
      CREATE EVENT one_shot ON SCHEDULE AT '2037-12-31 23:00:00' DO DELETE FROM sweeps;
    `);
    const [[scheduler]] = (await source.conn.query('SELECT @@event_scheduler AS s')) as unknown as [{ s: string }[]];
    const db = await runCli(['migrate', 'db', '--source', source.url, '--target', migrated.url, '--json']);
    assert.equal(db.code, 0, db.stderr);
    const report = JSON.parse(db.stdout);
    const eventNotes = report.notes.filter((n: { what: string }) => /^event /.test(n.what));
    assert.deepEqual(eventNotes.map((n: { what: string }) => n.what).sort(), [
      'event coupons_expire -> procedure coupons_expire(), every 1 DAY from 2024-01-01 03:00:00 (UTC)',
      'event one_shot -> procedure one_shot(), once at 2037-12-31 23:00:00 (SYSTEM)',
      'event sweep_log -> procedure sweep_log(), every 6 HOUR from ' + eventNotes.find((n: { what: string }) => n.what.startsWith('event sweep_log')).what.split(' from ')[1],
    ]);
    assert.ok(eventNotes.every((n: { translated?: string[] }) => n.translated?.some((sql) => /^CREATE PROCEDURE/.test(sql))), 'the report carries each translation');
    const { rows: schedule } = await migrated.client.query('SELECT name, procedure_name, every::text, enabled FROM markethub_jobs.database_events ORDER BY name');
    const on = /^(ON|1)$/i.test(scheduler.s);
    assert.deepEqual(schedule, [
      { name: 'coupons_expire', procedure_name: 'coupons_expire', every: '1 day', enabled: on },
      { name: 'one_shot', procedure_name: 'one_shot', every: null, enabled: on },
      { name: 'sweep_log', procedure_name: 'sweep_log', every: '06:00:00', enabled: false },
    ], 'a DISABLED event stays disabled; with MySQL\'s scheduler OFF none runs, as on MySQL');

    // Both events' bodies, run on MySQL as its scheduler would and on Postgres by the cron route.
    await source.conn.query("UPDATE coupons SET is_active = b'0' WHERE valid_until < CURRENT_DATE AND is_active = b'1'");
    await source.conn.query("SET @n = (SELECT COUNT(*) FROM coupons WHERE is_active = b'0'); CALL record_sweep(@n)");
    await migrated.client.query("UPDATE markethub_jobs.database_events SET enabled = true, next_run_at = now() - interval '1 minute' WHERE name <> 'one_shot'");
    const ran = await runDueDatabaseEvents(database(migrated.client), new Date());
    assert.deepEqual(ran, { ran: ['public.coupons_expire', 'public.sweep_log'], failed: [] });
    const [mysqlCoupons] = await source.conn.query('SELECT id, is_active = 1 AS active FROM coupons ORDER BY id');
    const { rows: pgCoupons } = await migrated.client.query('SELECT id, is_active AS active FROM coupons ORDER BY id');
    assert.deepEqual(pgCoupons.map((r) => [r.id, r.active]), (mysqlCoupons as { id: number; active: number }[]).map((r) => [r.id, r.active === 1]));
    const [mysqlSweeps] = await source.conn.query('SELECT expired FROM sweeps ORDER BY id');
    const { rows: pgSweeps } = await migrated.client.query('SELECT expired FROM sweeps ORDER BY id');
    assert.deepEqual(pgSweeps, mysqlSweeps);

    const rolledBack = await runCli(['migrate', 'rollback', '--target', migrated.url, '--yes', '--force', '--json']);
    assert.equal(rolledBack.code, 0, rolledBack.stderr);
    const { rows: left } = await migrated.client.query("SELECT (SELECT count(*)::int FROM markethub_jobs.database_events) AS rows, (SELECT count(*)::int FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public') AS routines");
    assert.deepEqual(left, [{ rows: 0, routines: 0 }], 'rollback deletes the schedule rows and drops the procedures');
  } finally {
    await migrated.drop();
    await source.drop();
  }
});

test('where the target database has pg_cron, it calls the runner every minute: a due event runs without the app', { timeout: 150_000 }, async (context) => {
  // pg_cron lives in one database (cron.database_name) of a server that preloads it; elsewhere this cannot run.
  const admin = new pg.Client({ connectionString: `${POSTGRES_ADMIN_URL}/postgres` });
  await admin.connect();
  try {
    const { rows: [server] } = await admin.query(
      "SELECT current_setting('shared_preload_libraries') ~ 'pg_cron' AS preloaded, current_setting('cron.database_name', true) AS db, EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_cron') AS available",
    );
    if (!server.preloaded || !server.available || server.db !== 'postgres') context.skip();
    const { rows: [had] } = await admin.query("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron') AS had, to_regclass('markethub_jobs.database_events') IS NOT NULL AS jobs");
    if (had.jobs) context.skip(); // someone's own markethub_jobs in the maintenance database: not ours to touch
    await admin.query('CREATE EXTENSION IF NOT EXISTS pg_cron');
    const schema = `mh_cron_${Date.now().toString(36)}`;
    try {
      await admin.query(`CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.ticks (at timestamptz DEFAULT now());
        CREATE PROCEDURE ${schema}.tick() LANGUAGE sql AS $$ INSERT INTO ${schema}.ticks DEFAULT VALUES $$`);
      for (const sql of DATABASE_EVENTS_DDL) await admin.query(sql);
      const { rows: jobs } = await admin.query("SELECT schedule, command FROM cron.job WHERE jobname = 'markethub-database-events'");
      assert.deepEqual(jobs, [{ schedule: '* * * * *', command: 'SELECT * FROM markethub_jobs.run_due_database_events(now())' }]);
      await admin.query(`INSERT INTO markethub_jobs.database_events (schema_name, name, procedure_name, every, starts, next_run_at, enabled)
        VALUES ($1, 'tick_event', 'tick', '1 hour', now() - interval '1 minute', now() - interval '1 second', true)`, [schema]);
      let ticks = 0;
      for (let waited = 0; waited < 130_000 && ticks === 0; waited += 2000) {
        await new Promise((r) => setTimeout(r, 2000));
        ticks = (await admin.query(`SELECT count(*)::int AS n FROM ${schema}.ticks`)).rows[0].n;
      }
      assert.equal(ticks, 1, 'pg_cron ran the due event once');
      const { rows: [row] } = await admin.query("SELECT next_run_at > now() AS later, last_error FROM markethub_jobs.database_events WHERE name = 'tick_event'");
      assert.deepEqual(row, { later: true, last_error: null });
    } finally {
      await admin.query("SELECT cron.unschedule('markethub-database-events') FROM cron.job WHERE jobname = 'markethub-database-events'");
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; DROP SCHEMA IF EXISTS markethub_jobs CASCADE`);
      if (!had.had) await admin.query('DROP EXTENSION IF EXISTS pg_cron');
    }
  } finally {
    await admin.end();
  }
});
