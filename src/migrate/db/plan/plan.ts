// planMigration: SourceCatalog + options -> TargetPlan. Pure: no I/O, so every decision is unit-testable.
import { createHash } from 'node:crypto';
import type { Note } from '../../../report/model.js';
import type { SourceCatalog, SourceColumn, SourceIndex, SourceTable } from '../catalog.js';
import { translateDefault } from './defaults.js';
import { quoteIdent as qi, quoteLiteral, translateMysqlExpression } from './expression.js';
import { fitIdentifier, RelationNames } from './names.js';
import { mapColumnType, typeOverride, type TypeMap, type ValueKind } from './types.js';
import { DATABASE_EVENTS_DDL, PG_CRON_JOB, RUN_DUE_EVENTS_FUNCTION } from '../../../jobs/database-events.js';
import { eventProcedureSource, eventScheduleRow, planRoutines, planTriggers, planViews, type PlannedRoutine, type RoutineParsers, type RoutineSignature, type RoutineSource, type RoutineTable, type TriggerPlan } from '../routines/index.js';
import { collatedPrefix, describeSupport, mechanismExtensions, mechanismSetupObjects, mechanismSetupSql, planCollation, type CollationMode, type Mechanism, type TargetSupport } from '../semantics/index.js';

export interface TargetColumn {
  name: string;
  source: SourceColumn;
  pgType: string;
  kind: ValueKind;
  /**
   * As in the source. A NOT NULL date column becomes nullable during the copy if a zero or impossible
   * date must arrive as NULL: that is only known once the rows are read (see copy-phase.ts).
   */
  nullable: boolean;
  defaultSql: string | null;
  identity: boolean;
  /** Postgres expression for GENERATED ALWAYS AS (...) STORED; such columns are not copied. */
  generatedSql: string | null;
  /** CHECK condition keeping the source's value domain (enum and set members). */
  domainCheck?: string;
}

export interface TargetTable {
  sourceName: string;
  name: string;
  columns: TargetColumn[];
  /** Target column names of the primary key, used to name rows in value notes. */
  primaryKey: string[];
  rowEstimate: number;
  /** Present when the table can be copied in key ranges. */
  keyRange: SourceTable['keyRange'];
}

export type Phase = 'schema' | 'data' | 'indexes' | 'constraints' | 'routines' | 'views' | 'triggers' | 'events';

/** One unit of work; done steps are recorded in the ledger so a re-run skips them. */
export interface Step {
  key: string;
  phase: Phase;
  table?: string;
  description: string;
  /** Run in one transaction together with the ledger record. */
  sql: string[];
  /** For constraints added NOT VALID: validated afterwards; a failure keeps the constraint NOT VALID and is noted. */
  validateSql?: string;
  /** A foreign key's referenced table. */
  references?: string;
  /** What happens when the step fails: stop this table's work, or note it and go on. */
  onFailure: 'fail' | 'note';
  /** create-table steps with generated columns: the same table with them as plain columns. */
  fallback?: { sql: string[]; notes: Note[] };
  /** Objects this step creates, for rollback. */
  creates?: { kind: 'table' | 'view' | 'function' | 'event'; name: string }[];
  /** Objects this step creates only when absent (IF NOT EXISTS): rollback's to drop only if this run made them. */
  createsIfAbsent?: SetupObject[];
}

/** Something the schema step may find already there: the schema itself, an extension, a collation. */
export interface SetupObject {
  kind: 'schema' | 'extension' | 'collation';
  schema: string;
  name: string;
}

export interface PlanOptions {
  schema: string;
  /** The zone DATETIME values (and defaults) were written in; default UTC. */
  sourceTimezone?: string;
  typeMap?: TypeMap;
  schemaOnly?: boolean;
  dataOnly?: boolean;
  /** Keep MySQL's case-insensitive comparisons (default) or compare exactly as Postgres does by default. */
  collations?: CollationMode;
  /** What the target offers for them (semantics/target.ts); null or absent: not read, citext assumed. */
  targetSupport?: TargetSupport | null;
  /** Translate MySQL triggers (default) or list them as not migrated. */
  routines?: RoutineMode;
  /** The parsers trigger translation needs (loadRoutineParsers); without them triggers are listed as not migrated. */
  routineParsers?: RoutineParsers;
}

export type RoutineMode = 'translate' | 'skip';

export interface TargetPlan {
  schema: string;
  tables: TargetTable[];
  steps: Step[];
  notes: Note[];
  /** Extensions the schema step creates itself (citext for case-insensitive columns). */
  extensions: string[];
}

