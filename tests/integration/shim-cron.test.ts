// The cron entry points (api/cron/*) on the migrated Postgres: refused without the secret, and each
// job's work checked in the database.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, test } from 'vitest';
import { PROJECT_ROOT } from '../../src/project-paths.js';
import pg from 'pg';
import { cronAuthorized, CRON_JOBS, instanceDatabase, markethubCronHandler, type CronJobName } from '../../shim/app/index.js';
import { CRON_SCHEDULES } from '../../src/jobs/index.js';
import { DATABASE_EVENTS_DDL } from '../../src/jobs/database-events.js';
import { prepareMigratedTemplate, type MigratedTemplate } from '../shim/fixture.js';
import { vercelServer, type RunningServer } from '../shim/transports.js';

const ROOT = PROJECT_ROOT;
const SECRET = 'cron-secret-0123456789';
let template: MigratedTemplate;
let client: pg.Client;
let env: Record<string, string>;
const servers: RunningServer[] = [];

beforeAll(async () => {
  template = await prepareMigratedTemplate('shim_cron');
  const copy = await template.copy('shim_cron');
  client = new pg.Client({ connectionString: copy.url });
  await client.connect();
  env = { DATABASE_URL: copy.url, CRON_SECRET: SECRET, DB_APPLICATION_NAME: 'mh-cron' };
});

afterAll(async () => {
  for (const s of servers) await s.close();
  await instanceDatabase(env).close();
  await client?.end();
  await template?.close();
});

async function serve(name: CronJobName, environment = env): Promise<string> {
  const server = await vercelServer(markethubCronHandler(name, environment));
  servers.push(server);
  return server.url;
}

async function run(name: CronJobName): Promise<Record<string, any>> {
  const res = await fetch(`${await serve(name)}/api/cron/${name}`, { headers: { Authorization: `Bearer ${SECRET}` } });
  const body = await res.json() as Record<string, any>;
  assert.equal(res.status, 200, JSON.stringify(body));
  assert.equal(body.job, name);
  assert.equal(body.ok, true);
  return body;
}

test('cron routes answer 401 without the secret, with a wrong one, and when CRON_SECRET is unset; nothing is opened', async () => {
  const url = await serve('hourly-cleanup');
  assert.equal((await fetch(`${url}/api/cron/hourly-cleanup`)).status, 401);
  assert.equal((await fetch(`${url}/api/cron/hourly-cleanup`, { headers: { Authorization: `Bearer ${SECRET}x` } })).status, 401);
  assert.equal((await fetch(`${url}/api/cron/hourly-cleanup`, { headers: { Authorization: SECRET } })).status, 401);
  const unset = await serve('hourly-cleanup', { DATABASE_URL: env.DATABASE_URL! });
  const res = await fetch(`${unset}/api/cron/hourly-cleanup`, { headers: { Authorization: 'Bearer ' } });
  assert.equal(res.status, 401);
  assert.equal((await fetch(`${unset}/api/cron/hourly-cleanup`, { headers: { Authorization: 'Bearer undefined' } })).status, 401);
  assert.equal(instanceDatabase(env).created, false, 'a refused call creates no database connection');
  assert.equal(cronAuthorized(`Bearer ${SECRET}`, SECRET), true);
  assert.equal(cronAuthorized(`Bearer ${SECRET}`, undefined), false);
  assert.equal(cronAuthorized(`Bearer ${SECRET}`, ''), false);
});

test('hourly-cleanup deletes expired refresh tokens and sessions, and keeps live ones', async () => {
  const hash = () => randomBytes(32);
  await client.query(`INSERT INTO refresh_tokens (user_id, token_hash, family_id, expires_at) VALUES
    (1, $1, 'fam-expired', now() - interval '1 day'), (1, $2, 'fam-live', now() + interval '1 day')`, [hash(), hash()]);
  await client.query(`INSERT INTO user_sessions (sid, user_id, expires, data) VALUES
    ('expired-sid', 1, now() - interval '1 hour', '{}'), ('live-sid', 1, now() + interval '1 hour', '{}')`);
  const { rows: [before] } = await client.query(`SELECT
    (SELECT count(*)::int FROM refresh_tokens WHERE expires_at < now()) AS tokens,
    (SELECT count(*)::int FROM user_sessions WHERE expires < now()) AS sessions`);
  assert.ok(before.tokens >= 1 && before.sessions >= 1);
  const body = await run('hourly-cleanup');
  assert.equal(body.deleted.refreshTokens, before.tokens);
  assert.equal(body.deleted.sessions, before.sessions);
  assert.equal(body.deleted.blacklist, null, 'no token_blacklist table in this schema');
  const { rows: [afterwards] } = await client.query(`SELECT
    (SELECT count(*)::int FROM refresh_tokens WHERE expires_at < now()) AS expired,
    (SELECT count(*)::int FROM refresh_tokens WHERE family_id = 'fam-live') AS live,
    (SELECT count(*)::int FROM user_sessions WHERE sid = 'live-sid') AS live_session`);
  assert.deepEqual(afterwards, { expired: 0, live: 1, live_session: 1 });
});

