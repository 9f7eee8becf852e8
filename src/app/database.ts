// The database as createApp takes it: the Sequelize (made on first use where it is lazy, as a function
// instance's is), its dialect known without it, and one round trip for /api/health. A cold start
// that answers only the health check then never loads the ORM.
import type { Sequelize } from 'sequelize';
import { dialectOf, type Dialect } from './models/dialect.js';

export interface AppDatabase {
  readonly dialect: Dialect;
  /** Made on first read where the database is lazy. */
  readonly sequelize: Sequelize;
  /** One round trip to the server. */
  ping(): Promise<unknown>;
}

/** A Sequelize that exists already. */
export function sequelizeDatabase(sequelize: Sequelize): AppDatabase {
  return { dialect: dialectOf(sequelize), sequelize, ping: () => sequelize.query('SELECT 1') };
}
