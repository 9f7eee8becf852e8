// Sequelize's runtime values (the class, DataTypes, Op, QueryTypes), loaded on first use. Modules that
// need them only inside functions stay cheap to import: a function instance answering its first
// request (or /api/health) does not pay for the ORM before a route needs it.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The same module object `import ... from 'sequelize'` gives (Sequelize is CommonJS). */
export function sequelizeRuntime(): typeof import('sequelize') {
  return require('sequelize') as typeof import('sequelize');
}
