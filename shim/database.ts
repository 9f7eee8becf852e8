// The database side of a function instance: one Sequelize per instance, created on first use, with
// a pool of one Postgres connection that is
//  - validated before an invocation uses it, when the instance sat idle (a frozen instance's
//    connection may have been closed by the server or a proxy meanwhile, without us hearing of it);
//    a dead one is destroyed and replaced before the app runs, so the request never sees it;
//  - released when idle (min 0), so a quiet instance holds no server slot;
//  - never deadlocked by a query that forgets its transaction: inside `sequelize.transaction(cb)`
//    queries use the transaction (CLS), and a query that still asks the pool for the one connection
//    its own invocation's transaction holds fails at once with an error naming the cause.
//
// Sequelize is loaded on first use, not at import: importing the adapters stays cheap for an app
// that never touches the database in a given invocation (and for one that brings its own).
import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import type pg from 'pg';
import type { Options, Sequelize, Transaction } from 'sequelize';
import { currentInvocation, type Invocation, type ShimOptions } from './options.js';

const require = createRequire(import.meta.url);
/** The Sequelize class, loaded once on first use (the same module object an `import 'sequelize'` gives). */
function sequelizeClass(): typeof Sequelize {
  return (require('sequelize') as typeof import('sequelize')).Sequelize;
}

/** What the instance's Sequelize is built with: the pool of one, logging and the driver options. */
export interface SequelizeSettings {
  logging: false | ((sql: string) => void);
  pool: NonNullable<Options['pool']>;
  dialectOptions: Record<string, unknown>;
}
export type SequelizeFactory = (url: string, settings: SequelizeSettings) => Sequelize;

/** A plain Postgres Sequelize (no models: the app defines its own). */
const plainPostgres: SequelizeFactory = (url, settings) => {
  const SequelizeClass = sequelizeClass();
  return new SequelizeClass(url, { dialect: 'postgres', ...settings });
};

export interface ServerlessDatabaseOptions {
  url: string;
  /** Shown in pg_stat_activity; default markethub-fn. */
  applicationName?: string;
  /** A connection idle this long is closed (ms); default 1000. */
  idleMs?: number;
  /** Validate the pooled connection before an invocation after this much quiet (ms); default 500. 0: every invocation. */
  validateAfterIdleMs?: number;
  /** How long validation waits for the server (ms) before giving the connection up; default 2000. */
  validateTimeoutMs?: number;
  /** How long a query waits for the connection (ms); default 10000. */
  acquireTimeoutMs?: number;
  /**
   * Connections the instance may hold; default 1. Where one instance serves several requests at once
   * (Vercel's Fluid compute), with one connection they queue for it, each waiting for the queries
   * before it; more connections let them run side by side, at the cost of that many server slots per
   * instance. With more than one, a query outside its own request's transaction takes another
   * connection, so the deadlock guard is off.
   */
  max?: number;
  logging?: (sql: string) => void;
  /** Builds the instance's Sequelize from the settings (an app's own factory: models, type parsers); default a plain Postgres Sequelize. */
  create?: SequelizeFactory;
  /** The node-postgres module for `ping` before the Sequelize exists; default `require('pg')`. */
  pg?: Pick<typeof pg, 'Client'>;
}

export class PoolOfOneDeadlockError extends Error {
  constructor() {
    super('a query ran outside the open transaction of the same request, and the pool has one connection, which that '
      + 'transaction holds: it would wait forever. Pass { transaction } to the query (or run it after the commit).');
    this.name = 'PoolOfOneDeadlockError';
  }
}

interface ClsNamespace {
  run(fn: (context: Map<string, unknown>) => unknown): unknown;
  bind<F extends (...args: never[]) => unknown>(fn: F): F;
  get(key: string): unknown;
  set(key: string, value: unknown): unknown;
}

/** A CLS namespace for Sequelize on AsyncLocalStorage (what cls-hooked does, without async_hooks callbacks). */
function asyncLocalNamespace(): ClsNamespace {
  const storage = new AsyncLocalStorage<Map<string, unknown>>();
  return {
    run(fn) {
      const context = new Map(storage.getStore() ?? []);
      return storage.run(context, () => fn(context));
    },
    bind(fn) {
      return AsyncLocalStorage.bind(fn);
    },
    get(key) {
      return storage.getStore()?.get(key);
    },
    set(key, value) {
      const store = storage.getStore();
      if (store) store.set(key, value);
      return value;
    },
  };
}

let clsEnabled = false;
/** Sequelize's CLS is process-wide (a static): queries inside `transaction(cb)` then use it without being told. */
export function enableTransactionContext(): void {
  if (clsEnabled) return;
  const SequelizeClass = sequelizeClass();
  const existing = (SequelizeClass as unknown as { _cls?: unknown })._cls;
  if (!existing) SequelizeClass.useCLS(asyncLocalNamespace() as never);
  clsEnabled = true;
}

interface PgConnection {
  query(sql: string): Promise<unknown>;
  processID?: number;
}
interface ConnectionManager {
  getConnection(options?: object): Promise<PgConnection>;
  releaseConnection(connection: PgConnection): void;
  destroyConnection(connection: PgConnection): Promise<void>;
}