const RULES = new Set(['CASCADE', 'SET NULL', 'SET DEFAULT', 'RESTRICT', 'NO ACTION']);

export function planMigration(catalog: SourceCatalog, options: PlanOptions): TargetPlan {
  const notes: Note[] = [];
  const schema = options.schema;
  const tableNames = new Map<string, string>();
  for (const table of catalog.tables) {
    const name = fitIdentifier(table.name);
    if (name !== table.name) notes.push({ kind: 'name', table: table.name, what: `table renamed to ${name}`, why: 'Postgres names are at most 63 bytes' });
    tableNames.set(table.name, name);
  }
  const indexNames = assignIndexNames(catalog);
  const q = (table: string) => `${qi(schema)}.${qi(table)}`;

  const mechanisms: Mechanism[] = [];
  const planned = catalog.tables.map((table) => planColumns(table, tableNames.get(table.name)!, options, notes, mechanisms));
  if (mechanisms.length) {
    const chosen = [...new Set(mechanisms.map((m) => (m.kind === 'icu' ? `ICU collation ${m.name}` : m.kind)))].join(', ');
    notes.push({ kind: 'collation', what: `case-insensitive columns -> ${chosen} (${mechanisms.length} columns)`, why: `${describeSupport(options.targetSupport ?? null)}; --collations exact keeps Postgres's exact comparison` });
  }
  unifyForeignKeyTypes(catalog, planned, notes);

  const steps: Step[] = [];
  const tables: TargetTable[] = [];
  const creates: Step[] = [], copies: Step[] = [], indexes: Step[] = [], constraints: Step[] = [];

  planned.forEach((table, i) => {
    const source = catalog.tables[i];
    const name = table.name;
    tables.push(table);
    creates.push(createTableStep(source, table, q(name)));
    copies.push({ key: `copy:${name}`, phase: 'data', table: name, description: `copy ${name}`, sql: [], onFailure: 'fail' });

    for (const index of source.indexes) {
      const step = indexStep(index, table, q(name), indexNames, notes);
      if (step) indexes.push(step);
    }
    for (const check of source.checks) {
      const translated = translateMysqlExpression(check.clause);
      if (!translated.ok) {
        notes.push({ kind: 'constraint', table: name, what: `CHECK ${check.name} not created`, why: translated.reason, sql: check.clause });
        continue;
      }
      const constraintName = fitIdentifier(check.name);
      constraints.push(addConstraintStep(`check:${name}:${constraintName}`, name, q(name), constraintName, `CHECK (${translated.sql})`));
    }
    for (const fk of source.foreignKeys) {
      const refName = tableNames.get(fk.referencedTable);
      if (!refName) {
        notes.push({ kind: 'constraint', table: name, what: `foreign key ${fk.name} not created`, why: `it references ${fk.referencedTable}, which is not part of this migration` });
        continue;
      }
      const rule = (r: string) => (RULES.has(r.toUpperCase()) ? r.toUpperCase() : 'NO ACTION');
      const body = `FOREIGN KEY (${fk.columns.map(qi).join(', ')}) REFERENCES ${q(refName)} (${fk.referencedColumns.map(qi).join(', ')}) ON DELETE ${rule(fk.onDelete)} ON UPDATE ${rule(fk.onUpdate)}`;
      const constraintName = fitIdentifier(fk.name);
      constraints.push({ ...addConstraintStep(`foreign-key:${name}:${constraintName}`, name, q(name), constraintName, body), references: refName });
    }
    const identity = table.columns.find((c) => c.identity);
    if (identity) {
      const next = Math.max(source.autoIncrement ?? 1, 1);
      constraints.push({
        key: `identity:${name}`, phase: 'constraints', table: name, onFailure: 'fail',
        description: `continue ${name}.${identity.name} from ${next}`,
        // Never below what MySQL already handed out, nor below what is in the table.
        sql: [`SELECT setval(pg_get_serial_sequence(${quoteLiteral(q(name))}, ${quoteLiteral(identity.name)}), GREATEST(${next}, (SELECT COALESCE(MAX(${qi(identity.name)}), 0) + 1 FROM ${q(name)})), false)`],
      });
    }
    const onUpdate = table.columns.filter((c) => c.source.onUpdateCurrentTimestamp);
    if (onUpdate.length) constraints.push(onUpdateTriggerStep(schema, name, onUpdate));
  });

  const { steps: routines, signatures, events } = planRoutineSteps(catalog, tables, options, notes);
  const views = planViewSteps(catalog, tables, options, notes, q, signatures);
  const triggers = [...planTriggerSteps(catalog, tables, options, notes, signatures), ...events];
  for (const object of catalog.otherObjects.filter((o) => o.kind !== 'trigger' && o.kind !== 'event' && !(routines && (o.kind === 'function' || o.kind === 'procedure')))) {
    notes.push({ kind: 'not-migrated', table: object.table, what: `${object.kind} ${object.name} not migrated`, why: 'MySQL procedural code has no automatic Postgres translation; port it by hand', sql: object.sql });
  }

  const schemaStep: Step = {
    key: 'schema', phase: 'schema', description: `create schema ${schema}`, onFailure: 'fail',
    sql: [`CREATE SCHEMA IF NOT EXISTS ${qi(schema)}`, ...mechanismSetupSql(mechanisms)],
    createsIfAbsent: [{ kind: 'schema', schema, name: schema }, ...mechanismSetupObjects(mechanisms)],
  };
  // Triggers come after the rows, as in a MySQL dump: copying must not fire them.
  if (options.dataOnly) {
    steps.push(...copies, ...constraints.filter((s) => s.key.startsWith('identity:')), ...triggers);
  } else {
    steps.push(schemaStep, ...creates);
    if (!options.schemaOnly) steps.push(...copies);
    // Routines before the views and triggers that may call them.
    steps.push(...indexes, ...constraints, ...(routines ?? []), ...views);
    if (!options.schemaOnly) steps.push(...triggers);
  }
  return { schema, tables, steps, notes, extensions: mechanismExtensions(mechanisms) };
}

