// One run-report model shared by every command; renderers turn it into a terminal table, JSON or Markdown.

/** What kind of change a note records. */
export type NoteKind =
  | 'type' // a column's type differs from a plain rename of the source type
  | 'nullability' // a NOT NULL had to be relaxed
  | 'default' // a default could not be carried over as it was
  | 'index' // an index became the closest Postgres equivalent
  | 'constraint' // a constraint could not be created or validated as it was
  | 'name' // an identifier had to be renamed (length, collision)
  | 'generated' // a generated column became a plain column or STORED
  | 'not-migrated' // an object (trigger, routine, event, view) was listed, not created
  | 'routine' // a trigger was translated to PL/pgSQL: how, and what behaves differently
  | 'collation' // comparison rules (case, accents, trailing spaces) kept or not kept
  | 'value'; // a value was changed because Postgres cannot hold it

/** A decision that changed a type, a name, a constraint or a value: nothing is changed silently. */
export interface Note {
  kind: NoteKind;
  table?: string;
  column?: string;
  /** For value notes: the row's primary key (column -> value), or null for tables without one. */
  key?: Record<string, string | null> | null;
  what: string;
  why: string;
  /** Source SQL of objects that were not migrated, or of the MySQL object a translation came from. */
  sql?: string;
  /** The Postgres statements a view, routine, trigger or event was translated into. */
  translated?: string[];
}

export type TableStatus = 'copied' | 'already-copied' | 'schema-only' | 'failed' | 'planned';

export interface TableReport {
  name: string;
  rowsRead: number;
  rowsWritten: number;
  notes: number;
  seconds: number;
  status: TableStatus;
  error?: string;
}

export interface PhaseReport {
  name: string;
  seconds: number;
}

export interface MigrationReport {
  command: string;
  runId: number | null;
  source: string; // masked DSN
  target: string; // masked DSN
  schema: string;
  startedAt: string;
  finishedAt: string;
  outcome: 'success' | 'failed' | 'dry-run';
  phases: PhaseReport[];
  tables: TableReport[];
  /** Schema-level notes (types, names, constraints, objects not migrated). */
  notes: Note[];
  /** Every value that had to change, by table, primary key and column. */
  valueChanges: Note[];
  totals: { rowsRead: number; rowsWritten: number; seconds: number };
  errors: string[];
  /** Only for --dry-run: the DDL that would run, in order. */
  ddl?: string[];
}

/** What the URL rewrite did in one column. */
export interface ColumnRewriteReport {
  table: string;
  column: string;
  embedded: boolean;
  rowsRewritten: number;
  referencesRewritten: number;
  dangling: number;
  notUploaded: number;
  absoluteLeft: number;
  /** Rows the app changed between our read and our write: left as the app wrote them. */
  changedMeanwhile: number;
}

/** A column found to hold upload URLs by scanning its values (migrate files without urlColumns). */
export interface DiscoveredColumn {
  table: string;
  column: string;
  /** The column's Postgres type, e.g. "character varying(255)", "jsonb", "text[]". */
  type: string;
  /** Values holding at least one upload URL (estimated from a sample when `estimated`). */
  values: number;
  /** How those values hold them: the whole value is one URL, URLs inside text/HTML, inside a JSON document or an array. */
  shape: 'whole' | 'embedded' | 'json' | 'array';
  estimated: boolean;
  /** Why the column is left alone, when it is (e.g. its table has no primary key). */
  skipped?: string;
}

/** An upload reference left as it was, and why. */
export interface ReferenceProblem {
  table: string;
  column: string;
  key: Record<string, unknown>;
  reference: string;
  what: 'dangling' | 'not-uploaded' | 'absolute-left';
  why: string;
}

/** The report of `migrate files`. */
export interface FilesReport {
  command: 'migrate files';
  runId: number | null;
  uploads: string;
  buckets: string[];
  target: string; // masked DSN
  cdnBase: string | null;
  dryRun: boolean;
  startedAt: string;
  finishedAt: string;
  outcome: 'success' | 'failed' | 'interrupted' | 'dry-run';
  files: {
    found: number;
    uploaded: number;
    unchanged: number;
    alreadyThere: number;
    preExisting: number;
    wouldUpload: number;
    conflicts: number;
    failed: number;
    skipped: number;
    bytesUploaded: number;
    seconds: number;
    filesPerSecond: number;
    megabytesPerSecond: number;
  };
  /** Every file not uploaded and why: unreadable, conflicting, failing, or skipped by rule. */
  fileProblems: { path: string; key?: string; what: string; why: string }[];
  /** Columns found to hold upload URLs; absent when urlColumns came from --config or --no-discover. */
  discovered?: DiscoveredColumn[];
  /** Seconds the discovery scan took inside Postgres. */
  discoverySeconds?: number;
  rewrites: ColumnRewriteReport[];
  /** References not rewritten, by table, key and column. */
  referenceProblems: ReferenceProblem[];
  errors: string[];
}
