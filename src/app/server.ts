#!/usr/bin/env node
// The legacy server: `npm run start:legacy`. MySQL from DATABASE_URL, PORT, JWT_SECRET (required),
// PAYSTACK_SECRET_KEY and UPLOADS_ROOT from the environment (a .env file is read).
import 'dotenv/config';
import { createLegacySequelize } from '../db/index.js';
import { createApp } from './index.js';

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
  const app = createApp({
    sequelize,
    config: {
      jwtSecret: env.JWT_SECRET,
      paystackSecret: env.PAYSTACK_SECRET_KEY,
      uploadsRoot: env.UPLOADS_ROOT,
      bcryptRounds: env.BCRYPT_ROUNDS ? Number(env.BCRYPT_ROUNDS) : undefined,
      trustProxy: env.TRUST_PROXY === undefined || env.TRUST_PROXY === 'false' ? false : env.TRUST_PROXY === 'true' ? true : /^\d+$/.test(env.TRUST_PROXY) ? Number(env.TRUST_PROXY) : env.TRUST_PROXY,
    },
  });
  const server = app.listen(port, () => {
    const address = server.address();
    const bound = typeof address === 'object' && address ? address.port : port;
    process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'info', msg: 'listening', port: bound })}\n`);
  });
  const stop = () => {
    server.close(() => void sequelize.close().finally(() => process.exit(0)));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
