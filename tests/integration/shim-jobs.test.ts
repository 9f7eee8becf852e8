// The job queue's serverless entry points (api/worker, api/cron/check-dlq) through the Vercel shim:
// refused without the cron secret, and with it the worker runs what was queued.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from 'vitest';
import pg from 'pg';
import { markethubJobsHandler } from '../../shim/app/index.js';
import { applyAppMigrations, PostgresJobQueue } from '../../src/jobs/index.js';
import { freshPostgres, type PostgresDatabase } from '../helpers/databases.js';
import { vercelServer, type RunningServer } from '../shim/transports.js';

const SECRET = 'cron-secret-for-tests-0123456789';
let db: PostgresDatabase;
let pool: pg.Pool;
let server: RunningServer;

beforeAll(async () => {
  db = await freshPostgres('shim_jobs');
  await db.client.query(`CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL); INSERT INTO users VALUES (1, 'zoe@example.com')`);
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
  await applyAppMigrations(pool);
  // What Vercel gives the function.
  process.env.DATABASE_URL = db.url;
  process.env.CRON_SECRET = SECRET;
  server = await vercelServer(markethubJobsHandler());
});

afterAll(async () => {
  await server?.close();
  await pool?.end();
  await db?.drop();
});

test('worker and dead-letter routes refuse calls without the cron secret', async () => {
  for (const path of ['/api/worker', '/api/cron/check-dlq']) {
    for (const authorization of [undefined, 'Bearer wrong', SECRET]) {
      const res = await fetch(server.url + path, { headers: authorization ? { authorization } : {} });
      assert.equal(res.status, 401, `${path} with ${authorization ?? 'no header'}`);
    }
  }
});

test('the cron call runs the queued job through the shim', async () => {
  const queue = new PostgresJobQueue({ pool });
  await queue.enqueue('send-notification', { userId: 1, title: 'Your order shipped', body: 'It is on its way.' });
  const res = await fetch(`${server.url}/api/worker`, { headers: { authorization: `Bearer ${SECRET}` } });
  assert.equal(res.status, 200);
  const report = await res.json();
  assert.deepEqual([report.ok, report.claimed, report.succeeded, report.dead], [true, 1, 1, 0]);
  const { rows } = await pool.query('SELECT user_id::int, title FROM notifications');
  assert.deepEqual(rows, [{ user_id: 1, title: 'Your order shipped' }]);
  const dlq = await fetch(`${server.url}/api/cron/check-dlq`, { headers: { authorization: `Bearer ${SECRET}` } });
  assert.equal(dlq.status, 200);
  assert.equal((await dlq.json()).ok, true);
});
