// Pool of one, on a real Postgres: lazy creation, a connection killed while the instance was frozen
// is replaced before the request needs it, no more than one connection however many invocations,
// none after the idle timeout, and a query that forgets its transaction neither hangs nor deadlocks.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from 'vitest';
import express from 'express';
import pg from 'pg';
import { serverlessDatabase, toLambda, type ServerlessDatabase, type ServerlessDatabaseOptions } from '../../shim/index.js';
import { freshPostgres, type PostgresDatabase } from '../helpers/databases.js';
import { silentProxy, type SilentProxy } from '../shim/tcp-proxy.js';

let db: PostgresDatabase;
let proxy: SilentProxy;
const opened: ServerlessDatabase[] = [];

beforeAll(async () => {
  db = await freshPostgres('shim_pool');
  await db.client.query('CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL)');
  await db.client.query(`INSERT INTO items (name) SELECT 'item ' || g FROM generate_series(1, 10) g`);
  proxy = await silentProxy(5432);
});

afterAll(async () => {
  for (const d of opened) await d.close().catch(() => {});
  await proxy?.close();
  await db?.drop();
});

let appCounter = 0;
function instance(overrides: Partial<ServerlessDatabaseOptions> = {}) {
  const applicationName = `mh-pool-${process.pid}-${++appCounter}`;
  const database = serverlessDatabase({ url: db.url, applicationName, ...overrides });
  opened.push(database);
  const app = express();
  app.use(express.json());
  app.get('/items', (_req, res, next) => {
    database.sequelize.query('SELECT count(*)::int AS n FROM items').then(([rows]) => res.json(rows[0]), next);
  });
  // A router written against a pool of many: inside a managed transaction, one query forgets it.
  app.post('/rename', (req, res, next) => {
    database.sequelize.transaction(async (transaction) => {
      await database.sequelize.query('UPDATE items SET name = :name WHERE id = 1', { replacements: { name: req.body.name }, transaction });
      const [rows] = await database.sequelize.query('SELECT name FROM items WHERE id = 1');
      return rows[0];
    }).then((n) => res.json(n), next);
  });
  // The same mistake with an unmanaged transaction: CLS cannot help, the guard must.
  app.post('/unmanaged', async (_req, res, next) => {
    const transaction = await database.sequelize.transaction();
    try {
      await database.sequelize.query('SELECT 1', { transaction });
      await database.sequelize.query('SELECT count(*) FROM items');
      await transaction.commit();
      res.json({ ok: true });
    } catch (error) {
      await transaction.rollback().catch(() => {});
      next(error);
    }
  });
  // One request's worth of database time, so concurrent requests overlap.
  app.get('/slow', (_req, res, next) => {
    database.sequelize.query('SELECT pg_sleep(0.05)').then(() => res.json({ ok: true }), next);
  });
  app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(500).json({ error: error.name, message: error.message });
  });
  const handler = toLambda(app, { onInvoke: database.hooks.onInvoke, onSettled: database.hooks.onSettled });
  const call = async (method: string, path: string, body?: unknown) => {
    const result = await handler({
      version: '2.0', rawPath: path, rawQueryString: '', headers: body ? { 'content-type': 'application/json' } : {},
      requestContext: { http: { method, path, sourceIp: '198.51.100.1' }, requestId: String(Math.random()) },
      body: body ? JSON.stringify(body) : undefined, isBase64Encoded: false,
    });
    return { status: result.statusCode, body: JSON.parse(result.body || 'null') };
  };
  return { database, applicationName, call };
}

