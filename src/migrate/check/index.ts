// `migrate check`, the preflight: what each migrate command needs, read from source, target and bucket
// without writing anything lasting.
export { migrateCheckConfig, type CheckConfig } from './config.js';
export { migrateCheck } from './run.js';
export { renderCheckTerminal } from './render.js';
export { type CheckItem, type CheckReport, type CheckStatus, type CheckedCommand } from './model.js';
