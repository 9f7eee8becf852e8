// What one run of applyPlan works with: the plan, both sides, the ledger's record of what is done.
import type pg from 'pg';
import type { Dsn } from '../../config/dsn.js';
import type { Ui } from '../../ui/index.js';
import type { StepDetail } from '../ledger/index.js';
import type { TargetPlan } from './plan/plan.js';

export interface ApplyContext {
  plan: TargetPlan;
  source: Dsn;
  target: Dsn;
  /** The run's main connection: holds the migration lock, runs sequential steps. */
  client: pg.Client;
  migrationKey: string;
  runId: number;
  done: Map<string, StepDetail>;
  jobs: number;
  sourceTimezone: string;
  dataOnly: boolean;
  ui: Ui;
  signal: AbortSignal;
}
