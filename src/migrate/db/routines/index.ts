// MySQL triggers -> PL/pgSQL trigger functions: parse (dt-sql-parser's MySQL grammar) -> translate the tree
// -> check every statement with Postgres's own parser. Pure once the parsers are loaded (loadRoutineParsers).
import { quoteIdent as qi } from '../plan/expression.js';
import { fitIdentifier } from '../plan/names.js';
import type { RoutineTable } from './expression.js';
import { dollarQuoted, postgresRejects, type RoutineParsers } from './parsers.js';
import type { RoutineSignature } from './body.js';
import { TriggerTranslator, triggerHeader } from './trigger.js';
import { Untranslatable } from './tree.js';

export { loadRoutineParsers, type RoutineParsers } from './parsers.js';
export type { RoutineColumn, RoutineTable } from './expression.js';
export { planViews, type PlannedView, type ViewPlan, type ViewSource } from './view.js';
export { eventProcedureSource, eventScheduleRow, type EventRow } from './event.js';
export { planRoutines, type PlannedRoutine, type RoutinePlan, type RoutineSource } from './routine.js';
export type { RoutineSignature } from './body.js';

export interface TriggerSource {
  name: string;
  /** The MySQL table it is on. */
  table: string;
  /** SHOW CREATE TRIGGER's statement. */
  sql: string;
  /** information_schema ACTION_ORDER: the firing order among the table's triggers of one timing and event. */
  actionOrder?: number;
}

export interface TriggerPlanInput {
  schema: string;
  database: string;
  tables: RoutineTable[];
  triggers: TriggerSource[];
  /** A setting that, when 'on' for the transaction, marks markethub's own writes: translated triggers then do nothing. */
  ownWritesSetting: string;
  /** The migrated functions and procedures (planRoutines' planned signatures), by MySQL name: trigger bodies may call them. */
  routines?: Map<string, RoutineSignature>;
}

export interface PlannedTrigger {
  source: TriggerSource;
  /** Target table name. */
  table: string;
  timing: 'BEFORE' | 'AFTER';
  event: 'INSERT' | 'UPDATE' | 'DELETE';
  functionName: string;
  triggerName: string;
  /** CREATE FUNCTION, CREATE TRIGGER: both accepted by Postgres's parser. */
  sql: string[];
  /** What behaves differently from MySQL, in words. */
  changes: string[];
}

export interface RefusedTrigger {
  source: TriggerSource;
  why: string;
}

export interface TriggerPlan {
  planned: PlannedTrigger[];
  refused: RefusedTrigger[];
  /** Tables with several triggers on one timing and event: how MySQL's firing order is kept. */
  order: { table: string; what: string; why: string }[];
}

export function planTriggers(input: TriggerPlanInput, parsers: RoutineParsers): TriggerPlan {
  const tables = new Map(input.tables.map((t) => [t.sourceName.toLowerCase(), t]));
  const planned: PlannedTrigger[] = [];
  const refused: RefusedTrigger[] = [];
  for (const source of input.triggers) {
    const result = translateTrigger(source, input, tables, parsers);
    if ('why' in result) refused.push(result);
    else planned.push(result);
  }
  const order = keepFiringOrder(planned);
  for (const trigger of planned) {
    trigger.sql = assemble(trigger, input);
    const problem = postgresRejects(trigger.sql, parsers);
    if (problem) refused.push({ source: trigger.source, why: `Postgres's parser rejects the translation: ${problem}` });
  }
  const rejected = new Set(refused.map((r) => r.source));
  return { planned: planned.filter((t) => !rejected.has(t.source)), refused, order };
}

interface Translated extends PlannedTrigger {
  declarations: string[];
  body: string[];
  label: string | null;
}

