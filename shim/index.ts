// markethub/shim: run an Express app (4 or 5) as AWS Lambda (API Gateway v1, v2, ALB) or Vercel functions.
// Adapters only: importing this loads no app, no SDK, and Sequelize only when a database is first used.
// The MarketHub app's own functions are markethub/shim/app.
export { toLambda, type LambdaContext, type LambdaEvent, type LambdaHandler, type LambdaResult } from './lambda.js';
export { BodyUnavailableError, toVercel, type VercelHandler } from './vercel.js';
export { currentInvocation, DEFAULT_BINARY_TYPES, type BinaryOption, type Invocation, type LambdaOptions, type Settled, type ShimOptions, type Transform } from './options.js';
export { enableTransactionContext, PoolOfOneDeadlockError, serverlessDatabase, type SequelizeFactory, type SequelizeSettings, type ServerlessDatabase, type ServerlessDatabaseOptions } from './database.js';
