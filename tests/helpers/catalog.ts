// Builders for SourceCatalog fixtures, so planner tests state only what matters to them.
import type { SourceCatalog, SourceColumn, SourceTable } from '../../src/migrate/db/catalog.js';

export function column(name: string, columnType: string, extra: Partial<SourceColumn> = {}): SourceColumn {
  const dataType = columnType.replace(/\(.*$/, '').replace(/ .*$/, '');
  const length = /\((\d+)(?:,(\d+))?\)/.exec(columnType);
  return {
    name,
    dataType,
    columnType,
    nullable: true,
    defaultValue: null,
    autoIncrement: false,
    onUpdateCurrentTimestamp: false,
    unsigned: columnType.includes('unsigned'),
    charMaxLength: ['char', 'varchar'].includes(dataType) && length ? Number(length[1]) : null,
    numericPrecision: ['decimal', 'bit'].includes(dataType) && length ? Number(length[1]) : null,
    numericScale: dataType === 'decimal' && length ? Number(length[2] ?? 0) : null,
    datetimePrecision: ['datetime', 'timestamp', 'time'].includes(dataType) ? Number(length?.[1] ?? 0) : null,
    members: null,
    collation: null,
    isJson: dataType === 'json',
    generated: null,
    comment: '',
    profile: {},
    ...extra,
  };
}

export function table(name: string, columns: SourceColumn[], extra: Partial<SourceTable> = {}): SourceTable {
  return {
    name, engine: 'InnoDB', collation: 'utf8mb4_general_ci', comment: '', autoIncrement: null, rowEstimate: 0,
    columns, primaryKey: null, keyRange: null, indexes: [], foreignKeys: [], checks: [], ...extra,
  };
}

export function catalog(tables: SourceTable[], extra: Partial<SourceCatalog> = {}): SourceCatalog {
  return { database: 'shop', serverVersion: '10.11.0-MariaDB', isMariaDb: true, tables, views: [], otherObjects: [], ...extra };
}