/** The parsers that translate the database's procedural code, or why this run leaves it untranslated. */
function translationParsers(options: PlanOptions, what: string): RoutineParsers | string {
  if ((options.routines ?? 'translate') === 'skip') return '--routines skip; port it by hand';
  return options.routineParsers ?? `${what} translation was not run; port it by hand`;
}

/** What trigger and view translation know of the planned tables. */
function routineTables(catalog: SourceCatalog, tables: TargetTable[]): RoutineTable[] {
  return tables.map((t) => {
    const source = catalog.tables.find((s) => s.name === t.sourceName);
    const notNull = (names: string[]) => names.every((n) => t.columns.find((c) => c.name === n)?.nullable === false);
    const uniqueKeys = (source?.indexes ?? [])
      .filter((i) => i.unique && !i.primary && i.columns.every((c) => c.name !== null && c.subPart === null))
      .map((i) => i.columns.map((c) => c.name!))
      .filter(notNull);
    return {
      sourceName: t.sourceName, name: t.name, columns: t.columns.map((c) => ({ name: c.name, pgType: c.pgType })),
      identity: t.columns.find((c) => c.identity)?.name ?? null, primaryKey: t.primaryKey, uniqueKeys,
    };
  });
}

/** View steps: through the parse tree when the parsers are loaded (a note for each), else the text rewrite Postgres judges. */
function planViewSteps(catalog: SourceCatalog, tables: TargetTable[], options: PlanOptions, notes: Note[], q: (name: string) => string, routines: Map<string, RoutineSignature>): Step[] {
  const step = (name: string, sql: string): Step => ({
    key: `view:${name}`, phase: 'views', description: `create view ${name}`, onFailure: 'note', sql: [sql], creates: [{ kind: 'view', name }],
  });
  if (!options.routineParsers || !catalog.views.length) {
    return catalog.views.map((view) => step(fitIdentifier(view.name), `CREATE VIEW ${q(fitIdentifier(view.name))} AS ${translateViewSql(view.sql, catalog.database)}`));
  }
  const plan = planViews({
    schema: options.schema, database: catalog.database, tables: routineTables(catalog, tables),
    views: catalog.views.map((v) => ({ name: v.name, sql: v.sql })), routines,
  }, options.routineParsers);
  for (const refused of plan.refused) {
    notes.push({ kind: 'not-migrated', what: `view ${refused.source.name} not migrated`, why: `${refused.why}; port it by hand`, sql: refused.source.sql });
  }
  for (const v of plan.planned) {
    const after = v.dependsOn.length ? [`created after ${v.dependsOn.join(', ')}`] : [];
    notes.push({ kind: 'routine', what: `view ${v.source.name} -> view ${v.name}`, why: [...after, ...v.changes].join('; ') || 'same results as in MySQL', sql: v.source.sql, translated: [v.sql] });
  }
  return plan.planned.map((v) => step(v.name, v.sql));
}

