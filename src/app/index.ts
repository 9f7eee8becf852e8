// createApp: the MarketHub Express app over a given Sequelize (MySQL or Postgres) and config.
// It does not listen and keeps no module state, so the legacy server and a serverless shim can
// both wrap it.
import express, { type Express } from 'express';
import type { Sequelize } from 'sequelize';
import { resolveConfig, type AppConfig } from './config.js';
import type { AppContext } from './context.js';
import type { RedisCache } from '../cache/redis-cache.js';
import { markethubResponseCache } from '../cache/index.js';
import { authenticate } from './middleware/auth.js';
import { errorHandler, notFoundHandler } from './middleware/errors.js';
import { requestContext } from './middleware/request.js';
import { dialectOf } from './models/dialect.js';
import { defineModels } from './models/index.js';
import { authRouter } from './routes/auth.js';
import { cartRouter, wishlistRouter } from './routes/cart.js';
import { journalsRouter, supportRouter } from './routes/content.js';
import { healthRouter } from './routes/health.js';
import { ordersRouter, webhooksRouter } from './routes/orders.js';
import { productsRouter } from './routes/products.js';
import { uploadsRouter } from './routes/uploads.js';
import { usersRouter } from './routes/users.js';
import { adminRouter, vendorsRouter } from './routes/vendors.js';
import mime from 'mime-types';
import { isImageType } from './services/file-types.js';
import { memoryLoginAttempts, postgresLoginAttempts } from './services/login-attempts.js';
import { UPLOADS_URL_PREFIX } from './services/storage.js';
import { frozenWritesGuard } from '../cutover/middleware.js';

export type { AppConfig } from './config.js';
export type { AppContext } from './context.js';
export type { DirectUploadStorage, FileStorage, PresignedPut, StoredFile } from './services/storage.js';
export { localDiskStorage } from './services/storage.js';
export { DEFAULT_LOGIN_LIMITS, memoryLoginAttempts, postgresLoginAttempts, type LoginAttemptStore, type LoginLimits } from './services/login-attempts.js';
export { DEFAULT_PENDING_ORDER_MINUTES, expirePendingOrders, type ExpiredOrders } from './services/order-expiry.js';
export { EXPIRED_PASSWORD_HASH, expireLegacyPasswords } from './services/passwords.js';
export { s3Storage, s3ObjectKey, S3_UPLOAD_PREFIXES, type S3StorageOptions } from './services/s3-storage.js';

export interface CreateAppOptions {
  sequelize: Sequelize;
  config: AppConfig;
  /** Redis response cache for public GETs (X-Cache), invalidated by writes; health reports it. */
  cache?: RedisCache;
}

export function createApp({ sequelize, config, cache }: CreateAppOptions): Express {
  const resolved = resolveConfig(config);
  const dialect = dialectOf(sequelize);
  const loginAttempts = config.loginAttempts ?? (dialect === 'postgres' ? postgresLoginAttempts(sequelize) : memoryLoginAttempts());
  const ctx: AppContext = { sequelize, models: defineModels(sequelize), config: resolved, dialect, loginAttempts };
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
  if (cache) app.use('/api', markethubResponseCache(cache, authenticate(ctx)));
  // Before the JSON parser: the signature covers the raw bytes.
  app.use('/api/webhooks', webhooksRouter(ctx));
  app.use(express.json({ limit: '100kb' }));

  const api = express.Router({ caseSensitive: true });
  api.use('/health', healthRouter(ctx, cache));
  api.use('/auth', authRouter(ctx));
  api.use('/users', usersRouter(ctx));
  api.use('/products', productsRouter(ctx));
  api.use('/cart', cartRouter(ctx));
  api.use('/wishlist', wishlistRouter(ctx));
  api.use('/orders', ordersRouter(ctx));
  api.use('/vendors', vendorsRouter(ctx));
  api.use('/admin', adminRouter(ctx));
  api.use('/journals', journalsRouter(ctx));
  api.use('/support', supportRouter(ctx));
  api.use('/uploads', uploadsRouter(ctx));
  app.use('/api', api);

  if (resolved.storage.localRoot) {
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
