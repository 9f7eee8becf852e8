// The Postgres job queue on a real Postgres: retries and dead letters, concurrent workers, delays,
// idempotency keys, the handlers against real tables and a real SMTP sink, the cron routes'
// Bearer check, and `markethub jobs dlq`.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from 'vitest';
import express from 'express';
import pg from 'pg';
import request from 'supertest';
import { SMTPServer } from 'smtp-server';
import {
  applyAppMigrations, backoffDelay, scheduleLegacyJobs, checkDeadLetters, defaultHandlers, jobRoutes, PostgresJobQueue, runWorker, smtpMailer,
  type JobDeps, type JobHandlers, type Mailer,
} from '../../src/jobs/index.js';
import { runCli } from '../helpers/cli.js';
import { freshPostgres, type PostgresDatabase } from '../helpers/databases.js';

let db: PostgresDatabase;
let pool: pg.Pool;
let queue: PostgresJobQueue;
let smtp: SMTPServer;
let smtpPort: number;
const inbox: { to: string; raw: string }[] = [];
let mailer: Mailer;

const deps = (): JobDeps => ({ db: pool, queue, mailer, alertEmail: 'ops@markethub.example' });

beforeAll(async () => {
  db = await freshPostgres('jobs');
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
  assert.deepEqual(await applyAppMigrations(pool), ['001_jobs.sql']);
  assert.deepEqual(await applyAppMigrations(pool), [], 'applied once');
  queue = new PostgresJobQueue({ pool });
  // The tables the handlers touch, as the migration creates them (trimmed to the columns used).
  await pool.query(`
    CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);
    CREATE TABLE products (id bigint PRIMARY KEY, name text NOT NULL, stock integer NOT NULL);
    CREATE TABLE orders (id bigint PRIMARY KEY, status text NOT NULL, total numeric(12,2) NOT NULL, created_at timestamptz NOT NULL);
    CREATE TABLE order_items (id bigint PRIMARY KEY, order_id bigint NOT NULL, product_id bigint, product_name text NOT NULL, quantity smallint NOT NULL, unit_price_cents integer NOT NULL);
    CREATE TABLE run_log (job_id bigint NOT NULL, worker int NOT NULL);
    INSERT INTO users VALUES (1, 'ana@example.com');
    INSERT INTO products VALUES (7, 'Teapot', 10), (8, 'Cup', 3);
    INSERT INTO orders VALUES (1, 'paid', 30.00, '2025-01-10'), (2, 'cancelled', 99.00, '2025-01-11'), (3, 'delivered', 12.00, '2025-02-02');
    INSERT INTO order_items VALUES (1, 1, 7, 'Teapot', 1, 2400), (2, 1, 8, 'Cup', 2, 300), (3, 2, 7, 'Teapot', 4, 2400), (4, 3, 8, 'Cup', 4, 300);
  `);
  smtp = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (d) => (raw += d));
      stream.on('end', () => { inbox.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), raw }); callback(); });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpPort = (smtp.server.address() as { port: number }).port;
  mailer = smtpMailer(`smtp://127.0.0.1:${smtpPort}`);
});

afterAll(async () => {
  mailer?.close?.();
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
  await pool?.end();
  await db?.drop();
});

async function drain(handlers: JobHandlers, rounds = 20) {
  for (let i = 0; i < rounds; i++) {
    const r = await runWorker(deps(), handlers, { budgetMs: 5_000, jobTimeoutMs: 2_000 });
    if (r.claimed === 0) return;
  }
}

test('backoff grows exponentially or linearly, capped', () => {
  assert.deepEqual([1, 2, 3, 4].map((n) => backoffDelay(n, 'exponential', 1000)), [1000, 2000, 4000, 8000]);
  assert.deepEqual([1, 2, 3].map((n) => backoffDelay(n, 'linear', 500)), [500, 1000, 1500]);
  assert.equal(backoffDelay(30, 'exponential', 1000), 3_600_000);
});