/**
 * Function and procedure steps with a note each (null when they are not translated: they stay "port it by
 * hand"), and the events' steps: an event's body is translated as a procedure among the others, so it can
 * call them.
 */
function planRoutineSteps(catalog: SourceCatalog, tables: TargetTable[], options: PlanOptions, notes: Note[]): { steps: Step[] | null; signatures: Map<string, RoutineSignature>; events: Step[] } {
  const signatures = new Map<string, RoutineSignature>();
  const eventObjects = catalog.otherObjects.filter((o) => o.kind === 'event');
  const eventNotMigrated = (object: (typeof eventObjects)[number], why: string) =>
    notes.push({ kind: 'not-migrated', what: `event ${object.name} not migrated`, why, sql: object.sql });
  const parsers = translationParsers(options, 'event');
  if (typeof parsers === 'string') {
    for (const object of eventObjects) eventNotMigrated(object, parsers);
    return { steps: null, signatures, events: [] };
  }
  const sources = catalog.otherObjects.filter((o) => o.kind === 'function' || o.kind === 'procedure');
  // Events have a namespace of their own in MySQL; in Postgres the procedure shares the routines'.
  const routineNames = new Set(sources.map((o) => o.name.toLowerCase()));
  const eventSources = new Map<RoutineSource, (typeof eventObjects)[number]>(eventObjects.map((o) => [
    eventProcedureSource(routineNames.has(o.name.toLowerCase()) ? `${o.name}_event` : o.name, o.event?.body ?? ''), o,
  ]));
  const plan = planRoutines({
    schema: options.schema, database: catalog.database, tables: routineTables(catalog, tables),
    routines: [...sources.map((o) => ({ name: o.name, kind: o.kind as 'function' | 'procedure', sql: o.sql })), ...eventSources.keys()],
  }, parsers);
  for (const refused of plan.refused) {
    const event = eventSources.get(refused.source);
    if (event) eventNotMigrated(event, refused.why);
    else notes.push({ kind: 'not-migrated', what: `${refused.source.kind} ${refused.source.name} not migrated`, why: refused.why, sql: refused.source.sql });
  }
  const steps: Step[] = [];
  const events: Step[] = [];
  for (const r of plan.planned) {
    const event = eventSources.get(r.source);
    if (event) {
      const step = eventStep(event, r, options, notes);
      if (step) events.push(step);
      continue;
    }
    signatures.set(r.source.name.toLowerCase(), r.signature);
    const became = r.kind === r.source.kind ? '' : ` (a procedure returning a result set: now a function)`;
    notes.push({ kind: 'routine', what: `${r.source.kind} ${r.source.name} -> PL/pgSQL ${r.kind} ${r.name}(${r.argumentTypes})${became}`, why: r.changes.join('; '), sql: r.source.sql, translated: r.sql });
    steps.push({ key: `routine:${r.name}`, phase: 'routines', description: `create ${r.kind} ${r.name}`, onFailure: 'note', sql: r.sql, creates: [{ kind: 'function', name: r.name }] });
  }
  return { steps, signatures, events };
}

/** Trigger steps, and a note for every trigger: how it was translated, or what stopped it. */
function planTriggerSteps(catalog: SourceCatalog, tables: TargetTable[], options: PlanOptions, notes: Note[], routines: Map<string, RoutineSignature>): Step[] {
  // markethub_sync_* are the change-capture triggers migrate sync installs on MySQL: markethub's, not the app's.
  const sources = catalog.otherObjects.filter((o) => o.kind === 'trigger' && !o.name.startsWith('markethub_sync_'));
  if (!sources.length) return [];
  const notMigrated = (object: (typeof sources)[number], why: string) =>
    notes.push({ kind: 'not-migrated', table: object.table, what: `trigger ${object.name} not migrated`, why, sql: object.sql });
  const parsers = translationParsers(options, 'trigger');
  if (typeof parsers === 'string') {
    for (const object of sources) notMigrated(object, parsers);
    return [];
  }
  const plan: TriggerPlan = planTriggers({
    schema: options.schema,
    database: catalog.database,
    tables: routineTables(catalog, tables),
    triggers: sources.map((o) => ({ name: o.name, table: o.table ?? '', sql: o.sql, actionOrder: o.actionOrder })),
    ownWritesSetting: KEEP_TIMESTAMPS_SETTING,
    routines,
  }, parsers);
  for (const refused of plan.refused) notMigrated(sources.find((o) => o.name === refused.source.name)!, refused.why);
  for (const t of plan.planned) {
    const how = `${t.timing} ${t.event} FOR EACH ROW, created after the data is copied`;
    notes.push({ kind: 'routine', table: t.table, what: `trigger ${t.source.name} -> PL/pgSQL function ${t.functionName}() and trigger ${t.triggerName}`, why: [how, ...t.changes].join('; '), sql: t.source.sql, translated: t.sql });
  }
  for (const o of plan.order) notes.push({ kind: 'routine', table: o.table, what: o.what, why: o.why });
  if (plan.planned.length) {
    notes.push({ kind: 'routine', what: "translated triggers do nothing in markethub's own writes", why: `sync replays rows MySQL's triggers already changed, and URL rewrites move files, not the app's data (they set ${KEEP_TIMESTAMPS_SETTING})` });
    if (options.schemaOnly) notes.push({ kind: 'routine', what: `${plan.planned.length} trigger(s) not created by --schema-only`, why: 'the run that copies the data (--data-only) creates them after the rows are in, so the copy does not fire them' });
  }
  return plan.planned.map((t): Step => ({
    key: `trigger:${t.table}:${t.triggerName}`, phase: 'triggers', table: t.table, description: `create trigger ${t.triggerName} on ${t.table}`, onFailure: 'note',
    sql: t.sql,
    creates: [{ kind: 'function', name: t.functionName }],
  }));
}

