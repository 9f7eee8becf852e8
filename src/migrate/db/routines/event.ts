// MySQL events -> a procedure holding the body (translated as any procedure is) and a schedule row that
// markethub_jobs.run_due_database_events() reads (see src/jobs/database-events.ts). Pure: the SQL is built
// here, run by apply.
import { DATABASE_EVENTS_TABLE, nextRunSql } from '../../../jobs/database-events.js';
import type { EventSchedule } from '../catalog.js';
import { quoteLiteral } from '../plan/expression.js';
import type { RoutineSource } from './routine.js';

/** The event's body as a MySQL procedure without parameters, for the routine translator. */
export function eventProcedureSource(name: string, body: string): RoutineSource {
  const trimmed = body.trim().replace(/;\s*$/, '');
  const block = /^BEGIN\b/i.test(trimmed) ? trimmed : `BEGIN\n${trimmed};\nEND`;
  return { name, kind: 'procedure', sql: `CREATE PROCEDURE \`${name.replace(/`/g, '``')}\`()\n${block}` };
}

const UNITS: Record<string, string[]> = {
  YEAR: ['years'], QUARTER: ['quarters'], MONTH: ['months'], WEEK: ['weeks'], DAY: ['days'], HOUR: ['hours'], MINUTE: ['minutes'], SECOND: ['seconds'],
  YEAR_MONTH: ['years', 'months'], DAY_HOUR: ['days', 'hours'], DAY_MINUTE: ['days', 'hours', 'minutes'], DAY_SECOND: ['days', 'hours', 'minutes', 'seconds'],
  HOUR_MINUTE: ['hours', 'minutes'], HOUR_SECOND: ['hours', 'minutes', 'seconds'], MINUTE_SECOND: ['minutes', 'seconds'],
};

/** INTERVAL_VALUE + INTERVAL_FIELD ('1:30', 'HOUR_MINUTE') -> a Postgres interval literal ('1 hours 30 minutes'); null when not understood. */
export function eventInterval(every: { value: string; unit: string }): string | null {
  const names = UNITS[every.unit.toUpperCase()];
  const numbers = every.value.trim().replace(/^'|'$/g, '').split(/[^0-9]+/).filter((n) => n !== '');
  if (!names || numbers.length !== names.length) return null;
  const parts = numbers.map((n, i) => (names[i] === 'quarters' ? `${Number(n) * 3} months` : `${Number(n)} ${names[i]}`));
  return parts.join(' ');
}

/**
 * The event's zone as Postgres names it. Postgres reads a text offset the POSIX way ('+03:00' is west),
 * so MySQL's ISO offsets are written with the sign turned.
 */
export function eventZone(zone: string, sourceTimezone: string): string {
  const offset = zone.match(/^([+-])(\d{1,2}:\d{2})$/);
  if (offset) return `${offset[1] === '+' ? '-' : '+'}${offset[2]}`;
  return zone === 'SYSTEM' ? sourceTimezone : zone;
}

function instant(text: string, zone: string): string {
  return `(${quoteLiteral(text)}::timestamp AT TIME ZONE ${quoteLiteral(zone)})`;
}

export interface EventRow {
  /** INSERT ... ON CONFLICT: the schedule row, its first run computed from the target's clock. */
  sql: string;
  /** In words, for the report. */
  when: string;
  enabled: boolean;
  /** Why it is disabled, when it is. */
  disabledBecause: string | null;
}

export function eventScheduleRow(schema: string, name: string, procedure: string, event: EventSchedule, sourceTimezone: string): EventRow | { why: string } {
  const disabledBecause = !event.enabled ? 'it is DISABLED on MySQL' : !event.schedulerOn ? "MySQL's event_scheduler is OFF, so MySQL never runs it" : null;
  const enabled = disabledBecause === null;
  const zone = eventZone(event.timeZone, sourceTimezone);
  const columns = '(schema_name, name, procedure_name, every, starts, time_zone, ends, next_run_at, enabled)';
  const keys = `${quoteLiteral(schema)}, ${quoteLiteral(name)}, ${quoteLiteral(procedure)}`;
  const upsert = (values: string) => `INSERT INTO ${DATABASE_EVENTS_TABLE} ${columns} VALUES (${keys}, ${values}) ON CONFLICT (schema_name, name) DO UPDATE SET procedure_name = EXCLUDED.procedure_name, every = EXCLUDED.every, starts = EXCLUDED.starts, time_zone = EXCLUDED.time_zone, ends = EXCLUDED.ends, next_run_at = EXCLUDED.next_run_at, enabled = EXCLUDED.enabled`;
  if (event.every === null) {
    if (!event.at) return { why: 'a ONE TIME event without EXECUTE AT' };
    const at = instant(event.at, zone);
    // A one-time event whose moment has passed has run (or was missed) on MySQL: it is not run again.
    return { sql: upsert(`NULL, ${at}, ${quoteLiteral(zone)}, NULL, CASE WHEN ${at} > now() THEN ${at} END, ${enabled}`), when: `once at ${event.at} (${event.timeZone})`, enabled, disabledBecause };
  }
  const interval = eventInterval(event.every);
  if (!interval) return { why: `the schedule EVERY ${event.every.value} ${event.every.unit} is not understood` };
  const every = `${quoteLiteral(interval)}::interval`;
  const starts = instant(event.starts ?? event.at ?? '1970-01-01 00:00:00', zone);
  const ends = event.ends ? instant(event.ends, zone) : 'NULL::timestamptz';
  const when = `every ${event.every.value} ${event.every.unit}${event.starts ? ` from ${event.starts}` : ''}${event.ends ? ` until ${event.ends}` : ''} (${event.timeZone === 'SYSTEM' ? sourceTimezone : event.timeZone})`;
  return { sql: upsert(`${every}, ${starts}, ${quoteLiteral(zone)}, ${ends}, ${nextRunSql(starts, every, ends, quoteLiteral(zone), 'now()')}, ${enabled}`), when, enabled, disabledBecause };
}