test('daily-cleanup deletes page views and search terms older than 30 days only', async () => {
  await client.query(`INSERT INTO page_views (viewed_at, path) VALUES (now() - interval '31 days', '/old'), (now() - interval '29 days', '/recent')`);
  await client.query(`INSERT INTO search_terms (term, hits, last_searched_at) VALUES ('old term', 1, now() - interval '40 days'), ('new term', 1, now())`);
  const { rows: [before] } = await client.query(`SELECT
    (SELECT count(*)::int FROM page_views WHERE viewed_at < now() - interval '30 days') AS views,
    (SELECT count(*)::int FROM search_terms WHERE last_searched_at < now() - interval '30 days') AS terms`);
  const body = await run('daily-cleanup');
  assert.deepEqual(body.deleted, { pageViews: before.views, searchTerms: before.terms });
  const { rows: [afterwards] } = await client.query(`SELECT
    (SELECT count(*)::int FROM page_views WHERE path = '/recent') AS recent,
    (SELECT count(*)::int FROM page_views WHERE viewed_at < now() - interval '30 days') AS old,
    (SELECT count(*)::int FROM search_terms WHERE term = 'new term') AS term`);
  assert.deepEqual(afterwards, { recent: 1, old: 0, term: 1 });
});

test('inventory-check lists oversold, sold-out and low-stock published products', async () => {
  await client.query('UPDATE products SET stock = -2 WHERE id = 3');
  await client.query('UPDATE products SET stock = 0 WHERE id = 4');
  await client.query('UPDATE products SET stock = 2 WHERE id = 5');
  const body = await run('inventory-check');
  assert.ok(body.oversold.some((p: { id: number; stock: number }) => p.id === 3 && p.stock === -2));
  assert.ok(body.outOfStock.some((p: { id: number }) => p.id === 4));
  assert.ok(body.low.some((p: { id: number; stock: number }) => p.id === 5 && p.stock === 2));
  assert.equal(body.counts.oversold, body.oversold.length);
  assert.ok([...body.oversold, ...body.outOfStock, ...body.low].every((p: { id: number }) => p.id !== 47 && p.id !== 48), 'unpublished and deleted products are left out');
});

test('vendor-payouts sums the week\'s paid orders per vendor, less commission', async () => {
  const { rows: [order] } = await client.query(`INSERT INTO orders (order_number, user_id, status, subtotal, total, shipping_address, paid_at)
    VALUES ('MH-CRON-1', 1, 'paid', 50, 50, '{}', now() - interval '1 day') RETURNING id`);
  const { rows: [product] } = await client.query('SELECT p.vendor_id, v.commission_rate FROM products p JOIN vendors v ON v.id = p.vendor_id WHERE p.id = 2');
  await client.query(`INSERT INTO order_items (order_id, product_id, product_name, quantity, unit_price_cents) VALUES ($1, 2, 'x', 2, 2500)`, [order.id]);
  const { rows: [expected] } = await client.query(`SELECT COALESCE(SUM(oi.quantity * oi.unit_price_cents), 0)::int AS gross FROM order_items oi
    JOIN orders o ON o.id = oi.order_id JOIN products p ON p.id = oi.product_id
    WHERE p.vendor_id = $1 AND o.status IN ('paid', 'shipped', 'delivered') AND o.paid_at >= now() - interval '7 days'`, [product.vendor_id]);
  const body = await run('vendor-payouts');
  const mine = body.payouts.find((p: { vendorId: number }) => p.vendorId === Number(product.vendor_id));
  assert.ok(mine, JSON.stringify(body));
  assert.ok(expected.gross >= 5000);
  assert.equal(mine.grossCents, expected.gross);
  assert.equal(mine.commissionCents, Math.round(expected.gross * Number(product.commission_rate)));
  assert.equal(mine.payoutCents, mine.grossCents - mine.commissionCents);
});

