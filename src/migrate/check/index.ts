// `migrate check`, the preflight: what each migrate command needs, read from source, target and bucket
// without writing anything lasting. Light to import: the drivers and the SDK load when a check runs.
import type { Ui } from '../../ui/index.js';
import type { CheckConfig } from './config.js';
import type { CheckReport } from './model.js';

export { migrateCheckConfig, type CheckConfig } from './config.js';
export { type CheckItem, type CheckReport, type CheckStatus, type CheckedCommand } from './model.js';
export { renderCheckTerminal } from './render.js';

export async function migrateCheck(config: CheckConfig, ui: Ui): Promise<CheckReport> {
  return (await import('./run.js')).migrateCheck(config, ui);
}
