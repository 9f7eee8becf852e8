// The scheduler that runs migrated MySQL events on Postgres: schedule rows as migrate db writes them, then
// runs at chosen moments, checking what ran, when it runs next, and that a failing event is recorded and
// does not stop the others.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from 'vitest';
import pg from 'pg';
import { DATABASE_EVENTS_DDL, runDueDatabaseEvents, type EventsDatabase } from '../../src/jobs/database-events.js';
import { eventScheduleRow } from '../../src/migrate/db/routines/index.js';
import type { EventSchedule } from '../../src/migrate/db/catalog.js';
import { freshPostgres, type PostgresDatabase } from '../helpers/databases.js';

let target: PostgresDatabase;

function database(client: pg.Client): EventsDatabase {
  const query = async <T extends object>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[];
  return {
    query,
    async transaction(work) {
      await client.query('BEGIN');
      try {
        const result = await work({ query });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    },
  };
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