/**
 * A MySQL event: its body, translated, is a procedure; its schedule a row markethub's database-events cron
 * route runs. Created after the data, as triggers are, and run only once writes are on Postgres.
 */
function eventStep(object: SourceCatalog['otherObjects'][number], routine: PlannedRoutine, options: PlanOptions, notes: Note[]): Step | null {
  const row = object.event ? eventScheduleRow(options.schema, object.name, routine.name, object.event, options.sourceTimezone ?? 'UTC') : { why: 'its schedule could not be read' };
  if ('why' in row) {
    notes.push({ kind: 'not-migrated', what: `event ${object.name} not migrated`, why: row.why, sql: object.sql });
    return null;
  }
  const state = row.enabled ? 'runs once writes are on Postgres (until then MySQL runs it)' : `recorded disabled: ${row.disabledBecause}`;
  const sql = [...routine.sql, ...DATABASE_EVENTS_DDL, row.sql];
  notes.push({
    kind: 'routine', what: `event ${object.name} -> procedure ${routine.name}(), ${row.when}`,
    why: [`run when due by ${RUN_DUE_EVENTS_FUNCTION}(), which pg_cron calls every minute where the target database has it (job ${PG_CRON_JOB}) and the app's /api/cron/database-events route calls every minute; ${state}`, ...routine.changes].join('; '), sql: object.sql, translated: sql,
  });
  return {
    key: `event:${object.name}`, phase: 'events', description: `create event ${object.name}`, onFailure: 'note', sql,
    creates: [{ kind: 'function', name: routine.name }, { kind: 'event', name: object.name }],
  };
}

function planColumns(source: SourceTable, name: string, options: PlanOptions, notes: Note[], mechanisms: Mechanism[]): TargetTable {
  const columns: TargetColumn[] = source.columns.map((column) => {
    const type = mapColumnType(source.name, column, options.typeMap);
    const collation = planCollation(name, source, column, type.pgType, typeOverride(source.name, column, options.typeMap) !== undefined,
      { mode: options.collations ?? 'preserve', support: options.targetSupport ?? null, schema: options.schema });
    // "char(n) kept" no longer holds once the column becomes citext.
    for (const n of type.notes) if (!(collation && n.what === `${type.pgType} kept`)) notes.push({ kind: 'type', table: name, column: column.name, ...n });
    if (collation) {
      notes.push(...collation.notes);
      mechanisms.push(collation.mechanism);
    }
    const quoted = qi(column.name);
    const checks = [type.check?.(collation ? collation.type.exactOperand(quoted) : quoted), collation?.type.lengthCheck?.(quoted)].filter((c): c is string => !!c);
    const fallbackDefault = translateDefault(column, type.kind, type.pgType, options.sourceTimezone);
    if (fallbackDefault.note) notes.push({ kind: 'default', table: name, column: column.name, ...fallbackDefault.note });
    const integerType = /^(smallint|integer|bigint)$/.test(type.pgType);
    if (column.autoIncrement && !integerType) {
      notes.push({ kind: 'type', table: name, column: column.name, what: 'AUTO_INCREMENT not carried over', why: `${type.pgType} cannot be an identity column` });
    }
    let generatedSql: string | null = null;
    if (column.generated) {
      const translated = translateMysqlExpression(column.generated.expression);
      if (translated.ok) {
        generatedSql = translated.sql;
        if (!column.generated.stored) notes.push({ kind: 'generated', table: name, column: column.name, what: 'VIRTUAL generated column -> STORED', why: 'Postgres 15 has only stored generated columns' });
      } else {
        notes.push({ kind: 'generated', table: name, column: column.name, what: 'generated column -> plain column holding the values', why: `expression ${column.generated.expression} does not translate (${translated.reason})` });
      }
    }
    return {
      name: column.name,
      source: column,
      pgType: collation?.type.pgType ?? type.pgType,
      kind: type.kind,
      nullable: column.nullable,
      defaultSql: generatedSql ? null : fallbackDefault.sql,
      identity: column.autoIncrement && integerType,
      generatedSql,
      domainCheck: checks.length ? checks.join(' AND ') : undefined,
    };
  });
  return { sourceName: source.name, name, columns, primaryKey: source.primaryKey ?? [], rowEstimate: source.rowEstimate, keyRange: source.keyRange };
}

