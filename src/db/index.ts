// Sequelize factories: the same models on the legacy MySQL server and on serverless Postgres.
// Only the dialect and the pool differ; routers and services never look at which one they run on
// except through the few helpers in src/app/models/dialect.ts.
import type { Options, Sequelize } from 'sequelize';
import { defineModels } from '../app/models/index.js';
import { sequelizeRuntime } from '../app/models/sequelize-runtime.js';
import { pgModule } from './pg-driver.js';

export { defineModels } from '../app/models/index.js';
export { pgModule } from './pg-driver.js';
export type { Models } from '../app/models/index.js';

export interface SequelizeOverrides {
  /** Logs each SQL statement (tests and debugging); off by default. */
  logging?: Options['logging'];
  pool?: Options['pool'];
  /** Postgres only: extra driver options (application_name, statement_timeout, ...). */
  dialectOptions?: Record<string, unknown>;
}

const COMMON: Options = {
  logging: false,
  // Sequelize writes and reads DATETIME values in UTC; the migration reads them as UTC too.
  timezone: '+00:00',
  define: { underscored: true, freezeTableName: true },
};

/** The legacy server: MySQL / MariaDB with an ordinary pool. */
export function createLegacySequelize(url: string, overrides: SequelizeOverrides = {}): Sequelize {
  const sequelize = new (sequelizeRuntime().Sequelize)(url, {
    ...COMMON,
    dialect: 'mysql',
    logging: overrides.logging ?? false,
    pool: overrides.pool ?? { max: 10, min: 0, idle: 10_000, acquire: 30_000 },
    dialectOptions: {
      charset: 'utf8mb4',
      // BIGINT values beyond 2^53 (facebook_id) arrive as strings instead of losing digits;
      // smaller ones stay numbers, as Postgres int8 values do below.
      supportBigNumbers: true,
      bigNumberStrings: false,
    },
  });
  defineModels(sequelize);
  return sequelize;
}

/**
 * Serverless Postgres: one connection per function instance (pool max 1, min 0), released when idle
 * so a frozen instance holds no server slot.
 */
export function createServerlessSequelize(url: string, overrides: SequelizeOverrides = {}): Sequelize {
  const sequelize = new (sequelizeRuntime().Sequelize)(url, {
    ...COMMON,
    dialect: 'postgres',
    dialectModule: pgModule,
    logging: overrides.logging ?? false,
    pool: overrides.pool ?? { max: 1, min: 0, idle: 1_000, acquire: 30_000, evict: 1_000 },
    ...(overrides.dialectOptions ? { dialectOptions: overrides.dialectOptions } : {}),
  });
  parseSafeInt8AsNumber(sequelize);
  defineModels(sequelize);
  return sequelize;
}

const INT8_OID = 20;

/**
 * The migration widens INT UNSIGNED to bigint, and node-postgres hands bigint out as strings, where
 * mysql2 gives numbers. Ids, counts and counters then read as numbers on both, exactly as long as
 * they fit (beyond 2^53 both dialects give strings). The parser is set on this instance only
 * (Sequelize consults its own map before pg's global one), so other pg users in the process keep
 * pg's defaults.
 */
function parseSafeInt8AsNumber(sequelize: Sequelize): void {
  const manager = (sequelize as unknown as { connectionManager: { oidParserMap?: Map<number, (v: string) => unknown> } }).connectionManager;
  if (!(manager.oidParserMap instanceof Map)) throw new Error('unexpected Sequelize version: no per-instance type parsers for Postgres');
  manager.oidParserMap.set(INT8_OID, (value: string) => {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value;
  });
}