async function backends(applicationName: string): Promise<number[]> {
  const { rows } = await db.client.query('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
  return rows.map((r) => r.pid as number);
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('the Sequelize instance and its connection are created on first use, not at start', async () => {
  const { database, applicationName, call } = instance();
  assert.equal(database.created, false);
  assert.deepEqual(await backends(applicationName), []);
  assert.deepEqual(await call('GET', '/items'), { status: 200, body: { n: 10 } });
  assert.equal(database.created, true);
  assert.equal((await backends(applicationName)).length, 1);
});

test('ping before the Sequelize exists uses a connection of its own, closed at once; after, the pool\'s one', async () => {
  const { database, applicationName, call } = instance();
  await database.ping();
  assert.equal(database.created, false);
  await until(async () => (await backends(applicationName)).length === 0, 'the ping connection to close');
  assert.deepEqual(await call('GET', '/items'), { status: 200, body: { n: 10 } });
  await database.ping();
  assert.equal((await backends(applicationName)).length, 1);
  const unreachable = serverlessDatabase({ url: 'postgres://postgres@127.0.0.1:9/none', acquireTimeoutMs: 2_000 });
  await assert.rejects(unreachable.ping(), /ECONNREFUSED|connect/);
});

test('a connection terminated between invocations (pg_terminate_backend) is replaced transparently', async () => {
  const { applicationName, call } = instance({ validateAfterIdleMs: 0 });
  assert.equal((await call('GET', '/items')).status, 200);
  const [pid] = await backends(applicationName);
  await db.client.query('SELECT pg_terminate_backend($1)', [pid]);
  await until(async () => !(await backends(applicationName)).includes(pid!), 'the backend to exit');
  assert.deepEqual(await call('GET', '/items'), { status: 200, body: { n: 10 } });
  const after = await backends(applicationName);
  assert.equal(after.length, 1);
  assert.notEqual(after[0], pid);
});

function throughProxy(validateAfterIdleMs: number) {
  const url = new URL(db.url);
  url.port = String(proxy.port);
  return instance({ url: url.toString(), validateAfterIdleMs });
}

/** Kills the instance's connection while the proxy hides it, as a frozen function never sees the close; then thaws. */
async function killWhileFrozen(applicationName: string): Promise<void> {
  const [pid] = await backends(applicationName);
  proxy.freeze();
  try {
    await db.client.query('SELECT pg_terminate_backend($1)', [pid]);
    await until(async () => !(await backends(applicationName)).includes(pid!), 'the backend to exit');
    await new Promise((r) => setTimeout(r, 100));
  } finally {
    proxy.thaw();
  }
}

test('a connection killed while the instance was frozen (no close seen) does not fail the next request', async () => {
  const { applicationName, call } = throughProxy(50);
  assert.equal((await call('GET', '/items')).status, 200);
  await killWhileFrozen(applicationName);
  assert.deepEqual(await call('GET', '/items'), { status: 200, body: { n: 10 } });
  assert.deepEqual(await call('GET', '/items'), { status: 200, body: { n: 10 } });
});

test('control: without validation before use, that dead connection fails the request', async () => {
  const { applicationName, call } = throughProxy(Number.POSITIVE_INFINITY);
  assert.equal((await call('GET', '/items')).status, 200);
  await killWhileFrozen(applicationName);
  assert.equal((await call('GET', '/items')).status, 500);
});

test('500 invocations, sequential then 20 at a time: never more than one connection, none after the idle timeout', async () => {
  const { applicationName, call } = instance({ idleMs: 300 });
  const watcher = new pg.Client({ connectionString: db.url });
  await watcher.connect();
  let peak = 0;
  let samples = 0;
  let watching = true;
  const watch = (async () => {
    while (watching) {
      const { rows } = await watcher.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
      peak = Math.max(peak, rows[0].n as number);
      samples++;
      await new Promise((r) => setTimeout(r, 2));
    }
  })();
  try {
    for (let i = 0; i < 500; i++) assert.equal((await call('GET', '/items')).status, 200);
    const statuses: number[] = [];
    for (let batch = 0; batch < 25; batch++) {
      statuses.push(...(await Promise.all(Array.from({ length: 20 }, (_, i) => call(i % 5 === 0 ? 'POST' : 'GET', i % 5 === 0 ? '/rename' : '/items', { name: `n${batch}` })))).map((r) => r.status));
    }
    assert.equal(statuses.length, 500);
    assert.ok(statuses.every((s) => s === 200), JSON.stringify(statuses.filter((s) => s !== 200)));
  } finally {
    watching = false;
    await watch;
  }
  assert.ok(samples > 20, `pg_stat_activity sampled ${samples} times`);
  assert.equal(peak, 1, 'at most (and, while busy, exactly) one connection');
  await until(async () => (await backends(applicationName)).length === 0, 'the idle connection to be released', 5_000);
  await watcher.end();
});

async function peakConnections(applicationName: string, work: () => Promise<void>): Promise<number> {
  const watcher = new pg.Client({ connectionString: db.url });
  await watcher.connect();
  let peak = 0;
  let watching = true;
  const watch = (async () => {
    while (watching) {
      const { rows } = await watcher.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
      peak = Math.max(peak, rows[0].n as number);
      await new Promise((r) => setTimeout(r, 2));
    }
  })();
  try {
    await work();
  } finally {
    watching = false;
    await watch;
    await watcher.end();
  }
  return peak;
}

test('one instance serving 8 requests at once (Fluid compute): with max 1 they queue on one connection, with max 4 up to 4 run side by side', async () => {
  const figures: string[] = [];
  for (const max of [1, 4]) {
    const { applicationName, call } = instance({ max });
    assert.equal((await call('GET', '/items')).status, 200); // connected: the figures are the queue's, not the connect's
    const latencies: number[] = [];
    let elapsed = 0;
    const peak = await peakConnections(applicationName, async () => {
      const started = performance.now();
      const results = await Promise.all(Array.from({ length: 8 }, async () => {
        const t = performance.now();
        const r = await call('GET', '/slow');
        latencies.push(performance.now() - t);
        return r.status;
      }));
      assert.deepEqual(results, Array(8).fill(200));
      elapsed = performance.now() - started;
    });
    figures.push(`max ${max}: 8 concurrent requests of 50 ms database time took ${elapsed.toFixed(0)} ms, slowest ${Math.max(...latencies).toFixed(0)} ms, fastest ${Math.min(...latencies).toFixed(0)} ms, ${peak} connection(s)`);
    assert.ok(peak <= max, `at most ${max} connection(s), saw ${peak}`);
    if (max > 1) assert.ok(peak > 1, 'several connections while several requests wait on the database');
  }
  process.stdout.write(`${figures.join('\n')}\n`);
});

test('max must be a whole number of connections', () => {
  assert.throws(() => serverlessDatabase({ url: db.url, max: 0 }), /max must be a whole number of connections, at least 1 \(got 0\)/);
});

test('a query that forgets its managed transaction runs inside it (CLS) instead of waiting for the only connection', async () => {
  const { call } = instance({ acquireTimeoutMs: 5_000 });
  assert.deepEqual(await call('POST', '/rename', { name: 'renamed' }), { status: 200, body: { name: 'renamed' } });
});

test('a query that forgets its unmanaged transaction fails at once, naming the cause, and the connection stays usable', async () => {
  const { call, applicationName } = instance({ acquireTimeoutMs: 30_000 });
  const res = await call('POST', '/unmanaged');
  assert.equal(res.status, 500);
  assert.equal(res.body.error, 'PoolOfOneDeadlockError');
  assert.match(res.body.message, /outside the open transaction.*Pass \{ transaction \}/);
  assert.deepEqual(await call('GET', '/items'), { status: 200, body: { n: 10 } });
  assert.ok((await backends(applicationName)).length <= 1);
});