test('a failing job is retried with backoff, then dead-lettered with its errors after maxRetries', async () => {
  let calls = 0;
  const handlers: JobHandlers = { flaky: async () => { calls++; throw new Error(`upstream said no (${calls})`); } };
  const { id } = await queue.enqueue('flaky', { n: 1 }, { maxRetries: 2, backoff: { type: 'exponential', delayMs: 0 } });

  // Exponential backoff really defers the next attempt.
  const slow = await queue.enqueue('flaky', {}, { maxRetries: 1, backoff: { type: 'exponential', delayMs: 60_000 } });
  await drain(handlers);
  const { rows: [deferred] } = await pool.query(`SELECT status, attempts, run_at > now() + interval '50 seconds' AS later FROM markethub_jobs.jobs WHERE id = $1`, [slow.id]);
  assert.deepEqual(deferred, { status: 'pending', attempts: 1, later: true });

  assert.equal(calls, 4, 'three attempts of the first job, one of the second');
  const dead = await queue.deadLetters();
  assert.equal(dead.length, 1);
  assert.equal(dead[0]!.id, id);
  assert.equal(dead[0]!.attempts, 3);
  assert.match(dead[0]!.error, /upstream said no/);
  assert.deepEqual(dead[0]!.errors.map((e) => e.attempt), [1, 2, 3]);
  const stats = await queue.stats();
  assert.equal(stats.dead, 1);

  // check-dlq alerts once, by e-mail through the queue, then the e-mail job reaches the SMTP sink.
  const check = await checkDeadLetters(deps());
  assert.equal(check.newlyDead, 1);
  assert.ok(check.alertJobId);
  assert.equal((await checkDeadLetters(deps())).newlyDead, 0, 'no second alert for the same dead job');
  await pool.query(`DELETE FROM markethub_jobs.jobs WHERE id = $1`, [slow.id]);
  await drain(defaultHandlers());
  const alert = inbox.find((m) => m.to === 'ops@markethub.example');
  assert.ok(alert, 'alert e-mail delivered');
  assert.match(alert.raw, /dead-letter queue/);
  assert.match(alert.raw, new RegExp(`#${id} flaky`));

  // The operator's commands.
  const list = await runCli(['jobs', 'dlq', 'list', '--database', db.url, '--json']);
  assert.equal(list.code, 0, list.stderr);
  assert.deepEqual(JSON.parse(list.stdout).deadLetters.map((d: { id: string }) => d.id), [id]);
  const noIds = await runCli(['jobs', 'dlq', 'retry', '--database', db.url]);
  assert.equal(noIds.code, 2);
  assert.match(noIds.stderr, /^markethub: name the jobs with --id/);
  const retry = await runCli(['jobs', 'dlq', 'retry', '--database', db.url, '--id', id]);
  assert.equal(retry.code, 0, retry.stderr);
  assert.match(retry.stdout, /1 job\(s\) back in the queue/);
  const { rows: [revived] } = await pool.query(`SELECT status, attempts FROM markethub_jobs.jobs WHERE id = $1`, [id]);
  assert.deepEqual(revived, { status: 'pending', attempts: 0 });
  await drain(handlers);
  assert.equal(calls, 7, 'retried from the DLQ: three fresh attempts');
  const purge = await runCli(['jobs', 'dlq', 'purge', '--database', db.url, '--all', '--yes']);
  assert.equal(purge.code, 0, purge.stderr);
  assert.match(purge.stdout, /1 dead job\(s\) deleted/);
  assert.equal((await queue.deadLetters()).length, 0);
  const badUrl = await runCli(['jobs', 'dlq', 'list', '--database', 'mysql://x@127.0.0.1/db']);
  assert.equal(badUrl.code, 2);
  assert.equal(badUrl.stderr.trim().split('\n').length, 1);
});

