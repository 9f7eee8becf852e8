// What `migrate db` itself checks on the target before it writes (apply.ts preflightTarget): tables in
// the way that an earlier run did not create, or a source that changed under an earlier run's tables.
import type pg from 'pg';
import { UserError } from '../../config/errors.js';
import { migrationKey, preflightTarget, type TargetPlan } from '../db/index.js';
import { createdObjects, doneSteps, ledgerExists, type StepDetail } from '../ledger/index.js';
import type { CheckItem } from './model.js';
import type { CheckConfig } from './config.js';

export async function checkTargetState(client: pg.Client, config: CheckConfig, plan: TargetPlan): Promise<CheckItem> {
  const item = (status: CheckItem['status'], detail: string): CheckItem => ({ area: 'target', check: `schema ${config.schema}`, status, detail, commands: ['migrate db'] });
  const key = migrationKey(config);
  let ours = new Set<string>();
  let done = new Map<string, StepDetail>();
  let earlier = false;
  try {
    if (await ledgerExists(client)) {
      done = await doneSteps(client, key);
      ours = new Set((await createdObjects(client, key)).filter((o) => o.schema === config.schema).map((o) => o.name));
      earlier = done.size > 0;
    }
  } catch (error) {
    return item('warn', `cannot read the ledger (${(error as Error).message.split('\n')[0]}): migrate db will say whether the schema is free`);
  }
  try {
    await preflightTarget(client, plan, ours, done, { dataOnly: false, truncate: false });
  } catch (error) {
    if (error instanceof UserError) return item('blocked', error.message);
    throw error;
  }
  return item('ok', earlier ? 'migrate db ran here before: the next run picks up where it stopped (or finds the work done)' : 'no table of the plan is in the way');
}
