// Scheduled jobs as HTTP routes (Vercel Cron calls GET with `Authorization: Bearer $CRON_SECRET`).
// Each job does its work in Postgres and answers a JSON summary. Without CRON_SECRET set, every call
// is refused: an unset secret must not mean "open to anyone".
import { cronAuthorized } from '../../src/jobs/cron-secret.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { QueryTypes, Sequelize } from 'sequelize';
import { runDueDatabaseEvents } from '../../src/jobs/database-events.js';
import { sequelizeRuntime } from '../../src/app/models/sequelize-runtime.js';

// Sequelize is loaded by the database the jobs are given, not by importing them.
const select = (): QueryTypes.SELECT => sequelizeRuntime().QueryTypes.SELECT;

export type CronJob = (sequelize: Sequelize, now: Date) => Promise<Record<string, unknown>>;

/** Constant-time check of `Authorization: Bearer <secret>`; false when the secret is unset or empty. */
export { cronAuthorized };

async function count(sequelize: Sequelize, sql: string, replacements: Record<string, unknown> = {}): Promise<number> {
  const [, meta] = await sequelize.query(sql, { replacements });
  return Number((meta as { rowCount?: number })?.rowCount ?? 0);
}

async function tableExists(sequelize: Sequelize, table: string): Promise<boolean> {
  const [row] = await sequelize.query<{ exists: string | null }>('SELECT to_regclass(:table)::text AS exists', { replacements: { table }, type: select() });
  return Boolean(row?.exists);
}

const DAY_MS = 24 * 3600 * 1000;

/** Expired refresh tokens, expired sessions, and expired token blacklist entries (when the table exists). */
export const hourlyCleanup: CronJob = async (sequelize, now) => {
  const refreshTokens = await count(sequelize, 'DELETE FROM refresh_tokens WHERE expires_at < :now', { now });
  const sessions = await count(sequelize, 'DELETE FROM user_sessions WHERE expires IS NOT NULL AND expires < :now', { now });
  const blacklist = await tableExists(sequelize, 'token_blacklist')
    ? await count(sequelize, 'DELETE FROM token_blacklist WHERE expires_at < :now', { now })
    : null;
  return { deleted: { refreshTokens, sessions, blacklist } };
};

/** Page views and search suggestions older than 30 days. */
export const dailyCleanup: CronJob = async (sequelize, now) => {
  const before = new Date(now.getTime() - 30 * DAY_MS);
  const pageViews = await count(sequelize, 'DELETE FROM page_views WHERE viewed_at < :before', { before });
  const searchTerms = await count(sequelize, 'DELETE FROM search_terms WHERE last_searched_at IS NOT NULL AND last_searched_at < :before', { before });
  return { olderThan: before.toISOString(), deleted: { pageViews, searchTerms } };
};

export const LOW_STOCK_THRESHOLD = 5;

/** Published products that are oversold, out of stock or low, per vendor. */
export const inventoryCheck: CronJob = async (sequelize) => {
  const rows = await sequelize.query<{ id: number; vendor_id: number; sku: string; stock: number }>(
    `SELECT id, vendor_id, sku, stock FROM products
      WHERE deleted_at IS NULL AND is_published::int <> 0 AND stock <= :threshold ORDER BY stock, id`,
    { replacements: { threshold: LOW_STOCK_THRESHOLD }, type: select() },
  );
  const pick = (test: (s: number) => boolean) => rows.filter((r) => test(Number(r.stock))).map((r) => ({ id: Number(r.id), sku: r.sku, stock: Number(r.stock), vendorId: Number(r.vendor_id) }));
  const oversold = pick((s) => s < 0);
  const outOfStock = pick((s) => s === 0);
  const low = pick((s) => s > 0);
  return { threshold: LOW_STOCK_THRESHOLD, counts: { oversold: oversold.length, outOfStock: outOfStock.length, low: low.length }, oversold, outOfStock, low };
};

