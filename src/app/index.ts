// createApp: the MarketHub Express app over a given Sequelize (MySQL or Postgres) and config.
// It does not listen and keeps no module state, so the legacy server and a serverless shim can
// both wrap it. Its routers, and what they import, load with the first request that reaches them.
import { createRequire } from 'node:module';
import express, { type Express, type RequestHandler } from 'express';
import type { Sequelize } from 'sequelize';
import { resolveConfig, type AppConfig, type ResolvedConfig } from './config.js';
import type { AppContext } from './context.js';
import type { RedisCache } from '../cache/redis-cache.js';
import { markethubResponseCache } from '../cache/index.js';
import { sequelizeDatabase, type AppDatabase } from './database.js';
import { errorHandler, notFoundHandler } from './middleware/errors.js';
import { onFirstRequest } from './middleware/on-first-request.js';
import { requestContext } from './middleware/request.js';
import { defineModels, type Models } from './models/index.js';
import { healthRouter } from './routes/health.js';
import { isImageType } from './services/file-types.js';
import { memoryLoginAttempts, postgresLoginAttempts, type LoginAttemptStore } from './services/login-attempts.js';
import { UPLOADS_URL_PREFIX } from './services/storage.js';
import { frozenWritesGuard } from '../cutover/frozen-writes.js';

const require = createRequire(import.meta.url);

export type { AppConfig } from './config.js';
export type { AppContext } from './context.js';
export { sequelizeDatabase, type AppDatabase } from './database.js';
export type { DirectUploadStorage, FileStorage, PresignedPut, StoredFile } from './services/storage.js';
export { localDiskStorage } from './services/storage.js';
export { DEFAULT_LOGIN_LIMITS, memoryLoginAttempts, postgresLoginAttempts, type LoginAttemptStore, type LoginLimits } from './services/login-attempts.js';
export { DEFAULT_PENDING_ORDER_MINUTES, expirePendingOrders, type ExpiredOrders } from './services/order-expiry.js';
export { EXPIRED_PASSWORD_HASH, expireLegacyPasswords } from './services/passwords.js';
export { s3Storage, s3ObjectKey, S3_UPLOAD_PREFIXES, type S3StorageOptions } from './services/s3-storage.js';

export interface CreateAppOptions {
  /** The database as a Sequelize that exists already, or: */
  sequelize?: Sequelize;
  /** the database with its Sequelize made when a route first needs it (a function instance). */
  database?: AppDatabase;
  config: AppConfig;
  /** Redis response cache for public GETs (X-Cache), invalidated by writes; health reports it. */
  cache?: RedisCache;
}

/** What every router gets; the models and the login store are made when a router first reads them. */
function appContext(database: AppDatabase, config: ResolvedConfig, loginAttempts: LoginAttemptStore | undefined): AppContext {
  let models: Models | undefined;
  let attempts = loginAttempts;
  return {
    get sequelize() { return database.sequelize; },
    get models() { return (models ??= defineModels(database.sequelize)); },
    config,
    dialect: database.dialect,
    get loginAttempts() { return (attempts ??= database.dialect === 'postgres' ? postgresLoginAttempts(database.sequelize) : memoryLoginAttempts()); },
  };
}

export function createApp({ sequelize, database: given, config, cache }: CreateAppOptions): Express {
  const database = given ?? (sequelize ? sequelizeDatabase(sequelize) : undefined);
  if (!database) throw new Error('createApp needs a database: { sequelize } or { database }');
  const resolved = resolveConfig(config);
  const ctx = appContext(database, resolved, config.loginAttempts);
  const app = express();
  app.disable('x-powered-by');
  // Paths match exactly as written, on every router: /api/PRODUCTS/20 is no route, so no write can
  // reach a product under a spelling the response cache does not invalidate.
  app.enable('case sensitive routing');
  app.set('trust proxy', resolved.trustProxy);
  app.set('json spaces', 0);

  app.use(requestContext(resolved.logger));
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });
  if (config.writesFrozen) app.use('/api', frozenWritesGuard(config.writesFrozen));
  if (cache) app.use('/api', markethubResponseCache(cache, onFirstRequest(async () => (await import('./middleware/auth.js')).authenticate(ctx))));
  // Before the JSON parser: the signature covers the raw bytes.
  app.use('/api/webhooks', onFirstRequest(async () => (await import('./routes/orders.js')).webhooksRouter(ctx)));
  app.use(express.json({ limit: '100kb' }));

  const api = express.Router({ caseSensitive: true });
  api.use('/health', healthRouter(database, resolved, cache));
  const routers: [string, () => Promise<RequestHandler>][] = [
    ['/auth', async () => (await import('./routes/auth.js')).authRouter(ctx)],
    ['/users', async () => (await import('./routes/users.js')).usersRouter(ctx)],
    ['/products', async () => (await import('./routes/products.js')).productsRouter(ctx)],
    ['/cart', async () => (await import('./routes/cart.js')).cartRouter(ctx)],
    ['/wishlist', async () => (await import('./routes/cart.js')).wishlistRouter(ctx)],
    ['/orders', async () => (await import('./routes/orders.js')).ordersRouter(ctx)],
    ['/vendors', async () => (await import('./routes/vendors.js')).vendorsRouter(ctx)],
    ['/admin', async () => (await import('./routes/vendors.js')).adminRouter(ctx)],
    ['/journals', async () => (await import('./routes/content.js')).journalsRouter(ctx)],
    ['/support', async () => (await import('./routes/content.js')).supportRouter(ctx)],
    ['/uploads', async () => (await import('./routes/uploads.js')).uploadsRouter(ctx)],
  ];
  for (const [path, load] of routers) api.use(path, onFirstRequest(load));
  app.use('/api', api);

  if (resolved.storage.localRoot) {
    // Only a server with uploads on disk (the legacy one) needs it.
    const mime = require('mime-types') as typeof import('mime-types');
    app.use(UPLOADS_URL_PREFIX, express.static(resolved.storage.localRoot, {
      fallthrough: true, index: false, dotfiles: 'deny',
      // The type comes from the extension; a browser must not second-guess it, and what is not an
      // image is downloaded, never rendered on this origin.
      setHeaders: (res, filePath) => {
        res.setHeader('X-Content-Type-Options', 'nosniff');
        if (!isImageType(String(mime.lookup(filePath) || ''))) res.setHeader('Content-Disposition', 'attachment');
      },
    }));
  }

  app.use(notFoundHandler);
  app.use(errorHandler(resolved.logger));
  return app;
}