function translateTrigger(source: TriggerSource, input: TriggerPlanInput, tables: Map<string, RoutineTable>, parsers: RoutineParsers): Translated | RefusedTrigger {
  const table = tables.get(source.table.toLowerCase());
  if (!table) return { source, why: `its table ${source.table} is not part of this migration` };
  let sql = source.sql;
  let { tree, errors } = parsers.parseMysql(sql);
  if (errors.length) return { source, why: `the MySQL parser does not read it (${errors[0]})` };
  let header = triggerHeader(tree);
  if ('reason' in header && header.bodyStart !== undefined && !/^\s*BEGIN\b/i.test(sql.slice(header.bodyStart))) {
    // A one-statement body means the same as that statement alone in BEGIN ... END, which the grammar delimits.
    sql = `${sql.slice(0, header.bodyStart)}BEGIN\n${sql.slice(header.bodyStart).replace(/;\s*$/, '')};\nEND`;
    ({ tree, errors } = parsers.parseMysql(sql));
    if (errors.length) return { source, why: `the MySQL parser does not read it (${errors[0]})` };
    header = triggerHeader(tree);
  }
  if ('reason' in header) return { source, why: header.reason };
  const translator = new TriggerTranslator(sql, input.schema, input.database, tables, table, header, input.routines);
  try {
    const body = translator.body();
    return {
      source, table: table.name, timing: header.timing, event: header.event,
      functionName: fitIdentifier(source.name), triggerName: fitIdentifier(source.name),
      sql: [], changes: [...translator.changes], declarations: [...translator.declarations, ...translator.hiddenDeclarations()], body, label: translator.outerLabel,
    };
  } catch (error) {
    if (error instanceof Untranslatable) return { source, why: `${error.message} is not translated` };
    throw error;
  }
}

/**
 * MySQL fires a table's triggers of one timing and event in creation order (FOLLOWS / PRECEDES aside),
 * Postgres in the byte order of their names: a group whose names do not already sort that way is renamed
 * NN_name.
 */
function keepFiringOrder(planned: PlannedTrigger[]): TriggerPlan['order'] {
  const order: TriggerPlan['order'] = [];
  const groups = new Map<string, PlannedTrigger[]>();
  for (const t of planned) {
    const key = `${t.table}\0${t.timing}\0${t.event}`;
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    group.sort((a, b) => (a.source.actionOrder ?? 0) - (b.source.actionOrder ?? 0));
    const sorted = group.every((t, i) => i === 0 || Buffer.compare(Buffer.from(group[i - 1].triggerName), Buffer.from(t.triggerName)) < 0);
    if (!sorted) {
      const width = String(group.length).length < 2 ? 2 : String(group.length).length;
      group.forEach((t, i) => (t.triggerName = fitIdentifier(`${String(i + 1).padStart(width, '0')}_${t.source.name}`)));
    }
    const [first] = group;
    order.push({
      table: first.table,
      what: `${first.timing} ${first.event} triggers on ${first.table} fire in MySQL's order: ${group.map((t) => t.source.name).join(', ')}`,
      why: sorted
        ? 'Postgres fires a table\'s triggers by name, and these names already sort in that order'
        : `Postgres fires a table's triggers by name, so they are named ${group.map((t) => t.triggerName).join(', ')}`,
    });
  }
  return order;
}

function assemble(trigger: PlannedTrigger, input: TriggerPlanInput): string[] {
  const { declarations, body, label } = trigger as Translated;
  const row = trigger.timing === 'AFTER' ? 'NULL' : trigger.event === 'DELETE' ? 'OLD' : 'NEW';
  const fn = `${qi(input.schema)}.${qi(trigger.functionName)}`;
  const text = [
    // MySQL resolves a name that is both a local variable and a column to the variable.
    '#variable_conflict use_variable',
    ...(declarations.length ? ['DECLARE', ...declarations.map((d) => `  ${d}`)] : []),
    'BEGIN',
    // markethub's own writes (sync replaying rows MySQL's triggers already changed, URL rewrites) do not fire it.
    `  IF current_setting('${input.ownWritesSetting}', true) = 'on' THEN RETURN ${row}; END IF;`,
    // LEAVE of the body's label ends the body, not the function: the row is still returned.
    ...(label ? [`  <<${qi(label)}>>`, '  BEGIN', ...body.map((l) => `  ${l}`), `  END ${qi(label)};`] : body),
    `  RETURN ${row};`,
    'END',
  ].join('\n');
  return [
    `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS ${dollarQuoted(text)}`,
    `CREATE TRIGGER ${qi(trigger.triggerName)} ${trigger.timing} ${trigger.event} ON ${qi(input.schema)}.${qi(trigger.table)} FOR EACH ROW EXECUTE FUNCTION ${fn}()`,
  ];
}
