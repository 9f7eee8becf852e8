#!/usr/bin/env node
// The legacy server: `npm run start:legacy`. MySQL from DATABASE_URL, PORT, JWT_SECRET (required),
// PAYSTACK_SECRET_KEY and UPLOADS_ROOT from the environment (a .env file is read). With
// CUTOVER_DATABASE_URL (the migrated Postgres) and CUTOVER_NEW_BACKEND (its serverless URL), the
// cutover routing runs in front of the app. Login attempts are counted in LOGIN_ATTEMPTS_DATABASE_URL
// (else CUTOVER_DATABASE_URL), the Postgres the new backend counts in, so guesses split between the
// two sides meet one limit; with neither, in this process.
import 'dotenv/config';
import { createHmac } from 'node:crypto';
import type express from 'express';
import { CutoverStore, cutoverFront, cutoverMiddleware, jwtUserVerifier, type CutoverMiddleware } from '../cutover/index.js';
import { createLegacySequelize, createServerlessSequelize } from '../db/index.js';
import { createApp, postgresLoginAttempts } from './index.js';

function log(level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown> = {}): void {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`);
}

function fail(message: string): never {
  process.stderr.write(`markethub: ${message}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const env = process.env;
  if (!env.JWT_SECRET) fail('JWT_SECRET is not set: export JWT_SECRET=<at least 16 random characters> and start again');
  if (env.JWT_SECRET.length < 16) fail('JWT_SECRET is too short: use at least 16 random characters');
  const url = env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/markethub_legacy';
  if (!/^(mysql|mariadb):\/\//.test(url)) fail('DATABASE_URL must be a mysql:// URL for the legacy server');
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`PORT must be a port number, got ${env.PORT}`);

  const sequelize = createLegacySequelize(url);
  try {
    await sequelize.authenticate();
  } catch (error) {
    const code = (error as { parent?: { code?: string } }).parent?.code ?? (error as Error).name;
    fail(`cannot reach the database in DATABASE_URL (${code}): start MySQL or fix the URL`);
  }
  const attemptsUrl = env.LOGIN_ATTEMPTS_DATABASE_URL || env.CUTOVER_DATABASE_URL;
  if (attemptsUrl && !/^postgres(ql)?:\/\//.test(attemptsUrl)) fail('LOGIN_ATTEMPTS_DATABASE_URL must be a postgres:// URL');
  const attempts = attemptsUrl ? createServerlessSequelize(attemptsUrl, { pool: { max: 2, min: 0, idle: 10_000, acquire: 30_000 } }) : undefined;
  let app: express.Express;
  try {
    app = createApp({
      sequelize,
      config: {
        ...(attempts ? { loginAttempts: postgresLoginAttempts(attempts) } : {}),
        loginLimits: {
          ...(env.LOGIN_LIMIT_PER_ACCOUNT ? { perAccount: Number(env.LOGIN_LIMIT_PER_ACCOUNT) } : {}),
          ...(env.LOGIN_LIMIT_PER_ADDRESS ? { perAddress: Number(env.LOGIN_LIMIT_PER_ADDRESS) } : {}),
          ...(env.LOGIN_LIMIT_WINDOW_SECONDS ? { windowSeconds: Number(env.LOGIN_LIMIT_WINDOW_SECONDS) } : {}),
        },
        jwtSecret: env.JWT_SECRET,
        paystackSecret: env.PAYSTACK_SECRET_KEY,
        paystackApiBase: env.PAYSTACK_API_BASE || undefined,
        uploadsRoot: env.UPLOADS_ROOT,
        bcryptRounds: env.BCRYPT_ROUNDS ? Number(env.BCRYPT_ROUNDS) : undefined,
        trustProxy: env.TRUST_PROXY === undefined || env.TRUST_PROXY === 'false' ? false : env.TRUST_PROXY === 'true' ? true : /^\d+$/.test(env.TRUST_PROXY) ? Number(env.TRUST_PROXY) : env.TRUST_PROXY,
      },
    });
  } catch (error) {
    fail((error as Error).message);
  }
  let cutover: CutoverMiddleware | undefined;
  if (env.CUTOVER_DATABASE_URL && env.CUTOVER_NEW_BACKEND) {
    const store = await CutoverStore.open(env.CUTOVER_DATABASE_URL, { cacheMs: env.CUTOVER_FLAG_CACHE_MS ? Number(env.CUTOVER_FLAG_CACHE_MS) : undefined }).catch(() => fail('cannot reach CUTOVER_DATABASE_URL: start Postgres or fix the URL'));
    if (env.CUTOVER_COHORT_SECRET !== undefined && env.CUTOVER_COHORT_SECRET.length < 16) fail('CUTOVER_COHORT_SECRET is too short: use at least 16 random characters');
    cutover = cutoverMiddleware({
      store,
      newBackend: env.CUTOVER_NEW_BACKEND,
      // Cohort cookies are signed; by default with a key derived from JWT_SECRET, never JWT_SECRET itself.
      cohortSecret: env.CUTOVER_COHORT_SECRET ?? createHmac('sha256', env.JWT_SECRET).update('markethub cutover cohort').digest('hex'),
      verifyUser: jwtUserVerifier({ secret: env.JWT_SECRET }),
      onGuard: (reason) => log('warn', 'cutover guard', { reason }),
    });
  }
  const front = cutoverFront(app, { cutover, trustProxy: app.get('trust proxy') as boolean | number | string, onError: (error) => log('error', 'unhandled error', { error: (error as Error)?.name }) });
  const server = front.listen(port, () => {
    const address = server.address();
    const bound = typeof address === 'object' && address ? address.port : port;
    process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'info', msg: 'listening', port: bound })}\n`);
  });
  const stop = () => {
    server.close(() => void Promise.all([sequelize.close(), attempts?.close()]).finally(() => process.exit(0)));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
