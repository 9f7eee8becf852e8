// introspectMysql: information_schema (+ one profiling scan per table) -> SourceCatalog.
// This module knows nothing about Postgres.
import type { RowDataPacket } from 'mysql2/promise';
import { UserError } from '../../config/errors.js';
import type {
  ColumnProfile, EventSchedule, SourceCatalog, SourceColumn, SourceForeignKey, SourceIndex, SourceObject, SourceTable,
} from './catalog.js';
import { quoteMysqlIdentifier as q, type MysqlConnection } from './mysql.js';
import { runPool } from './pool.js';
import { MYSQL_INTEGER_TYPES as INTEGER_TYPES } from './plan/types.js';
import { collisionQueries, textEvidenceProbes } from './semantics/index.js';

export interface TableFilter {
  tables?: string[];
  exclude?: string[];
}

type Row = RowDataPacket & Record<string, any>;

async function rows(conn: MysqlConnection, sql: string, params: unknown[] = []): Promise<Row[]> {
  const [result] = await conn.query<Row[]>(sql, params);
  return result;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    let list = map.get(k);
    if (!list) map.set(k, (list = []));
    list.push(item);
  }
  return map;
}

/** Parses the members of enum('a','b''c') / set(...) as the server prints them. */
export function parseMembers(columnType: string): string[] {
  const inner = columnType.slice(columnType.indexOf('(') + 1, columnType.lastIndexOf(')'));
  const members: string[] = [];
  const re = /'((?:[^'\\]|''|\\.)*)'/g;
  for (let m = re.exec(inner); m; m = re.exec(inner)) {
    members.push(m[1].replace(/''/g, "'").replace(/\\(.)/g, '$1'));
  }
  return members;
}

function selectTables(all: string[], filter: TableFilter, database: string): string[] {
  const known = new Set(all);
  for (const name of [...(filter.tables ?? []), ...(filter.exclude ?? [])]) {
    if (!known.has(name)) {
      throw new UserError(`unknown table "${name}" in source database "${database}" (it has: ${all.join(', ') || 'no tables'})`, 2);
    }
  }
  const wanted = filter.tables?.length ? new Set(filter.tables) : known;
  const excluded = new Set(filter.exclude ?? []);
  return all.filter((t) => wanted.has(t) && !excluded.has(t));
}

