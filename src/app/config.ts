// What createApp needs besides the database. Defaults suit the legacy server; the serverless
// entry point passes its own storage (S3) and health checks.
import path from 'node:path';
import { createLogger, type Logger, type LogSink } from './logger.js';
import { PAYSTACK_API_BASE, paystackVerifier, type PaymentVerifier } from './services/paystack.js';
import { DEFAULT_LOGIN_LIMITS, type LoginAttemptStore, type LoginLimits } from './services/login-attempts.js';
import { localDiskStorage, type FileStorage } from './services/storage.js';

export interface AppConfig {
  jwtSecret: string;
  jwtIssuer?: string;
  jwtAudience?: string;
  /** Access token lifetime; 15 minutes. */
  accessTokenTtlSeconds?: number;
  refreshTokenTtlSeconds?: number;
  /** How long the token just rotated still gets its successor (concurrent refreshes); 30 seconds. */
  refreshGraceSeconds?: number;
  bcryptRounds?: number;
  /** Paystack secret key: the webhook answers 503 without it. */
  paystackSecret?: string;
  /** Where transactions are verified before an order is marked paid; default: Paystack's API at paystackApiBase. */
  paystackVerifier?: PaymentVerifier;
  /** Default https://api.paystack.co. */
  paystackApiBase?: string;
  /** Where uploads go; default: local disk under uploadsRoot, served at /uploads. */
  storage?: FileStorage;
  uploadsRoot?: string;
  /** The largest file an upload route keeps, sent through the app or straight to the storage; 5 MiB. */
  maxUploadBytes?: number;
  /**
   * The largest request body the platform hands the app (Vercel: 4.5 MB). Set, a multipart upload past
   * it is answered 413 naming the direct-upload route, not left to the platform's error page.
   */
  functionBodyLimitBytes?: number;
  /** How long a presigned upload URL stays valid; 600 seconds. */
  directUploadExpirySeconds?: number;
  logSink?: LogSink;
  /** Extra health checks (cache, ...) next to database and storage; each throws when unhealthy. */
  healthChecks?: Record<string, () => Promise<void>>;
  trustProxy?: boolean | number | string;
  /**
   * Where login attempts are counted. Default: a table in the app's database when it is Postgres
   * (shared by every function instance), else this process's memory (one legacy server process).
   */
  loginAttempts?: LoginAttemptStore;
  /** Login attempts allowed per account and per client address in a window; see DEFAULT_LOGIN_LIMITS. */
  loginLimits?: Partial<LoginLimits>;
  /** Minutes a pending (unpaid) order holds its stock before it is cancelled and the stock released; 30. */
  pendingOrderMinutes?: number;
  /** Reads the cutover flag's freeze: while it holds, /api writes are answered 503 + Retry-After. */
  writesFrozen?: () => Promise<boolean>;
}

export interface ResolvedConfig {
  jwtSecret: string;
  jwtIssuer: string;
  jwtAudience: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  refreshGraceSeconds: number;
  bcryptRounds: number;
  paystackSecret: string | undefined;
  /** Present exactly when paystackSecret is. */
  paystackVerifier: PaymentVerifier | undefined;
  storage: FileStorage;
  maxUploadBytes: number;
  functionBodyLimitBytes: number | undefined;
  directUploadExpirySeconds: number;
  logger: Logger;
  healthChecks: Record<string, () => Promise<void>>;
  trustProxy: boolean | number | string;
  loginLimits: LoginLimits;
  pendingOrderMinutes: number;
}

export const DEFAULT_UPLOADS_ROOT = path.join('public', 'Upload');

export function resolveConfig(config: AppConfig): ResolvedConfig {
  if (!config.jwtSecret || config.jwtSecret.length < 16) throw new Error('jwtSecret must be at least 16 characters');
  return {
    jwtSecret: config.jwtSecret,
    jwtIssuer: config.jwtIssuer ?? 'markethub',
    jwtAudience: config.jwtAudience ?? 'markethub-api',
    accessTokenTtlSeconds: config.accessTokenTtlSeconds ?? 15 * 60,
    refreshTokenTtlSeconds: config.refreshTokenTtlSeconds ?? 30 * 24 * 3600,
    refreshGraceSeconds: config.refreshGraceSeconds ?? 30,
    bcryptRounds: config.bcryptRounds ?? 10,
    paystackSecret: config.paystackSecret,
    paystackVerifier: config.paystackSecret
      ? config.paystackVerifier ?? paystackVerifier({ secret: config.paystackSecret, baseUrl: config.paystackApiBase ?? PAYSTACK_API_BASE })
      : undefined,
    storage: config.storage ?? localDiskStorage(config.uploadsRoot ?? DEFAULT_UPLOADS_ROOT),
    maxUploadBytes: config.maxUploadBytes ?? 5 * 1024 * 1024,
    functionBodyLimitBytes: config.functionBodyLimitBytes === undefined ? undefined : positive('functionBodyLimitBytes', config.functionBodyLimitBytes),
    // S3 takes presigned URLs of up to a week.
    directUploadExpirySeconds: wholeSeconds('directUploadExpirySeconds', config.directUploadExpirySeconds ?? 600, 7 * 24 * 3600),
    logger: createLogger(config.logSink),
    healthChecks: config.healthChecks ?? {},
    trustProxy: config.trustProxy ?? false,
    loginLimits: loginLimitsOf(config.loginLimits),
    pendingOrderMinutes: positive('pendingOrderMinutes', config.pendingOrderMinutes ?? 30),
  };
}

function loginLimitsOf(given: Partial<LoginLimits> = {}): LoginLimits {
  const limits = { ...DEFAULT_LOGIN_LIMITS, ...given };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`loginLimits.${name} must be a positive integer, got ${String(value)}`);
  }
  return limits;
}

function wholeSeconds(name: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`${name} must be a whole number of seconds from 1 to ${max}, got ${String(value)}`);
  return value;
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${String(value)}`);
  return value;
}
