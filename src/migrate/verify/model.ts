// What verify is given and what it finds: plain types, shared by the comparison and the command.
import type { Dsn } from '../../config/dsn.js';
import type { TargetPlan } from '../db/index.js';
import type { Difference } from './differences.js';

/** `markethub migrate verify`'s flags and environment, checked (config/index.ts builds it). */
export interface MigrateVerifyConfig {
  source: Dsn;
  target: Dsn;
  schema: string;
  tables?: string[];
  exclude?: string[];
  jobs: number;
  sourceTimezone: string;
  maxDifferences: number;
}

export interface VerifyOptions {
  source: Dsn;
  target: Dsn;
  schema: string;
  /** Source table names; default every base table. */
  tables?: string[];
  /** Differences listed at most (all are counted); default 1000. */
  maxDifferences?: number;
  /** Key ranges and tables compared in parallel; default 2. */
  jobs?: number;
  /** The zone DATETIME values were written in, as given to `migrate db`; default UTC. */
  sourceTimezone?: string;
  /** The source's plan when the caller has read it already: the source is then not read and profiled again. */
  plan?: TargetPlan;
}

export interface TableVerification {
  table: string;
  rowsSource: number;
  rowsTarget: number;
  status: 'ok' | 'different' | 'error';
  differences: number;
  /** Values the migration changed on purpose (zero dates, NUL characters): not differences. */
  expected: number;
  seconds: number;
  error?: string;
}

export interface VerifyReport {
  ok: boolean;
  tables: TableVerification[];
  differences: Difference[];
  differencesTotal: number;
  expectedDifferences: number;
}

/** A target column as information_schema describes it: what the digest renders from. */
export interface TargetColumnType {
  /** udt_name: int4, numeric, timestamptz, bpchar, _text, varbit, jsonb ... */
  udt: string;
  /** numeric_scale, for numeric columns. */
  scale: number | null;
  /** is_nullable; unknown counts as nullable. */
  nullable?: boolean;
  /** A text column whose collation orders by bytes (C, POSIX, C.UTF-8): comparisons on it need no COLLATE "C". */
  byteOrder?: boolean;
}
