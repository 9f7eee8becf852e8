// The MarketHub app as a function instance: Postgres (pool of one) from DATABASE_URL, uploads to S3,
// configuration from the environment. Everything is created on the first invocation, not at import,
// so a cold start that never reaches the app (a cron call refused) opens nothing. What a first request
// does not need is not loaded before it: the AWS SDK comes with the first upload (the storage health
// check is one signed HEAD over node:http), the job queue with the first worker call.
import type { S3Client } from '@aws-sdk/client-s3';
import type { Sequelize } from 'sequelize';
import { createApp, s3Storage, type AppConfig, type FileStorage } from '../../src/app/index.js';
import { cacheFromEnv } from '../../src/cache/index.js';
import { createServerlessSequelize, pgModule } from '../../src/db/index.js';
import { S3Http } from '../../src/migrate/files/s3-http.js';
import { serverlessDatabase, toVercel, type ServerlessDatabase, type ServerlessDatabaseOptions, type VercelHandler } from '../index.js';
import { cronHandler, type CronJobName } from './cron.js';

export class ConfigurationError extends Error {}

/** The largest request body a Vercel function is handed. */
export const VERCEL_BODY_LIMIT_BYTES = 4_500_000;

function required(env: NodeJS.ProcessEnv, name: string, hint: string): string {
  const value = env[name];
  if (!value) throw new ConfigurationError(`${name} is not set: ${hint}`);
  return value;
}

function seconds(env: NodeJS.ProcessEnv, name: string, max: number): number | undefined {
  const value = env[name];
  if (!value) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) throw new ConfigurationError(`${name} must be a whole number of seconds from 1 to ${max}`);
  return Number(value);
}

/** Uploads through the SDK (loaded with the first one); the health check as a signed HEAD of the bucket. */
function lazyS3Storage(options: ConstructorParameters<typeof S3Http>[0], bucket: string, cdnBase: string): FileStorage {
  const lazy = (settings: typeof options) => {
    let client: Promise<S3Client> | undefined;
    return () => (client ??= import('../../src/migrate/files/s3.js').then((m) => m.createS3Client(settings)));
  };
  const storage = s3Storage({ client: lazy(options), presignClient: lazy({ ...options, checksums: 'when-required' }), bucket, cdnBase });
  let light: S3Http | undefined;
  return { ...storage, check: () => (light ??= new S3Http(options, 2)).headBucket(bucket) };
}

/** The app's configuration for serverless: S3 storage when S3_BUCKET is set, else none may be uploaded. */
export function serverlessAppConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const jwtSecret = required(env, 'JWT_SECRET', 'set it to at least 16 random characters');
  const bucket = required(env, 'S3_BUCKET', 'uploads go to S3 on serverless; set S3_BUCKET and CDN_BASE_URL');
  const cdnBase = required(env, 'CDN_BASE_URL', 'the public base URL of the bucket, e.g. https://cdn.markethub.com');
  const s3 = { endpoint: env.S3_ENDPOINT || undefined, checksums: env.S3_ENDPOINT ? 'when-required' : 'when-supported' } as const;
  return {
    jwtSecret,
    paystackSecret: env.PAYSTACK_SECRET_KEY,
    // Where webhook payments are verified; Paystack's own API unless set (a staging or test double).
    paystackApiBase: env.PAYSTACK_API_BASE || undefined,
    bcryptRounds: env.BCRYPT_ROUNDS ? Number(env.BCRYPT_ROUNDS) : undefined,
    storage: lazyS3Storage(s3, bucket, cdnBase),
    // Vercel refuses request bodies past 4.5 MB before the function runs; bigger files go through presigned PUTs.
    functionBodyLimitBytes: VERCEL_BODY_LIMIT_BYTES,
    directUploadExpirySeconds: seconds(env, 'UPLOAD_URL_EXPIRY_SECONDS', 7 * 24 * 3600),
    // One proxy hop (Vercel's edge) sets X-Forwarded-For.
    trustProxy: env.TRUST_PROXY === undefined ? 1 : /^\d+$/.test(env.TRUST_PROXY) ? Number(env.TRUST_PROXY) : env.TRUST_PROXY === 'true',
  };
}

/** serverlessDatabase with the app's own Sequelize: its models, and int8 read as numbers where they fit. */
export function markethubDatabase(options: Omit<ServerlessDatabaseOptions, 'create'>): ServerlessDatabase {
  return serverlessDatabase({ ...options, create: createServerlessSequelize, pg: pgModule });
}

let database: ServerlessDatabase | undefined;
/** The instance's database, shared by the app and the cron routes of the same function instance. */
export function instanceDatabase(env: NodeJS.ProcessEnv = process.env): ServerlessDatabase {
  database ??= markethubDatabase({ url: required(env, 'DATABASE_URL', 'set it to the postgres:// URL of the migrated database'), applicationName: env.DB_APPLICATION_NAME || 'markethub-fn' });
  return database;
}

/** The cutover flag's freeze, in the same database (false where cutover was never set up). */
async function frozenFlag(sequelize: Sequelize): Promise<boolean> {
  const [rows] = await sequelize.query('SELECT writes_frozen FROM markethub_cutover.state').catch(() => [[]]);
  return (rows as { writes_frozen?: boolean }[])[0]?.writes_frozen === true;
}

/** `api/index.ts`: every /api route of the app through toVercel. */
export function markethubVercelHandler(env: NodeJS.ProcessEnv = process.env, overrides: Partial<AppConfig> = {}): VercelHandler {
  let handler: VercelHandler | undefined;
  return async (req, res) => {
    if (!handler) {
      try {
        const db = instanceDatabase(env);
        const writesFrozen = () => frozenFlag(db.sequelize);
        const app = createApp({ database: db, config: { ...serverlessAppConfig(env), writesFrozen, ...overrides }, cache: cacheFromEnv(env) });
        handler = toVercel(app, { onInvoke: db.hooks.onInvoke, onSettled: db.hooks.onSettled });
      } catch (error) {
        if (!(error instanceof ConfigurationError)) throw error;
        process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'error', msg: 'misconfigured', error: error.message })}\n`);
        res.statusCode = 503;
        res.setHeader('Content-Type', 'application/json; charset=utf-8');
        res.end(JSON.stringify({ error: { code: 'misconfigured', message: 'the service is not configured' } }));
        return;
      }
    }
    await handler(req, res);
  };
}

/** `api/cron/<name>.ts`. */
export function markethubCronHandler(name: CronJobName, env: NodeJS.ProcessEnv = process.env): VercelHandler {
  let handler: VercelHandler | undefined;
  return async (req, res) => {
    const db = () => instanceDatabase(env);
    handler ??= toVercel(cronHandler(name, { secret: () => env.CRON_SECRET, sequelize: () => db().sequelize }), {
      onInvoke: (i) => (database ? database.hooks.onInvoke(i) : undefined),
      onSettled: (i, s) => (database ? database.hooks.onSettled(i, s) : undefined),
    });
    await handler(req, res);
  };
}

/** `api/worker.ts` and `api/cron/check-dlq.ts`: the job queue's worker and dead-letter check (Bearer CRON_SECRET). */
export function markethubJobsHandler(): VercelHandler {
  let handler: Promise<VercelHandler> | undefined;
  return async (req, res) => {
    handler ??= Promise.all([import('express'), import('../../src/jobs/index.js')]).then(([{ default: express }, jobs]) => {
      const app = express();
      app.use('/api', jobs.jobRoutes({ deps: jobs.defaultJobDeps, handlers: jobs.defaultHandlers() }));
      return toVercel(app);
    });
    await (await handler)(req, res);
  };
}
