// SourceCatalog: everything introspection learned about the MySQL database, as plain data.
// Nothing after introspection talks to MySQL about the schema; planning works from this alone.

/** What a case-insensitive text column holds that Postgres may compare differently (see semantics/evidence.ts). */
export interface TextEvidence {
  /** Values holding a character outside ASCII. */
  nonAscii: number;
  /** Values ending in a space. */
  trailingSpaces: number;
  /** Groups of values one to MySQL's `=`, distinct once only case is folded. Absent: not looked for. */
  collisions?: string[][];
}

/** Facts about a column's values that decide its target type (gathered in one scan per table). */
export interface ColumnProfile {
  /** tinyint(1): true when every value is 0, 1 or NULL. */
  onlyBooleanValues?: boolean;
  /** bigint unsigned: the largest value, as a decimal string (null for an empty table). */
  maxValue?: string | null;
  /** time: true when a value lies outside 00:00:00..24:00:00. */
  outsideTimeOfDay?: boolean;
  /** enum: rows holding MySQL's '' error value (not a member). */
  enumErrorValues?: number;
  /** Text under a case-insensitive collation, measured when the table is small or the column is uniquely keyed. */
  text?: TextEvidence;
}

export interface SourceColumn {
  name: string;
  /** information_schema DATA_TYPE, lower case: int, varchar, datetime, enum ... */
  dataType: string;
  /** information_schema COLUMN_TYPE, lower case: int(10) unsigned, tinyint(1), enum('a','b') ... */
  columnType: string;
  nullable: boolean;
  /** COLUMN_DEFAULT as the server reports it (MariaDB quotes string literals), or null for none. */
  defaultValue: string | null;
  autoIncrement: boolean;
  onUpdateCurrentTimestamp: boolean;
  unsigned: boolean;
  charMaxLength: number | null;
  numericPrecision: number | null;
  numericScale: number | null;
  datetimePrecision: number | null;
  /** enum / set members, in order. */
  members: string[] | null;
  /** COLLATION_NAME: the column's own, else the table's default (the server resolves it); null for non-text. */
  collation: string | null;
  /** MariaDB JSON (longtext + json_valid check) or MySQL JSON. */
  isJson: boolean;
  generated: { expression: string; stored: boolean } | null;
  comment: string;
  profile: ColumnProfile;
}

export interface SourceIndexColumn {
  /** Column name, or null for an expression part. */
  name: string;
  /** Prefix length for prefix indexes. */
  subPart: number | null;
  descending: boolean;
}

export interface SourceIndex {
  name: string;
  unique: boolean;
  primary: boolean;
  /** BTREE, HASH, FULLTEXT, SPATIAL */
  method: string;
  columns: SourceIndexColumn[];
}

export interface SourceForeignKey {
  name: string;
  columns: string[];
  referencedTable: string;
  referencedColumns: string[];
  onDelete: string;
  onUpdate: string;
}

export interface SourceCheck {
  name: string;
  clause: string;
}

export interface SourceTable {
  name: string;
  engine: string;
  collation: string | null;
  comment: string;
  /** The table's AUTO_INCREMENT counter: the next id MySQL would hand out. */
  autoIncrement: number | null;
  rowEstimate: number;
  columns: SourceColumn[];
  primaryKey: string[] | null;
  /** For a single-column integer primary key: its column and smallest and largest values (null when empty). */
  keyRange: { column: string; min: string; max: string } | null;
  indexes: SourceIndex[];
  foreignKeys: SourceForeignKey[];
  checks: SourceCheck[];
}

export interface SourceObject {
  kind: 'view' | 'trigger' | 'procedure' | 'function' | 'event';
  name: string;
  table?: string;
  sql: string;
  /** Triggers: information_schema ACTION_ORDER, the firing order among the table's triggers of one timing and event. */
  actionOrder?: number;
  /** Events: when MySQL runs the body. */
  event?: EventSchedule;
}

/** A MySQL event's schedule, as information_schema.EVENTS has it; times are wall-clock text in `timeZone`. */
export interface EventSchedule {
  /** The statement the event runs (EVENT_DEFINITION). */
  body: string;
  /** ONE TIME events: when. */
  at: string | null;
  /** Recurring events: INTERVAL_VALUE and INTERVAL_FIELD ('1', 'DAY'; '1:30', 'HOUR_MINUTE'). */
  every: { value: string; unit: string } | null;
  starts: string | null;
  ends: string | null;
  /** STATUS = ENABLED (DISABLED and SLAVESIDE_DISABLED never run). */
  enabled: boolean;
  /** ON COMPLETION PRESERVE: kept after its last run (MySQL drops it otherwise). */
  preserve: boolean;
  /** The event's TIME_ZONE ('SYSTEM' for the server's). */
  timeZone: string;
  /** Whether MySQL's event scheduler runs at all (@@event_scheduler). */
  schedulerOn: boolean;
}

export interface SourceCatalog {
  database: string;
  serverVersion: string;
  isMariaDb: boolean;
  tables: SourceTable[];
  /**
   * Every base table of the source database with its index names, migrated or not: names are given out
   * from all of them, so a run over some tables names things as a run over all of them would.
   */
  relations?: { table: string; indexes: string[] }[];
  views: SourceObject[];
  /** Triggers (translated when they can be), routines and events (reported with their SQL, not migrated). */
  otherObjects: SourceObject[];
}
