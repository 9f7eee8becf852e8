// What sync is given: a plain type shared by the command and its context.
import type { MigrateVerifyConfig } from '../verify/index.js';

/** Source, target, schema, tables, jobs and time zone as for `migrate verify`, and sync's own. */
export interface MigrateSyncConfig extends Omit<MigrateVerifyConfig, 'maxDifferences'> {
  batchSize: number;
  pollMs: number;
  /** Stop once nothing is pending instead of following until interrupted. */
  untilCaughtUp: boolean;
  switchWrites: boolean;
  reverse: boolean;
  /** Drop the capture triggers and change tables on both sides (after a finished or abandoned move). */
  removeCapture: boolean;
  /** How long a process may trust its read of the cutover flag: waited out after freezing writes. */
  flagCacheMs: number;
}