/** What each verified vendor earned from orders paid in the 7 days before the run, after commission. */
export const vendorPayouts: CronJob = async (sequelize, now) => {
  const from = new Date(now.getTime() - 7 * DAY_MS);
  const rows = await sequelize.query<{ vendor_id: number; gross_cents: string; commission_rate: string; iban: string | null; orders: string }>(
    `SELECT p.vendor_id, SUM(oi.quantity * oi.unit_price_cents)::bigint AS gross_cents, v.commission_rate, v.payout_iban AS iban,
            COUNT(DISTINCT o.id) AS orders
       FROM order_items oi
       JOIN orders o ON o.id = oi.order_id
       JOIN products p ON p.id = oi.product_id
       JOIN vendors v ON v.id = p.vendor_id
      WHERE o.status IN ('paid', 'shipped', 'delivered') AND o.paid_at >= :from AND o.paid_at < :now
      GROUP BY p.vendor_id, v.commission_rate, v.payout_iban
      ORDER BY p.vendor_id`,
    { replacements: { from, now }, type: select() },
  );
  const payouts = rows.map((r) => {
    const gross = Number(r.gross_cents);
    const commission = Math.round(gross * Number(r.commission_rate));
    return { vendorId: Number(r.vendor_id), orders: Number(r.orders), grossCents: gross, commissionCents: commission, payoutCents: gross - commission, hasIban: Boolean(r.iban) };
  });
  return {
    period: { from: from.toISOString(), to: now.toISOString() },
    vendors: payouts.length,
    totalPayoutCents: payouts.reduce((s, p) => s + p.payoutCents, 0),
    payouts,
  };
};

/** The weekly digest: confirmed newsletter subscribers and what was published in the last 7 days (whole-second columns round up, so no upper bound). */
export const emailDigest: CronJob = async (sequelize, now) => {
  const from = new Date(now.getTime() - 7 * DAY_MS);
  const [subscribers] = await sequelize.query<{ n: string }>('SELECT COUNT(*) AS n FROM newsletter_subscribers WHERE confirmed::int <> 0', { type: select() });
  const products = await sequelize.query<{ id: number; name: string }>(
    'SELECT id, name FROM products WHERE deleted_at IS NULL AND is_published::int <> 0 AND created_at >= :from ORDER BY created_at DESC, id DESC LIMIT 10',
    { replacements: { from, now }, type: select() },
  );
  const journals = await sequelize.query<{ slug: string; title: string }>(
    `SELECT slug, title FROM journals WHERE status = 'published' AND published_at >= :from ORDER BY published_at DESC LIMIT 5`,
    { replacements: { from, now }, type: select() },
  );
  const hasNews = products.length + journals.length > 0;
  return {
    period: { from: from.toISOString(), to: now.toISOString() },
    recipients: hasNews ? Number(subscribers?.n ?? 0) : 0,
    products: products.map((p) => ({ id: Number(p.id), name: p.name })),
    journals: journals.map((j) => ({ slug: j.slug, title: j.title })),
  };
};

/** MySQL events migrate db carried over: each due one runs its procedure (see src/jobs/database-events.ts). */
export const databaseEvents: CronJob = async (sequelize, now) => ({
  ...(await runDueDatabaseEvents({ query: <T extends object>(sql: string, params: unknown[] = []) => sequelize.query<T>(sql, { bind: params, type: select() }) }, now)),
});

export const CRON_JOBS = {
  'hourly-cleanup': hourlyCleanup,
  'daily-cleanup': dailyCleanup,
  'inventory-check': inventoryCheck,
  'vendor-payouts': vendorPayouts,
  'email-digest': emailDigest,
  'database-events': databaseEvents,
} as const satisfies Record<string, CronJob>;

export type CronJobName = keyof typeof CRON_JOBS;

export interface CronHandlerOptions {
  /** Read at each call, so a secret rotated in the environment applies at once; default process.env.CRON_SECRET. */
  secret?: () => string | undefined;
  /** The instance's database (created on first authorised call). */
  sequelize: () => Sequelize;
  now?: () => Date;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

/** A Vercel (req, res) handler running one job. */
export function cronHandler(name: CronJobName, options: CronHandlerOptions) {
  const job = CRON_JOBS[name];
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const secret = (options.secret ?? (() => process.env.CRON_SECRET))();
    if (!cronAuthorized(req.headers.authorization, secret)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      send(res, 401, { error: { code: 'unauthorized', message: 'a valid cron secret is required' } });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'POST') {
      res.setHeader('Allow', 'GET, POST');
      send(res, 405, { error: { code: 'method_not_allowed', message: 'use GET' } });
      return;
    }
    const started = Date.now();
    try {
      const summary = await job(options.sequelize(), (options.now ?? (() => new Date()))());
      send(res, 200, { job: name, ok: true, durationMs: Date.now() - started, ...summary });
    } catch (error) {
      process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'error', msg: 'cron job failed', job: name, error: (error as Error).message })}\n`);
      send(res, 500, { job: name, ok: false, error: { code: 'job_failed', message: 'the job failed; see the function log' } });
    }
  };
}
