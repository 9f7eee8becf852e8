// What every router gets: the models, the Sequelize instance and the resolved configuration.
import type { Sequelize } from 'sequelize';
import type { ResolvedConfig } from './config.js';
import type { Models } from './models/index.js';
import type { Dialect } from './models/dialect.js';
import type { LoginAttemptStore } from './services/login-attempts.js';

export interface AppContext {
  sequelize: Sequelize;
  models: Models;
  config: ResolvedConfig;
  dialect: Dialect;
  loginAttempts: LoginAttemptStore;
}