test('four concurrent workers run each of 200 jobs exactly once', async () => {
  const queues = Array.from({ length: 4 }, () => new PostgresJobQueue({ url: db.url, poolSize: 2 }));
  try {
    const ids = new Set<string>();
    for (let i = 0; i < 200; i++) ids.add((await queue.enqueue('record', { i })).id);
    const handlersFor = (worker: number): JobHandlers => ({
      record: async (_p, ctx) => {
        await ctx.db.query('INSERT INTO run_log (job_id, worker) VALUES ($1, $2)', [ctx.job.id, worker]);
        await new Promise((r) => setTimeout(r, 2));
      },
    });
    const reports = await Promise.all(queues.map((q, w) => runWorker({ db: q.pool, queue: q, mailer }, handlersFor(w), { batchSize: 5, concurrency: 2, budgetMs: 30_000 })));
    assert.equal(reports.reduce((n, r) => n + r.succeeded, 0), 200);
    assert.ok(reports.filter((r) => r.succeeded > 0).length >= 2, `work was shared: ${reports.map((r) => r.succeeded)}`);
    const { rows } = await pool.query<{ job_id: string; n: string }>('SELECT job_id, count(*) AS n FROM run_log GROUP BY job_id');
    assert.equal(rows.length, 200);
    assert.ok(rows.every((r) => r.n === '1' && ids.has(r.job_id)));
  } finally {
    await Promise.all(queues.map((q) => q.close()));
  }
});

test('a delayed job waits until its time', async () => {
  let ran = 0;
  const handlers: JobHandlers = { later: async () => { ran++; } };
  await queue.enqueue('later', {}, { delay: 1_200 });
  assert.equal((await runWorker(deps(), handlers, { once: true })).claimed, 0);
  assert.equal(ran, 0);
  await new Promise((r) => setTimeout(r, 1_400));
  assert.equal((await runWorker(deps(), handlers, { once: true })).succeeded, 1);
  assert.equal(ran, 1);
});

test('a job enqueued twice with the same key runs once', async () => {
  let ran = 0;
  const handlers: JobHandlers = { once: async () => { ran++; } };
  const first = await queue.enqueue('once', { order: 42 }, { key: 'order-42-confirmation' });
  const second = await queue.enqueue('once', { order: 42 }, { key: 'order-42-confirmation' });
  assert.equal(first.created, true);
  assert.deepEqual(second, { id: first.id, created: false });
  await drain(handlers);
  const third = await queue.enqueue('once', { order: 42 }, { key: 'order-42-confirmation' });
  assert.equal(third.created, false, 'still deduplicated after it ran');
  await drain(handlers);
  assert.equal(ran, 1);
});

test('handlers: inventory with history (applied once per job), sales report, notification by e-mail', async () => {
  const handlers = defaultHandlers();
  const inv = await queue.enqueue('update-inventory', { productId: 7, delta: -3, reason: 'order 1', orderId: 1 });
  await queue.enqueue('update-inventory', { productId: 999, delta: 1, reason: 'restock' }, { maxRetries: 0 });
  await queue.enqueue('generate-report', { kind: 'sales', from: '2025-01-01', to: '2025-02-01', email: 'boss@markethub.example' });
  await queue.enqueue('send-notification', { userId: 1, title: 'Your order shipped', body: 'It is on its way.', channel: 'email' });
  await drain(handlers);

  const { rows: [product] } = await pool.query('SELECT stock FROM products WHERE id = 7');
  assert.equal(product.stock, 7);
  const { rows: history } = await pool.query('SELECT product_id, delta, stock_after, reason, order_id, job_id FROM inventory_history');
  assert.deepEqual(history, [{ product_id: '7', delta: -3, stock_after: 7, reason: 'order 1', order_id: '1', job_id: inv.id }]);
  const dead = await queue.deadLetters();
  assert.match(dead.find((d) => d.type === 'update-inventory')!.error, /product 999 does not exist/);

  // A second run of the same job (its worker died after the commit) changes nothing.
  const again = await handlers['update-inventory']!({ productId: 7, delta: -3, reason: 'order 1' }, { ...deps(), job: { id: inv.id } as never, signal: new AbortController().signal });
  assert.deepEqual(again, { stock: 7, applied: false });

  const { rows: [report] } = await pool.query('SELECT kind, result FROM reports');
  assert.equal(report.kind, 'sales');
  assert.equal(report.result.orders, 1, 'only paid/shipped/delivered orders in January');
  assert.equal(report.result.revenue, '30.00');
  assert.deepEqual(report.result.topProducts.map((p: { name: string; units: number }) => [p.name, p.units]), [['Cup', 2], ['Teapot', 1]]);
  const { rows: notes } = await pool.query('SELECT user_id, title, channel FROM notifications');
  assert.deepEqual(notes, [{ user_id: '1', title: 'Your order shipped', channel: 'email' }]);
  assert.ok(inbox.some((m) => m.to === 'ana@example.com' && /Your order shipped/.test(m.raw)));
  assert.ok(inbox.some((m) => m.to === 'boss@markethub.example' && /Orders: 1/.test(m.raw)));
});