export async function introspectMysql(conn: MysqlConnection, database: string, filter: TableFilter = {}): Promise<SourceCatalog> {
  const [{ version }] = await rows(conn, 'SELECT VERSION() AS version');
  const isMariaDb = /mariadb/i.test(version);

  const tableRows = await rows(
    conn,
    `SELECT TABLE_NAME AS name, TABLE_TYPE AS type, ENGINE AS engine, TABLE_COLLATION AS collation,
            TABLE_COMMENT AS comment, AUTO_INCREMENT AS autoIncrement, TABLE_ROWS AS rowEstimate
       FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME`,
    [database],
  );
  const baseTables = tableRows.filter((t) => t.type === 'BASE TABLE' || t.type === 'SYSTEM VERSIONED');
  const selected = new Set(selectTables(baseTables.map((t) => t.name as string), filter, database));

  const columnRows = await rows(
    conn,
    `SELECT TABLE_NAME AS tableName, COLUMN_NAME AS name, COLUMN_DEFAULT AS defaultValue, IS_NULLABLE AS nullable,
            DATA_TYPE AS dataType, COLUMN_TYPE AS columnType, CHARACTER_MAXIMUM_LENGTH AS charMaxLength,
            NUMERIC_PRECISION AS numericPrecision, NUMERIC_SCALE AS numericScale, DATETIME_PRECISION AS datetimePrecision,
            EXTRA AS extra, COLUMN_COMMENT AS comment, GENERATION_EXPRESSION AS generationExpression,
            COLLATION_NAME AS collation
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION`,
    [database],
  );
  const indexRows = await rows(
    conn,
    `SELECT TABLE_NAME AS tableName, INDEX_NAME AS name, NON_UNIQUE AS nonUnique, SEQ_IN_INDEX AS seq,
            COLUMN_NAME AS columnName, SUB_PART AS subPart, INDEX_TYPE AS method, COLLATION AS collation
       FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
    [database],
  );
  const fkRows = await rows(
    conn,
    `SELECT k.TABLE_NAME AS tableName, k.CONSTRAINT_NAME AS name, k.COLUMN_NAME AS columnName,
            k.REFERENCED_TABLE_SCHEMA AS refSchema, k.REFERENCED_TABLE_NAME AS refTable, k.REFERENCED_COLUMN_NAME AS refColumn,
            r.UPDATE_RULE AS onUpdate, r.DELETE_RULE AS onDelete
       FROM information_schema.KEY_COLUMN_USAGE k
       JOIN information_schema.REFERENTIAL_CONSTRAINTS r
         ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.TABLE_NAME = k.TABLE_NAME AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME
      WHERE k.TABLE_SCHEMA = ? AND k.REFERENCED_TABLE_NAME IS NOT NULL
      ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`,
    [database],
  );
  const checkRows = isMariaDb
    ? await rows(
        conn,
        `SELECT TABLE_NAME AS tableName, CONSTRAINT_NAME AS name, CHECK_CLAUSE AS clause
           FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? ORDER BY TABLE_NAME, CONSTRAINT_NAME`,
        [database],
      )
    : await rows(
        conn,
        `SELECT tc.TABLE_NAME AS tableName, cc.CONSTRAINT_NAME AS name, cc.CHECK_CLAUSE AS clause
           FROM information_schema.CHECK_CONSTRAINTS cc
           JOIN information_schema.TABLE_CONSTRAINTS tc
             ON tc.CONSTRAINT_SCHEMA = cc.CONSTRAINT_SCHEMA AND tc.CONSTRAINT_NAME = cc.CONSTRAINT_NAME AND tc.CONSTRAINT_TYPE = 'CHECK'
          WHERE cc.CONSTRAINT_SCHEMA = ? ORDER BY tc.TABLE_NAME, cc.CONSTRAINT_NAME`,
        [database],
      );

  const columnsByTable = groupBy(columnRows, (r) => r.tableName);
  const indexesByTable = groupBy(indexRows, (r) => r.tableName);
  const fksByTable = groupBy(fkRows, (r) => r.tableName);
  const checksByTable = groupBy(checkRows, (r) => r.tableName);

  const tables: SourceTable[] = [];
  for (const t of baseTables) {
    if (!selected.has(t.name)) continue;
    const checks = (checksByTable.get(t.name) ?? []).map((c) => ({ name: c.name as string, clause: c.clause as string }));
    const jsonColumns = new Set<string>();
    const keptChecks = checks.filter((c) => {
      // MariaDB's JSON type is longtext plus a json_valid(col) check: the column becomes jsonb instead.
      const m = /^json_valid\(`((?:[^`]|``)+)`\)$/i.exec(c.clause.trim());
      if (m) jsonColumns.add(m[1].replace(/``/g, '`'));
      return !m;
    });
    const columns = (columnsByTable.get(t.name) ?? []).map((c) => toColumn(c, jsonColumns, isMariaDb));
    const indexes = toIndexes(indexesByTable.get(t.name) ?? []);
    const primary = indexes.find((i) => i.primary);
    tables.push({
      name: t.name,
      engine: t.engine ?? '',
      collation: t.collation ?? null,
      comment: t.comment ?? '',
      autoIncrement: t.autoIncrement == null ? null : Number(t.autoIncrement),
      rowEstimate: Number(t.rowEstimate ?? 0),
      columns,
      primaryKey: primary ? primary.columns.map((c) => c.name!) : null,
      keyRange: null,
      indexes,
      foreignKeys: toForeignKeys(fksByTable.get(t.name) ?? [], database),
      checks: keptChecks,
    });
  }


  const views: SourceObject[] = (
    await rows(conn, 'SELECT TABLE_NAME AS name, VIEW_DEFINITION AS definition FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME', [database])
  ).map((v) => ({ kind: 'view', name: v.name, sql: v.definition ?? '' }));

  const relations = baseTables.map((t) => ({ table: t.name as string, indexes: [...new Set((indexesByTable.get(t.name) ?? []).map((r) => r.name as string))] }));
  return { database, serverVersion: version, isMariaDb, tables, relations, views, otherObjects: await introspectOtherObjects(conn, database) };
}

function toColumn(c: Row, jsonColumns: Set<string>, isMariaDb: boolean): SourceColumn {
  const extra = String(c.extra ?? '').toLowerCase();
  const columnType = String(c.columnType).toLowerCase();
  const dataType = String(c.dataType).toLowerCase();
  const generatedKind = /\b(virtual|stored|persistent) generated\b/.exec(extra)?.[1];
  let defaultValue: string | null = c.defaultValue ?? null;
  // MySQL 8 reports string defaults unquoted; MariaDB quotes them. Normalise to MariaDB's form.
  if (!isMariaDb && defaultValue !== null && !extra.includes('default_generated') && !/^current_timestamp|^b'[01]*'$/i.test(defaultValue)) {
    defaultValue = `'${defaultValue.replace(/'/g, "''")}'`;
  }
  return {
    name: c.name,
    dataType,
    columnType,
    nullable: c.nullable === 'YES',
    defaultValue,
    autoIncrement: extra.includes('auto_increment'),
    onUpdateCurrentTimestamp: /on update current_timestamp/.test(extra),
    unsigned: /\bunsigned\b/.test(columnType),
    charMaxLength: c.charMaxLength == null ? null : Number(c.charMaxLength),
    numericPrecision: c.numericPrecision == null ? null : Number(c.numericPrecision),
    numericScale: c.numericScale == null ? null : Number(c.numericScale),
    datetimePrecision: c.datetimePrecision == null ? null : Number(c.datetimePrecision),
    members: dataType === 'enum' || dataType === 'set' ? parseMembers(c.columnType) : null,
    collation: c.collation ?? null,
    isJson: dataType === 'json' || jsonColumns.has(c.name),
    generated: generatedKind && c.generationExpression
      ? { expression: c.generationExpression, stored: generatedKind !== 'virtual' }
      : null,
    comment: c.comment ?? '',
    profile: {},
  };
}