/** A foreign key column gets exactly its referenced column's type, so every foreign key can be created. */
function unifyForeignKeyTypes(catalog: SourceCatalog, planned: TargetTable[], notes: Note[]): void {
  const bySource = new Map(planned.map((t) => [t.sourceName, t]));
  // Chains (a -> b -> c) settle after as many passes as they are long.
  for (let pass = 0; pass < 10; pass++) {
    let changed = false;
    for (const source of catalog.tables) {
      const table = bySource.get(source.name)!;
      for (const fk of source.foreignKeys) {
        const ref = bySource.get(fk.referencedTable);
        if (!ref) continue;
        fk.columns.forEach((columnName, i) => {
          const column = table.columns.find((c) => c.name === columnName);
          const referenced = ref.columns.find((c) => c.name === fk.referencedColumns[i]);
          if (!column || !referenced || column.pgType === referenced.pgType) return;
          notes.push({ kind: 'type', table: table.name, column: column.name, what: `${column.pgType} -> ${referenced.pgType}`, why: `foreign key ${fk.name} references ${ref.name}.${referenced.name}, which is ${referenced.pgType}` });
          column.pgType = referenced.pgType;
          if (referenced.kind === 'int-to-boolean' || column.kind === 'int-to-boolean') column.kind = referenced.kind;
          changed = true;
        });
      }
    }
    if (!changed) return;
  }
}

function columnDefinition(table: string, column: TargetColumn, asPlain: boolean): string {
  const parts = [qi(column.name), column.pgType];
  if (column.generatedSql && !asPlain) parts.push(`GENERATED ALWAYS AS (${column.generatedSql}) STORED`);
  else if (column.identity) parts.push('GENERATED BY DEFAULT AS IDENTITY');
  else if (column.defaultSql) parts.push(`DEFAULT ${column.defaultSql}`);
  if (!column.nullable) parts.push('NOT NULL');
  // MySQL itself keeps enum and set values inside their members (and '' where the profile found it),
  // so the domain CHECK holds for every row: checked as rows arrive, no validation scan afterwards.
  if (column.domainCheck) parts.push(`CONSTRAINT ${qi(fitIdentifier(`${table}_${column.name}_check`))} CHECK (${column.domainCheck})`);
  return parts.join(' ');
}

function createTableSql(qualified: string, source: SourceTable, table: TargetTable, asPlain: boolean): string[] {
  const sql = [`CREATE TABLE ${qualified} (\n  ${table.columns.map((c) => columnDefinition(table.name, c, asPlain)).join(',\n  ')}\n)`];
  if (source.comment) sql.push(`COMMENT ON TABLE ${qualified} IS ${quoteLiteral(source.comment)}`);
  for (const column of table.columns) {
    if (column.source.comment) sql.push(`COMMENT ON COLUMN ${qualified}.${qi(column.name)} IS ${quoteLiteral(column.source.comment)}`);
  }
  return sql;
}

function createTableStep(source: SourceTable, table: TargetTable, qualified: string): Step {
  const step: Step = {
    key: `create-table:${table.name}`, phase: 'schema', table: table.name, description: `create table ${table.name}`, onFailure: 'fail',
    sql: createTableSql(qualified, source, table, false),
    creates: [{ kind: 'table', name: table.name }],
  };
  const generated = table.columns.filter((c) => c.generatedSql);
  if (generated.length) {
    step.fallback = {
      sql: createTableSql(qualified, source, table, true),
      notes: generated.map((c) => ({ kind: 'generated', table: table.name, column: c.name, what: 'generated column -> plain column holding the values', why: `Postgres rejected the translated expression ${c.generatedSql}` })),
    };
  }
  return step;
}