test('/api/worker and /api/cron/check-dlq answer 401 without the Bearer secret', async () => {
  const app = express();
  let secret: string | undefined;
  app.use('/api', jobRoutes({ deps, handlers: {}, secret: () => secret, worker: { budgetMs: 2_000, once: true } }));
  for (const path of ['/api/worker', '/api/cron/check-dlq']) {
    assert.equal((await request(app).get(path).set('Authorization', 'Bearer anything')).status, 401, `${path} with no secret configured`);
    secret = 'cron-secret-0123456789';
    assert.equal((await request(app).get(path)).status, 401, `${path} without header`);
    assert.equal((await request(app).get(path).set('Authorization', 'Bearer cron-secret-012345678')).status, 401, `${path} wrong secret`);
    assert.equal((await request(app).get(path).set('Authorization', 'cron-secret-0123456789')).status, 401, `${path} not Bearer`);
    const ok = await request(app).get(path).set('Authorization', 'Bearer cron-secret-0123456789');
    assert.equal(ok.status, 200, `${path} with the secret`);
    assert.equal(ok.body.ok, true);
    secret = undefined;
  }
});

test('a job whose worker died is claimed again when its lock expires; the dead claim cannot finish it', async () => {
  let ran = 0;
  const handlers: JobHandlers = { crashy: async () => { ran++; } };
  await drain(defaultHandlers()); // whatever earlier tests left due (the check-dlq route's alert)
  const { id } = await queue.enqueue('crashy', {});
  const [abandoned] = await queue.claim(10, 200);
  assert.equal(abandoned?.id, id);
  assert.equal((await runWorker(deps(), handlers, { once: true })).claimed, 0, 'held while the lock lasts');
  await new Promise((r) => setTimeout(r, 300));
  const report = await runWorker(deps(), handlers, { once: true });
  assert.deepEqual([report.claimed, report.succeeded, ran], [1, 1, 1]);
  assert.equal(await queue.complete(abandoned!), false, 'the expired claim is fenced off');
  assert.deepEqual(await queue.fail(abandoned!, 'late'), { outcome: 'lost' });
  const { rows: [row] } = await pool.query('SELECT status, attempts FROM markethub_jobs.jobs WHERE id = $1', [id]);
  assert.deepEqual(row, { status: 'done', attempts: 2 });
});

test('the legacy server runs the same worker and check through node-cron', async () => {
  let ran = 0;
  await drain(defaultHandlers());
  const schedule = scheduleLegacyJobs(deps(), { legacy: async () => { ran++; } }, { worker: { budgetMs: 2_000 } });
  try {
    const next = schedule.nextRuns();
    assert.ok(next.worker instanceof Date && next.worker.getTime() - Date.now() <= 60_000, 'worker every minute');
    assert.ok(next['check-dlq'] instanceof Date);
    const { id } = await queue.enqueue('legacy', {});
    await schedule.runNow('worker');
    assert.equal(ran, 1);
    const { rows: [row] } = await pool.query('SELECT status FROM markethub_jobs.jobs WHERE id = $1', [id]);
    assert.equal(row.status, 'done');
  } finally {
    await schedule.stop();
  }
});
