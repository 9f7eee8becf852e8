// `migrate check`, the preflight: what each migrate command needs, read from source, target and bucket
// without writing anything lasting. The CLI registers the command; the checks load when it runs.
export { registerMigrateCheck, type CliHooks } from './command.js';
export { CHECK_EXIT, type CheckItem, type CheckReport, type CheckStatus, type CheckedCommand } from './model.js';
export type { CheckConfig } from './config.js';