function addConstraintStep(key: string, table: string, qualified: string, name: string, body: string): Step {
  return {
    key, phase: 'constraints', table, onFailure: 'note', description: `${key.split(':')[0]} ${name} on ${table}`,
    // Added NOT VALID, then validated: rows that break it cannot fail the migration, only be reported.
    sql: [`ALTER TABLE ${qualified} ADD CONSTRAINT ${qi(name)} ${body} NOT VALID`],
    validateSql: `ALTER TABLE ${qualified} VALIDATE CONSTRAINT ${qi(name)}`,
  };
}

/**
 * Postgres index names share one namespace per schema with tables and views. Every table, view and index
 * of the source is named here, in a fixed order, so a name never depends on which tables a run includes.
 */
function assignIndexNames(catalog: SourceCatalog): Map<string, string> {
  const relations = catalog.relations ?? catalog.tables.map((t) => ({ table: t.name, indexes: t.indexes.map((i) => i.name) }));
  const names = new RelationNames();
  for (const { table } of relations) names.reserve(fitIdentifier(table));
  for (const view of catalog.views) names.reserve(fitIdentifier(view.name));
  const assigned = new Map<string, string>();
  const sorted = [...relations].sort((a, b) => (a.table < b.table ? -1 : a.table > b.table ? 1 : 0));
  for (const { table, indexes } of sorted) {
    const t = fitIdentifier(table);
    for (const index of [...indexes].sort()) {
      assigned.set(`${table}\0${index}`, names.claim(index === 'PRIMARY' ? `${t}_pkey` : index, t));
    }
  }
  return assigned;
}

function indexStep(index: SourceIndex, table: TargetTable, qualified: string, names: Map<string, string>, notes: Note[]): Step | null {
  const t = table.name;
  if (index.columns.some((c) => c.name === null)) {
    notes.push({ kind: 'index', table: t, what: `index ${index.name} not created`, why: 'functional index parts are not translated' });
    return null;
  }
  if (index.method === 'SPATIAL') {
    notes.push({ kind: 'index', table: t, what: `spatial index ${index.name} not created`, why: 'PostGIS is not assumed' });
    return null;
  }
  if (index.primary) {
    const name = names.get(`${table.sourceName}\0${index.name}`)!;
    return {
      key: `primary-key:${t}`, phase: 'indexes', table: t, description: `primary key of ${t}`, onFailure: 'fail',
      sql: [`ALTER TABLE ${qualified} ADD CONSTRAINT ${qi(name)} PRIMARY KEY (${index.columns.map((c) => qi(c.name!)).join(', ')})`],
    };
  }
  const name = names.get(`${table.sourceName}\0${index.name}`)!;
  if (name !== index.name) notes.push({ kind: 'name', table: t, what: `index ${index.name} renamed to ${name}`, why: 'Postgres index names are unique per schema (or at most 63 bytes)' });
  const typeOf = (column: string) => table.columns.find((c) => c.name === column)?.pgType ?? '';

  if (index.method === 'FULLTEXT') {
    const document = index.columns.map((c) => `coalesce(${qi(c.name!)}, '')`).join(` || ' ' || `);
    notes.push({ kind: 'index', table: t, what: `FULLTEXT ${index.name} -> GIN on to_tsvector('simple', ...)`, why: "closest Postgres equivalent; query it with to_tsvector('simple', ...) @@ to_tsquery(...)" });
    return {
      key: `index:${t}:${name}`, phase: 'indexes', table: t, description: `full-text index ${name}`, onFailure: 'note',
      sql: [`CREATE INDEX ${qi(name)} ON ${qualified} USING gin (to_tsvector('simple', ${document}))`],
    };
  }
  const prefixed = index.columns.filter((c) => c.subPart !== null);
  const parts = index.columns.map((c) => {
    const dir = c.descending ? ' DESC' : '';
    if (c.subPart === null || !index.unique) return qi(c.name!) + dir;
    // A unique prefix index constrains only the prefix: keep exactly that.
    const expr = typeOf(c.name!) === 'bytea' ? `substring(${qi(c.name!)} from 1 for ${c.subPart})` : collatedPrefix(`left(${qi(c.name!)}, ${c.subPart})`, typeOf(c.name!));
    return `(${expr})${dir}`;
  });
  if (prefixed.length) {
    notes.push(index.unique
      ? { kind: 'index', table: t, what: `unique prefix index ${index.name} -> unique index on left(column, n)`, why: 'keeps uniqueness of the prefix, as in MySQL' }
      : { kind: 'index', table: t, what: `prefix index ${index.name} -> index on the whole column`, why: 'Postgres has no prefix indexes; the whole value serves the same queries' });
  }
  const unique = index.unique ? 'UNIQUE ' : '';
  return {
    key: `index:${t}:${name}`, phase: 'indexes', table: t, description: `${unique.toLowerCase()}index ${name}`, onFailure: 'note',
    sql: [`CREATE ${unique}INDEX ${qi(name)} ON ${qualified} (${parts.join(', ')})`],
  };
}

