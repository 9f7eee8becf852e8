// markethub/shim: run an Express app (4 or 5) as AWS Lambda (API Gateway v1, v2, ALB) or Vercel functions.
export { toLambda, type LambdaContext, type LambdaEvent, type LambdaHandler, type LambdaResult } from './lambda.js';
export { toVercel, type VercelHandler } from './vercel.js';
export { currentInvocation, DEFAULT_BINARY_TYPES, type BinaryOption, type Invocation, type Settled, type ShimOptions } from './options.js';
export { enableTransactionContext, PoolOfOneDeadlockError, serverlessDatabase, type ServerlessDatabase, type ServerlessDatabaseOptions } from './database.js';
export { cronAuthorized, cronHandler, CRON_JOBS, type CronJob, type CronJobName } from './cron.js';
export { markethubCronHandler, markethubVercelHandler, serverlessAppConfig } from './markethub.js';