test('email-digest names this week\'s new products and counts confirmed subscribers', async () => {
  await client.query(`INSERT INTO products (vendor_id, sku, name, slug, price, stock, is_published, created_at, updated_at)
    VALUES (1, 'CRON-NEW-1', 'Nouveauté', 'nouveaute-cron', 10, 5, true, now(), now())`);
  const { rows: [subs] } = await client.query('SELECT count(*)::int AS n FROM newsletter_subscribers WHERE confirmed::int <> 0');
  const body = await run('email-digest');
  assert.ok(Array.isArray(body.products), JSON.stringify(body));
  assert.ok(body.products.some((p: { name: string }) => p.name === 'Nouveauté'), JSON.stringify(body));
  assert.equal(body.recipients, subs.n);
});

test('database-events runs the migrated MySQL events that are due, through Sequelize on the instance database', async () => {
  for (const sql of DATABASE_EVENTS_DDL) await client.query(sql);
  await client.query(`CREATE TABLE public.event_ticks (n int);
    CREATE PROCEDURE public.tick() LANGUAGE sql AS $$ INSERT INTO public.event_ticks VALUES (1) $$;
    INSERT INTO markethub_jobs.database_events (schema_name, name, procedure_name, every, starts, next_run_at, enabled)
      VALUES ('public', 'tick_event', 'tick', '1 minute', now() - interval '1 hour', now() - interval '1 second', true),
             ('public', 'later_event', 'tick', '1 day', now(), now() + interval '1 hour', true)`);
  const body = await run('database-events');
  assert.deepEqual(body.ran, ['public.tick_event']);
  assert.deepEqual(body.failed, []);
  const { rows } = await client.query("SELECT (SELECT count(*)::int FROM public.event_ticks) AS ticks, next_run_at > now() AS later FROM markethub_jobs.database_events WHERE name = 'tick_event'");
  assert.deepEqual(rows, [{ ticks: 1, later: true }]);
});

test('vercel.json: every /api path reaches the app, each cron job has its schedule and its function', async () => {
  const config = JSON.parse(await readFile(path.join(ROOT, 'vercel.json'), 'utf8'));
  assert.deepEqual(config.rewrites, [{ source: '/api/:path*', destination: '/api/index' }]);
  const schedules = Object.fromEntries(config.crons.map((c: { path: string; schedule: string }) => [c.path, c.schedule]));
  assert.deepEqual(schedules, {
    '/api/cron/hourly-cleanup': '0 * * * *',
    '/api/cron/daily-cleanup': '0 2 * * *',
    '/api/cron/inventory-check': '*/30 * * * *',
    '/api/cron/vendor-payouts': '0 0 * * 0',
    '/api/cron/email-digest': '0 9 * * 1',
    '/api/cron/database-events': '* * * * *',
    ...Object.fromEntries(CRON_SCHEDULES.map((c) => [c.path, c.schedule])),
  });
  assert.deepEqual([...Object.keys(CRON_JOBS).map((n) => `/api/cron/${n}`), ...CRON_SCHEDULES.map((c) => c.path)].sort(), Object.keys(schedules).sort());
  for (const name of Object.keys(CRON_JOBS)) await readFile(path.join(ROOT, 'api', 'cron', `${name}.ts`));
  for (const c of CRON_SCHEDULES) await readFile(path.join(ROOT, `${c.path}.ts`));
  assert.ok(config.functions['api/index.ts'].maxDuration > 0);
  assert.ok(config.functions['api/cron/*.ts'].maxDuration > 0);
});

test('vercel.json: the build leaves the output directory it names (an empty static output), and Node is the engines major', async () => {
  const config = JSON.parse(await readFile(path.join(ROOT, 'vercel.json'), 'utf8'));
  assert.equal(config.framework, null);
  assert.ok(config.outputDirectory && config.outputDirectory !== '.' && !config.outputDirectory.startsWith('api'), 'no static copy of the repository or of api/');
  assert.ok(config.buildCommand.includes(`mkdirSync('${config.outputDirectory}'`), config.buildCommand);
  const pkg = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8'));
  assert.match(pkg.engines.node, /^\d+\.x$/, 'one Node major, which Vercel takes for the functions');
});