/** Set to 'on' (SET LOCAL) to keep ON UPDATE CURRENT_TIMESTAMP columns as they are in this transaction. */
export const KEEP_TIMESTAMPS_SETTING = 'markethub.keep_timestamps';

function onUpdateTriggerStep(schema: string, table: string, columns: TargetColumn[]): Step {
  // The function and its trigger share one name.
  const name = fitIdentifier(`${table}_on_update_current_timestamp`);
  const fn = `${qi(schema)}.${qi(name)}`;
  const assignments = columns
    .map((c) => `    IF NEW.${qi(c.name)} IS NOT DISTINCT FROM OLD.${qi(c.name)} THEN NEW.${qi(c.name)} := CURRENT_TIMESTAMP; END IF;`)
    .join('\n');
  return {
    key: `on-update:${table}`, phase: 'constraints', table, onFailure: 'fail',
    description: `ON UPDATE CURRENT_TIMESTAMP trigger on ${table}`,
    creates: [{ kind: 'function', name }],
    // MySQL sets the column only when the row really changed and the statement did not set it itself.
    // markethub's own later rewrites (upload URLs, their rollback) set KEEP_TIMESTAMPS_SETTING: moving a
    // file is not the app changing the row.
    sql: [
      `CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $mh$\nBEGIN\n  IF NEW IS DISTINCT FROM OLD AND current_setting('${KEEP_TIMESTAMPS_SETTING}', true) IS DISTINCT FROM 'on' THEN\n${assignments}\n  END IF;\n  RETURN NEW;\nEND\n$mh$`,
      `CREATE TRIGGER ${qi(name)} BEFORE UPDATE ON ${qi(schema)}.${qi(table)} FOR EACH ROW EXECUTE FUNCTION ${fn}()`,
    ],
  };
}

/**
 * MySQL view text -> Postgres: identifiers lose the database qualifier and switch to double quotes,
 * string literals are re-quoted for Postgres (MySQL's backslash escapes); text inside literals is kept
 * as it is. Postgres has the last word on the rest.
 */
export function translateViewSql(sql: string, database: string): string {
  let out = '';
  for (let i = 0; i < sql.length; ) {
    const ch = sql[i];
    if (ch === '`') {
      let j = i + 1;
      let name = '';
      for (; j < sql.length; j++) {
        if (sql[j] === '`') {
          if (sql[j + 1] === '`') { name += '`'; j++; continue; }
          break;
        }
        name += sql[j];
      }
      i = j + 1;
      // `db`.`table` -> "table": the view lives in the target schema with its tables.
      if (name === database && sql[i] === '.' && sql[i + 1] === '`') { i++; continue; }
      out += qi(name);
    } else if (ch === "'") {
      let j = i + 1;
      let value = '';
      for (; j < sql.length; j++) {
        const c = sql[j];
        if (c === '\\' && j + 1 < sql.length) { value += ({ n: '\n', t: '\t', r: '\r', '0': '\0' } as Record<string, string>)[sql[j + 1]] ?? sql[j + 1]; j++; continue; }
        if (c === "'") {
          if (sql[j + 1] === "'") { value += "'"; j++; continue; }
          break;
        }
        value += c;
      }
      i = j + 1;
      out += quoteLiteral(value);
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

/**
 * What a table's columns were planned as. A resumed run compares it with the fingerprint recorded when
 * the table was created: if the source or the options changed meanwhile, the rows would not fit.
 */
export function tableFingerprint(table: TargetTable): string {
  const shape = table.columns.map((c) => [c.name, c.pgType, c.kind, c.source.nullable, c.generatedSql, c.domainCheck ?? null]);
  return createHash('sha256').update(JSON.stringify([table.name, shape])).digest('hex').slice(0, 16);
}