/** Tracks each invocation's open transactions and refuses pool acquisitions that would wait on them. */
function guardPoolOfOne(sequelize: Sequelize): void {
  const original = sequelize.transaction.bind(sequelize) as (...args: unknown[]) => Promise<unknown>;
  const track = (t: Transaction) => { currentInvocation()?.transactions.add(t as never); return t; };
  (sequelize as unknown as { transaction: unknown }).transaction = (...args: unknown[]) => {
    const callback = args.find((a) => typeof a === 'function') as ((t: Transaction) => unknown) | undefined;
    if (callback) {
      const rest = args.filter((a) => a !== callback);
      return original(...rest, (t: Transaction) => callback(track(t)));
    }
    return original(...args).then((t) => track(t as Transaction));
  };
  sequelize.addHook('beforePoolAcquire', (config) => {
    const options = config as { uuid?: unknown } | undefined;
    // A transaction's own acquisition carries its id; queries do not.
    if (options && options.uuid !== undefined) return;
    const invocation = currentInvocation();
    if (!invocation) return;
    for (const t of invocation.transactions) {
      const tx = t as unknown as Transaction & { finished?: string; sequelize: Sequelize };
      if (tx.sequelize === sequelize && !tx.finished) throw new PoolOfOneDeadlockError();
      if (tx.finished) invocation.transactions.delete(t);
    }
  });
}

export interface ServerlessDatabase {
  readonly dialect: 'postgres';
  /** The instance's Sequelize, created on first call. */
  readonly sequelize: Sequelize;
  /** True once `sequelize` was created. */
  readonly created: boolean;
  /** Hooks for toLambda / toVercel. */
  readonly hooks: Required<Pick<ShimOptions, 'onInvoke' | 'onSettled'>>;
  /** Checks the pooled connection now (what onInvoke does after a quiet period). Resolves true when it had to be replaced. */
  validate(): Promise<boolean>;
  /**
   * One round trip to the server (a health check): through the pool once the Sequelize exists; before
   * that on a connection of its own, closed at once, so that answering it loads no ORM.
   */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function serverlessDatabase(options: ServerlessDatabaseOptions): ServerlessDatabase {
  const idleMs = options.idleMs ?? 1_000;
  const validateAfterIdleMs = options.validateAfterIdleMs ?? 500;
  const validateTimeoutMs = options.validateTimeoutMs ?? 2_000;
  const acquireTimeoutMs = options.acquireTimeoutMs ?? 10_000;
  const applicationName = options.applicationName ?? 'markethub-fn';
  const max = options.max ?? 1;
  if (!Number.isInteger(max) || max < 1) throw new Error(`serverlessDatabase: max must be a whole number of connections, at least 1 (got ${options.max})`);
  let instance: Sequelize | undefined;
  let lastSettledAt = 0;
  let active = 0;

  const create = (): Sequelize => {
    enableTransactionContext();
    const sequelize = (options.create ?? plainPostgres)(options.url, {
      logging: options.logging ?? false,
      pool: { max, min: 0, idle: idleMs, evict: Math.min(idleMs, 1_000), acquire: acquireTimeoutMs },
      dialectOptions: { application_name: applicationName },
    });
    if (max === 1) guardPoolOfOne(sequelize);
    return sequelize;
  };

  const manager = () => (instance as unknown as { connectionManager: ConnectionManager }).connectionManager;

  async function validate(): Promise<boolean> {
    if (!instance) return false;
    let connection: PgConnection;
    try {
      connection = await manager().getConnection({ uuid: 'markethub-validate' });
    } catch {
      return false; // no server right now: the app's own query will report it
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        connection.query('SELECT 1'),
        new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('validation timed out')), validateTimeoutMs); }),
      ]);
      manager().releaseConnection(connection);
      return false;
    } catch {
      await manager().destroyConnection(connection).catch(() => {});
      return true;
    } finally {
      clearTimeout(timer);
    }
  }

  async function ping(): Promise<void> {
    if (instance) {
      await instance.query('SELECT 1');
      return;
    }
    const { Client } = options.pg ?? (require('pg') as typeof pg);
    const client = new Client({ connectionString: options.url, application_name: applicationName, connectionTimeoutMillis: acquireTimeoutMs });
    client.on('error', () => {}); // a server gone after the answer: nothing waits for this client any more
    try {
      await client.connect();
      await client.query('SELECT 1');
    } finally {
      await client.end().catch(() => {});
    }
  }

  return {
    dialect: 'postgres',
    get sequelize() {
      instance ??= create();
      return instance;
    },
    get created() {
      return instance !== undefined;
    },
    hooks: {
      onInvoke(_invocation: Invocation): Promise<void> | undefined {
        const quiet = active === 0 && Date.now() - lastSettledAt >= validateAfterIdleMs;
        active++;
        return instance && quiet ? validate().then(() => undefined) : undefined;
      },
      onSettled() {
        active = Math.max(0, active - 1);
        lastSettledAt = Date.now();
      },
    },
    validate,
    ping,
    async close() {
      const s = instance;
      instance = undefined;
      if (s) await s.close();
    },
  };
}