function toIndexes(rowsOfTable: Row[]): SourceIndex[] {
  return [...groupBy(rowsOfTable, (r) => r.name).entries()].map(([name, parts]) => ({
    name,
    unique: Number(parts[0].nonUnique) === 0,
    primary: name === 'PRIMARY',
    method: String(parts[0].method ?? 'BTREE').toUpperCase(),
    columns: parts.map((p) => ({
      name: p.columnName ?? null,
      subPart: p.subPart == null ? null : Number(p.subPart),
      descending: p.collation === 'D',
    })),
  }));
}

function toForeignKeys(rowsOfTable: Row[], database: string): SourceForeignKey[] {
  return [...groupBy(rowsOfTable, (r) => r.name).entries()].map(([name, parts]) => ({
    name,
    columns: parts.map((p) => p.columnName),
    referencedTable: parts[0].refSchema === database ? parts[0].refTable : `${parts[0].refSchema}.${parts[0].refTable}`,
    referencedColumns: parts.map((p) => p.refColumn),
    onDelete: parts[0].onDelete,
    onUpdate: parts[0].onUpdate,
  }));
}

/**
 * Reads what the planner must know about the values (see ColumnProfile) and each table's key range.
 * Tables are spread over the given connections, biggest first, to scan in parallel.
 */
export async function profileTables(connections: MysqlConnection[], tables: SourceTable[]): Promise<void> {
  const queue = [...tables].sort((a, b) => b.rowEstimate - a.rowEstimate);
  const free = [...connections];
  await runPool(queue, connections.length, async () => free.pop()!, async () => {}, async (table, conn) => {
    await profileTable(conn, table);
    table.keyRange = await integerKeyRange(conn, table);
  });
}

/** One scan per table answers every question that needs one; maxima of indexed columns come from the index. */
async function profileTable(conn: MysqlConnection, table: SourceTable): Promise<void> {
  const probes: { column: SourceColumn; field?: keyof ColumnProfile; sql: string; set?: (value: unknown) => void }[] = [];
  const leadsAnIndex = new Set(table.indexes.map((i) => i.columns[0].name));
  for (const column of table.columns) {
    if (column.dataType !== 'bigint' || !column.unsigned) continue;
    if (leadsAnIndex.has(column.name)) {
      const [result] = await rows(conn, `SELECT MAX(${q(column.name)}) AS max FROM ${q(table.name)}`);
      column.profile.maxValue = result.max == null ? null : String(result.max);
    } else {
      probes.push({ column, field: 'maxValue', sql: `MAX(${q(column.name)})` });
    }
  }
  table.columns.forEach((column) => {
    const c = q(column.name);
    if (column.columnType.startsWith('tinyint(1)')) probes.push({ column, field: 'onlyBooleanValues', sql: `SUM(${c} NOT IN (0, 1))` });
    if (column.dataType === 'time') probes.push({ column, field: 'outsideTimeOfDay', sql: `SUM(${c} < '00:00:00' OR ${c} > '24:00:00')` });
    if (column.dataType === 'enum') probes.push({ column, field: 'enumErrorValues', sql: `SUM(${c} + 0 = 0)` });
  });
  probes.push(...textEvidenceProbes(table));
  if (probes.length === 0) return;
  const select = probes.map((p, i) => `${p.sql} AS p${i}`).join(', ');
  const [result] = await rows(conn, `SELECT ${select} FROM ${q(table.name)}`);
  probes.forEach((p, i) => {
    const value = result[`p${i}`] as string | number | null;
    const count = Number(value ?? 0);
    if (p.set) return p.set(value);
    switch (p.field) {
      case 'onlyBooleanValues': p.column.profile.onlyBooleanValues = count === 0; break;
      case 'maxValue': p.column.profile.maxValue = value == null ? null : String(value); break;
      case 'outsideTimeOfDay': p.column.profile.outsideTimeOfDay = count > 0; break;
      case 'enumErrorValues': p.column.profile.enumErrorValues = count; break;
    }
  });
  for (const query of collisionQueries(table)) query.read(await rows(conn, query.sql) as { v: string | null }[]);
}


