// markethub/shim/app: the MarketHub app as Vercel functions (the handlers api/ exports) and its
// scheduled jobs. Loads the app; the adapters alone are markethub/shim.
// First: zod (which the app validates with) keeps its registries in non-enumerable globals.
import '../../src/reserved-globals/zod.js';
export { ConfigurationError, instanceDatabase, markethubCronHandler, markethubDatabase, markethubJobsHandler, markethubVercelHandler, serverlessAppConfig, VERCEL_BODY_LIMIT_BYTES } from './markethub.js';
export { cronAuthorized, cronHandler, CRON_JOBS, dailyCleanup, emailDigest, hourlyCleanup, inventoryCheck, LOW_STOCK_THRESHOLD, vendorPayouts, type CronHandlerOptions, type CronJob, type CronJobName } from './cron.js';