/** Min and max of a single-column integer primary key: read from the index, so no scan. */
async function integerKeyRange(conn: MysqlConnection, table: SourceTable): Promise<SourceTable['keyRange']> {
  const key = table.primaryKey?.length === 1 ? table.columns.find((c) => c.name === table.primaryKey![0]) : undefined;
  if (!key || !INTEGER_TYPES.has(key.dataType)) return null;
  const [result] = await rows(conn, `SELECT MIN(${q(key.name)}) AS min, MAX(${q(key.name)}) AS max FROM ${q(table.name)}`);
  return result.min == null ? null : { column: key.name, min: String(result.min), max: String(result.max) };
}

async function showCreate(conn: MysqlConnection, what: string, name: string, column: string, fallback: string): Promise<string> {
  try {
    const [result] = await rows(conn, `SHOW CREATE ${what} ${q(name)}`);
    return (result?.[column] as string | undefined) ?? fallback;
  } catch {
    return fallback; // SHOW CREATE needs privileges the information_schema text does not
  }
}

async function introspectOtherObjects(conn: MysqlConnection, database: string): Promise<SourceObject[]> {
  const objects: SourceObject[] = [];
  const triggers = await rows(
    conn,
    `SELECT TRIGGER_NAME AS name, EVENT_OBJECT_TABLE AS tableName, ACTION_TIMING AS timing,
            EVENT_MANIPULATION AS event, ACTION_STATEMENT AS body, ACTION_ORDER AS actionOrder
       FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? ORDER BY EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER`,
    [database],
  );
  for (const t of triggers) {
    const fallback = `CREATE TRIGGER ${q(t.name)} ${t.timing} ${t.event} ON ${q(t.tableName)} FOR EACH ROW ${t.body}`;
    const sql = await showCreate(conn, 'TRIGGER', t.name, 'SQL Original Statement', fallback);
    objects.push({ kind: 'trigger', name: t.name, table: t.tableName, sql, actionOrder: Number(t.actionOrder ?? 0) });
  }
  const routines = await rows(
    conn,
    `SELECT ROUTINE_NAME AS name, ROUTINE_TYPE AS type, ROUTINE_DEFINITION AS body
       FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ? ORDER BY ROUTINE_NAME`,
    [database],
  );
  for (const r of routines) {
    const type = String(r.type).toUpperCase() === 'FUNCTION' ? 'FUNCTION' : 'PROCEDURE';
    const sql = await showCreate(conn, type, r.name, type === 'FUNCTION' ? 'Create Function' : 'Create Procedure', r.body ?? '');
    objects.push({ kind: type === 'FUNCTION' ? 'function' : 'procedure', name: r.name, sql });
  }
  const events = await rows(
    conn,
    // Times as text: they are wall-clock times of the event's time zone, not instants.
    `SELECT EVENT_NAME AS name, EVENT_DEFINITION AS body, EVENT_TYPE AS type, INTERVAL_VALUE AS every, INTERVAL_FIELD AS unit,
            DATE_FORMAT(EXECUTE_AT, '%Y-%m-%d %H:%i:%s') AS at, DATE_FORMAT(STARTS, '%Y-%m-%d %H:%i:%s') AS starts,
            DATE_FORMAT(ENDS, '%Y-%m-%d %H:%i:%s') AS ends, STATUS AS status, ON_COMPLETION AS completion, TIME_ZONE AS zone
       FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ? ORDER BY EVENT_NAME`,
    [database],
  );
  const scheduler = events.length ? String((await rows(conn, 'SELECT @@event_scheduler AS on_off'))[0]?.on_off ?? '').toUpperCase() : '';
  for (const e of events) {
    const schedule: EventSchedule = {
      body: String(e.body ?? ''),
      at: e.type === 'ONE TIME' ? e.at : null,
      every: e.type === 'ONE TIME' ? null : { value: String(e.every), unit: String(e.unit) },
      starts: e.starts ?? null, ends: e.ends ?? null,
      enabled: String(e.status) === 'ENABLED',
      preserve: String(e.completion) === 'PRESERVE',
      timeZone: String(e.zone ?? 'SYSTEM'),
      schedulerOn: scheduler === 'ON' || scheduler === '1',
    };
    objects.push({ kind: 'event', name: e.name, sql: await showCreate(conn, 'EVENT', e.name, 'Create Event', e.body ?? ''), event: schedule });
  }
  return objects;
}
